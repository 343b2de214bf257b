"""Redraw the clinical course from the tables: python scripts/draw_clinical_course.py [--output-dir figures]."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casekit.analysis.course import course_layers  # noqa: E402
from casekit.analysis.figure import save  # noqa: E402
from casekit.script_errors import one_line_errors  # noqa: E402


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=".", help="folder holding datapackage.json (default: current folder)")
    parser.add_argument("--output-dir", default="figures", help="folder for clinical-course.png/.svg (default: figures)")
    args = parser.parse_args(argv)
    for path in save(course_layers(args.root), args.output_dir):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
