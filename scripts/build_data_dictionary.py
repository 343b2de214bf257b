"""Regenerate docs/data-dictionary.md from the Table Schemas: python scripts/build_data_dictionary.py [--check]."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casekit.script_errors import one_line_errors  # noqa: E402  (standard library only: --help needs no pandas)


DICTIONARY_SIGNATURE = b"# Data dictionary: "


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=".", help="folder holding datapackage.json (default: current folder)")
    parser.add_argument("--output", default="docs/data-dictionary.md", help="file to write (default: docs/data-dictionary.md)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    from casekit.analysis.dictionary import render
    from casekit.package_files import read_output_text
    from casekit.safety import write_output

    text = render(args.root)
    output = Path(args.output)
    if args.check:
        current = read_output_text(output)
        if current != text:
            print(f"{output} is out of date; run: python scripts/build_data_dictionary.py", file=sys.stderr)
            return 1
        print(f"{output} is up to date")
        return 0
    # Never over datapackage.json, data/ or schemas/, nor over any file it did not write (README.md, a script):
    # an existing file is replaced only when it starts as every dictionary does.
    write_output(Path(args.root), output, text.encode("utf-8"), signature=DICTIONARY_SIGNATURE)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
