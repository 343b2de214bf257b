"""Compute and refresh the sha256 hash and byte count of every resource.

The same readers as the validator (casekit.package_files, casekit.validation.jsonfile):
datapackage.json and the data files are read only as regular files inside the root
(a FIFO or a symlink out of the root is refused, never opened), a descriptor with a
duplicate key is refused, and datapackage.json is replaced atomically.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from casekit.package_files import read_package_file
from casekit.safety import write_atomically

HASH_PREFIX = "sha256:"
DESCRIPTOR = "datapackage.json"


def read_descriptor_for_update(root: Path) -> dict:
    """datapackage.json as the validator reads it; raises Unusable (a ValueError-like one-line reason) if it cannot."""
    from casekit.validation.jsonfile import parse_json_bytes
    from casekit.validation.limits import MAX_DESCRIPTOR_BYTES
    from casekit.validation.unusable import Unusable

    descriptor = parse_json_bytes(read_package_file(root, DESCRIPTOR, max_bytes=MAX_DESCRIPTOR_BYTES), DESCRIPTOR)
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise Unusable(f"{DESCRIPTOR} must be a JSON object with a list of resources")
    return descriptor


def descriptor_bytes(descriptor: dict) -> bytes:
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def refresh(root: Path) -> list[str]:
    """Rewrite hash and bytes of each resource in root/datapackage.json; return the names changed."""
    from casekit.validation.limits import MAX_DATA_FILE_BYTES
    from casekit.validation.unusable import Unusable

    root = Path(root)
    descriptor = read_descriptor_for_update(root)
    changed = []
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict):
            raise Unusable(f"{DESCRIPTOR}: every resource must be a JSON object")
        data = read_package_file(root, resource.get("path"), max_bytes=MAX_DATA_FILE_BYTES)
        digest, size = HASH_PREFIX + hashlib.sha256(data).hexdigest(), len(data)
        if resource.get("hash") != digest or resource.get("bytes") != size:
            resource["hash"], resource["bytes"] = digest, size
            changed.append(resource.get("name", resource["path"]))
    if changed:
        write_atomically(root / DESCRIPTOR, descriptor_bytes(descriptor))
    return changed
