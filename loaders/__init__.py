"""Loaders: article files in, structured :class:`Article` objects out.

    >>> from loaders import load
    >>> result = load(["data/articles"])
    >>> result.articles[0].headline, result.errors

``load`` never raises for a bad input: each file that cannot be read is a :class:`LoadError`
(path and reason) and the others still load.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from loaders.model import (
    Article,
    LoadError,
    LoadResult,
    Paragraph,
    Section,
    Sentence,
    Span,
)
from loaders.read import Document, discover, read_file, unique_keys
from loaders.structure import structure

__all__ = [
    "Article",
    "LoadError",
    "LoadResult",
    "Paragraph",
    "Section",
    "Sentence",
    "Span",
    "load",
    "load_text",
]


def load(inputs: Iterable[str | Path]) -> LoadResult:
    """Load article files and folders (``.txt``, ``.html``/``.htm``, ``.jsonl``)."""
    files, errors = discover(inputs)
    documents: list[Document] = []
    for path in files:
        found, failed = read_file(path)
        documents.extend(found)
        errors.extend(failed)
    articles = [load_text(d.text, d.source, d.key, **d.metadata) for d in unique_keys(documents)]
    return LoadResult(articles=articles, errors=errors)


def load_text(text: str, source: str, key: str, **metadata: str) -> Article:
    """Structure an already decoded text. ``metadata``: headline (or title), date, url,
    publisher."""
    return structure(text, source, key, **metadata)
