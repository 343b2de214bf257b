"""One line instead of a traceback for the curator and analysis commands in scripts/."""
from __future__ import annotations

import functools
import sys

from casekit.safety import UnsafePath

EXPECTED = (OSError, ValueError, KeyError, UnsafePath)


def one_line_errors(main):
    """Wrap a script's main(): an unreadable or missing package becomes one line on stderr and exit 2."""
    @functools.wraps(main)
    def wrapper(*args, **kwargs):
        try:
            return main(*args, **kwargs)
        except EXPECTED as error:
            detail = f"{error.filename}: {error.strerror}" if isinstance(error, OSError) and error.filename else error
            print(f"{sys.argv[0]}: {type(error).__name__}: {detail}; run it in the package folder or pass --root",
                  file=sys.stderr)
            return 2
    return wrapper
