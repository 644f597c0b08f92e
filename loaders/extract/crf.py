"""People and organizations by a character CRF over LAC's analysis (python-crfsuite, pinned).

LAC segments and tags the sentence; a linear-chain CRF trained on public NER sets (CLUENER2020,
People's Daily 1998, MSRA; see README "Data and models") then labels every character B/I-PER,
B/I-ORG, B/I-LOC or O from the characters around it, the LAC word it sits in (its position and
tag, the words before and after), surname-list membership and title words next to it. The CRF's
people and organizations replace LAC's PER/ORG words, except those of LAC's it does not rule out
(``CrfTagger.kept_lac_entities``); everything else keeps LAC's words and tags (places too), so the
tagger answers like ``LacTagger``: text → ``[(word, tag), ...]``.

The weights (``models/ner.crfsuite``) and the surname list (``models/ner-surnames.txt``) are
written by ``bench/ner_train.py`` from ``models/ner-train.toml``; the features below are shared
by training and tagging, so a change here needs a retrain.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import pycrfsuite

from loaders.extract import lexicons
from ontology import name_suffixes

MODEL_DIR = Path(__file__).with_name("models")
MODEL = MODEL_DIR / "ner.crfsuite"
SURNAMES = MODEL_DIR / "ner-surnames.txt"
TRAINING_CONFIG = MODEL_DIR / "ner-train.toml"

Words = list[tuple[str, str]]
Span = tuple[int, int, str]
ENTITY_TAGS = ("PER", "ORG")
LAC_ENTITY_TAGS = ("PER", "ORG", "LOC", "TIME")
# LAC's tag for "other proper noun": a PER/ORG word of LAC's that the CRF does not confirm is still
# a name of something, and must not reach doc.ents as an entity.
UNCONFIRMED_TAG = "nz"
START, END = "<s>", "</s>"
# A PER/ORG word of LAC's that the CRF leaves out is kept while the CRF gives it at least this
# probability. Across 0.1 to 0.4 the held-out F1 of every set moved by about a point at most (a
# lower bound trades precision for as much recall); the pipeline's later components filter names
# by their context and suffix, so recall is worth more to them.
KEEP_LAC_ENTITY = 0.15


def read_surnames(path: Path = SURNAMES) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def word_positions(words: Words) -> tuple[list[str], list[int]]:
    """For every character: its position in its word and the word's tag (``B``/``M``/``E``/``S``
    plus the tag, e.g. ``BPER``), and the index of its word."""
    positions: list[str] = []
    indices: list[int] = []
    for index, (word, tag) in enumerate(words):
        size = len(word)
        if size == 1:
            positions.append("S" + tag)
        else:
            positions.append("B" + tag)
            positions.extend(["M" + tag] * (size - 2))
            positions.append("E" + tag)
        indices.extend([index] * size)
    return positions, indices


class FeatureMaker:
    """The CRF's input: one list of feature strings per character of the text."""

    def __init__(self, surnames: frozenset[str], titles: frozenset[str]) -> None:
        self.surnames = surnames
        self.titles = titles

    def __call__(self, text: str, words: Words) -> list[list[str]]:
        size = len(text)
        padded = [START, START, *text, END, END]
        positions, indices = word_positions(words)
        if len(positions) != size:
            raise ValueError(f"the words cover {len(positions)} characters of a text of {size}")
        last_word = len(words) - 1
        features = []
        for i in range(size):
            before2, before, char, after, after2 = padded[i : i + 5]
            index = indices[i]
            word = words[index][0]
            previous_word = words[index - 1][0] if index else START
            next_word = words[index + 1][0] if index < last_word else END
            row = [
                "bias",
                "c0=" + char,
                "c-1=" + before,
                "c1=" + after,
                "c-2=" + before2,
                "c2=" + after2,
                "c-1c0=" + before + char,
                "c0c1=" + char + after,
                "c-2c-1=" + before2 + before,
                "c1c2=" + after + after2,
                "L=" + positions[i],
                "Lp=" + (positions[i - 1] if i else START),
                "Ln=" + (positions[i + 1] if i + 1 < size else END),
                "pw=" + previous_word,
                "nw=" + next_word,
            ]
            if len(word) <= 4:
                row.append("w=" + word)
            if char in self.surnames:
                row.append("sur" + positions[i][0])
            if previous_word in self.titles:
                row.append("ptitle")
            if next_word in self.titles:
                row.append("ntitle")
            features.append(row)
        return features


