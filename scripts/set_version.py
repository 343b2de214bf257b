"""Curator command: give the package a new SemVer version everywhere it is written.

    python scripts/set_version.py 1.2.0            # the package in the current folder
    python scripts/set_version.py 1.2.0 --root path/to/package

It sets `version` in datapackage.json, `version` and `date-released` in
CITATION.cff and `version` in pyproject.toml (when present). It does not write
CHANGELOG.md: add the `## [x.y.z] - date` entry yourself; `python validate.py`
fails its release-integrity rule until you do. All files are read and checked
before any is written, each through the validator's safe readers; then every new
content is written in full beside its file, and only then are the files replaced,
so a full disk or Ctrl-C leaves all of them as they were (a file replaced before a
later one failed is put back; if even that fails, the message names it).
"""
from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import semver  # noqa: E402

from casekit.hashes import descriptor_bytes, read_descriptor_for_update  # noqa: E402
from casekit.package_files import read_package_file  # noqa: E402
from casekit.safety import PartlyWritten, UnsafePath, write_files_atomically  # noqa: E402
from casekit.script_errors import one_line_errors  # noqa: E402
from casekit.validation.unusable import Unusable  # noqa: E402


def replaced_line(name: str, text: str, pattern: str, replacement: str) -> str:
    updated, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"{name}: no line matching {pattern!r}")
    return updated


def read_text(root: Path, name: str) -> str:
    try:
        return read_package_file(root, name).decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{name} is not valid UTF-8") from None


def new_files(root: Path, new: semver.Version) -> tuple[semver.Version, dict[str, bytes]]:
    """Every file's new content, computed before any is written, so a failure leaves all of them as they were."""
    descriptor = read_descriptor_for_update(root)
    try:
        old = semver.Version.parse(str(descriptor.get("version")))
    except ValueError:
        raise ValueError(f"datapackage.json: version {descriptor.get('version')!r} is not a Semantic Version") from None
    if new <= old:
        raise ValueError(f"{new} is not newer than the current version {old}")
    descriptor["version"] = str(new)
    contents = {"datapackage.json": descriptor_bytes(descriptor)}
    citation = read_text(root, "CITATION.cff")
    citation = replaced_line("CITATION.cff", citation, r"^version: .*$", f"version: {new}")
    citation = replaced_line("CITATION.cff", citation, r"^date-released: .*$",
                             f'date-released: "{datetime.date.today().isoformat()}"')
    contents["CITATION.cff"] = citation.encode("utf-8")
    if (root / "pyproject.toml").exists() or (root / "pyproject.toml").is_symlink():
        pyproject = read_text(root, "pyproject.toml")
        contents["pyproject.toml"] = replaced_line("pyproject.toml", pyproject, r'^version = ".*"$',
                                                   f'version = "{new}"').encode("utf-8")
    return old, contents


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("version", help="the new version, MAJOR.MINOR.PATCH")
    parser.add_argument("--root", type=Path, default=Path("."), help="package folder (default: current folder)")
    args = parser.parse_args(argv)
    try:
        new = semver.Version.parse(args.version)
        old, contents = new_files(args.root, new)
        previous = {args.root / name: read_package_file(args.root, name) for name in contents}
        write_files_atomically({args.root / name: data for name, data in contents.items()}, previous)
    except PartlyWritten as error:
        print(f"set_version: {' '.join(str(error).split())}; set the version by hand or run it again",
              file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"set_version: {error.filename or error} does not exist in {args.root}; nothing was written",
              file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError, UnsafePath, Unusable) as error:
        print(f"set_version: {' '.join(str(error).split())}; nothing was written", file=sys.stderr)
        return 2
    print(f"version {old} -> {new}; now add '## [{new}] - {datetime.date.today().isoformat()}' to CHANGELOG.md,"
          " then run python scripts/build_data_dictionary.py and python validate.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
