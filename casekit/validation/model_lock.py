"""The model this validator checks: the required resources and a fingerprint of each Table Schema.

casekit/validation/model.json is part of the validator, like its profiles and rules.
A package whose resource set differs (a resource missing, added, or at another path)
cannot be judged (exit 2); a Table Schema whose canonical JSON differs from the
fingerprint is an error, and the tables are not checked against it, because a
loosened or booby-trapped schema (a pattern that backtracks for hours) would decide
the verdict. Whoever edits schemas/ rewrites the lock in the validator's checkout:

    python -m casekit.validation.model_lock --write     # rewrite model.json from ./datapackage.json
    python -m casekit.validation.model_lock             # exit 1 if model.json is out of date
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path

LOCK_PATH = Path(__file__).resolve().parent / "model.json"
LOCK_NAME = "casekit/validation/model.json"
LOCK_RULE = "model-lock"
WRITE_COMMAND = "python -m casekit.validation.model_lock --write"


def schema_fingerprint(schema: dict) -> str:
    """sha256 of the schema's canonical JSON: sorted keys, no whitespace, UTF-8."""
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _lock_text() -> str:
    return LOCK_PATH.read_text(encoding="utf-8")


def load_lock() -> dict[str, dict]:
    """name -> {"name", "path", "schema_sha256"}, in the lock's order."""
    return {entry["name"]: entry for entry in json.loads(_lock_text())["resources"]}


def build_lock(root: Path) -> dict:
    """The lock for the package at root, read with the validator's own safe readers."""
    from casekit.validation.descriptor import prepare_for_frictionless, read_descriptor

    root = Path(root)
    prepared = prepare_for_frictionless(root, read_descriptor(root), check_lock=False)
    return {
        "about": "Resources and Table Schemas this validator checks; rewrite with " + WRITE_COMMAND,
        "resources": [
            {"name": resource["name"], "path": resource["path"],
             "schema_sha256": schema_fingerprint(resource.get("schema") or {})}
            for resource in prepared["resources"]
        ],
    }


def lock_text(lock: dict) -> str:
    return json.dumps(lock, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m casekit.validation.model_lock",
                                     description="Rewrite or check the validator's model lock (model.json).")
    parser.add_argument("--write", action="store_true", help="rewrite model.json (default: only check it)")
    parser.add_argument("--package", default=".", metavar="DIR", help="package folder (default: current folder)")
    args = parser.parse_args(argv)
    from casekit.safety import write_atomically
    from casekit.validation.unusable import Unusable

    try:
        text = lock_text(build_lock(Path(args.package)))
    except Unusable as error:
        print(f"model_lock: {error}", file=sys.stderr)
        return 2
    current = LOCK_PATH.read_text(encoding="utf-8") if LOCK_PATH.exists() else ""
    if args.write:
        if text != current:
            write_atomically(LOCK_PATH, text.encode("utf-8"))
            print(f"wrote {LOCK_NAME}")
        else:
            print(f"{LOCK_NAME} already up to date")
        return 0
    if text != current:
        print(f"{LOCK_NAME} is out of date; run: {WRITE_COMMAND}", file=sys.stderr)
        return 1
    print(f"{LOCK_NAME} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
