"""The curator and analysis commands, run where there is no package, say so in one line.

Each command runs in this process as `python scripts/NAME.py` would run it (conftest.run_script):
what is tested is its exit code and its standard error, not the interpreter.
tests/test_bad_input_commands.py starts real processes where the process is what is tested
(signals, closed output, a missing library).
"""
import pytest

from conftest import REPO, run_script


@pytest.mark.parametrize("script", ["refresh_hashes.py", "build_data_dictionary.py", "draw_clinical_course.py",
                                    "build_sqlite.py", "set_version.py", "build_release.py"])
def test_command_outside_a_package_fails_in_one_line(tmp_path, script):
    args = ["9.9.9"] if script == "set_version.py" else []
    result = run_script(REPO / "scripts" / script, *args, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert list(tmp_path.iterdir()) == []
