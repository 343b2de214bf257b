"""Decide whether a path named in the descriptor stays inside the package root.

frictionless refuses absolute paths, `..`, `~` and variables, but lets URLs,
hidden folders and symlinks that leave the root through; this module refuses
all of them before frictionless opens anything, so nothing is read from
outside the package and nothing from the network.
"""
from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_VARIABLE = re.compile(r"\$|%[A-Za-z_]+%")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[/\\]")
MAX_PATH_LENGTH = 1024


class UnsafePath(Exception):
    """A descriptor path that would read outside the package root."""


def check_relative_path(root: Path, value: object) -> Path:
    """Return the resolved file for `value`, or raise UnsafePath saying why not."""
    if not isinstance(value, str) or not value:
        raise UnsafePath(f"path {value!r} is not a non-empty string")
    if len(value) > MAX_PATH_LENGTH:
        raise UnsafePath(f"path {value[:60]!r}... is longer than {MAX_PATH_LENGTH} characters")
    if _CONTROL.search(value):
        raise UnsafePath(f"path {value!r} contains a control character")
    if _WINDOWS_DRIVE.match(value):
        raise UnsafePath(f"path {value!r} is an absolute Windows path")
    if _URL.match(value) or value.startswith("//"):
        raise UnsafePath(f"path {value!r} is a URL; the package must be read offline from its own files")
    if "\\" in value:
        raise UnsafePath(f"path {value!r} contains a backslash; use forward slashes")
    if value.startswith(("/", "~")) or _VARIABLE.search(value):
        raise UnsafePath(f"path {value!r} is absolute or uses a home folder or variable")
    parts = PurePosixPath(value).parts
    if ".." in parts:
        raise UnsafePath(f"path {value!r} climbs out of the package root with '..'")
    if any(part.startswith(".") for part in parts):
        raise UnsafePath(f"path {value!r} points into a hidden file or folder")
    try:
        real_root = root.resolve()
        target = (root / value).resolve()
    except (RuntimeError, OSError):
        raise UnsafePath(f"path {value!r} cannot be resolved (a symlink loop?)") from None
    if target != real_root and real_root not in target.parents:
        raise UnsafePath(f"path {value!r} is a symlink that leads outside the package root")
    if any(part.startswith(".") for part in target.relative_to(real_root).parts):
        raise UnsafePath(f"path {value!r} is a symlink into a hidden file or folder")
    return target


# Files and folders of the package itself: a curator or analysis command writes a build
# product or rewrites one of these in place on purpose, never over them by a mistyped option.
PACKAGE_PARTS = ("datapackage.json", "data", "schemas", "CHANGELOG.md", "CITATION.cff")


def check_output_path(root: Path, output: Path, signature: bytes | None = None) -> Path:
    """Return the resolved output file, or raise UnsafePath if writing it could destroy a package file.

    Refused: a package file or anything inside data/ or schemas/ (also through a symlink),
    an existing folder, FIFO or device, and, with `signature`, an existing non-empty file that
    does not start with it (so `--output README.md` cannot replace the README with a database).
    """
    root, output = Path(root), Path(output)
    try:
        target = output.resolve()
        real_root = root.resolve()
    except (RuntimeError, OSError):
        raise UnsafePath(f"{output} cannot be resolved (a symlink loop?)") from None
    for part in PACKAGE_PARTS:
        protected = real_root / part
        if target == protected or protected in target.parents:
            what = f"the package's own {part}" if target == protected else f"inside the package's {part}/ folder"
            raise UnsafePath(f"{output} is {what}; write build products elsewhere, e.g. under build/")
    if output.is_symlink() or (target.exists() and not target.is_file()):
        raise UnsafePath(f"{output} exists and is not a regular file; choose a new file name")
    if signature is not None and target.exists() and target.stat().st_size:
        with target.open("rb") as handle:
            if handle.read(len(signature)) != signature:
                raise UnsafePath(f"{output} exists and is not a file this command wrote; choose a new file name")
    return target


def write_atomically(path: Path, data: bytes) -> None:
    """Replace path with data in one step: readers see the old file or the new one, never half of one."""
    import os
    import tempfile

    path = Path(path)
    mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _umask() -> int:
    import os

    current = os.umask(0)
    os.umask(current)
    return current
