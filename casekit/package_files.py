"""Read one file of the package, and only if it is a regular file inside the root of a sane size.

Every file the validator opens itself (datapackage.json, Table Schemas, rules.yaml,
CHANGELOG.md, CITATION.cff) comes through here, so a symlink out of the root, a FIFO
or a device (/dev/zero) can neither leak data in nor hang the run.
"""
from __future__ import annotations

from pathlib import Path

from casekit.safety import UnsafePath, check_relative_path

MAX_BYTES = 20 * 1024 * 1024


def read_package_file(root: Path, relative: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes; FileNotFoundError if absent, UnsafePath if it must not be read."""
    target = check_relative_path(Path(root), relative)
    if not target.exists():
        raise FileNotFoundError(relative)
    if not target.is_file():
        raise UnsafePath(f"{relative} is not a regular file")
    if target.stat().st_size > max_bytes:
        raise UnsafePath(f"{relative} is larger than {max_bytes // (1024 * 1024)} MB")
    with target.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafePath(f"{relative} is larger than {max_bytes // (1024 * 1024)} MB")
    return data
