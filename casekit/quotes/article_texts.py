"""The articles of a package's sources, read from a folder of text files, and the passages its locators name.

Each source's text is the file of the folder whose sha256 equals sources.text_sha256
(casekit.quotes.source_files reads only regular files directly inside the folder). Whatever
cannot be found is kept with the reason, so that no quote is left unchecked without a word.
"""
from __future__ import annotations

from pathlib import Path

from casekit.quotes.article import Article, Passage
from casekit.quotes.source_files import MAX_FILES, texts_by_sha256


class Articles:
    """The sources' articles and the locators' passages, with why any is missing."""

    def __init__(self, folder: Path, sources, locators):
        available = texts_by_sha256(Path(folder))
        self.articles: dict[str, Article] = {}
        self.missing_text: dict[str, str] = {}  # source_id -> why its text is not known
        for source in sources:
            source_id = source.get("source_id")
            digest = str(source.get("text_sha256") or "").strip().lower()
            if not digest:
                self.missing_text[source_id] = f"source {source_id} records no text_sha256"
                continue
            text = _decoded(available.get(digest))
            if text is None:
                state = "no file" if digest not in available else "the file is not UTF-8 text; no usable file"
                self.missing_text[source_id] = f"{state} in {folder} has the sha256 of source {source_id}" + (
                    f" (only its first {MAX_FILES} files by name are read; {available.unread} more were not)"
                    if available.unread else "")
                continue
            self.articles[source_id] = Article(text)
        self.locators = {row.get("locator_id"): row for row in locators}
        self.passages: dict[str, Passage] = {}
        self.missing_passage: dict[str, str] = {}  # locator_id -> why its passage is not known
        for locator_id, locator in self.locators.items():
            source_id = locator.get("source_id")
            article = self.articles.get(source_id)
            if article is None:
                self.missing_passage[locator_id] = self.missing_text.get(source_id, f"source {source_id} is not listed")
                continue
            found = article.find(locator.get("opening_words"), locator.get("figure"))
            if found is None:
                self.missing_passage[locator_id] = (f"no passage of {source_id} begins with "
                                                    f"\"{locator.get('opening_words')}\"")
            else:
                self.passages[locator_id] = found

    def why_unchecked(self, locator_id) -> str:
        """Why words cited at locator_id cannot be looked up (the locator is unknown, or its text or passage is)."""
        if locator_id not in self.locators:
            return f"locator {locator_id} is not listed"
        return self.missing_passage.get(locator_id, "")


def _decoded(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
