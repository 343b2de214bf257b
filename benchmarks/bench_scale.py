"""How `python validate.py` scales with the number of cases, against bare `frictionless validate`.

    python benchmarks/bench_scale.py [--cases 1 100 1000 10000] [--pairs 3] [--keep DIR]

For each N it builds an N-case package from the real one: every resource that
belongs to a case (the `cases` resource and every resource whose foreign keys
lead to it) is repeated N times, and every primary-key value of those
resources is made unique per copy, together with every column that refers to
it. What refers to a key is read from the Table Schemas (primaryKey,
foreignKeys); a column that no foreign key declares but whose every value is a
per-case key (a row reference such as relative_timings.subject_id) is renamed
too. Vocabularies, sources and locators stay shared, as in a case series.

Then it times whole processes, interleaved (validate.py, frictionless, validate.py,
...) so that a slow spell of the machine hits both alike, and reports per N the
min and median wall time, the peak resident memory of each process (from the
kernel's rusage of the child), the ratio of the medians, and the growth
exponent fitted between successive sizes. Targets (issue 10): at 10,000 cases
a ratio <= 1.3 and <= 600 MB; exponent <= 1.1 from 1,000 to 10,000 cases;
one-case ratio <= 1.0. Time targets are judged on CPU time, which other
processes on a shared machine do not stretch; wall time is printed beside it.

Each copy's quotes are made its own (a marker of consonants is added, " [copy bq]"),
because N distinct reports have N distinct quotes: the validator judges a
repeated (quote, values) once and stores a repeated value once, so clones that
shared their quotes would flatter both time and memory. --shared-text keeps
the real case's quotes in every copy, as earlier versions of this script did.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from casekit.hashes import refresh  # noqa: E402

DEFAULT_CASES = (1, 100, 1000, 10000)
TARGET_RATIO_LARGE = 1.3
TARGET_RATIO_ONE = 1.0
TARGET_MEMORY_MB = 600
TARGET_EXPONENT = 1.1
LARGE = 10000
csv.field_size_limit(10**7)


# ---------------------------------------------------------------- building N-case packages

def _schemas(root: Path, descriptor: dict) -> dict[str, dict]:
    schemas = {}
    for resource in descriptor["resources"]:
        schema = resource.get("schema")
        if isinstance(schema, str):
            schema = json.loads((root / schema).read_text(encoding="utf-8"))
        schemas[resource["name"]] = schema or {}
    return schemas


def _listed(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _per_case_resources(schemas: dict[str, dict]) -> set[str]:
    """`cases` and every resource whose foreign keys lead to a per-case resource."""
    per_case = {"cases"}
    changed = True
    while changed:
        changed = False
        for name, schema in schemas.items():
            if name in per_case:
                continue
            if any(fk.get("reference", {}).get("resource") in per_case for fk in schema.get("foreignKeys", [])):
                per_case.add(name)
                changed = True
    return per_case


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, list(reader)


CONSONANTS = "bcdfghjklmnpqrstvwz"


def copy_marker(copy: int) -> str:
    """The copy number in base 19 written with consonants: no digit and no vowel, so the marker can
    state no number (not even a number word such as "one"): ' [copy bq]'."""
    letters = ""
    while True:
        copy, digit = divmod(copy, len(CONSONANTS))
        letters = CONSONANTS[digit] + letters
        if copy == 0:
            return f" [copy {letters}]"


def build_package(source: Path, target: Path, cases: int, distinct_text: bool = True) -> int:
    """Write an N-case copy of the package at `source` into `target`; return its number of data rows."""
    descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    schemas = _schemas(source, descriptor)
    per_case = _per_case_resources(schemas)
    for entry in source.iterdir():
        if entry.name in ("data", ".git") or not (entry.is_file() or entry.name == "schemas"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, target / entry.name)
        else:
            shutil.copy2(entry, target / entry.name)
    tables = {r["name"]: (r["path"], *_read(source / r["path"])) for r in descriptor["resources"]}
    keys: set[str] = set()
    for name in per_case:
        _, header, rows = tables[name]
        key = _listed(schemas[name].get("primaryKey"))
        if len(key) == 1:  # the parts of a composite key are references or categories, not keys
            index = header.index(key[0])
            keys.update(row[index] for row in rows if row[index])
    total = 0
    for name, (path, header, rows) in tables.items():
        out = target / path
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            if name not in per_case:
                writer.writerows(rows)
                total += len(rows)
                continue
            renamed = [header.index(c) for c in _key_columns(schemas[name], per_case, header, rows, keys)]
            quote = header.index("quote") if distinct_text and "quote" in header else None
            for copy in range(1, cases + 1):
                for row in rows:
                    if copy > 1:
                        row = list(row)
                        for index in renamed:
                            if row[index] in keys:
                                row[index] = f"{row[index]}-n{copy}"
                        if quote is not None and row[quote]:
                            row[quote] += copy_marker(copy)
                    writer.writerow(row)
            total += len(rows) * cases
    refresh(target)
    return total


def _key_columns(schema: dict, per_case: set[str], header: list[str], rows: list[list[str]], keys: set[str]):
    """Columns of a per-case resource holding per-case keys: its key, its foreign keys into per-case
    resources, and row references no foreign key declares (every value a per-case key)."""
    key = _listed(schema.get("primaryKey"))
    columns = set(key) if len(key) == 1 else set()
    for fk in schema.get("foreignKeys", []):
        if fk.get("reference", {}).get("resource") in per_case:
            columns.update(_listed(fk.get("fields")))
    for index, column in enumerate(header):
        values = [row[index] for row in rows if index < len(row) and row[index]]
        if values and all(value in keys for value in values):
            columns.add(column)
    return sorted(columns)


# ---------------------------------------------------------------- timing whole processes

def run_once(command: list[str], cwd: Path) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB, exit code) of one whole process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def measure(package: Path, pairs: int, frictionless: str) -> dict:
    ours_command = [sys.executable, "-B", str(REPO / "validate.py")]
    bare_command = [frictionless, "validate", "datapackage.json"]
    results = {"ours": [], "bare": []}
    for index in range(pairs):
        # Alternate which one goes first, so neither always runs on a warmer machine.
        order = (("ours", ours_command), ("bare", bare_command))
        for name, command in order if index % 2 == 0 else reversed(order):
            wall, cpu, memory, code = run_once(command, package)
            if name == "ours" and code != 0:
                raise SystemExit(f"validate.py exited {code} on the {package.name} package; timing a failing run "
                                 f"would flatter it")
            results[name].append((wall, cpu, memory))
    return results


def _fit(first: tuple[int, float], second: tuple[int, float]) -> float | None:
    (n1, t1), (n2, t2) = first, second
    if n1 == n2 or t1 <= 0 or t2 <= 0:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def _versions() -> str:
    from importlib.metadata import version

    parts = [f"Python {platform.python_version()}"]
    for name in ("frictionless", "duckdb", "pint", "ucumvert"):
        try:
            parts.append(f"{name} {version(name)}")
        except Exception:  # noqa: BLE001 - a missing optional library is just not listed
            continue
    return ", ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=list(DEFAULT_CASES))
    parser.add_argument("--pairs", type=int, default=3, help="interleaved runs of each command per N")
    parser.add_argument("--package", type=Path, default=REPO, help="the one-case package to clone")
    parser.add_argument("--keep", type=Path, help="build the packages here and keep them")
    parser.add_argument("--shared-text", action="store_true",
                        help="every copy keeps the real case's quotes (flatters time and memory)")
    args = parser.parse_args()
    frictionless = shutil.which("frictionless")
    if frictionless is None:
        print("frictionless command not found; run: python -m pip install -r requirements.txt", file=sys.stderr)
        return 2
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {_versions()}")
    print(f"copies' quotes: {'shared with the real case' if args.shared_text else 'each its own'}")
    print(f"{args.pairs} interleaved pairs per size; wall time min/median, CPU time (user+sys) median, "
          f"peak RSS max over runs; ratio of medians (wall, CPU)")
    print(f"{'cases':>6} {'rows':>9} | {'validate.py wall s':>18} {'cpu s':>6} {'MB':>5} | "
          f"{'frictionless wall s':>19} {'cpu s':>6} {'MB':>5} | ratio wall, cpu")
    workspace = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    rows_out = []
    try:
        for cases in sorted(set(args.cases)):
            target = workspace / f"cases-{cases}"
            if target.exists():
                shutil.rmtree(target)
            target.mkdir(parents=True)
            rows = build_package(args.package, target, cases, distinct_text=not args.shared_text)
            result = measure(target, args.pairs, frictionless)
            ours, bare = _summary(result["ours"]), _summary(result["bare"])
            ratio = ours["wall"] / bare["wall"]
            cpu_ratio = ours["cpu"] / bare["cpu"]
            rows_out.append((cases, ours["wall"], ratio, ours["mb"], ours["cpu"], cpu_ratio))
            print(f"{cases:>6} {rows:>9} | {ours['min']:8.2f}/{ours['wall']:8.2f} {ours['cpu']:6.2f} {ours['mb']:5.0f} | "
                  f"{bare['min']:8.2f}/{bare['wall']:9.2f} {bare['cpu']:6.2f} {bare['mb']:5.0f} | "
                  f"{ratio:.2f}, {cpu_ratio:.2f}", flush=True)
            if args.keep is None:
                shutil.rmtree(target)
    finally:
        if args.keep is None:
            shutil.rmtree(workspace, ignore_errors=True)
    for first, second in zip(rows_out, rows_out[1:]):
        wall = _fit((first[0], first[1]), (second[0], second[1]))
        cpu = _fit((first[0], first[4]), (second[0], second[4]))
        if wall is not None and cpu is not None:
            print(f"growth exponent {first[0]} -> {second[0]} cases: {wall:.2f} (wall), {cpu:.2f} (CPU)")
    return _targets(rows_out)


def _summary(runs) -> dict:
    return {"min": min(r[0] for r in runs), "wall": statistics.median(r[0] for r in runs),
            "cpu": statistics.median(r[1] for r in runs), "mb": max(r[2] for r in runs)}


def _targets(rows_out) -> int:
    """Judge the time targets on CPU time (user + sys of the process): on a shared machine other
    processes stretch wall time, which is shown beside it, but not the CPU a process itself uses."""
    by_cases = {row[0]: row[1:] for row in rows_out}
    verdicts = []
    if 1 in by_cases:
        _, ratio, _, _, cpu_ratio = by_cases[1]
        verdicts.append((f"one-case ratio <= {TARGET_RATIO_ONE}", cpu_ratio <= TARGET_RATIO_ONE,
                         f"CPU {cpu_ratio:.2f} (wall {ratio:.2f})"))
    if LARGE in by_cases:
        wall, ratio, memory, cpu, cpu_ratio = by_cases[LARGE]
        verdicts.append((f"{LARGE} cases ratio <= {TARGET_RATIO_LARGE}", cpu_ratio <= TARGET_RATIO_LARGE,
                         f"CPU {cpu_ratio:.2f} (wall {ratio:.2f})"))
        verdicts.append((f"{LARGE} cases peak memory <= {TARGET_MEMORY_MB} MB", memory <= TARGET_MEMORY_MB,
                         f"{memory:.0f} MB"))
        if 1000 in by_cases:
            exponent = _fit((1000, by_cases[1000][0]), (LARGE, wall))
            cpu_exponent = _fit((1000, by_cases[1000][3]), (LARGE, cpu))
            verdicts.append((f"growth exponent 1000 -> {LARGE} <= {TARGET_EXPONENT}",
                             cpu_exponent is not None and cpu_exponent <= TARGET_EXPONENT,
                             f"CPU {cpu_exponent:.2f} (wall {exponent:.2f})"))
    for name, met, observed in verdicts:
        print(f"target {name}: {observed} {'met' if met else 'NOT met'}")
    return 0 if all(met for _, met, _ in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
