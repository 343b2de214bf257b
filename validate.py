"""Validate the data package in the current folder (or --package DIR).

    python validate.py [--format text|json|github] [--strict] [--package DIR]

Exit codes: 0 valid (warnings allowed unless --strict), 1 invalid, 2 unusable input.
"""
import os
import sys

# The validator must never write into the package it judges, not even __pycache__.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from casekit.validation.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
