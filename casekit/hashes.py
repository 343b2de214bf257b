"""Compute and refresh the sha256 hash and byte count of every resource."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from casekit.safety import check_relative_path

HASH_PREFIX = "sha256:"


def file_fingerprint(path: Path) -> tuple[str, int]:
    data = path.read_bytes()
    return HASH_PREFIX + hashlib.sha256(data).hexdigest(), len(data)


def refresh(root: Path) -> list[str]:
    """Rewrite hash and bytes of each resource in root/datapackage.json; return the names changed."""
    descriptor_path = root / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    changed = []
    for resource in descriptor.get("resources", []):
        target = check_relative_path(root, resource.get("path"))
        digest, size = file_fingerprint(target)
        if resource.get("hash") != digest or resource.get("bytes") != size:
            resource["hash"], resource["bytes"] = digest, size
            changed.append(resource.get("name", resource["path"]))
    if changed:
        descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed
