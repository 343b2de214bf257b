"""How many examples a property test tries: half its full count in the everyday run, the full count with
CASEKIT_THOROUGH=1 (before a release, or after changing the code a property guards).

The everyday run keeps each property's explicit @example cases and at least MINIMUM generated ones, so a
property still fails on the first run for a slip that breaks it broadly; the thorough run searches further.
"""
from __future__ import annotations

import os

THOROUGH = os.environ.get("CASEKIT_THOROUGH") == "1"
MINIMUM = 10


def examples(full: int) -> int:
    """The max_examples to use for a property whose full search is `full` examples."""
    return full if THOROUGH else max(min(full, MINIMUM), full // 2)
