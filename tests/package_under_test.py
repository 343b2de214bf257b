"""Which package the suite reads: the repository's own, or a prepared copy holding more cases.

Set CASEKIT_TEST_PACKAGE to the folder of a package copy (tests/build_case_package.py makes one
with every fixture case added) and every package-facing test reads that copy instead of the
repository's data/, schemas/ and datapackage.json, and the article texts of its sources are
looked for in CASEKIT_TEST_TEXTS (the builder's texts/ folder beside the copy). Tests that state a fact of the published case
select its rows by PUBLISHED_CASE, so they hold however many cases the package has.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = Path(os.environ.get("CASEKIT_TEST_PACKAGE") or REPO).resolve()
PUBLISHED_CASE = "baur-2022-jitc-1"
# The texts of the package's sources, for --source-text (CI has shared/ beside the clone).
PACKAGE_TEXTS = Path(os.environ.get("CASEKIT_TEST_TEXTS") or REPO.parent / "shared" / "source").resolve()