def default_features() -> FeatureMaker:
    return FeatureMaker(read_surnames(), frozenset(lexicons.words("titles.txt")))


def entity_spans(labels: Sequence[str]) -> list[Span]:
    """``(start, end, tag)`` of the B/I label runs; an I without its B starts a span."""
    spans: list[Span] = []
    start, tag = -1, ""
    for i, label in enumerate([*labels, "O"]):
        inside = label.startswith("I-") and label[2:] == tag
        if start >= 0 and not inside:
            spans.append((start, i, tag))
            start, tag = -1, ""
        if label != "O" and not inside:
            start, tag = i, label[2:]
    return spans


def merge(text: str, words: Words, spans: list[Span]) -> Words:
    """LAC's words with the CRF's entities in place of LAC's PER/ORG.

    Each entity span becomes one word. The LAC words outside the spans stay as they are, cut at a
    span's edge where one reaches into it; a LAC PER/ORG word the CRF did not confirm, and a cut
    piece of any LAC entity word, become ``UNCONFIRMED_TAG``."""
    merged: Words = []
    spans = sorted(spans)
    next_span = 0
    start = 0
    for word, tag in words:
        end = start + len(word)
        cursor = start
        while cursor < end:
            while next_span < len(spans) and spans[next_span][1] <= cursor:
                next_span += 1
            if next_span < len(spans) and spans[next_span][0] <= cursor:
                span_start, span_end, span_tag = spans[next_span]
                if span_start == cursor:  # else the span began in an earlier word and is out already
                    merged.append((text[span_start:span_end], span_tag))
                cursor = span_end
                continue
            piece_end = min(end, spans[next_span][0]) if next_span < len(spans) else end
            whole = cursor == start and piece_end == end
            unconfirmed = tag in ENTITY_TAGS or (not whole and tag in LAC_ENTITY_TAGS)
            merged.append((text[cursor:piece_end], UNCONFIRMED_TAG if unconfirmed else tag))
            cursor = piece_end
        start = end
    return merged


class CrfTagger:
    """LAC, then the CRF: ``tagger(text)`` → ``[(word, tag), ...]`` like ``LacTagger``."""

    def __init__(self, model: Path | None = None, lac: Callable[[str], Words] | None = None) -> None:
        if lac is None:
            from loaders.extract.lac import LacTagger

            lac = LacTagger()
        self.lac = lac
        self.features = default_features()
        suffixes = lexicons.alternation([suffix for suffix, _ in name_suffixes()])
        self.org_suffix = re.compile(f"(?:{suffixes})$")
        self.crf = pycrfsuite.Tagger()
        self.crf.open(str(model or MODEL))  # raises ValueError for a missing or unreadable model

    def __call__(self, text: str) -> Words:
        if not text:
            return []
        words = self.lac(text)
        self.crf.set(self.features(text, words))
        spans = [span for span in entity_spans(self.crf.tag()) if span[2] in ENTITY_TAGS]
        return merge(text, words, spans + self.kept_lac_entities(words, spans))

    def kept_lac_entities(self, words: Words, spans: list[Span]) -> list[Span]:
        """LAC's PER/ORG words that no CRF entity touches and that the CRF does not rule out: the
        mean marginal probability of their labels (B- on the first character, I- on the rest) is
        at least ``KEEP_LAC_ENTITY``, or, for an ORG word, it ends in a suffix the ontology ties to
        an organization class (gh:nameSuffix), as the names of the bodies this project reads do.
        Call after ``self.crf.set`` for the same words."""
        taken = {i for start, end, _ in spans for i in range(start, end)}
        kept: list[Span] = []
        start = 0
        for word, tag in words:
            end = start + len(word)
            if tag in ENTITY_TAGS and taken.isdisjoint(range(start, end)):
                if tag == "ORG" and self.org_suffix.search(word):
                    kept.append((start, end, tag))
                else:
                    labels = ["B-" + tag] + ["I-" + tag] * (len(word) - 1)
                    belief = sum(self.crf.marginal(label, i) for i, label in enumerate(labels, start))
                    if belief / len(word) >= KEEP_LAC_ENTITY:
                        kept.append((start, end, tag))
            start = end
        return kept
