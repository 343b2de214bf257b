"""The curator and analysis commands, run where there is no package, say so in one line.

Each command runs in this process as `python scripts/NAME.py` would run it (its file as
`__main__`, the empty folder as the current one): what is tested is its exit code and its
standard error, not the interpreter, and an exception that escaped would fail the test here as
its traceback would there. tests/test_bad_input_commands.py starts real processes where the
process is what is tested (signals, closed output, a missing library).
"""
import runpy
import sys

import pytest

from conftest import REPO


@pytest.mark.parametrize("script", ["refresh_hashes.py", "build_data_dictionary.py", "draw_clinical_course.py",
                                    "build_sqlite.py", "set_version.py", "build_release.py"])
def test_command_outside_a_package_fails_in_one_line(tmp_path, monkeypatch, capsys, script):
    args = ["9.9.9"] if script == "set_version.py" else []
    path = REPO / "scripts" / script
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(path), *args])
    monkeypatch.setattr(sys, "path", list(sys.path))  # the script puts the repository first
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(path), run_name="__main__")
    stderr = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert list(tmp_path.iterdir()) == []
