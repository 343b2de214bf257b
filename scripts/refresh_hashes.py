"""Curator command: after editing data/, refresh each resource's hash and bytes.

    python scripts/refresh_hashes.py            # the package in the current folder
    python scripts/refresh_hashes.py path/to/package

It reads the package as the validator does (regular files inside the folder only,
no duplicate keys in datapackage.json) and replaces datapackage.json in one step.
"""
import argparse
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casekit.hashes import refresh  # noqa: E402
from casekit.safety import UnsafePath  # noqa: E402
from casekit.script_errors import one_line_errors  # noqa: E402
from casekit.validation.unusable import Unusable  # noqa: E402


@one_line_errors
def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Refresh each resource's sha256 hash and byte count in datapackage.json.")
    parser.add_argument("root", nargs="?", default=".", help="package folder (default: current folder)")
    root = Path(parser.parse_args(argv).root)
    try:
        changed = refresh(root)
    except FileNotFoundError as error:
        print(f"refresh_hashes: {error.filename or error} does not exist in {root}; nothing was written", file=sys.stderr)
        return 2
    except (OSError, ValueError, UnsafePath, Unusable) as error:
        print(f"refresh_hashes: {' '.join(str(error).split())}; nothing was written", file=sys.stderr)
        return 2
    print("updated: " + ", ".join(changed) if changed else "all hashes already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
