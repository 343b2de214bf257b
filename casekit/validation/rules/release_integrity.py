"""release-integrity: the descriptor, CHANGELOG.md and CITATION.cff name the same SemVer version.

datapackage.json `version` must parse as SemVer (the semver library) and equal
the newest `## [x.y.z]` heading of CHANGELOG.md as Markdown reads it (newest by SemVer order;
`[Unreleased]` is ignored) and `version` in CITATION.cff (read with
a safe YAML loader, through the package-file reader that refuses paths out of the root). Both files live in the package root; a missing file is a finding.
"""
from __future__ import annotations

import functools
import re

import semver
import yaml

from casekit.package_files import read_package_file
from casekit.safe_yaml import load_yaml_once
from casekit.safety import UnsafePath

KIND = "release-integrity"
SCOPE = "package"
PARAMS = {
    "type": "object",
    "required": ["changelog", "citation"],
    "properties": {"changelog": {"type": "string"}, "citation": {"type": "string"}},
}
COLUMNS = {}
HEADING = re.compile(r"\[([^\]]+)\]")


def release_headings(text: str) -> list[str]:
    """The x.y.z of each top-level `## [x.y.z]` heading, as a Markdown reader sees the file.

    Parsed with markdown-it-py (CommonMark), so a heading inside a fenced or indented code
    block, a quote or a list is not a release, and neither is a setext (underlined) heading.
    """
    return list(_release_headings(text))


@functools.lru_cache(maxsize=4)
def _release_headings(text: str) -> tuple[str, ...]:
    # Parsing the changelog costs more than the table rules together, and callers that run the
    # rules many times in one process (the test suite does, per planted error) pass the same text.
    # Keyed by the text itself, so an edited changelog is parsed afresh; four entries bound the memory.
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    found = []
    for heading, inline in zip(tokens, tokens[1:]):
        if heading.type == "heading_open" and heading.markup == "##" and heading.level == 0:
            match = HEADING.match(inline.content)
            if match:
                found.append(match.group(1))
    return tuple(found)


def check(context):
    context.checked()  # the package's version, against its changelog and citation file
    declared = context.descriptor.get("version")
    try:
        version = semver.Version.parse(str(declared))
    except (ValueError, TypeError):
        yield context.finding(f"datapackage.json version {declared!r} is not a SemVer version (MAJOR.MINOR.PATCH)",
                              field="version", expected="MAJOR.MINOR.PATCH", observed=str(declared))
        return
    newest = _newest_changelog_entry(context)
    if isinstance(newest, str):
        yield context.finding(newest)
    elif newest != version:
        yield context.finding(f"datapackage.json version is {version}, but the newest entry in "
                              f"{context.params['changelog']} is [{newest}]", field="version",
                              expected=str(version), observed=str(newest))
    cited = _citation_version(context)
    if isinstance(cited, tuple):
        yield context.finding(cited[0])
    elif cited != str(version):
        yield context.finding(f"datapackage.json version is {version}, but {context.params['citation']} says "
                              f"version: {cited}", field="version", expected=str(version), observed=str(cited))


def _newest_changelog_entry(context):
    """The highest SemVer heading, or a message saying why there is none."""
    try:
        text = read_package_file(context.root, context.params["changelog"]).decode("utf-8")
    except UnsafePath as error:
        return f"{context.params['changelog']} cannot be read safely: {error}"
    except (OSError, UnicodeDecodeError):
        return f"{context.params['changelog']} is missing or unreadable; it must record every release"
    versions = []
    for heading in release_headings(text):
        try:
            versions.append(semver.Version.parse(heading.strip()))
        except ValueError:
            continue
    if not versions:
        return f"{context.params['changelog']} has no release heading of the form ## [x.y.z]"
    return max(versions)


def _citation_version(context):
    """CITATION.cff's version as text, or a one-element tuple with a message saying why there is none."""
    try:
        document = load_yaml_once(read_package_file(context.root, context.params["citation"]).decode("utf-8"))
    except UnsafePath as error:
        return (f"{context.params['citation']} cannot be read safely: {error}",)
    except (OSError, UnicodeDecodeError):
        return (f"{context.params['citation']} is missing or unreadable; it must give the release version",)
    except yaml.YAMLError:
        return (f"{context.params['citation']} is not valid YAML",)
    if not isinstance(document, dict) or document.get("version") is None:
        return (f"{context.params['citation']} has no version field",)
    return str(document["version"])
