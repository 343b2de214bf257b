"""Curator command: give the package a new SemVer version everywhere it is written.

    python scripts/set_version.py 1.2.0            # the package in the current folder
    python scripts/set_version.py 1.2.0 --root path/to/package

It sets `version` in datapackage.json, `version` and `date-released` in
CITATION.cff and `version` in pyproject.toml (when present). It does not write
CHANGELOG.md: add the `## [x.y.z] - date` entry yourself; `python validate.py`
fails its release-integrity rule until you do.
"""
from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from pathlib import Path

import semver

sys.dont_write_bytecode = True


def replace_line(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    updated, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"{path.name}: no line matching {pattern!r}")
    path.write_text(updated, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", help="the new version, MAJOR.MINOR.PATCH")
    parser.add_argument("--root", type=Path, default=Path("."), help="package folder (default: current folder)")
    args = parser.parse_args(argv)
    try:
        new = semver.Version.parse(args.version)
        descriptor_path = args.root / "datapackage.json"
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        old = semver.Version.parse(descriptor["version"])
        if new <= old:
            raise ValueError(f"{new} is not newer than the current version {old}")
        descriptor["version"] = str(new)
        descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        citation = args.root / "CITATION.cff"
        replace_line(citation, r"^version: .*$", f"version: {new}")
        replace_line(citation, r"^date-released: .*$", f'date-released: "{datetime.date.today().isoformat()}"')
        if (args.root / "pyproject.toml").exists():
            replace_line(args.root / "pyproject.toml", r'^version = ".*"$', f'version = "{new}"')
    except (OSError, ValueError, KeyError) as error:
        print(f"set_version: {error}", file=sys.stderr)
        return 2
    print(f"version {old} -> {new}; now add '## [{new}] - {datetime.date.today().isoformat()}' to CHANGELOG.md,"
          " then run python scripts/build_data_dictionary.py and python validate.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
