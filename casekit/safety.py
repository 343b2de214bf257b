"""Decide whether a path named in the descriptor stays inside the package root.

frictionless refuses absolute paths, `..`, `~` and variables, but lets URLs,
hidden folders and symlinks that leave the root through; this module refuses
all of them before frictionless opens anything, so nothing is read from
outside the package and nothing from the network.
"""
from __future__ import annotations

import os
import re
import secrets
import stat
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
    linked = _linked_folder(root, output)
    if linked is not None:
        raise UnsafePath(f"{output}: the folder {linked} is a symlink; a build product is never written through a"
                         " link, so make it a real folder or choose another output")
    if output.is_symlink() or (target.exists() and not target.is_file()):
        raise UnsafePath(f"{output} exists and is not a regular file; choose a new file name")
    if signature is not None and target.exists() and target.stat().st_size:
        with target.open("rb") as handle:
            if handle.read(len(signature)) != signature:
                raise UnsafePath(f"{output} exists and is not a file this command wrote; choose a new file name")
    return target


def _linked_folder(root: Path, output: Path) -> Path | None:
    """The first folder between the package root and an output inside it that is a symlink, else None.

    Only folders inside the root are judged: an output the curator places outside the package
    (below a system folder that happens to be a link) is their choice.
    """
    base, path = Path(os.path.abspath(root)), Path(os.path.abspath(output))
    try:
        parts = path.relative_to(base).parts[:-1]
    except ValueError:
        return None
    for part in parts:
        base = base / part
        if base.is_symlink():
            return base
    return None


# What an output file name may be built from (a case_id, a package name, a version): no folder
# separator, no leading dot, nothing a shell or a zip tool reads specially.
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,127}")


def check_identifier(value: object, what: str) -> str:
    """`value` when it can be part of a file or zip entry name as it is; UnsafePath otherwise."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        shown = repr(value)[:60] if isinstance(value, str) else type(value).__name__
        raise UnsafePath(f"{what} {shown} cannot name a file: use letters, digits, '.', '_', '+' or '-',"
                         " starting with a letter or digit, at most 128 characters")
    return value


def write_output(root: Path, output: Path, data: bytes, signature: bytes | None = None) -> Path:
    """Write a build product: check_output_path's refusals, then write_atomically; return the path written."""
    check_output_path(root, output, signature)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(output, data)
    return Path(output)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace path with data in one step: readers see the old file or the new one, never half of one.

    Never through a link: a symlink (or anything but a regular file) at `path` is refused, and
    the new content goes to a fresh temporary file in the same folder, created with O_EXCL and
    O_NOFOLLOW, so a leftover or planted temporary file or link is never opened. On any failure,
    a full disk or Ctrl-C included, the temporary file is removed and `path` is as it was.
    """
    write_files_atomically({Path(path): data})


class PartlyWritten(OSError):
    """Some of a set of files were replaced and could not be put back; str() names which."""


def write_files_atomically(files: dict, previous: dict | None = None) -> None:
    """Replace several files as nearly together as a file system allows.

    Every new content is first written in full to its temporary file (a full disk fails here,
    before any file is touched); only then is each renamed over its target. Should a rename
    fail, the files already replaced get their `previous` bytes back; PartlyWritten is raised
    only if that too fails, naming the files that hold new content.
    """
    staged: list = []
    try:
        for path, data in files.items():
            staged.append((Path(path), _stage(Path(path), data)))
        done = []
        for path, temporary in staged:
            try:
                os.replace(temporary, path)
            except BaseException:
                _put_back(done, previous or {})
                raise
            done.append(path)
    finally:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)


def _put_back(done: list, previous: dict) -> None:
    failed = []
    for path in done:
        try:
            if path not in previous:
                raise OSError("its previous content is unknown")
            write_atomically(path, previous[path])
        except OSError:
            failed.append(str(path))
    if failed:
        raise PartlyWritten(f"{', '.join(failed)} already hold the new content; the other files do not")


def _stage(path: Path, data: bytes) -> Path:
    """A new temporary file beside path holding data (flushed to disk), with path's mode."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise UnsafePath(f"{path} exists and is not a regular file (a symlink?); it is not written through")
    mode = stat.S_IMODE(status.st_mode) if status is not None else 0o666 & ~_umask()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, flags, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view):]
        os.fsync(descriptor)
        os.fchmod(descriptor, mode)
    except BaseException:
        os.close(descriptor)
        temporary.unlink(missing_ok=True)
        raise
    os.close(descriptor)
    return temporary


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
