"""YAML for files a package ships (rules.yaml, CITATION.cff): a safe loader, made stricter.

The safe loader refuses language tags such as !!python/object/apply. On top of it,
this module refuses aliases, which let a few lines expand into gigabytes ("billion
laughs"), duplicate keys, which would let a later `severity: warning` silently
override an earlier `severity: error`, and nesting deeper than any real file needs.

libyaml (PyYAML's C extension) does the parsing when it is installed, which makes
a load about twenty times faster than the pure-Python loader; the checks are the
same either way. libyaml's composer recurses in C without Python's recursion limit
and would crash the interpreter on a hostile, very deeply nested file, so the event
stream (which libyaml produces without recursion) is scanned for aliases and depth
before anything is composed.
"""
from __future__ import annotations

import functools

import yaml

MAX_DEPTH = 100
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictSafeLoader(_BaseLoader):
    """A safe loader (C-accelerated when available) that refuses duplicate mapping keys."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if (key.tag, key.value) in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key.value!r}", key.start_mark)
                    seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str):
    """Parse text; raise yaml.YAMLError with a reason (also for nesting too deep to parse)."""
    try:
        _refuse_aliases_and_deep_nesting(text)
        loader = StrictSafeLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except RecursionError:
        raise yaml.YAMLError("nested too deeply to read") from None


REMEMBERED_CHARACTERS = 64 * 1024  # a citation file is a few kilobytes; a longer text is parsed every time


def load_yaml_once(text: str):
    """load_yaml, a short text parsed once per process, for callers that only read what they get (two rules
    read CITATION.cff on every run); an error is raised again on every call, never remembered."""
    return _load_remembered(text) if len(text) <= REMEMBERED_CHARACTERS else load_yaml(text)


@functools.lru_cache(maxsize=4)
def _load_remembered(text: str):
    return load_yaml(text)


def _refuse_aliases_and_deep_nesting(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.YAMLError(f"nested too deeply to read (more than {MAX_DEPTH} levels)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
