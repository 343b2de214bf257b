"""Time `python validate.py` against a bare `frictionless validate datapackage.json` on the same package.

    python benchmarks/bench_validate.py [--repeats N] [--package DIR]

Both are timed as whole processes (interpreter start, imports, reading, checking),
since that is what a curator or CI job waits for. The runs are interleaved
(validate.py, frictionless, frictionless, validate.py, ...) so that a busy spell of
the machine slows both alike; CPU time (user + sys of the process) is shown beside
wall time because other processes stretch the one but not the other. Target:
ratio <= 1.0 on the one-case package. For many cases see bench_scale.py.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import run_once  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs of each command")
    parser.add_argument("--package", type=Path, default=REPO)
    args = parser.parse_args()
    frictionless = shutil.which("frictionless")
    if frictionless is None:
        print("frictionless command not found; run: python -m pip install -r requirements.txt", file=sys.stderr)
        return 2
    commands = {"ours": [sys.executable, "-B", str(REPO / "validate.py")],
                "bare": [frictionless, "validate", "datapackage.json"]}
    for name, command in commands.items():  # warm the OS file cache; a failing run would flatter the timing
        if run_once(command, args.package)[3] != 0:
            raise SystemExit(f"{' '.join(command)} fails on {args.package}; fix the package before timing it")
    runs = {"ours": [], "bare": []}
    for index in range(args.repeats):
        order = ["ours", "bare"] if index % 2 == 0 else ["bare", "ours"]
        for name in order:
            runs[name].append(run_once(commands[name], args.package))
    summary = {name: (min(r[0] for r in result), statistics.median(r[0] for r in result),
                      statistics.median(r[1] for r in result), max(r[2] for r in result))
               for name, result in runs.items()}
    for name, label in (("ours", "python validate.py          "), ("bare", "frictionless validate (bare)")):
        low, median, cpu, memory = summary[name]
        print(f"{label} wall min {low:.3f} s, median {median:.3f} s; CPU median {cpu:.3f} s; "
              f"peak {memory:.0f} MB ({args.repeats} interleaved runs)")
    ratio = summary["ours"][1] / summary["bare"][1]
    cpu_ratio = summary["ours"][2] / summary["bare"][2]
    print(f"ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target <= {TARGET_RATIO}): "
          f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
