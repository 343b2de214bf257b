"""sources-listed: every article in sources.csv is cited by the descriptor and by CITATION.cff.

A reader who takes only datapackage.json or CITATION.cff must still learn every article the
rows come from. A sources.csv row is listed when datapackage.json `sources` has an entry whose
`path` is its DOI link (https://doi.org/<doi>) or, for a source without a DOI, its `url`; and
when CITATION.cff `references` has an entry with the same `doi` (or, without one, that `url`).
A source that shows neither (a printed copy, a page without its address) is matched by its
`citation`, which must be the `title` of a descriptor entry and of a reference: an entry that
merely lacks a path names no article, so it lists none.
CITATION.cff is read with the safe YAML loader through the package-file reader.
"""
from __future__ import annotations

import yaml

from casekit.package_files import read_package_file
from casekit.safe_yaml import load_yaml_once
from casekit.safety import UnsafePath

KIND = "sources-listed"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "required": ["citation"],
    "properties": {"citation": {"type": "string"}},
    "additionalProperties": False,
}
COLUMNS = {"sources": ("doi", "url", "citation")}
DOI_RESOLVER = "https://doi.org/"


def check(context):
    entries = [entry for entry in context.descriptor.get("sources") or [] if isinstance(entry, dict)]
    listed = {("path", entry.get("path")) for entry in entries if entry.get("path")}
    listed |= {("title", entry.get("title")) for entry in entries if entry.get("title")}
    references = _citation_references(context)
    context.checked(len(context.tables["sources"]))
    for source in context.tables["sources"]:
        field, key, value = _identity(source)
        if value is None:
            continue  # no citation either: the table schema's required check reports it
        descriptor_key = "path" if key != "title" else "title"
        descriptor_value = DOI_RESOLVER + value if key == "doi" else value
        if (descriptor_key, descriptor_value) not in listed:
            yield context.finding(f"{source.get('source_id')}: datapackage.json `sources` has no entry with "
                                  f"{descriptor_key} {descriptor_value}",
                                  resource="sources", row=source, field=field, expected=descriptor_value)
        if references is not None and not _cited(references, key, value):
            name = context.params["citation"]
            yield context.finding(f"{source.get('source_id')}: {name} `references` has no entry with {key} {value}",
                                  resource="sources", row=source, field=field, expected=value)


def _identity(source: dict) -> tuple[str, str, str | None]:
    """(sources.csv field, CITATION.cff key, value) that names the article: its DOI, else its URL, else its citation."""
    if source.get("doi"):
        return "doi", "doi", source["doi"]
    if source.get("url"):
        return "url", "url", source["url"]
    return "citation", "title", source.get("citation") or None


def _cited(references: list, key: str, value: str) -> bool:
    for reference in references:
        if not isinstance(reference, dict):
            continue
        cited = reference.get(key)
        if key == "doi" and str(cited or "").lower() == value.lower():
            return True
        if key != "doi" and cited == value:
            return True
    return False


def _citation_references(context):
    """CITATION.cff `references` as a list; None when the file cannot be read (release-integrity says why)."""
    try:
        document = load_yaml_once(read_package_file(context.root, context.params["citation"]).decode("utf-8"))
    except (UnsafePath, OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    references = document.get("references") if isinstance(document, dict) else None
    return references if isinstance(references, list) else []
