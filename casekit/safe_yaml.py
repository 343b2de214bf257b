"""YAML for files a package ships (rules.yaml, CITATION.cff): yaml.safe_load, made stricter.

yaml.safe_load already refuses language tags such as !!python/object/apply. Before
it runs, this module also refuses aliases, which let a few lines expand into
gigabytes ("billion laughs"), and duplicate keys, which would let a later
`severity: warning` silently override an earlier `severity: error`.
"""
from __future__ import annotations

import yaml


def load_yaml(text: str):
    """Parse text; raise yaml.YAMLError with a reason (also for nesting too deep to parse)."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
        _refuse_duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader))
        return yaml.safe_load(text)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply to read") from None


def _refuse_duplicate_keys(root) -> None:
    pending = [root] if root is not None else []
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if (key.tag, key.value) in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key.value!r}", key.start_mark)
                    seen.add((key.tag, key.value))
                pending.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
