"""The command line: parse arguments, run the pipeline, print the report, return the exit code.

Shared by `python validate.py` and the installed `validate-data-package` command
(used by the pre-commit hook). Only the standard library is imported at the top,
so a missing requirement becomes a one-line hint instead of a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys

FORMATS = ("text", "json", "github")
UNUSABLE = 2
INSTALL_HINT = "validate.py: a required library is missing ({}); run: python -m pip install -r requirements.txt"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog=os.path.basename(sys.argv[0]) or "validate.py",
                                     description="Validate this Frictionless Data Package.")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as failures (exit 1)")
    parser.add_argument("--package", default=".", metavar="DIR", help="package folder (default: current folder)")
    parser.add_argument("--source-text", metavar="DIR", default=None,
                        help="folder holding the articles' text files; every quote is then looked up in its "
                             "article (a file is matched by the sha256 recorded in sources.text_sha256)")
    return parser.parse_args(argv)


def _validate(args) -> int:
    try:
        from pathlib import Path

        from casekit.validation.pipeline import validate_package
        from casekit.validation.report import FORMATTERS
    except ImportError as error:
        print(INSTALL_HINT.format(getattr(error, "name", None) or error), file=sys.stderr)
        return UNUSABLE
    report = validate_package(Path(args.package),
                              source_text=None if args.source_text is None else Path(args.source_text))
    print(FORMATTERS[args.format](report, args.strict))
    return report.exit_code(args.strict)


def main(argv=None) -> int:
    """Run the validator; every failure becomes one line and an exit code, never a traceback."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show a character must not turn a verdict into a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return _validate(args)
    except RecursionError:
        print("unusable: the input is nested too deeply to read", file=sys.stderr)
        return UNUSABLE
    except KeyboardInterrupt:
        print("validate.py: interrupted", file=sys.stderr)
        return UNUSABLE
    except Exception as error:  # noqa: BLE001 - a curator must see one line, never a traceback
        message = " ".join(str(error).split())[:300]
        print(f"validate.py: unexpected {type(error).__name__}: {message}; please report this", file=sys.stderr)
        return UNUSABLE


def run() -> None:
    """Entry point of the installed command: never write bytecode next to the package either."""
    sys.dont_write_bytecode = True
    sys.exit(main())
