"""Is this a plausible Chinese personal name? Used on bylines and sign-offs, where the words are
names or not and no sentence context helps.

The evidence is jieba's own resources, never a list of names: its dictionary's part-of-speech tags
(a word it knows as something else, such as 系统管理 or 客户端, is not a name) and the hidden Markov
model's character states (a name starts with a character jieba has seen begin a personal name).
"""

from __future__ import annotations

import re
from functools import cache

HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
# A transliterated name in Chinese characters joined by middle dots: 阿依古丽·买买提.
TRANSLITERATED = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8})+$")
NAME_TAGS = ("nr", "nrt", "nrfg")


@cache
def _jieba() -> tuple[dict[str, str], dict[str, tuple[tuple[str, str], ...]], object]:
    """jieba's word → part-of-speech table, its character-state table and its POS tokenizer,
    loaded once (importing ``jieba.posseg`` reads the dictionary)."""
    import jieba
    import jieba.posseg as posseg
    from jieba.posseg import char_state_tab

    jieba.setLogLevel(60)
    return posseg.dt.word_tag_tab, char_state_tab.P, posseg.dt


def _is_name_tag(tag: str | None) -> bool:
    return tag is not None and tag.startswith(NAME_TAGS)


def plausible_person_name(text: str) -> bool:
    """2-4 Han characters (or a transliterated name) that jieba does not know as another kind of
    word, starting with a character that begins personal names; four characters only when jieba
    reads it as one name or begins it with a three-character name (欧阳明远), so that a two-character
    name glued to a word (张三了解) is not one."""
    if TRANSLITERATED.match(text):
        return True
    if not HAN_NAME.match(text):
        return False
    tags, states, tokenizer = _jieba()
    known = tags.get(text)
    if known is not None:
        return _is_name_tag(known)
    if ("B", "nr") not in states.get(text[0], ()):
        return False
    if len(text) < 4:
        return True
    words = list(tokenizer.cut(text))  # type: ignore[attr-defined]
    return _is_name_tag(words[0].flag) and (len(words) == 1 or len(words[0].word) >= 3)
