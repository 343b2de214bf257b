"""One output contract for every outcome: the chosen format on standard output, the exit code unchanged.

In-process through cli.main wherever the process boundary is not the point; as a
process for the closed pipe (`validate.py | head -1`).
"""
from __future__ import annotations

import json
import subprocess

import pytest

from casekit.validation import cli
from conftest import REPO


def run_main(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def failing_pipeline(error: BaseException):
    def validate_package(*args, **kwargs):
        raise error
    return validate_package


@pytest.mark.parametrize("error, words", [
    (RuntimeError("boom\nsecond line"), "unexpected RuntimeError: boom second line"),
    (ImportError("no frictionless", name="frictionless"), "a required library is missing (frictionless)"),
    (KeyboardInterrupt(), "interrupted"),
    (RecursionError(), "nested too deeply"),
])
@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_every_failure_prints_the_chosen_format_with_exit_2(capsys, monkeypatch, error, words, fmt):
    import casekit.validation.pipeline as pipeline

    monkeypatch.setattr(pipeline, "validate_package", failing_pipeline(error))
    code, out, err = run_main(capsys, "--format", fmt)
    assert code == 2 and err == ""
    if fmt == "json":
        document = json.loads(out)
        assert document["exit_code"] == 2 and words in document["unusable"]
    elif fmt == "github":
        assert out.startswith("::error file=datapackage.json,title=unusable::") and words in out
        assert len(out.strip().splitlines()) == 1
    else:
        assert out.strip().splitlines() == [out.strip()] and out.startswith("unusable: ") and words in out


@pytest.mark.parametrize("argv, fmt", [
    (["--format", "json", "--bogus"], "json"),
    (["--format=github", "--strict=yes"], "github"),
    (["--format", "xml"], "text"),
])
def test_a_command_line_that_cannot_be_parsed_is_unusable_in_the_chosen_format(capsys, argv, fmt):
    code, out, err = run_main(capsys, *argv)
    assert code == 2 and err == ""
    if fmt == "json":
        assert "command line" in json.loads(out)["unusable"]
    elif fmt == "github":
        assert out.startswith("::error ") and "command line" in out
    else:
        assert out.startswith("unusable: command line")


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_an_unusable_package_gives_the_chosen_format(package, capsys, fmt):
    (package.root / "datapackage.json").write_text("{", encoding="utf-8")
    code, out, _ = run_main(capsys, "--format", fmt, "--package", str(package.root))
    assert code == 2
    assert (json.loads(out)["unusable"] if fmt == "json" else out).count("not valid JSON") == 1


def test_a_closed_pipe_does_not_change_the_exit_code(package):
    header = package.csv_path("drugs").read_text(encoding="utf-8").splitlines()[0]
    rows = "\n".join(f"d{i},name,class,,five," for i in range(1200))
    package.csv_path("drugs").write_text(f"{header}\n{rows}\n", encoding="utf-8")
    package.refresh_hashes()
    # About 200 KB of findings: far more than a pipe holds, so the writer meets the closed pipe.
    result = subprocess.run(["bash", "-c", f"set -o pipefail; python -B {REPO / 'validate.py'} | head -1"],
                            cwd=package.root, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("error ") and result.stderr == ""
