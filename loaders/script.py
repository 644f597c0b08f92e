"""Traditional characters read through their simplified forms, so that the rules and word lists
written in simplified Chinese serve 繁體 articles too: OpenCC's ``t2s`` conversion, from the
packaged build on PyPI (its dictionaries ship inside the wheel).

What is kept is always the text as written: a rule reads the simplified line, and each value it
finds is taken back from the same positions of the original. The assembly of an article's facts
reads a whole article the same way (``loaders.extract.assemble.script``).
"""

from __future__ import annotations

from functools import cache


@cache
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` in simplified characters, position for position: a phrase conversion that would
    change the length falls back to one character at a time."""
    try:
        converted = _t2s().convert(text)  # type: ignore[attr-defined]
    except UnicodeEncodeError:  # a lone surrogate: OpenCC takes UTF-8, and such text has no hanzi to map
        return text
    if len(converted) == len(text):
        return converted
    return "".join(c if len(one := _t2s().convert(c)) != 1 else one for c in text)  # type: ignore[attr-defined]


def as_written(value: str, simplified_text: str, original: str) -> str:
    """The characters of ``original`` where ``value`` stands in ``simplified_text`` (its
    simplified form): 刘晓燕 found in 记者 刘晓燕 is 劉曉燕 in 記者 劉曉燕."""
    start = simplified_text.find(value)
    if start < 0 or len(simplified_text) != len(original):
        return value
    return original[start : start + len(value)]
