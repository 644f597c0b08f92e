"""Figures across an article: the year each refers to, the body it is about, what it counts."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable

from loaders.extract.assemble.mentions import Mention, Reading, sentence_starts
from loaders.extract.facts import ArticleFacts, Figure
from loaders.model import Article

RELATIVE_YEARS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年|(前年|去年|今年|明年)")
# Tags of words that can describe what a figure counts (LAC and jieba tag sets).
MEASURE_TAGS = {"n", "nz", "vn", "an", "a", "j", "nw", "ORG", "LOC", "b"}
LINK_TAGS = {"v", "u", "d", "p", "vd"}
Word = tuple[int, int, str]


def place_figures(reading: Reading) -> None:
    article, facts = reading.article, reading.facts
    years = governing_years(article)
    this_year = article_year(article)
    subjects = sentence_subjects(reading)
    words_of = {id(p): Words(d._.words or []) for p, d in zip(article.paragraphs, reading.docs, strict=True)}
    sentence_start = {
        sentence.index: start
        for paragraph in article.paragraphs
        for sentence, start in zip(paragraph.sentences, sentence_starts(paragraph), strict=True)
    }
    named: dict[int, list[tuple[int, str]]] = defaultdict(list)  # by sentence: one lookup per figure
    for m in reading.mentions["gh_org"]:
        if body := reading.body(m):
            named[m.sentence].append((m.span.start_char, body))
    for mention in reading.mentions["gh_figure"]:
        start, end = mention.paragraph.original_range(mention.span.start_char, mention.span.end_char)
        before = mention.paragraph.text[sentence_start[mention.sentence] : mention.span.start_char]
        stated = stated_year(before, this_year)
        # The body named last before the figure in its sentence, else the sentence's subject.
        preceding = [b for at, b in named.get(mention.sentence, ()) if at < mention.span.start_char]
        facts.figures.append(
            Figure(
                text=mention.text,
                quantity=mention.span._.figure,
                sentence=mention.sentence,
                start=start,
                end=end,
                year=stated if stated is not None else years.get(mention.paragraph.index),
                about=preceding[-1] if preceding else subjects.get(mention.sentence),
                measure=measure(mention, words_of[id(mention.paragraph)]),
            )
        )


def sentence_subjects(reading: Reading) -> dict[int, str]:
    """The body each sentence is about: its first named body, else the last one named earlier in
    the paragraph, else the section's (or the headline's)."""
    facts: ArticleFacts = reading.facts
    first: dict[int, str] = {}
    for mention in reading.mentions["gh_org"]:
        if body := reading.body(mention):
            first.setdefault(mention.sentence, body)
    subjects: dict[int, str] = {}
    for paragraph in reading.article.paragraphs:
        current = facts.section_organization(paragraph.section)
        for sentence in paragraph.sentences:
            current = first.get(sentence.index, current)
            if current:
                subjects[sentence.index] = current
    return subjects


def governing_years(article: Article) -> dict[int, int]:
    """The year each paragraph reports on: a paragraph opening with 2022年 sets it for itself and
    the paragraphs after it in the same section, until another opens with a year."""
    years: dict[int, int] = {}
    current: int | None = None
    section: int | None = -2
    for paragraph in article.paragraphs:
        if paragraph.section != section:
            current, section = None, paragraph.section
        opening = YEAR.match(paragraph.text)
        if opening and (year := stated_year(opening.group(), article_year(article))) is not None:
            current = year
        if current is not None:
            years[paragraph.index] = current
    return years


def article_year(article: Article) -> int | None:
    found = re.search(r"(?:19|20)\d{2}", article.date or "")
    return int(found.group()) if found else None


def stated_year(text: str, this_year: int | None) -> int | None:
    """The last year the text names: 2022年, or 今年/去年 when the article's date is known."""
    for found in reversed(list(YEAR.finditer(text))):
        if found.group(1):
            return int(found.group(1))
        if this_year is not None:
            return this_year + RELATIVE_YEARS[found.group(2)]
    return None


class Words:
    """A paragraph's words (in order, not overlapping) with their bounds, for binary search: a
    figure looks only at its neighbours, so a long paragraph costs no more per figure."""

    def __init__(self, words: list[Word]) -> None:
        self.words = words
        self.starts = [w[0] for w in words]
        self.ends = [w[1] for w in words]


def measure(mention: Mention, words: Words) -> str | None:
    """What the figure counts: the nouns right after it (2736名职工), else those before it,
    across a linking verb (入会率达到了80%)."""
    text, found = mention.paragraph.text, words.words
    first_after = bisect.bisect_left(words.starts, mention.span.end_char)
    after = nominal_run(found[i] for i in range(first_after, len(found)))
    if after:
        return text[after[0][0] : after[-1][1]]
    last_before = bisect.bisect_right(words.ends, mention.span.start_char) - 1
    while last_before > 0 and found[last_before][2] in LINK_TAGS:
        last_before -= 1
    run = nominal_run(found[i] for i in range(last_before, -1, -1))
    return text[run[-1][0] : run[0][1]] if run else None


def nominal_run(words: Iterable[Word]) -> list[Word]:
    run = []
    for word in words:
        if word[2] not in MEASURE_TAGS:
            break
        run.append(word)
    return run
