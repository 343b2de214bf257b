"""Run a command as a process of its own and measure what it alone used: CPU time and peak memory.

wait4() on a child of the test worker does not give that on Linux. A child is started by fork or
vfork and exec, and at exec the kernel keeps the peak resident size of the memory it leaves, which
is the worker's: a command started from a worker that once held 500 MB reports at least 500 MB,
whatever it used itself. So a small launcher process starts the command and reports the usage of
its own child, whose starting memory is the launcher's few megabytes.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

_LAUNCHER = """\
import json, os, subprocess, sys
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
with open(sys.argv[1], "w", encoding="utf-8") as report:
    json.dump({"returncode": os.waitstatus_to_exitcode(status), "cpu_seconds": usage.ru_utime + usage.ru_stime,
               "peak_kilobytes": usage.ru_maxrss}, report)
"""


@dataclass
class Measured:
    returncode: int
    cpu_seconds: float
    peak_kilobytes: int  # Linux reports ru_maxrss in kilobytes
    stdout: str
    stderr: str


def run_measured(argv: list[str], *, cwd: Path, timeout: float = 120) -> Measured:
    """Run argv in cwd with its output captured; its exit code, output, CPU time and peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "usage.json"
        launcher = subprocess.Popen([sys.executable, "-B", "-c", _LAUNCHER, str(report), *argv], cwd=cwd,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    start_new_session=True)
        try:
            stdout, stderr = launcher.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(launcher.pid, signal.SIGKILL)  # the command too, not only its launcher
            launcher.communicate()
            raise
        assert launcher.returncode == 0, f"the launcher failed: {stderr}"
        usage = json.loads(report.read_text(encoding="utf-8"))
    return Measured(usage["returncode"], usage["cpu_seconds"], usage["peak_kilobytes"], stdout, stderr)
