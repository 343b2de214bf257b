"""The fenced recipes of docs/loading.md, for the tests that run them."""
from __future__ import annotations

import re

from conftest import REPO

PAGE = REPO / "docs" / "loading.md"
SECTIONS = ("loading", "figure")
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def owned_sections(page: str) -> str:
    parts = []
    for name in SECTIONS:
        match = re.search(rf"<!-- BEGIN {name} -->\n(.*?)<!-- END {name} -->", page, re.DOTALL)
        assert match, f"docs/loading.md lost the markers of the {name} section"
        parts.append(match.group(1))
    return "\n".join(parts)


def recipes() -> list[tuple[str, str, str | None]]:
    """(language, code, expected output or None) in page order."""
    blocks = FENCE.findall(owned_sections(PAGE.read_text(encoding="utf-8")))
    found = []
    for index, (language, code) in enumerate(blocks):
        if language == "text":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        expected = following[1] if following and following[0] == "text" else None
        found.append((language, code, expected))
    return found


def only_recipe(language: str) -> str:
    codes = [code for found_language, code, _ in recipes() if found_language == language]
    assert len(codes) == 1, f"docs/loading.md should have exactly one {language} recipe, found {len(codes)}"
    return codes[0]
