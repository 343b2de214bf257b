"""Build a copy of the package with every fixture case added, for running the suite and the tools on it.

    python tests/build_case_package.py OUT [--source-text DIR] [--case-texts DIR]

OUT/package: the release's package files (tests/fixtures/cases/* added as a curator adds a case:
tests/test_fixture_cases.py's add_case, hashes refreshed, .zenodo.json rewritten from the new
CITATION.cff and descriptor). OUT/texts: the published article's text and the fixture articles'
texts in one folder, for `validate.py --source-text`. A new fixture folder is picked up as it is.
Then `CASEKIT_TEST_PACKAGE=OUT/package python -m pytest` runs the suite on the copy.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS), str(TESTS.parent)]
os.environ.pop("CASEKIT_TEST_PACKAGE", None)  # always built from the repository's own package

from casekit.hashes import refresh  # noqa: E402
from casekit.release import ZENODO_FILE, package_paths, zenodo_json  # noqa: E402
from conftest import PackageCopy  # noqa: E402
from package_under_test import REPO  # noqa: E402
from test_fixture_cases import CASE_TEXTS, PACKAGE_TEXT, SLUGS, add_case  # noqa: E402


def build(output: Path, source_text: Path, case_texts: Path) -> PackageCopy:
    root = output / "package"
    for relative in [*package_paths(REPO), ZENODO_FILE]:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / relative, root / relative)
    package = PackageCopy(root)
    for slug in SLUGS:
        add_case(package, slug, refresh=False)
    refresh(root)
    (root / ZENODO_FILE).write_text(zenodo_json(root), encoding="utf-8")
    texts = output / "texts"
    texts.mkdir()
    for folder in (source_text, case_texts):
        for path in sorted(folder.glob("*.md")):
            if path.name != "README.md":
                shutil.copy2(path, texts / path.name)
    return package


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path, help="new or empty folder for package/ and texts/")
    parser.add_argument("--source-text", type=Path, default=PACKAGE_TEXT, help=f"default: {PACKAGE_TEXT}")
    parser.add_argument("--case-texts", type=Path, default=CASE_TEXTS, help=f"default: {CASE_TEXTS}")
    args = parser.parse_args()
    if args.output.exists() and any(args.output.iterdir()):
        parser.error(f"{args.output} is not empty")
    for folder in (args.source_text, args.case_texts):
        if not folder.is_dir():
            parser.error(f"no folder {folder}")
    package = build(args.output, args.source_text, args.case_texts)
    print(f"{package.root}: the package with {len(SLUGS)} fixture cases added ({', '.join(SLUGS)})")
    print(f"{args.output / 'texts'}: the article texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
