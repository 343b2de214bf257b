"""Write the release archive: python scripts/build_release.py [--output-dir dist] [--write-zenodo-json].

The zip holds the package (datapackage.json, data/, schemas/, README, licences, CITATION.cff,
CHANGELOG.md, the data dictionary), a Parquet copy of every table typed from its Table Schema,
.zenodo.json and SHA256SUMS. --write-zenodo-json also rewrites the repository's .zenodo.json
from CITATION.cff and datapackage.json (run it after a version bump).

The validator runs first: a package it does not accept is not archived (exit 1, one line).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casekit.script_errors import one_line_errors  # noqa: E402  (standard library only: --help needs no pyarrow)

ZENODO_FILE = ".zenodo.json"


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=".", help="folder holding datapackage.json (default: current folder)")
    parser.add_argument("--output-dir", default="dist",
                        help="folder for <name>-<version>.zip, outside the package's files (default: dist)")
    parser.add_argument("--write-zenodo-json", action="store_true",
                        help=f"also rewrite {ZENODO_FILE} in the package folder")
    args = parser.parse_args(argv)
    from casekit.release import PackageRejected, UnsafeOutput, build_release, write_zenodo_json

    try:
        archive = build_release(args.root, args.output_dir)
    except UnsafeOutput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except PackageRejected as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {archive}")
    if args.write_zenodo_json:
        print(f"wrote {write_zenodo_json(Path(args.root))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
