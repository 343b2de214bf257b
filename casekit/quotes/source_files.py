"""The article text files of a folder, known by their sha256; nothing outside the folder is read.

Only regular files directly in the folder are considered (no subfolders, no symlinks, no
hidden files), at most MAX_FILES of them, each at most MAX_BYTES.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

MAX_FILES = 200
MAX_BYTES = 5 * 1024 * 1024


def texts_by_sha256(folder: Path) -> dict[str, bytes]:
    """sha256 hex digest -> bytes of every eligible file of folder."""
    found: dict[str, bytes] = {}
    with os.scandir(folder) as entries:
        for count, entry in enumerate(sorted(entries, key=lambda entry: entry.name)):
            if count >= MAX_FILES:
                break
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            data = _read_regular(Path(entry.path))
            if data is not None:
                found[hashlib.sha256(data).hexdigest()] = data
    return found


def _read_regular(path: Path) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:
            return None
        data = handle.read(MAX_BYTES + 1)
    return data if len(data) <= MAX_BYTES else None
