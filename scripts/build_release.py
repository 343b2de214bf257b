"""Write the release archive: python scripts/build_release.py [--output-dir dist] [--write-zenodo-json].

The zip holds the package (datapackage.json, data/, schemas/, README, licences, CITATION.cff,
CHANGELOG.md, the data dictionary), a Parquet copy of every table typed from its Table Schema,
.zenodo.json and SHA256SUMS. --write-zenodo-json also rewrites the repository's .zenodo.json
from CITATION.cff and datapackage.json (run it after a version bump).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casekit.release import ZENODO_FILE, UnsafeOutput, build_release, zenodo_json  # noqa: E402
from casekit.script_errors import one_line_errors  # noqa: E402


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="folder holding datapackage.json (default: current folder)")
    parser.add_argument("--output-dir", default="dist",
                        help="folder for <name>-<version>.zip, outside the package's files (default: dist)")
    parser.add_argument("--write-zenodo-json", action="store_true",
                        help=f"also rewrite {ZENODO_FILE} in the package folder")
    args = parser.parse_args(argv)
    try:
        archive = build_release(args.root, args.output_dir)
    except UnsafeOutput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {archive}")
    if args.write_zenodo_json:
        target = Path(args.root) / ZENODO_FILE
        target.write_text(zenodo_json(Path(args.root)), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
