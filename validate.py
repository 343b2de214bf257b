"""Validate the data package in the current folder (or --package DIR).

    python validate.py [--format text|json|github] [--strict] [--package DIR]

Exit codes: 0 valid (warnings allowed unless --strict), 1 invalid, 2 unusable input.
"""
import sys

# The validator must never write into the package it judges, not even __pycache__.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import os  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

FORMATS = ("text", "json", "github")
INSTALL_HINT = "validate.py: a required library is missing ({}); run: python -m pip install -r requirements.txt"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="validate.py", description="Validate this Frictionless Data Package.")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as failures (exit 1)")
    parser.add_argument("--package", default=".", metavar="DIR", help="package folder (default: current folder)")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        from pathlib import Path

        from casekit.validation.pipeline import validate_package
        from casekit.validation.report import FORMATTERS

        report = validate_package(Path(args.package))
        output = FORMATTERS[args.format](report, args.strict)
    except ImportError as error:
        print(INSTALL_HINT.format(getattr(error, "name", None) or error), file=sys.stderr)
        return 2
    print(output)
    return report.exit_code(args.strict)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("validate.py: interrupted", file=sys.stderr)
        sys.exit(2)
    except Exception as error:  # noqa: BLE001 - a curator must see one line, never a traceback
        message = " ".join(str(error).split())[:300]
        print(f"validate.py: unexpected {type(error).__name__}: {message}; please report this", file=sys.stderr)
        sys.exit(2)
