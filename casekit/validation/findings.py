"""One finding of the validator: what rule, where, what was expected and what was seen."""
from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    resource: str | None = None
    path: str | None = None
    row: int | None = None
    field: str | None = None
    expected: str | None = None
    observed: str | None = None
    locator: str | None = None
    case_id: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)
