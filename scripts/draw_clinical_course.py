"""Redraw each case's clinical course from the tables: python scripts/draw_clinical_course.py [--case ID] [--output-dir figures]."""
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
    parser.add_argument("--case", dest="cases", action="append", metavar="ID",
                        help="case_id to draw; repeat for several (default: every case in cases.csv)")
    parser.add_argument("--output-dir", default="figures",
                        help="folder for clinical-course-<case_id>.png/.svg (default: figures)")
    args = parser.parse_args(argv)
    from casekit.analysis.course import course_layers
    from casekit.analysis.figure import file_stem, save
    from casekit.analysis.frames import case_ids
    from casekit.safety import check_output_path

    known = case_ids(args.root)
    unknown = [case for case in args.cases or [] if case not in known]
    if unknown:
        print(f"error: no case {', '.join(unknown)} in the package; its cases are {', '.join(known)}", file=sys.stderr)
        return 2
    # The figures are build products: never into data/ or schemas/, never over a package file. Every
    # name is checked before anything is drawn, so a bad case_id stops the command before any write.
    for case_id in args.cases or known:
        for suffix in ("png", "svg"):
            check_output_path(Path(args.root), Path(args.output_dir) / f"{file_stem(case_id)}.{suffix}")
    for case_id in args.cases or known:
        for path in save(course_layers(args.root, case_id), args.output_dir, args.root):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
