"""jieba's part-of-speech segmentation, for the loaders' checks on short strings (a heading, a
credited name) before the pipeline runs: the same dictionary ``loaders.extract.dictionary`` reads."""

from __future__ import annotations

import logging
from functools import cache


@cache
def _tokenizer() -> object:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.dt


def pos_words(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (word, part of speech) pairs: 以职工为中心 → 以 p, 职工 n, 为 p, 中心 n."""
    return [(pair.word, pair.flag) for pair in _tokenizer().cut(text)]  # type: ignore[attr-defined]
