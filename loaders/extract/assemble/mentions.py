"""Spans placed in their article, the per-article state the readers share, and name helpers."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from loaders.extract.facts import ArticleFacts
from loaders.model import Article, Paragraph

SPAN_GROUPS = ("gh_org", "gh_title", "gh_person", "gh_campaign", "gh_figure")
QUOTE_MARKS = "“”‘’「」『』\"'"


@dataclass(frozen=True)
class Mention:
    """A span placed in the article: its paragraph (offsets are the paragraph's), sentence, section."""

    span: Span
    paragraph: Paragraph
    sentence: int
    section: int | None

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def key(self) -> tuple[int, int]:
        """Where the mention ends: (paragraph, offset), for finding what stands right before another."""
        return id(self.paragraph), self.span.end_char

    @property
    def start_key(self) -> tuple[int, int]:
        return id(self.paragraph), self.span.start_char


@dataclass
class Reading:
    """One article being read: its docs, the components' spans placed in sentences, and the facts."""

    article: Article
    docs: list[Doc]
    mentions: dict[str, list[Mention]]
    facts: ArticleFacts = field(default_factory=ArticleFacts)
    bodies: dict[int, str] = field(default_factory=dict)
    """The body each organization span refers to (by the span's id), once resolved."""
    people: dict[int, str] = field(default_factory=dict)
    """The name each person span stands for (by the span's id), once settled."""

    @classmethod
    def of(cls, article: Article, docs: list[Doc]) -> Reading:
        return cls(article, docs, {key: place(article, docs, key) for key in SPAN_GROUPS})

    def body(self, mention: Mention) -> str | None:
        return self.bodies.get(id(mention.span))

    def person(self, mention: Mention) -> str:
        return self.people.get(id(mention.span), mention.text)


def place(article: Article, docs: list[Doc], key: str) -> list[Mention]:
    found = []
    for paragraph, doc in zip(article.paragraphs, docs, strict=True):
        starts = sentence_starts(paragraph)
        for span in doc.spans.get(key, []):
            local = max(bisect.bisect_right(starts, span.start_char) - 1, 0)
            found.append(Mention(span, paragraph, paragraph.sentences[local].index, paragraph.section))
    return found


def sentence_starts(paragraph: Paragraph) -> list[int]:
    """Where each sentence of a paragraph starts in the paragraph's normalised text."""
    position = {offset: i for i, offset in enumerate(paragraph.offsets)}
    return [position[s.offsets[0]] for s in paragraph.sentences]


def normal(name: str) -> str:
    """A name as the graph labels it: NFKC, no quotation marks, single spaces."""
    name = unicodedata.normalize("NFKC", name)
    name = "".join(c for c in name if c not in QUOTE_MARKS)
    return re.sub(r"\s+", " ", name).strip()


def is_subsequence(short: str, full: str) -> bool:
    characters = iter(full)
    return all(c in characters for c in short)
