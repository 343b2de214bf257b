"""Validate the data package in the current folder (or --package DIR).

    python validate.py [--format text|json|github] [--strict] [--package DIR]

Exit codes: 0 valid (warnings allowed unless --strict), 1 invalid, 2 unusable input.
"""
# From the first line on, Ctrl-C and SIGTERM are only noted; once the validator's command line is
# imported (a few milliseconds), casekit.validation.cli.stop_on_signals answers each with the
# chosen format's unusable report and exit 2, so no moment of the run ends in a traceback.
# (Before this file's first line, while the interpreter starts, Python's own handling applies:
# see docs/validation.md.)
_caught = []
while __name__ == "__main__":
    try:
        import signal

        for _signal in (signal.SIGINT, signal.SIGTERM):
            signal.signal(_signal, lambda signum, frame: _caught.append(signum))
        break
    except KeyboardInterrupt:  # a Ctrl-C that came before the handler above was in place
        _caught.append(2)  # SIGINT; answered with the others below

import os  # noqa: E402
import sys  # noqa: E402

# The validator must never write into the package it judges, not even __pycache__.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from casekit.validation.cli import main, stop_on_signals  # noqa: E402

if __name__ == "__main__":
    stop_on_signals(sys.argv[1:], _caught)
    sys.exit(main())
