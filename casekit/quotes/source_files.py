"""The article text files of a folder, known by their sha256; nothing outside the folder is read.

Only regular files directly in the folder are considered (no subfolders, no symlinks, no
hidden files), at most MAX_FILES of them, each at most MAX_BYTES.
"""
from __future__ import annotations

import hashlib
import heapq
import os
import stat
from pathlib import Path

MAX_FILES = 200
MAX_BYTES = 5 * 1024 * 1024


class Texts(dict):
    """sha256 hex digest -> bytes; `unread` counts the entries past MAX_FILES that were not looked at."""

    unread = 0


def texts_by_sha256(folder: Path) -> Texts:
    """sha256 hex digest -> bytes of every eligible file of folder."""
    found = Texts()
    with os.scandir(folder) as entries:
        counted = _Counted(entries)
        # The first MAX_FILES by name, kept in one pass: a folder of a million files costs no sort of them all.
        first = heapq.nsmallest(MAX_FILES, counted, key=lambda entry: entry.name)
        found.unread = counted.count - len(first)
        for entry in first:
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            data = _read_regular(Path(entry.path))
            if data is not None:
                found[hashlib.sha256(data).hexdigest()] = data
    return found


class _Counted:
    """An iterable that counts what it yields."""

    def __init__(self, items):
        self.items, self.count = items, 0

    def __iter__(self):
        for item in self.items:
            self.count += 1
            yield item


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
