"""sources-listed: every article in sources.csv is cited by the descriptor and by CITATION.cff.

A reader who takes only datapackage.json or CITATION.cff must still learn every article the
rows come from. A sources.csv row is listed when datapackage.json `sources` has an entry whose
`path` is its DOI link (https://doi.org/<doi>) or, for a source without a DOI, its `url`; and
when CITATION.cff `references` has an entry with the same `doi` (or, without one, that `url`).
CITATION.cff is read with the safe YAML loader through the package-file reader.
"""
from __future__ import annotations

import yaml

from casekit.package_files import read_package_file
from casekit.safe_yaml import load_yaml
from casekit.safety import UnsafePath

KIND = "sources-listed"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "required": ["citation"],
    "properties": {"citation": {"type": "string"}},
    "additionalProperties": False,
}
COLUMNS = {"sources": ("doi", "url")}
DOI_RESOLVER = "https://doi.org/"


def check(context):
    listed = {entry.get("path") for entry in context.descriptor.get("sources") or [] if isinstance(entry, dict)}
    references = _citation_references(context)
    context.checked(len(context.tables["sources"]))
    for source in context.tables["sources"]:
        doi, url = source.get("doi"), source.get("url")
        link = DOI_RESOLVER + doi if doi else url
        if link not in listed:
            yield context.finding(f"{source.get('source_id')}: datapackage.json `sources` has no entry with path {link}",
                                  resource="sources", row=source, field="doi" if doi else "url", expected=link)
        if references is not None and not _cited(references, doi, url):
            name = context.params["citation"]
            yield context.finding(f"{source.get('source_id')}: {name} `references` has no entry with "
                                  f"{'doi ' + doi if doi else 'url ' + str(url)}",
                                  resource="sources", row=source, field="doi" if doi else "url",
                                  expected=doi or url)


def _cited(references: list, doi, url) -> bool:
    for reference in references:
        if not isinstance(reference, dict):
            continue
        if doi and str(reference.get("doi", "")).lower() == doi.lower():
            return True
        if not doi and url and reference.get("url") == url:
            return True
    return False


def _citation_references(context):
    """CITATION.cff `references` as a list; None when the file cannot be read (release-integrity says why)."""
    try:
        document = load_yaml(read_package_file(context.root, context.params["citation"]).decode("utf-8"))
    except (UnsafePath, OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    references = document.get("references") if isinstance(document, dict) else None
    return references if isinstance(references, list) else []
