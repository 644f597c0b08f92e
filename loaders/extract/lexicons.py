"""Domain word lists that the extraction components read: data files beside this module.

Each file under ``lexicons/`` says in its header where its knowledge comes from; ``#`` starts a
comment line. Lists are returned longest first so that alternations match the longest word.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicons")


def _rows(name: str) -> list[list[str]]:
    lines = (LEXICON_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@cache
def words(name: str) -> tuple[str, ...]:
    """The words of a one-column lexicon, longest first, without duplicates."""
    unique = {row[0].strip() for row in _rows(name)}
    return tuple(sorted(unique, key=lambda w: (-len(w), w)))


@cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a tab-separated lexicon, padded with empty strings to the widest row."""
    rows = _rows(name)
    width = max((len(r) for r in rows), default=0)
    return tuple(tuple(c.strip() for c in r) + ("",) * (width - len(r)) for r in rows)


def alternation(items: tuple[str, ...] | list[str]) -> str:
    """A regex alternation that prefers the longest item."""
    ordered = sorted(set(items), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w) for w in ordered)
