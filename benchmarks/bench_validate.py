"""Time `python validate.py` against a bare `frictionless validate datapackage.json` on the same package.

    python benchmarks/bench_validate.py [--repeats N] [--package DIR]

Both are timed as whole processes (interpreter start, imports, reading, checking),
since that is what a curator or CI job waits for. Target: ratio <= 1.3.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.3


def median_seconds(command: list[str], cwd: Path, repeats: int) -> float:
    warm = subprocess.run(command, cwd=cwd, capture_output=True)  # also warms the OS file cache
    if warm.returncode != 0:
        # Timing a run that fails early would flatter it; say so instead.
        raise SystemExit(f"{' '.join(command)} exited {warm.returncode}; fix the package before timing it")
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--package", type=Path, default=REPO)
    args = parser.parse_args()
    frictionless = shutil.which("frictionless")
    if frictionless is None:
        print("frictionless command not found; run: python -m pip install -r requirements.txt", file=sys.stderr)
        return 2
    ours = median_seconds([sys.executable, str(REPO / "validate.py")], args.package, args.repeats)
    bare = median_seconds([frictionless, "validate", "datapackage.json"], args.package, args.repeats)
    ratio = ours / bare
    print(f"python validate.py               median {ours:.3f} s over {args.repeats} runs")
    print(f"frictionless validate (bare)     median {bare:.3f} s over {args.repeats} runs")
    print(f"ratio {ratio:.2f} (target <= {TARGET_RATIO}): {'met' if ratio <= TARGET_RATIO else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
