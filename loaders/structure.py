"""Find the parts of a news article: series line, headline, byline, sections, paragraphs,
sentences.

Headings come first: the headline, the byline and section headings lack final punctuation just
like a paragraph cut by a page break, so only once a line is known not to be a heading may it be
joined with the next one (see ``_body``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.clean import (
    CLAUSE_PUNCTUATION,
    WIDEN,
    is_cjk,
    normalise,
    open_pairs,
    sentence_bounds,
    split_lines,
    stops_mid_sentence,
)
from loaders.model import Article, Paragraph, Section, Sentence
from ontology import name_suffixes

# A section heading names an organization: it ends with a suffix the ontology ties to an
# organization class. One-character suffixes (局, 队) are left out: 布局, 格局 end lines of prose too.
ORG_SUFFIXES = tuple(suffix for suffix, _ in name_suffixes() if len(suffix) > 1)
# Words that introduce the authors in a Chinese news byline (本报记者, 特约通讯员, 实习生 ...).
BYLINE_ROLE = re.compile(
    r"(?P<publisher>本报|本刊|本台|本网)?(?:特约|实习|见习)?(?:记者|通讯员|实习生|撰稿人?|摄影)"
)
BYLINE_MARKS = "□■◆◇●○▲△☆★▪︱|"
# 本报讯（记者 张三）: a dateline opening the lead names the reporters.
DATELINE = re.compile(r"^(?:本报|本刊)讯\s*[（(](?P<byline>[^）)]{2,60})[）)]")
PERSON_NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8})+)$")
SERIES = re.compile(
    r"^[“\"「『]?(?P<name>[^“”\"「」『』]{2,30}?)[”\"」』]?\s*系列(?:报道|评论|访谈|述评|专题|调查)?"
    r"\s*(?:[（(]\s*(?:之|第)?(?P<part>[\d一二三四五六七八九十百零〇两]+)(?:篇|期)?\s*[）)]"
    r"|之(?P<part2>[\d一二三四五六七八九十百零〇两]+))?\s*$"
)
_WIDEN_TABLE = str.maketrans(WIDEN)
HEADLINE_MAX = 40  # characters; longer first lines are prose, not a headline
HEADING_MAX = 32  # a standalone heading without punctuation
# Marks that newspapers set before a section heading (■ 东城区总工会).
HEADING_MARKS = "■□◆◇●○▲△★☆▶►▼◎※·-—"
ORG_HEADING_MAX = 20


@dataclass
class Line:
    start: int
    end: int
    text: str


@dataclass
class FrontMatter:
    headline: str | None = None
    series: str | None = None
    part: int | None = None
    reporters: tuple[str, ...] = ()
    publisher: str | None = None
    consumed: int = 0


@dataclass
class Body:
    paragraphs: list[tuple[list[Line], int | None]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def structure(text: str, source: str, key: str, **metadata: str) -> Article:
    """The article hidden in ``text``; ``metadata`` may give headline/title, date, url,
    publisher."""
    lines = [Line(s, e, text[s:e]) for s, e in split_lines(text)]
    given_headline = metadata.get("headline") or metadata.get("title")
    front = front_matter(lines, given_headline)
    body = split_body(lines[front.consumed :])
    paragraphs = _paragraphs(text, body)
    reporters = front.reporters or _dateline_reporters(paragraphs)
    return Article(
        source=source,
        key=key,
        text=text,
        headline=given_headline or front.headline,
        series=front.series,
        part=front.part,
        reporters=reporters,
        date=metadata.get("date"),
        url=metadata.get("url"),
        publisher=metadata.get("publisher") or front.publisher,
        sections=tuple(body.sections),
        paragraphs=paragraphs,
    )


# --------------------------------------------------------------------------- front matter


def front_matter(lines: list[Line], given_headline: str | None = None) -> FrontMatter:
    """Series line, headline and byline at the top, in any order, before the first paragraph."""
    front = FrontMatter()
    for k, line in enumerate(lines[:4]):
        if not _front_line(front, line, given_headline, has_more=k + 1 < len(lines)):
            break
        front.consumed = k + 1
    return front


def _front_line(front: FrontMatter, line: Line, given: str | None, has_more: bool) -> bool:
    if front.series is None and (series := parse_series(line.text)):
        front.series, front.part = series
        return True
    if not front.reporters and (byline := parse_byline(line.text)):
        front.reporters, front.publisher = byline
        return True
    if front.headline is None and has_more and _is_headline(line.text, given):
        front.headline = line.text
        return True
    return False


def _is_headline(text: str, given: str | None) -> bool:
    if given is not None:
        # A title from metadata is matched loosely: HTML and JSONL titles drop spaces.
        return _compact(text) == _compact(given)
    return _title_like(text, HEADLINE_MAX)


def parse_series(text: str) -> tuple[str, int | None] | None:
    match = SERIES.match(text.strip())
    if not match:
        return None
    part = match.group("part") or match.group("part2")
    return match.group("name").strip(), (chinese_number(part) if part else None)


def chinese_number(text: str) -> int | None:
    """Arabic or Chinese numerals up to the hundreds: 4, 四, 十二, 二十, 一百零五."""
    if text.isdigit():
        return int(text)
    digits = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
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


def parse_byline(text: str) -> tuple[tuple[str, ...], str | None] | None:
    """Reporters (and a publisher hint such as 本报) of a byline line, or None if not one."""
    body = text.strip().lstrip(BYLINE_MARKS).strip().strip("（）()").strip()
    first = BYLINE_ROLE.match(body)
    if not first:
        return None
    # Roles may be glued to names (本报记者张三) or stand between them (张三 通讯员 李四); every
    # other token must look like a personal name, or this is a sentence about reporters.
    tokens = re.split(r"[\s、，,/|]+", BYLINE_ROLE.sub(" ", body))
    names = [t for t in tokens if t]
    if not names or not all(PERSON_NAME.match(t) for t in names):
        return None
    return tuple(dict.fromkeys(names)), first.group("publisher")


def _dateline_reporters(paragraphs: tuple[Paragraph, ...]) -> tuple[str, ...]:
    match = DATELINE.match(paragraphs[0].text) if paragraphs else None
    byline = parse_byline(match.group("byline")) if match else None
    return byline[0] if byline else ()


# --------------------------------------------------------------------------- body


def split_body(lines: list[Line]) -> Body:
    """Group body lines into paragraphs and sections.

    A line that starts a paragraph and names an organization is a section heading, and a short
    line after it is its sub-headline. A short line without clause punctuation that starts a
    paragraph is a heading of its own and is never joined with what follows. Any other line that
    stops mid-sentence (a page or column break) continues in the next line.
    """
    body = Body()
    current: list[Line] | None = None  # the paragraph still open, if any
    k = 0
    while k < len(lines):
        line = lines[k]
        parts = _org_heading_parts(line.text) if current is None and k + 1 < len(lines) else None
        if parts is not None:
            heading, inline_sub = parts
            following = lines[k + 1]
            sub = following if not inline_sub and _title_like(following.text, HEADLINE_MAX) else None
            _open_section(body, line, heading, inline_sub or (sub.text if sub else None), (sub or line).end)
            k += 2 if sub else 1
            continue
        if current is None:
            current = [line]
            body.paragraphs.append((current, _section_index(body)))
            standalone = _heading_like(line.text)
        else:  # the previous line stopped mid-sentence: a page or column break
            current.append(line)
            standalone = False
        _close_section(body, line)
        if standalone or not stops_mid_sentence(line.text):
            current = None
        k += 1
    return body


def _open_section(body: Body, line: Line, heading: str, sub: str | None, end: int) -> None:
    body.sections.append(Section(len(body.sections), heading, sub, line.start, end))


def _close_section(body: Body, line: Line) -> None:
    """Stretch the current section over ``line``: a section runs until the next heading."""
    if body.sections:
        last = body.sections[-1]
        body.sections[-1] = Section(
            last.index,
            last.heading,
            last.subheading,
            last.start,
            max(last.end, line.end),
        )


def _section_index(body: Body) -> int | None:
    return body.sections[-1].index if body.sections else None


def _compact(text: str) -> str:
    """Without spaces and with full-width punctuation: how two spellings of a title compare."""
    return "".join(text.split()).translate(_WIDEN_TABLE)


def _heading_like(text: str, limit: int = HEADING_MAX) -> bool:
    compact = _compact(text)
    return (
        0 < len(compact) <= limit
        and not set(compact) & CLAUSE_PUNCTUATION
        and not compact.endswith("…")
        and open_pairs(text) == 0
    )


def _title_like(text: str, limit: int) -> bool:
    """Short, no full stop inside, not ending as a clause does: a headline or sub-headline."""
    compact = _compact(text)
    return (
        0 < len(compact) <= limit
        and "。" not in compact
        and compact[-1] not in "，,、；;：:"
        and open_pairs(text) == 0
        and any(is_cjk(c) or c.isalnum() for c in compact)
    )


def _org_heading_parts(text: str) -> tuple[str, str | None] | None:
    """A line naming an organization as a section heading: the name, and a sub-headline on the same
    line if there is one. Layout marks around the name (■东城区总工会, 【东城区总工会】) and a
    sub-headline after a colon (东城区总工会：建强阵地) are read through."""
    stripped = text.strip().lstrip(HEADING_MARKS).strip().strip("【】[]")
    name, colon, rest = stripped.partition("：") if "：" in stripped else stripped.partition(":")
    name = name.strip().strip("【】[]")
    if not _is_org_heading(name):
        return None
    sub = rest.strip() if colon else None
    if colon and not (sub and _title_like(sub, HEADLINE_MAX)):
        return None
    return name, sub


def _is_org_heading(text: str) -> bool:
    compact = _compact(text)
    return (
        _heading_like(text, ORG_HEADING_MAX)
        and len(compact) == len(text.strip())  # names have no inner spaces; sub-headlines do
        and len(compact) >= 3
        and compact.endswith(ORG_SUFFIXES)
        # Quotes or other marks make it a slogan, not a name.
        and all(is_cjk(c) or c.isalnum() or c in "（）·" for c in compact)
    )


# --------------------------------------------------------------------------- paragraphs


def _paragraphs(text: str, body: Body) -> tuple[Paragraph, ...]:
    paragraphs: list[Paragraph] = []
    sentence_count = 0
    for lines, section in body.paragraphs:
        norm, offsets = normalise(text, [(line.start, line.end) for line in lines])
        if not norm:
            continue
        index = len(paragraphs)
        sentences = tuple(
            Sentence(
                norm[s:e],
                offsets[s:e],
                index=sentence_count + n,
                paragraph=index,
                section=section,
            )
            for n, (s, e) in enumerate(sentence_bounds(norm))
        )
        sentence_count += len(sentences)
        paragraphs.append(Paragraph(norm, offsets, index=index, section=section, sentences=sentences))
    return tuple(paragraphs)
