"""The year a figure refers to, from the article's own words and its date.

A year stated before the figure in its sentence wins (2022年; 今年, 去年 against the article's
date; a month and day, 12月6日, against the article's date too). Else the year in force: a
sentence that opens with a date (2022年，…; 7月12日，…) sets it for what follows in its section.
Else the first year the figure's paragraph states (…近900名职工。这是今年…). An article
without a written date gives relative dates no year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.model import Article

RELATIVE_YEARS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
YEAR = re.compile(
    r"(?<![\d.])(?P<year>(?:19|20)\d{2})年"
    r"|(?P<relative>前年|去年|今年|明年)"
    r"|(?<![\d年.])(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>[12]\d|3[01]|0?[1-9])[日号])?"
)
# What may stand before a date that opens a sentence (“, 「, a space).
OPENING = re.compile(r"^[\s“「『（(]*")


@dataclass(frozen=True)
class ArticleDate:
    year: int | None
    month: int | None

    @classmethod
    def of(cls, article: Article) -> ArticleDate:
        found = re.search(r"((?:19|20)\d{2})(?:\D(\d{1,2}))?", article.date or "")
        if not found:
            return cls(None, None)
        return cls(int(found.group(1)), int(found.group(2)) if found.group(2) else None)

    def year_of(self, match: re.Match[str]) -> int | None:
        """The year a date expression names, or None when it needs a date the article lacks."""
        if match.group("year"):
            return int(match.group("year"))
        if self.year is None:
            return None
        if match.group("relative"):
            return self.year + RELATIVE_YEARS[match.group("relative")]
        # A month after the article's own is last year's (a January article on 12月).
        month = int(match.group("month"))
        return self.year - 1 if self.month is not None and month > self.month else self.year


def stated_year(text: str, date: ArticleDate) -> int | None:
    """The last year ``text`` names."""
    for found in reversed(list(YEAR.finditer(text))):
        if (year := date.year_of(found)) is not None:
            return year
    return None


def opening_year(text: str, date: ArticleDate) -> int | None:
    """The year of a date the text opens with (2022年，…; 7月12日，…)."""
    found = YEAR.match(text, OPENING.match(text).end())  # type: ignore[union-attr]
    return date.year_of(found) if found else None


def paragraph_years(article: Article) -> dict[int, int]:
    """For each sentence, the year in force (set by the last sentence before it, in its section,
    that opened with a date), else the first year its paragraph states."""
    date = ArticleDate.of(article)
    years: dict[int, int] = {}
    in_force: int | None = None
    section: int | None = -2
    for paragraph in article.paragraphs:
        if paragraph.section != section:
            in_force, section = None, paragraph.section
        own = next((y for m in YEAR.finditer(paragraph.text) if (y := date.year_of(m)) is not None), None)
        for sentence in paragraph.sentences:
            opening = opening_year(sentence.text, date)
            in_force = opening if opening is not None else in_force
            year = in_force if in_force is not None else own
            if year is not None:
                years[sentence.index] = year
    return years
