"""The article as the loaders hand it on: plain data, no behaviour.

Offsets (``start``/``end``) always index ``Article.text``, the article text as loaded (decoded,
nothing else changed), so every fact can point back at the original characters. The ``text`` of a
paragraph or sentence is the normalised form that extraction reads (line breaks inside a
paragraph joined, half-width punctuation made full-width); ``offsets[i]`` is the position in
``Article.text`` of its ``i``-th character.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The largest article read (``build --max-article-bytes``): a file, or one line of a ``.jsonl``.
DEFAULT_MAX_ARTICLE_BYTES = 5_000_000


@dataclass(frozen=True)
class Span:
    """A stretch of normalised text with its way back into ``Article.text``."""

    text: str
    offsets: tuple[int, ...]

    @property
    def start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0

    def original_range(self, start: int, end: int) -> tuple[int, int]:
        """Map ``[start, end)`` of ``self.text`` to ``[start, end)`` of the article text."""
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Sentence(Span):
    index: int = 0
    paragraph: int = 0
    section: int | None = None


@dataclass(frozen=True)
class Paragraph(Span):
    index: int = 0
    section: int | None = None
    sentences: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Section:
    """A part of the article under a heading that names an organization."""

    index: int
    heading: str
    subheading: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Article:
    source: str
    """Where it came from: the file path, with ``:LINE`` for a line of a ``.jsonl`` file."""
    key: str
    """What identifies the article in IRIs and ``schema:identifier``: its path from the input
    argument's own name down (``corpus/2023-01/index.txt``), or the url of a JSONL line."""
    text: str
    headline: str | None = None
    series: str | None = None
    part: int | None = None
    reporters: tuple[str, ...] = ()
    """People credited with writing (or photographing) it: bylines, datelines, sign-offs."""
    editors: tuple[str, ...] = ()
    """People credited with editing or approving it: 编辑, 责任编辑, 终审 ..."""
    date: str | None = None
    """Publication date, ISO ``YYYY-MM-DD``: from the metadata, else from the text."""
    url: str | None = None
    publisher: str | None = None
    """The named source: the metadata's, else 来源：…, a medium glued to the date, a dateline's."""
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)


@dataclass(frozen=True)
class LoadError:
    """An input that could not be read: reported, skipped, never fatal to the rest."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
