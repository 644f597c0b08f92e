"""Loaders: article files in, structured :class:`Article` objects out.

    >>> from loaders import load
    >>> result = load(["data/articles"])
    >>> result.articles[0].headline, result.errors

``load`` never raises for a bad input: each file that cannot be read is a :class:`LoadError`
(path and reason) and the others still load.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from pathlib import Path

from loaders.model import (
    DEFAULT_MAX_ARTICLE_BYTES,
    Article,
    LoadError,
    LoadResult,
    Paragraph,
    Section,
    Sentence,
    Span,
)
from loaders.read import Document, discover, read_file, unique_documents
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


def load(
    inputs: Iterable[str | Path],
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES,
    only: Container[Path] | None = None,
) -> LoadResult:
    """Load article files and folders (``.txt``, ``.html``/``.htm``, ``.jsonl``); a file (or a
    JSONL line) over ``max_article_bytes`` is an error, not an article.

    ``only``: read just these files of the inputs (as :func:`discover` finds them, with the keys
    the whole inputs give them); the others, and their errors, are left out."""
    files, errors = discover(inputs)
    if only is not None:
        files = [found for found in files if found.path in only]
        errors = [error for error in errors if Path(error.source) in only]
    documents: list[Document] = []
    for found in files:
        read, failed = read_file(found, max_article_bytes)
        documents.extend(read)
        errors.extend(failed)
    unique, duplicates = unique_documents(documents)
    errors.extend(duplicates)
    articles = []
    for document in unique:
        try:
            articles.append(load_text(document.text, document.source, document.key, **document.metadata))
        except Exception as error:  # one text that trips the structure reader costs only itself
            errors.append(LoadError(document.source, f"cannot structure the text: {error!r}"))
    return LoadResult(articles=articles, errors=errors)


def load_text(text: str, source: str, key: str, **metadata: str) -> Article:
    """Structure an already decoded text. ``metadata``: headline (or title), date, url,
    publisher."""
    return structure(text, source, key, **metadata)
