"""Figures across an article: the year each refers to, the body it is about, what it counts."""

from __future__ import annotations

from collections.abc import Iterable

from loaders.extract.assemble.actors import Actors
from loaders.extract.assemble.mentions import Mention, Reading, sentence_starts
from loaders.extract.assemble.years import ArticleDate, paragraph_years, stated_year
from loaders.extract.facts import Figure
from loaders.extract.words import Word, WordIndex

# Tags of words that can describe what a figure counts (LAC and jieba tag sets).
MEASURE_TAGS = {"n", "nz", "vn", "an", "a", "j", "nw", "ORG", "LOC", "b"}
LINK_TAGS = {"v", "u", "d", "p", "vd"}


def place_figures(reading: Reading) -> None:
    article, facts = reading.article, reading.facts
    years = paragraph_years(article)
    date = ArticleDate.of(article)
    actors = Actors(reading)
    subjects = actors.subjects()
    words_of = {
        id(p): WordIndex(d._.words or []) for p, d in zip(article.paragraphs, reading.docs, strict=True)
    }
    sentence_start = {
        sentence.index: start
        for paragraph in article.paragraphs
        for sentence, start in zip(paragraph.sentences, sentence_starts(paragraph), strict=True)
    }
    for mention in reading.mentions["gh_figure"]:
        start, end = mention.paragraph.original_range(mention.span.start_char, mention.span.end_char)
        before = mention.paragraph.text[sentence_start[mention.sentence] : mention.span.start_char]
        stated = stated_year(before, date)
        # The body acting in the figure's clause, else its sentence's actor, else the paragraph's.
        about = actors.agent_in_clause(mention)
        if about is None:
            direct = actors.subject(mention.sentence, mention.span.start_char)
            about = subjects.get(mention.sentence) if direct is None else direct
        facts.figures.append(
            Figure(
                text=mention.text,
                quantity=mention.span._.figure,
                sentence=mention.sentence,
                start=start,
                end=end,
                year=stated if stated is not None else years.get(mention.sentence),
                about=about or None,
                measure=measure(mention, words_of[id(mention.paragraph)]),
            )
        )


def measure(mention: Mention, words: WordIndex) -> str | None:
    """What the figure counts: the nouns right after it (2736名职工), else those before it,
    across a linking verb (入会率达到了80%)."""
    text, found = mention.paragraph.text, words.words
    after = nominal_run(found[words.after(mention.span.end_char) :])
    if after:
        return text[after[0][0] : after[-1][1]]
    last = words.before(mention.span.start_char) - 1
    while last > 0 and found[last][2] in LINK_TAGS:
        last -= 1
    run = nominal_run(found[i] for i in range(last, -1, -1))
    return text[run[-1][0] : run[0][1]] if run else None


def nominal_run(words: Iterable[Word]) -> list[Word]:
    run = []
    for word in words:
        if word[2] not in MEASURE_TAGS:
            break
        run.append(word)
    return run
