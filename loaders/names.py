"""Is this a plausible Chinese personal name? Used on bylines and sign-offs, where the words are
names or not and no sentence context helps.

The evidence is jieba's dictionary as the package ships it (``loaders.extract.dictionary``), never
a list of names: a word it knows as something else (信息管理, 客户端) is not a name, and a name
begins with a character that begins many of its person entries (a surname).
"""

from __future__ import annotations

import re

from loaders.extract.dictionary import PERSON_TAGS, is_known_word, surnames
from loaders.segment import pos_words

HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
# A transliterated name in Chinese characters joined by middle dots: 阿依古丽·买买提.
TRANSLITERATED = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8})+$")


def plausible_person_name(text: str) -> bool:
    """2-4 Han characters (or a transliterated name) that the dictionary does not know as another
    kind of word, starting with a surname; four characters only when jieba reads them as one name
    or begins them with a three-character name (欧阳明远), so that a two-character name glued to a
    word (张三了解) is not one."""
    if TRANSLITERATED.match(text):
        return True
    if not HAN_NAME.match(text) or is_known_word(text) or text[0] not in surnames():
        return False
    if len(text) < 4:
        return True
    words = pos_words(text)
    first, tag = words[0]
    return tag in PERSON_TAGS and (len(words) == 1 or len(first) >= 3)
