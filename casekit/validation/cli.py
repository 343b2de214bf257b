"""The command line: parse arguments, run the pipeline, print the report, return the exit code.

Shared by `python validate.py` and the installed `validate-data-package` command
(used by the pre-commit hook). Only the standard library is imported at the top,
so a missing requirement becomes a one-line hint instead of a traceback. Whatever
happens, the chosen format is printed: a JSON object (with `unusable` for exit 2)
or GitHub annotations, never a bare line on standard error.
"""
from __future__ import annotations

import argparse
import os
import sys

FORMATS = ("text", "json", "github")
UNUSABLE = 2
INSTALL_HINT = "a required library is missing ({}); run: python -m pip install -r requirements.txt"


class UsageError(Exception):
    """A command line argparse cannot parse; reported as unusable input in the chosen format."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"command line: {message} (see {self.prog} --help)")


def _format_asked(argv) -> str:
    """The --format given on a command line that failed to parse, if it can be seen; else text."""
    for index, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--format=") else (
            argv[index + 1] if arg == "--format" and index + 1 < len(argv) else None)
        if value in FORMATS:
            return value
    return "text"


def parse_args(argv):
    parser = _Parser(prog=os.path.basename(sys.argv[0]) or "validate.py",
                     description="Validate this Frictionless Data Package.")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as failures (exit 1)")
    parser.add_argument("--package", default=".", metavar="DIR", help="package folder (default: current folder)")
    parser.add_argument("--source-text", metavar="DIR", default=None,
                        help="folder holding the articles' text files; every quote is then looked up in its "
                             "article (a file is matched by the sha256 recorded in sources.text_sha256)")
    return parser.parse_args(argv)


def _validate(args):
    """Run the pipeline; return (report, exit code). Library imports happen here, inside main's guard."""
    from pathlib import Path

    from casekit.validation.pipeline import validate_package

    report = validate_package(Path(args.package),
                              source_text=None if args.source_text is None else Path(args.source_text))
    return report, report.exit_code(args.strict)


def _unusable(reason: str):
    from casekit.validation.report import Report

    return Report(unusable=reason), UNUSABLE


def _emit(text: str) -> bool:
    """Print the report; False if it could not be written (standard output closed, a full disk).

    A reader that went away (`validate.py | head -1`) took what it wanted: that is no failure
    and does not change the exit code.
    """
    stream = sys.stdout
    if stream is None:  # started with standard output closed (`validate.py >&-`)
        return False
    try:
        stream.write(text + "\n")
        stream.flush()
    except BrokenPipeError:
        _silence(stream)
        return True
    except (OSError, ValueError):  # ENOSPC on /dev/full, EBADF, a stream already closed
        _silence(stream)
        return False
    return True


def _silence(stream) -> None:
    """Point standard output at /dev/null, so the interpreter's final flush cannot fail (and print) again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)
    except (OSError, ValueError):
        pass


STOPPED = {"SIGINT": "interrupted (Ctrl-C) before a verdict", "SIGTERM": "stopped (SIGTERM) before a verdict"}


def stop_on_signals(argv, caught=()) -> None:
    """For the process only (validate.py, the installed command): Ctrl-C or SIGTERM, at any moment,
    ends the run with the chosen format's unusable report and exit 2, never a traceback.

    The report for each signal is made here, in advance, so the handler only writes bytes and
    exits: it works in the middle of an import or of printing the report. `caught` holds the
    signals that arrived before this was installed (validate.py records them from its first line).
    """
    import signal

    from casekit.validation.report import FORMATTERS

    fmt = _format_asked(argv)
    ready = {}
    for name, reason in STOPPED.items():
        text = FORMATTERS[fmt](_unusable(reason)[0], False) + "\n"
        ready[getattr(signal, name)] = text.encode("ascii", "backslashreplace")

    def stop(signum, frame):
        try:
            os.write(1, ready[signum])
        except OSError:
            pass
        os._exit(UNUSABLE)

    for signum in ready:
        signal.signal(signum, stop)
    _PROCESS.append(True)
    for signum in caught:
        stop(signum, None)


_PROCESS: list = []  # not empty once stop_on_signals answers signals for the whole process


def _verdict_given() -> None:
    """Once the verdict is printed, a late Ctrl-C or SIGTERM must not change it: not into a second,
    "unusable" verdict, nor, while the interpreter shuts down (when Python puts back the default
    handlers), into a death by signal instead of the verdict's exit code. Ignored signals stay ignored."""
    if _PROCESS:
        import signal

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)


def main(argv=None) -> int:
    """Run the validator; every outcome, failures included, is printed in the chosen format with its exit code."""
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show a character must not turn a verdict into a crash.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = parse_args(argv)
    except UsageError as error:
        from casekit.validation.report import FORMATTERS

        _emit(FORMATTERS[_format_asked(argv)](_unusable(str(error))[0], False))
        return UNUSABLE
    try:
        report, code = _validate(args)
    except ImportError as error:
        report, code = _unusable(INSTALL_HINT.format(getattr(error, "name", None) or error))
    except RecursionError:
        report, code = _unusable("the input is nested too deeply to read")
    except KeyboardInterrupt:
        report, code = _unusable("interrupted before a verdict")
    except Exception as error:  # noqa: BLE001 - a curator must see one line, never a traceback
        message = " ".join(str(error).split())[:300]
        report, code = _unusable(f"unexpected {type(error).__name__}: {message}; please report this")
    from casekit.validation.report import FORMATTERS

    if not _emit(FORMATTERS[args.format](report, args.strict)):
        return UNUSABLE  # a verdict nobody could read is no verdict
    _verdict_given()
    return code


def run() -> None:
    """Entry point of the installed command: never write bytecode next to the package either."""
    sys.dont_write_bytecode = True
    stop_on_signals(sys.argv[1:])
    sys.exit(main())
