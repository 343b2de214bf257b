"""List the numbers of an article that a case's rows neither encode nor set aside:
python scripts/list_uncovered.py --source-text DIR [--root .] [--case ID] [--all].

A new case starts from this list: add its sources, cases and locators rows (one locator per passage
the case is told in), run this, and encode or set aside each line. It reads the tables the way the
validator's source-coverage rule does (casekit.quotes.coverage), through the package's safe reader,
even while the package is not yet valid; it writes nothing. One line per number (or time word
without a number, "thereafter"): case, passage, the number's words and the words around them; --all
lists the encoded and set-aside ones too.
Exit 0 when nothing is uncovered, 1 when something is, 2 when the input cannot be used (no such case, or
no file of the folder holds a case's article) or the list cannot be printed (standard output closed or full).
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Standard library only until main() runs inside one_line_errors: a Ctrl-C or a broken install while the
# package's modules are imported must end in one line too, never a traceback.
from casekit.script_errors import one_line_errors  # noqa: E402

MAX_ROWS = 1_000_000  # rows read per table: bounded work whatever the package holds


def read_rows(root: Path, paths: dict[str, str], resource: str) -> list[dict]:
    """A table's rows as text (none if the descriptor does not list it), read through the safe reader."""
    from casekit.package_files import open_package_text

    if resource not in paths:
        return []
    with open_package_text(root, paths[resource]) as handle:
        rows = []
        for number, row in enumerate(csv.DictReader(handle)):
            if number >= MAX_ROWS:
                raise ValueError(f"{paths[resource]} has more than {MAX_ROWS} rows")
            rows.append(row)
        return rows


def resource_paths(root: Path) -> dict[str, str]:
    from casekit.package_files import read_package_file

    descriptor = json.loads(read_package_file(root, "datapackage.json").decode("utf-8"))
    return {entry["name"]: entry["path"] for entry in descriptor.get("resources", [])
            if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("path"), str)}


def coverages(root: Path, folder: Path, case: str | None = None):
    """Each case's coverage (casekit.quotes.coverage.CaseCoverage), read from the package at root."""
    from casekit.quotes.article_texts import Articles
    from casekit.quotes.coverage import Forms, Words, case_coverage, words_of
    from casekit.validation.rules import load_rulebook
    from casekit.validation.rules.source_coverage import FACTS, TEXTS, frequency_numbers, held, time_words_pattern

    paths = resource_paths(root)
    locators = read_rows(root, paths, "locators")
    for row in locators:
        row["paragraph"] = int(row["paragraph"]) if str(row.get("paragraph") or "").isdigit() else None
    articles = Articles(folder, read_rows(root, paths, "sources"), locators)
    words: dict[str, list[Words]] = {}
    frequencies = frequency_numbers(read_rows(root, paths, "frequencies")) if "frequencies" in paths else {}
    for resource, columns in TEXTS.items():
        for row in read_rows(root, paths, resource):
            for column in columns:
                if row.get(column):
                    words.setdefault(row.get("case_id"), []).append(
                        words_of(resource, row, row[column], resource in FACTS,
                                 *((frozenset(), frozenset(), *held(resource, row, frequencies))
                                   if resource in FACTS else ())))
    # The time words without a number ("thereafter") the validator counts with the numbers, as its rulebook says.
    params = next((rule.params for rule in load_rulebook() if rule.kind == "source-coverage"), {})
    forms = Forms({}, {}, time_words=time_words_pattern(read_rows(root, paths, "time_phrases"),
                                                        params.get("time_phrase_kinds")))
    cases = [row for row in read_rows(root, paths, "cases") if case is None or row.get("case_id") == case]
    if case is not None and not cases:
        raise CannotList(f"no case {case} in the package")
    for row in cases:
        # Without the article's text no number can be read: an empty list would be a false all-clear.
        why = articles.missing_text.get(row.get("source_id"))
        if why is not None:
            raise CannotList(f"case {row.get('case_id')}: {why}; nothing can be listed")
    for row in cases:
        yield case_coverage(articles, row.get("case_id"), words.get(row.get("case_id"), []), forms)


class CannotList(Exception):
    """The numbers of a case cannot be listed (no such case, or its article's text is not in the folder)."""


@one_line_errors(output_is_product=True)
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=".", help="folder holding datapackage.json (default: current folder)")
    parser.add_argument("--source-text", required=True, metavar="DIR", help="folder of the article text files")
    parser.add_argument("--case", help="only this case_id (default: every case)")
    parser.add_argument("--all", action="store_true", help="list encoded and set-aside numbers too")
    args = parser.parse_args(argv)
    from casekit.quotes.coverage import UNCOVERED
    from casekit.validation.report import _one_line

    command = Path(sys.argv[0]).name
    if not Path(args.source_text).is_dir():
        print(f"{command}: --source-text {_one_line(args.source_text)}: not a folder", file=sys.stderr)
        return 2
    try:
        found = list(coverages(Path(args.root), Path(args.source_text), args.case))
    except CannotList as error:
        print(f"{command}: {_one_line(str(error))}", file=sys.stderr)
        return 2
    uncovered = 0
    for coverage in found:
        for span in coverage.spans:
            if args.all or span.status == UNCOVERED:
                print("\t".join(_one_line(part) for part in
                                (coverage.case_id, span.status, span.where, span.number, span.excerpt)))
        uncovered += coverage.count(UNCOVERED)
        summary = coverage.as_dict()
        print(f"# {_one_line(coverage.case_id)}: {summary['stated']} stated, {summary['encoded']} encoded, "
              f"{summary['set_aside']} set aside, {summary['uncovered']} uncovered")
    return 1 if uncovered else 0


if __name__ == "__main__":
    sys.exit(main())
