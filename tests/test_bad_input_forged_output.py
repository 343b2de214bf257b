"""Output that the package cannot forge, and a run that always ends with its documented exit code.

Before issue 18: `##[error]` in a quote was printed raw (GitHub's runner acts on it), U+2028
and bidi controls were printed raw (a reader splitting lines saw a forged verdict),
`--format json` under PYTHONIOENCODING=ascii was not valid JSON, a closed or full standard
output ended in a traceback, and so did Ctrl-C in the first 50 ms; SIGTERM printed nothing.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casekit.validation import report as report_module
from casekit.validation.findings import ERROR, Finding
from casekit.validation.pipeline import validate_package
from casekit.validation.report import FORMATTERS, Report
from conftest import REPO

# Each a way to start a new line, reorder a line, or give the GitHub runner a command.
FORGERIES = ["\u2028valid: 0 errors, 0 warnings", "\u2029valid: 0 errors", "\x85valid: 0 errors",
             "\rvalid: 0 errors", "\x0bvalid", "\x0cvalid", "\u202evalid: 0 errors", "\u2066x\u2069",
             "\u200b\u200e\u200f\u061c", "\x9b31m", "\x1b[2J", "##[error]forged", "##[stop-commands]tok",
             "##[add-mask]secret", "\ufeff", "\U000e0041", "\x7f", "\ud800"]
SPLITTERS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() breaks lines at


def planted_report(text: str) -> Report:
    return Report(findings=[Finding(rule="quote-agreement", severity=ERROR, path="data/drugs.csv", row=2,
                                    field="quote", message=f"the quote {text!s} x", observed=text, expected=text,
                                    locator=text)])


def assert_unforged(output: str) -> None:
    assert not any(character in output for character in SPLITTERS.replace("\n", "")), repr(output)
    assert all(character.isprintable() or character == "\n" for character in output), repr(output)
    assert "##[" not in output
    ours = re.compile(r"::(error|warning|notice) (file|title)=")  # the validator's own annotations
    assert all(ours.match(line) for line in output.splitlines() if line.startswith("::")), output


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
@pytest.mark.parametrize("forgery", FORGERIES)
def test_echoed_data_cannot_forge_a_line_or_a_workflow_command(fmt, forgery):
    output = FORMATTERS[fmt](planted_report(forgery), False)
    assert_unforged(output)
    lines = output.splitlines()
    if fmt == "text":
        assert len(lines) == 3 and lines[-1] == "invalid: 1 error, 0 warnings"
    elif fmt == "github":
        assert len(lines) == 3 and lines[0].startswith("::error file=data/drugs.csv,line=2,")
    else:
        document = json.loads(output)  # the same text for a JSON reader, escaped for everyone else
        assert output.isascii()
        # A lone surrogate, which strict JSON readers refuse, is written out as text.
        assert document["findings"][0]["observed"] == (forgery if forgery != "\ud800" else "\\ud800")


def test_a_quote_starting_with_a_workflow_command_is_escaped_at_the_start_of_a_line():
    output = FORMATTERS["text"](Report(unusable="::error::forged"), False)
    assert output == "unusable: \\::error::forged"
    assert report_module._one_line("::add-mask::x") == "\\::add-mask::x"


def test_a_workflow_command_in_a_data_cell_reaches_no_output_raw(package):
    package.set_cell("drugs", "dasatinib", "atc_level", "##[error]forged ::warning::x \u2028valid: 0 errors")
    report = validate_package(package.root)
    assert report.exit_code() == 1
    for fmt in ("text", "json", "github"):
        assert_unforged(FORMATTERS[fmt](report, False))


def test_output_is_bounded_with_a_note_on_what_was_left_out(monkeypatch):
    monkeypatch.setattr(report_module, "FINDINGS_SHOWN", 3)
    findings = [Finding(rule="r", severity=ERROR, message="m" * 5000, path="p") for _ in range(10)]
    report = Report(findings=findings)
    text = FORMATTERS["text"](report, False).splitlines()
    assert len(text) == 6 and text[3].startswith("note: 7 more findings not listed")
    assert all(len(line) < 1200 for line in text)
    assert text[-1] == "invalid: 10 errors, 0 warnings"
    document = json.loads(FORMATTERS["json"](report, False))
    assert len(document["findings"]) == 3 and document["summary"]["findings_not_listed"] == 7
    assert document["summary"]["errors"] == 10
    github = FORMATTERS["github"](report, False).splitlines()
    assert sum(line.startswith("::error") for line in github) == 3 and "7 more findings" in github[3]


def test_output_is_cut_at_its_character_limit(monkeypatch):
    monkeypatch.setattr(report_module, "OUTPUT_CHARACTERS", 10_000)
    report = Report(findings=[Finding(rule="r", severity=ERROR, message="m" * 900, path="p") for _ in range(100)])
    for fmt in ("text", "json", "github"):
        assert len(FORMATTERS[fmt](report, False)) < 12_000


def test_a_quote_full_of_numbers_gives_bounded_findings(package):
    numbers = " ".join(str(7000 + number) for number in range(3000))
    package.set_cell("clinical_events", "ev-fever", "quote", f"On the same day {numbers}")
    result = package.run_main()
    assert result.returncode == 1
    assert len(result.stdout) < 20_000, len(result.stdout)
    assert "more numbers that no field of the row holds" in result.stdout


@pytest.mark.parametrize("encoding", ["ascii"])
def test_json_stays_valid_json_under_any_terminal_encoding(package, encoding):
    package.set_cell("drugs", "dasatinib", "atc_level", "five \u2028 μ ##[error]")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    result = subprocess.run([sys.executable, "-B", str(REPO / "validate.py"), "--format", "json"], cwd=package.root,
                            capture_output=True, timeout=120, env=env)
    assert result.returncode == 1 and result.stderr == b""
    document = json.loads(result.stdout.decode(encoding))
    assert any("\u2028" in (finding["observed"] or "") or "\u2028" in finding["message"]
               for finding in document["findings"])


@pytest.mark.parametrize("target, fmt", [("closed", "text"), ("/dev/full", "json")])
def test_standard_output_closed_or_full_ends_with_exit_2_and_no_traceback(target, fmt):
    if target == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    redirect = ">&-" if target == "closed" else "> /dev/full"
    result = subprocess.run(["bash", "-c", f"{sys.executable} -B {REPO / 'validate.py'} --format {fmt} {redirect}"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr == "", result.stderr


def _handles_sigterm(pid: int) -> bool:
    """Whether the process has installed its own SIGTERM handler (validate.py's first lines do)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to see when validate.py started")
@pytest.mark.parametrize("fmt, signum, after", [("text", signal.SIGINT, 0.0), ("json", signal.SIGTERM, 0.0),
                                                 ("github", signal.SIGINT, 0.2), ("text", signal.SIGTERM, 0.4)])
def test_ctrl_c_or_sigterm_at_any_moment_ends_with_exit_2_and_one_report(fmt, signum, after):
    # `after` counts from validate.py's first line: 0 is in the middle of its imports.
    process = subprocess.Popen([sys.executable, "-B", str(REPO / "validate.py"), "--format", fmt], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not _handles_sigterm(process.pid) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(after)
    process.send_signal(signum)
    out, err = process.communicate(timeout=120)
    if process.returncode == 0:  # the run ended before the signal came: a verdict, no harm done
        return
    assert process.returncode == 2 and err == "", err
    if fmt == "json":
        assert json.loads(out)["unusable"].endswith("before a verdict")
    else:
        assert len(out.strip().splitlines()) == 1 and "before a verdict" in out


# Run as `python validate.py`, with a Ctrl-C delivered while its first line imports the signal module,
# the one moment of the file before its handlers are in place (a finder raises it, as the interpreter would).
_CTRL_C_IN_THE_FIRST_LINE = """
import runpy, sys
sys.modules.pop("signal", None)
class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "signal":
            sys.meta_path.remove(self)
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
sys.argv = [sys.argv[1], "--format", sys.argv[2]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_ctrl_c_while_the_first_line_runs_ends_with_exit_2_and_one_report():
    result = subprocess.run([sys.executable, "-B", "-c", _CTRL_C_IN_THE_FIRST_LINE, str(REPO / "validate.py"), "text"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and result.stderr == "", result.stderr
    assert result.stdout.strip().splitlines() == ["unusable: interrupted (Ctrl-C) before a verdict"]
