"""Curator command: after editing data/, refresh each resource's hash and bytes.

    python scripts/refresh_hashes.py            # the package in the current folder
    python scripts/refresh_hashes.py path/to/package
"""
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casekit.hashes import refresh  # noqa: E402
from casekit.safety import UnsafePath  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path.cwd()
    try:
        changed = refresh(root)
    except (OSError, ValueError, UnsafePath) as error:
        print(f"refresh_hashes: {error}", file=sys.stderr)
        return 2
    print("updated: " + ", ".join(changed) if changed else "all hashes already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
