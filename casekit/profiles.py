"""Where the validator's own JSON Schemas (schemas/profiles/) are, in a checkout or an installed copy.

They belong to the validator, not to the package it judges, so a package cannot
loosen the checks on itself. In a checkout they sit beside the code; an installed
copy (as the pre-commit hook makes) carries them as the `casekit_profiles` package data.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

CHECKOUT_FOLDER = Path(__file__).resolve().parents[1] / "schemas" / "profiles"


def profile_path(name: str) -> Path:
    beside_code = CHECKOUT_FOLDER / name
    if beside_code.is_file():
        return beside_code
    return Path(str(files("casekit_profiles") / name))
