"""One line instead of a traceback for every command in scripts/, whatever goes wrong.

`one_line_errors` wraps a script's main(). It keeps the validator's promises for the commands:
an unreadable or unsafe package, a missing library, a full disk, Ctrl-C or SIGTERM at any moment,
a closed or full standard output, or a defect of ours each end in one line on standard error and
a documented exit code (0 done, 1 the package breaks what the command needs, 2 nothing could be
done or finished), never a traceback. Every file the commands write is replaced in one step
(casekit.safety.write_atomically), so an interrupted command leaves no half-written file.

Only the standard library is imported here, so that a script can install these guards before
it imports pandas, matplotlib or pyarrow, and `--help` works without them.
"""
from __future__ import annotations

import functools
import os
import signal
import sys

FAILED = 2
# Which file lists the libraries of the analysis, figure and release commands.
INSTALL_HINT = "this command needs {name}, which is not installed; run: python -m pip install -r requirements-dev.txt"


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that the same clean-up as for Ctrl-C runs."""


# Which signal stopped the command, if one did. A library that catches the exception raised by our
# handler and raises its own instead (matplotlib turns it into "Invalid affine transformation matrix")
# must not hide that the user stopped the command.
_stopped_by: list[str] = []


def _terminate(signum, frame):
    _stopped_by.append("terminated")
    raise Terminated()


def _interrupt(signum, frame):
    _stopped_by.append("interrupted")
    raise KeyboardInterrupt()


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:400]


def _say(command: str, message: str) -> None:
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(f"{command}: {_one_line(message)}\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def _reason(error: BaseException) -> str:
    """The one-line reason for an expected failure, or None for an error that is a defect of ours."""
    from casekit.safety import UnsafePath

    if isinstance(error, OSError):
        detail = error.strerror or str(error)
        return f"{error.filename}: {detail}" if error.filename else detail
    if isinstance(error, (UnsafePath, ValueError, KeyError)) or type(error).__name__ == "Unusable":
        return str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    return None


class _ReportStream:
    """Standard output whose write errors (a reader that went away, a full disk) are kept, not raised.

    What a command prints is a report of work already done; failing to show it must neither stop
    the work half-way nor become a traceback.
    """

    def __init__(self, stream):
        self.stream, self.error = stream, None

    def write(self, text: str) -> int:
        if self.error is None:
            try:
                return self.stream.write(text)
            except (OSError, ValueError) as error:
                self.error = error
        return len(text)

    def flush(self) -> None:
        if self.error is None:
            try:
                self.stream.flush()
            except (OSError, ValueError) as error:
                self.error = error

    def __getattr__(self, name):
        return getattr(self.stream, name)


def _finish_output(command: str, report: _ReportStream | None, code: int, output_is_product: bool) -> int:
    """Flush standard output and give the exit code; a reader that went away or a full disk must not
    become a traceback at exit.

    For most commands what they print is a report of files already written, so the code stands. For a
    listing command (output_is_product) the output is all it makes: standard output closed or full
    means nothing was done (exit 2, one line), as for validate.py's report. A reader that went away
    (`| head`) took what it wanted, which is no failure.
    """
    if report is None:
        if output_is_product and code != FAILED:
            _say(command, "cannot write to standard output: it is closed")
            return FAILED
        return code
    report.flush()
    if report.error is None:
        return code
    if not isinstance(report.error, BrokenPipeError):
        if not (output_is_product and code == FAILED):  # a failed run has said its one line already
            _say(command, f"cannot write to standard output: {getattr(report.error, 'strerror', None) or report.error}")
        if output_is_product:
            code = FAILED
    try:
        # Point stdout at /dev/null so the interpreter's own final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, report.stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    return code


def _whole_process(main) -> bool:
    """Whether main runs as the process itself (`python scripts/NAME.py`), not called by a test.

    Only then may the signal handlers stay changed after main returns: the interpreter is about to exit.
    """
    return getattr(main, "__module__", None) == "__main__" and sys.stdout is sys.__stdout__


def one_line_errors(main=None, *, output_is_product: bool = False):
    """Wrap a script's main(): every failure becomes one line on standard error and exit 2.

    `@one_line_errors(output_is_product=True)` is for a command whose printed lines are its only
    product (a listing): standard output closed or full then fails it (see _finish_output).
    """
    if main is None:
        return functools.partial(one_line_errors, output_is_product=output_is_product)
    command = os.path.basename(sys.argv[0]) or "command"

    @functools.wraps(main)
    def wrapper(*args, **kwargs):
        previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
        if previous[signal.SIGTERM] is signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _terminate)
        if previous[signal.SIGINT] is signal.default_int_handler:
            signal.signal(signal.SIGINT, _interrupt)
        del _stopped_by[:]
        process = _whole_process(main)
        stdout = sys.stdout
        report = None if stdout is None else _ReportStream(stdout)
        sys.stdout = report
        try:
            code = _guarded(main, command, args, kwargs)
        finally:
            sys.stdout = stdout
            for signum, handler in previous.items():
                # Once main has returned, its exit code is decided: a late Ctrl-C or SIGTERM must not
                # turn it into a death by signal while the interpreter shuts down (when Python itself
                # puts back the default handlers). So the process ignores them from here on; a caller
                # in the same process (a test) gets its own handlers back.
                signal.signal(signum, signal.SIG_IGN if process else handler)
        return _finish_output(command, report, code, output_is_product)
    return wrapper


def _say_stopped(command: str, what: str) -> None:
    # A second Ctrl-C while the line is printed must not become a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _say(command, f"{what}; no file was left half-written (files reported as written are complete)")


def _failure(error: Exception) -> str:
    """The one line for a failure that no signal caused."""
    if isinstance(error, ImportError):
        return INSTALL_HINT.format(name=getattr(error, "name", None) or _one_line(error))
    if isinstance(error, RecursionError):
        return "the package is nested too deeply to read; run python validate.py"
    if isinstance(error, MemoryError):
        return "out of memory; run python validate.py to check the package's size"
    reason = _reason(error)
    if reason is None:
        return f"unexpected {type(error).__name__}: {error}; please report this"
    return (f"{type(error).__name__}: {reason}; run it in the package folder or pass --root,"
            " and run python validate.py")


def _guarded(main, command: str, args, kwargs) -> int:
    """main's exit code, or FAILED after one line saying what went wrong."""
    for stream in (getattr(sys.stdout, "stream", None), sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return main(*args, **kwargs)
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2), already printed
        return exit_.code if isinstance(exit_.code, int) else FAILED
    except KeyboardInterrupt as error:
        _say_stopped(command, "terminated" if isinstance(error, Terminated) else "interrupted")
    except Exception as error:  # noqa: BLE001 - a curator must see one line, never a traceback
        if _stopped_by:  # the signal's exception came back as another one
            _say_stopped(command, _stopped_by[0])
        else:
            _say(command, _failure(error))
    return FAILED
