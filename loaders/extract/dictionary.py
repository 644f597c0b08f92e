"""What a general Chinese dictionary says about a word: jieba's ``dict.txt`` as the package ships it,
looked up in a table built from it once (``dictionary_cache``), not loaded whole by every process.

The statistical tagger labels a word PER or ORG; this dictionary is independent evidence against
that label. A word that jieba lists, often enough, as a verb, adjective, numeral or idiom (相识 v,
一半 m) is a common word the tagger mislabelled, not a name. The dictionary's person entries (tag ``nr``)
also tell which characters begin Chinese personal names, i.e. the surnames.
"""

from __future__ import annotations

from functools import cache

from loaders.extract.dictionary_cache import Frequencies, Lookup, open_lookup

PERSON_TAGS = frozenset({"nr", "nrt", "nrfg"})
# jieba's tags that never name anyone: verbs, adjectives, adverbs, numerals and measure words,
# pronouns, function words, idioms and set phrases. Its noun tags (n, ns, nz, t ...) are not
# among them: the dictionary files many real names under those (桥本 n, 周恩来 t).
NOT_NAME_TAGS = frozenset(
    {
        "v",
        "vn",
        "vd",
        "vg",
        "a",
        "ad",
        "an",
        "ag",
        "d",
        "dg",
        "m",
        "mq",
        "q",
        "r",
        "rr",
        "rz",
        "p",
        "c",
        "u",
        "uj",
        "ul",
        "uz",
        "uv",
        "ud",
        "ug",
        "f",
        "i",
        "l",
        "y",
        "e",
        "o",
        "zg",
        "z",
    }
)
# A word jieba has seen this often with another tag is a common word; rarer entries prove little.
COMMON_FREQUENCY = 3
# A word seen this often with a tag that never names anyone is that word, not a name.
FREQUENT = 50
# A character that begins this many of jieba's two- and three-character person entries is a surname.
SURNAME_ENTRIES = 10


@cache
def _lookup() -> Lookup:
    return open_lookup()


def jieba_frequencies() -> tuple[Frequencies, int]:
    """The dictionary as jieba's tokenizer reads it: its prefix dictionary and total frequency."""
    lookup = _lookup()
    return Frequencies(lookup), lookup.total


def frequency(word: str) -> int:
    """How often jieba has seen ``word`` (0 when its dictionary does not list it)."""
    row = _lookup().row(word)
    return row[0] if row else 0


def dictionary_tag(word: str) -> str | None:
    """jieba's part of speech for ``word`` when its dictionary lists it often enough to count."""
    row = _lookup().row(word)
    return row[1] if row and row[0] >= COMMON_FREQUENCY else None


def is_common_word(word: str) -> bool:
    """True when the dictionary lists ``word`` as a frequent word of a kind that never names
    anyone or anything (相识 v, 一半 m). Rarer entries carry names under such tags too."""
    return frequency(word) >= FREQUENT and dictionary_tag(word) in NOT_NAME_TAGS


def is_known_word(word: str) -> bool:
    """True when the dictionary lists ``word`` at all, other than as a person's name: a string the
    tagger did not call a name needs this to be false before a rule may call it one."""
    row = _lookup().row(word)
    return row is not None and row[0] > 0 and row[1] not in PERSON_TAGS


@cache
def surnames() -> frozenset[str]:
    """Characters that begin personal names often in jieba's dictionary (王, 李, 黄, 欧 ...)."""
    return frozenset(char for char, count in _lookup().name_starts().items() if count >= SURNAME_ENTRIES)
