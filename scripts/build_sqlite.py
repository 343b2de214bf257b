"""Build a SQLite database from the data package: python scripts/build_sqlite.py [--case ID] [--output build/case.sqlite]."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casekit.script_errors import one_line_errors  # noqa: E402  (standard library only: --help needs no pandas)


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=".", help="folder holding datapackage.json (default: current folder)")
    parser.add_argument("--output", default="build/case.sqlite", help="database file to write (default: build/case.sqlite)")
    parser.add_argument("--case", help="keep only this case_id's rows (default: every case)")
    args = parser.parse_args(argv)
    from casekit.analysis.sqlite import BuildFailed, UnsafeOutput, build_database

    try:
        path = build_database(args.root, args.output, args.case)
    except UnsafeOutput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BuildFailed as error:
        print(f"error: the package breaks a key of the database: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
