"""The DataFrame read from each data file, remembered within one process.

A process that reads many copies of one package (the test suite draws and tabulates hundreds
of copies, each changed in one file or none) would otherwise parse every unchanged file again.
A frame depends only on the file's bytes and on what its Table Schema says of each field (name,
type, enum) and of missing values: all of that is the key, so a changed byte or a changed schema
is a new entry. Each caller gets its own copy. The memo is bounded (entries and bytes) and off
unless a process turns it on (`enabled`): a command reads each file once, where a memo would
only cost time and memory.
"""
from __future__ import annotations

import json
from collections import OrderedDict

MAX_ENTRIES = 256
MAX_FILE_BYTES = 1_000_000
enabled = False  # the test suite turns it on

_memo: "OrderedDict[tuple, object]" = OrderedDict()


def clear() -> None:
    _memo.clear()


def remembered_frame(fields: list[dict], missing_values: list[str], data: bytes, read):
    """read() for these bytes and fields, or a copy of what it returned for equal ones before."""
    if not enabled or len(data) > MAX_FILE_BYTES:
        return read()
    key = (json.dumps([fields, missing_values], sort_keys=True, default=str), data)
    frame = _memo.get(key)
    if frame is None:
        frame = read()
        _memo[key] = frame
        if len(_memo) > MAX_ENTRIES:
            _memo.popitem(last=False)
    else:
        _memo.move_to_end(key)
    return frame.copy()
