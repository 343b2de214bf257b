"""Read one file of the package, and only if it is a regular file inside the root of a sane size.

Every file the validator and the curator commands open themselves (datapackage.json,
Table Schemas, rules.yaml, CHANGELOG.md, CITATION.cff, the data files whose hashes
refresh_hashes.py records) comes through here, so a symlink out of the root, a FIFO
or a device (/dev/zero) can neither leak data in nor hang the run.
"""
from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path

from casekit.safety import UnsafePath, check_relative_path

MAX_BYTES = 20 * 1024 * 1024


def _open_checked(root: Path, relative: str):
    """A binary handle on the file, after every check; FileNotFoundError or UnsafePath otherwise."""
    target = check_relative_path(Path(root), relative)
    if not target.exists():
        raise FileNotFoundError(relative)
    if not target.is_file():
        raise UnsafePath(f"{relative} is not a regular file")
    return _open_regular(target, relative)


def _open_regular(path: Path, label: str):
    """A binary handle on path, refused (UnsafePath) unless the opened file is a regular file.

    O_NONBLOCK: if a FIFO replaced the file since a check, opening it must not wait for a writer;
    O_NOFOLLOW: a symlink swapped in at the last moment is not followed.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnsafePath(f"{label} is a symlink; it is not followed") from None
        raise
    handle = os.fdopen(descriptor, "rb")
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        raise UnsafePath(f"{label} is not a regular file")
    return handle


def read_output_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """A file a command wrote before, to compare with what it would write now; "" when there is none.

    The same refusals as for package files (a FIFO, a device, a symlink, more than max_bytes).
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return ""
    with _open_regular(path, str(path)) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafePath(f"{path} is larger than {_size(max_bytes)}")
    return data.decode("utf-8")


def check_package_file(root: Path, relative: str) -> None:
    """Open and close the file with every check of read_package_file, reading nothing: before a
    library opens it by name (a FIFO there would make that library wait forever)."""
    with _open_checked(root, relative):
        pass


def read_package_file(root: Path, relative: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes; FileNotFoundError if absent, UnsafePath if it must not be read."""
    with _open_checked(root, relative) as handle:
        if os.fstat(handle.fileno()).st_size > max_bytes:
            raise UnsafePath(f"{relative} is larger than {_size(max_bytes)}")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafePath(f"{relative} is larger than {_size(max_bytes)}")
    return data


def open_package_text(root: Path, relative: str):
    """The file as UTF-8 text to read line by line (for csv), after the same checks as read_package_file.

    For data files already bounded and validated in this run, read again one row at a time.
    """
    return io.TextIOWrapper(_open_checked(root, relative), encoding="utf-8", newline="")


def open_package_binary(root: Path, relative: str):
    """The file as bytes to read in chunks, after the same checks as read_package_file (for data
    files already bounded in this run)."""
    return _open_checked(root, relative)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count} bytes"
