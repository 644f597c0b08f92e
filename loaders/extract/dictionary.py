"""What a general Chinese dictionary says about a word: jieba's ``dict.txt`` as the package ships it.

The statistical tagger labels a word PER or ORG; this dictionary is independent evidence against
that label. A word that jieba lists, often enough, as a verb, adjective, numeral or idiom (相识 v,
一半 m) is a common word the tagger mislabelled, not a name. The dictionary's person entries (tag ``nr``)
also tell which characters begin Chinese personal names, i.e. the surnames.
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import cache

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
def _dictionary() -> tuple[dict[str, int], dict[str, str]]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ, jieba.posseg.dt.word_tag_tab


def frequencies() -> dict[str, int]:
    """The dictionary's words and how often jieba has seen each (0 for entries it only tags)."""
    return _dictionary()[0]


def dictionary_tag(word: str) -> str | None:
    """jieba's part of speech for ``word`` when its dictionary lists it often enough to count."""
    frequency, tags = _dictionary()
    if (frequency.get(word) or 0) < COMMON_FREQUENCY:
        return None
    return tags.get(word)


def is_common_word(word: str) -> bool:
    """True when the dictionary lists ``word`` as a frequent word of a kind that never names
    anyone or anything (相识 v, 一半 m). Rarer entries carry names under such tags too."""
    frequency, _ = _dictionary()
    return (frequency.get(word) or 0) >= FREQUENT and dictionary_tag(word) in NOT_NAME_TAGS


def is_known_word(word: str) -> bool:
    """True when the dictionary lists ``word`` at all, other than as a person's name: a string the
    tagger did not call a name needs this to be false before a rule may call it one."""
    frequency, tags = _dictionary()
    return word in frequency and frequency[word] > 0 and tags.get(word) not in PERSON_TAGS


@cache
def surnames() -> frozenset[str]:
    """Characters that begin personal names often in jieba's dictionary (王, 李, 黄, 欧 ...)."""
    _, tags = _dictionary()
    first = Counter(word[0] for word, tag in tags.items() if tag == "nr" and 2 <= len(word) <= 3)
    return frozenset(char for char, count in first.items() if count >= SURNAME_ENTRIES)
