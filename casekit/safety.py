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
