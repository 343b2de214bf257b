"""The curator and analysis commands, run where there is no package, say so in one line."""
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.parametrize("script", ["refresh_hashes.py", "build_data_dictionary.py", "draw_clinical_course.py",
                                    "build_sqlite.py", "set_version.py", "build_release.py"])
def test_command_outside_a_package_fails_in_one_line(tmp_path, script):
    args = ["9.9.9"] if script == "set_version.py" else []
    result = subprocess.run([sys.executable, "-B", str(REPO / "scripts" / script), *args],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert list(tmp_path.iterdir()) == []
