"""jieba's part-of-speech segmentation, for the loaders' checks on short strings (a heading, a
credited name) before the pipeline runs: the same dictionary ``loaders.extract.dictionary`` reads.

jieba's tokenizer asks its prefix dictionary a few questions per character; they are answered by
the dictionary table (``loaders.extract.dictionary_cache``), so the first heading an article
names no longer costs its process the 0.5 s of loading jieba's whole prefix dictionary. The word
tags are jieba's own, read when ``jieba.posseg`` is imported. The cut is jieba's, word for word.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any


@cache
def _tokenizer() -> Any:
    import jieba
    import jieba.posseg

    from loaders.extract.dictionary import jieba_frequencies

    class TablePosTokenizer(jieba.posseg.POSTokenizer):  # type: ignore[misc]
        """jieba's POS tokenizer over a tokenizer whose prefix dictionary is the table."""

        def __init__(self) -> None:
            tokenizer = jieba.Tokenizer()
            tokenizer.FREQ, tokenizer.total = jieba_frequencies()
            tokenizer.initialized = True  # nothing left to load
            self.tokenizer = tokenizer
            self.word_tag_tab = jieba.posseg.dt.word_tag_tab

    jieba.setLogLevel(logging.WARNING)
    return TablePosTokenizer()


def pos_words(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (word, part of speech) pairs: 以职工为中心 → 以 p, 职工 n, 为 p, 中心 n."""
    return [(pair.word, pair.flag) for pair in _tokenizer().cut(text)]
