"""What coverage found in each passage, remembered within one process.

A process that validates many copies of one package with the article text (the test suite
deletes one row per copy) would otherwise count every passage of a case again, when only the
passage of the changed row can count differently. A passage's counts depend only on the passage,
its label and locator, the words of the rows cited at it (`Words`, compared by value, in order),
the written forms counted (`Forms`, compared by value: its compiled patterns compare by pattern
and flags) and the codes the case's rows name; all of that is the key. Set-aside rows found idle
or used are remembered by their place among the passage's words, so they come back as the rows
of the run that asks. The memo is bounded and off unless a process turns it on (`enabled`): the
command line validates once, where a memo would only cost time and memory.
"""
from __future__ import annotations

from collections import OrderedDict

MAX_ENTRIES = 4096
MAX_FORMS = 64
enabled = False  # the test suite, which validates thousands of copies, turns it on

_memo: "OrderedDict[tuple, tuple]" = OrderedDict()
_tokens: dict[tuple, int] = {}  # the key of each distinct Forms seen -> a number standing for it in passage keys
_last: list = [None, None]  # the last forms asked about and its number (one run asks once per case)


def clear() -> None:
    _memo.clear()
    _tokens.clear()
    _last[:] = [None, None]


def forms_token(forms) -> int:
    """A number equal for equal forms (compiled patterns compare by pattern and flags)."""
    if forms is not None and _last[0] is forms:
        return _last[1]
    key = (None,)
    if forms is not None:
        facts = forms.facts
        if facts:
            pattern, abbreviations, folded = facts
            facts = (pattern, *(tuple((form, frozenset(codes)) for form, codes in table.items())
                                for table in (abbreviations, folded)))
        key = (tuple(forms.checked.items()), tuple(forms.alternatives.items()), tuple(forms.own.items()), facts,
               forms.times, forms.time_words, forms.follow_up)
    if key not in _tokens and len(_tokens) >= MAX_FORMS:
        clear()  # the numbers start again: no passage remembered under an old number may be found
    token = _tokens.setdefault(key, len(_tokens))
    _last[:] = [forms, token]
    return token


def recall(key: tuple, items: list, count) -> tuple:
    """(result, idle, used) of count(used, idle) for the passage whose key is given, or what it returned
    for an equal key before: `idle` (rows) and `used` (ids) are of the caller's items either way."""
    remembered = _memo.get(key)
    if remembered is None:
        used, idle = set(), []
        result = count(used, idle)
        places = {id(item): place for place, item in enumerate(items)}
        remembered = (result, tuple(places[id(item)] for item in idle),
                      tuple(place for place, item in enumerate(items) if id(item) in used))
        _memo[key] = remembered
        if len(_memo) > MAX_ENTRIES:
            _memo.popitem(last=False)
    else:
        _memo.move_to_end(key)
    result, idle_places, used_places = remembered
    return result, [items[place] for place in idle_places], {id(items[place]) for place in used_places}
