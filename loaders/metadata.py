"""The lines around an article that describe it rather than tell it: dates, sources, counters,
credits; and the dateline that opens the lead.

Pages print them above or below the text: ``发布时间：2023-05-29 点击量：120 来源：某某晚报``,
``2023-04-11 09:26:05某某客户端`` (a source glued after the time), ``日期:2023-03-31``, a bare
``2018-3-1``, ``原标题：…``, ``责任编辑：张三``, a date sign-off ``2022年11月8日`` at the end. Such a
line is read for its fields and never becomes a paragraph (a counter's number is not a figure of
the article). Datelines (本报讯（记者 张三）3月30日, 某某网某地新闻5月8日电) give the month and day,
the medium, and the reporters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from loaders.bylines import Credits, medium_name, medium_prefix, names_in, parse_credits, unwrap
from loaders.extract.lexicons import alternation, table
from loaders.script import as_written, simplified

YEAR = r"(?P<y>(?:19|20)\d{2})"
DATE = re.compile(
    YEAR + r"\s*(?:(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})"
    r"|年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日)"
    r"(?:\s*(?:星期|礼拜|周)[一二三四五六日天])?"
    r"(?:[\sT]*(?P<time>\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"(?:\s*(?:星期|礼拜|周)[一二三四五六日天])?"
)
# Square brackets pages set around each field: 【发布时间：2023-05-29】【来源：某某晚报】.
FIELD_BRACKETS = re.compile(r"[【】\[\]〔〕［］]")
CHINESE_DIGITS = "零一二三四五六七八九"
# A sign-off in Chinese numerals, as official documents date themselves: 二〇二二年十一月八日.
CHINESE_NUMERAL = "[〇零一二三四五六七八九十]"
CHINESE_DATE = re.compile(
    rf"(?P<y>{CHINESE_NUMERAL}{{4}})年(?P<m>{CHINESE_NUMERAL}{{1,2}})月(?P<d>{CHINESE_NUMERAL}{{1,3}})日"
)
META_LINE_MAX = 120
# 本报讯（记者 张三）3月30日 / 本报3月30日讯 / 某某网某地5月8日电（记者 张三）
MONTH_DAY = r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日"
BYLINE_BRACKET = r"\s*(?:[（(](?P<byline>[^（）()]{2,60})[）)])?"
DATELINES = (
    # 某某网某地5月8日电, 本报3月5日讯: the date stands before 电 or 讯.
    re.compile(r"^(?P<lead>[^\s，。、：:（(]{2,30}?)" + MONTH_DAY + r"(?:电|讯)" + BYLINE_BRACKET),
    # 本报讯, 某某晚报讯, 某某网讯 (the lead names a medium, or this paper unnamed), a date after.
    re.compile(r"^(?P<medium>[^\s，。、：:（(]{2,24}?)讯" + BYLINE_BRACKET + r"\s*(?:" + MONTH_DAY + ")?"),
)


@dataclass(frozen=True)
class Metadata:
    """What metadata lines and a dateline say about an article."""

    date: str | None = None
    """ISO date (YYYY-MM-DD)."""
    month_day: tuple[int, int] | None = None
    """A dateline's month and day, when its year is not written."""
    publisher: str | None = None
    """A named source (来源：…, 信息来源：…): stronger than an outlet glued to a date or a byline."""
    outlet: str | None = None
    """A medium named less directly: after a date, in a dateline, before a byline role."""
    credits: Credits = Credits()

    def written(self, simplified_text: str, original: str) -> Metadata:
        """The same, with every name in the characters of ``original`` (a 繁體 line read through
        its simplified form ``simplified_text``)."""

        def back(value: str) -> str:
            return as_written(value, simplified_text, original)

        def names(values: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(map(back, values))

        credits = self.credits
        outlet = credits.outlet and back(credits.outlet)
        return Metadata(
            self.date,
            self.month_day,
            self.publisher and back(self.publisher),
            self.outlet and back(self.outlet),
            Credits(names(credits.reporters), names(credits.editors), outlet),
        )

    def __or__(self, other: Metadata) -> Metadata:
        """Both; where both say one thing, ``self`` wins."""
        return Metadata(
            self.date or other.date,
            self.month_day or other.month_day,
            self.publisher or other.publisher,
            self.outlet or other.outlet,
            self.credits | other.credits,
        )


# --------------------------------------------------------------------------- dates


def iso_date(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The ISO date a date field writes (2023-03-31, 2018-3-1, 2023/5/29 10:00, 2022年11月8日,
    二〇二二年十一月八日, 2023-05-29T08:00:00+08:00), or None when it writes none (or no real day)."""
    text = text.strip()
    if match := DATE.match(text):
        return _iso(match)
    if match := CHINESE_DATE.fullmatch(text):
        year = "".join(str(chinese_number(c)) for c in match.group("y"))  # digit by digit: 二〇二四
        month, day = chinese_number(match.group("m")), chinese_number(match.group("d"))
        return iso_date(int(year), month, day) if year.isdigit() and month and day else None
    return None


def chinese_number(text: str) -> int | None:
    """Arabic or Chinese numerals up to the hundreds: 4, 四, 十二, 二十, 一百零五."""
    if text.isdigit():
        return int(text)
    digits = {c: n for n, c in enumerate(CHINESE_DIGITS)} | {"〇": 0, "两": 2}
    total, current = 0, 0
    for c in text:
        if c in digits:
            current = digits[c]
        elif c in ("十", "百"):
            total += (current or 1) * (10 if c == "十" else 100)
            current = 0
        else:
            return None
    return total + current


def _iso(match: re.Match[str]) -> str | None:
    month, day = match.group("m") or match.group("m2"), match.group("d") or match.group("d2")
    return iso_date(int(match.group("y")), int(month), int(day))


# --------------------------------------------------------------------------- metadata lines


@cache
def _labels() -> tuple[re.Pattern[str], dict[str, str]]:
    rows = table("metadata_labels.tsv")
    fields = {label: field for label, field in rows}
    # A label is followed by a colon, or (a date label) directly by the date: 发布时间2019-04-08.
    pattern = re.compile(rf"(?P<label>{alternation([label for label, _ in rows])})\s*(?:[:：]|(?=\d{{4}}))")
    return pattern, fields


def parse_metadata_line(text: str) -> Metadata | None:
    """The fields of a metadata line, or None when the line is part of the article: a line is
    metadata when it is nothing but a date (with a time and a glued source), labelled fields, or
    a byline or sign-off of credits. Traditional characters are read through simplified ones."""
    plain = simplified(text)
    found = _metadata_line(plain)
    return found.written(plain, text) if found is not None else None


def _metadata_line(text: str) -> Metadata | None:
    body = FIELD_BRACKETS.sub(" ", unwrap(text)).strip()
    if not body or len(body) > META_LINE_MAX or "。" in body:
        return None
    if CHINESE_DATE.fullmatch(body):
        day = parse_date(body)
        return Metadata(date=day) if day else None
    found = Metadata()
    rest = body
    if stamp := DATE.match(body):
        if (day := _iso(stamp)) is None:
            return None
        found, rest = Metadata(date=day), body[stamp.end() :].strip()
    pattern, fields = _labels()
    labels = list(pattern.finditer(rest))
    lead = rest[: labels[0].start()] if labels else rest
    if lead.strip():
        # Text before the first label: a source glued after a date, or a byline, or prose.
        if stamp and (outlet := medium_name(lead)) is not None:
            found = found | Metadata(outlet=outlet)
        elif not labels and (credits := parse_credits(lead)) is not None:
            return found | Metadata(credits=credits)
        else:
            return None
    if not stamp and not labels:
        return None
    ends = [label.start() for label in labels[1:]] + [len(rest)] * bool(labels)
    for label, end in zip(labels, ends, strict=True):
        value = rest[label.end() : end].strip()
        field = _field(fields[label.group("label")], value)
        if field is None:
            return None
        found = found | field
    return found


def _field(field: str, value: str) -> Metadata | None:
    """What one labelled field says; None when its value cannot be such a field (时间：上午九点
    starts a sentence, not a date field)."""
    if not value:
        return Metadata()
    if field == "date":
        day = parse_date(value)
        return Metadata(date=day) if day else None
    if field == "source":
        # A content-system account (来源：管理员) is no source; the line is metadata all the same.
        return Metadata(publisher=medium_name(value))
    if field in ("reporter", "editor"):
        # 作者：本报记者 张三 names the role again; a login name (编审：abc123) credits nobody.
        if (credits := parse_credits(value)) is not None:
            return Metadata(credits=credits)
        names = names_in(value) or ()
        return Metadata(credits=Credits(reporters=names) if field == "reporter" else Credits(editors=names))
    return Metadata()  # counters, former headlines and the like: metadata that says nothing here


# --------------------------------------------------------------------------- datelines


def parse_dateline(paragraph: str) -> Metadata:
    """What the dateline opening the lead says: reporters, month and day, the medium."""
    plain = simplified(paragraph)
    return _dateline(plain).written(plain, paragraph)


def _dateline(paragraph: str) -> Metadata:
    for pattern in DATELINES:
        if match := pattern.match(paragraph):
            groups = match.groupdict()
            month_day = (int(groups["m"]), int(groups["d"])) if groups.get("m") else None
            credits = parse_credits(groups["byline"]) if groups.get("byline") else None
            # A lead before a date may add a place to the medium (某某社某地3月5日电); before 讯
            # it must be the medium itself, or it is the start of a sentence (近日获悉喜讯).
            outlet = medium_prefix(groups["lead"]) if groups.get("lead") else medium_name(groups["medium"])
            return Metadata(month_day=month_day, outlet=outlet, credits=credits or Credits())
    return Metadata()


def dateline_date(month_day: tuple[int, int], year: int | None) -> str | None:
    """A dateline's month and day in the year the article's metadata gives (a .jsonl ``date`` of
    2023, or 2023-03), when that is all it gives."""
    return iso_date(year, *month_day) if year is not None else None


def parse_year(text: str) -> int | None:
    """The year of a date that names no day: 2023, 2023年, 2023-03, 2023年3月."""
    match = re.fullmatch(YEAR + r"\s*(?:年|[-/.]\s*\d{1,2})?\s*(?:\d{1,2}\s*月)?", text.strip())
    return int(match.group("y")) if match else None
