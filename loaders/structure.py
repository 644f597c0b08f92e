"""Find the parts of a news article: series line, headline, metadata lines (dates, sources,
credits), sections, paragraphs, sentences.

Headings come first: the headline, the byline and section headings lack final punctuation just
like a paragraph cut by a page break, so only once a line is known not to be a heading may it be
joined with the next one (see ``_body``). Metadata lines above and below the text are read for
their fields (``loaders.metadata``) and never become paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.bylines import Credits, names_in, parse_credits, unwrap
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
from loaders.metadata import (
    Metadata,
    chinese_number,
    dateline_date,
    parse_date,
    parse_dateline,
    parse_metadata_line,
    parse_year,
)
from loaders.model import Article, Paragraph, Section, Sentence
from loaders.script import simplified
from loaders.segment import pos_words
from ontology import name_suffixes

# A section heading names an organization: it ends with a suffix the ontology ties to an
# organization class. One-character suffixes (局, 队) are left out: 布局, 格局 end lines of prose too.
ORG_SUFFIXES = tuple(suffix for suffix, _ in name_suffixes() if len(suffix) > 1)
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
# How far from the top and the bottom metadata lines are looked for: a page prints a headline,
# a source, a date, a former headline and a byline before the text at most.
FRONT_LINES = 8
END_LINES = 6
# Where a page title joins the headline to the name of its column: 标题|栏目, 标题_网站.
HEADLINE_JOINS = re.compile(r"\s*[|｜_—]+\s*|\s+-\s+")
# A sign-off in brackets closing the last paragraph: …。（张三） or …。（记者 张三 李四）.
SIGN_OFF = re.compile(r"[（(【\[](?P<inner>[^（）()【】\[\]]{1,40})[）)】\]]\s*$")
# The mark that ends a news text or a part of it: （完）, （全文完）, （待续）, （未完待续）.
END_MARK = re.compile(r"[（(【\[]\s*(?:(?:全文|本文|本篇)?完|(?:未完)?待续)\s*[）)】\]]")


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
    metadata: Metadata = Metadata()
    consumed: int = 0


@dataclass
class Body:
    paragraphs: list[tuple[list[Line], int | None]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def structure(text: str, source: str, key: str, **metadata: str) -> Article:
    """The article hidden in ``text``; ``metadata`` may give headline/title, date, url,
    publisher, which take precedence over what the text says."""
    lines = [Line(s, e, text[s:e]) for s, e in split_lines(text)]
    given_headline = metadata.get("headline") or metadata.get("title")
    front = front_matter(lines, given_headline)
    body_lines, end = end_matter(lines[front.consumed :])
    body = split_body(body_lines)
    paragraphs = _paragraphs(text, body)
    dateline = parse_dateline(paragraphs[0].text) if paragraphs else Metadata()
    # The top of the page first (where the publication date and source stand), then the dateline,
    # then what the bottom adds (a sign-off's date is when it was written, not published).
    found = front.metadata | dateline | end
    credits = found.credits
    return Article(
        source=source,
        key=key,
        text=text,
        headline=given_headline or front.headline,
        series=front.series,
        part=front.part,
        reporters=credits.reporters,
        editors=credits.editors,
        date=article_date(metadata.get("date"), found),
        url=metadata.get("url"),
        publisher=metadata.get("publisher") or found.publisher or found.outlet or credits.outlet,
        sections=tuple(body.sections),
        paragraphs=paragraphs,
    )


def article_date(given: str | None, found: Metadata) -> str | None:
    """ISO date of the article: the one its metadata gives, else the one its text writes, else a
    dateline's month and day in the year the metadata gives."""
    if given and (day := parse_date(given)):
        return day
    if found.date:
        return found.date
    if found.month_day and given:
        return dateline_date(found.month_day, parse_year(given))
    return None


# --------------------------------------------------------------------------- front matter


def front_matter(lines: list[Line], given_headline: str | None = None) -> FrontMatter:
    """Series line, headline and metadata lines at the top, in any order, before the first
    paragraph."""
    front = FrontMatter()
    for k, line in enumerate(lines[:FRONT_LINES]):
        if not _front_line(front, line, given_headline, has_more=k + 1 < len(lines)):
            break
        front.consumed = k + 1
    return front


def _front_line(front: FrontMatter, line: Line, given: str | None, has_more: bool) -> bool:
    if front.series is None and (series := parse_series(line.text)):
        front.series, front.part = series
        return True
    if (found := parse_metadata_line(line.text)) is not None:
        front.metadata = front.metadata | found
        return True
    if front.headline is not None and _repeats_headline(line.text, front.headline):
        # The page title above (标题|栏目) and the headline printed again over the text: the
        # repeated one is the headline itself.
        front.headline = line.text
        return True
    if front.headline is None and has_more and _is_headline(line.text, given):
        front.headline = line.text
        return True
    return False


def _repeats_headline(text: str, headline: str) -> bool:
    compact = _compact(text)
    return bool(compact) and (
        compact == _compact(headline) or compact in map(_compact, HEADLINE_JOINS.split(headline))
    )


def _is_headline(text: str, given: str | None) -> bool:
    if given is not None:
        # A title from metadata is matched loosely: HTML and JSONL titles drop spaces.
        return _compact(text) == _compact(given)
    return _title_like(text, HEADLINE_MAX)


def parse_series(text: str) -> tuple[str, int | None] | None:
    written = text.strip()
    match = SERIES.match(simplified(written))  # 系列報道 is read as 系列报道; the name kept as written
    if not match:
        return None
    part = match.group("part") or match.group("part2")
    return written[match.start("name") : match.end("name")].strip(), (chinese_number(part) if part else None)


# --------------------------------------------------------------------------- end matter


def end_matter(lines: list[Line]) -> tuple[list[Line], Metadata]:
    """The body lines without the metadata lines and sign-off at the bottom, and what those say:
    责任编辑：张三, 【编辑：李四】, a date the text was signed off on, a name alone in brackets, and
    a bracket closing the last paragraph that credits people or names the source (…。（记者
    张三）, …。（来源：某某晚报））."""
    found = Metadata()
    keep = len(lines)
    while keep > 1 and len(lines) - keep < END_LINES:
        closing = closing_metadata(lines[keep - 1].text)
        if closing is None:
            break
        found = closing | found
        keep -= 1
    body = lines[:keep]
    while body and (last := _without_closing_bracket(body[-1])) is not None:
        line, closing = last  # …。（记者 张三）（来源：某某晚报）: one bracket after the other
        body[-1:] = [line] if line.text else []
        found = closing | found
    return body, found


def closing_metadata(text: str) -> Metadata | None:
    """What a line at the end of an article says about it, or None when it is part of the text."""
    if END_MARK.fullmatch(simplified(text).strip()):
        return Metadata()  # an end mark says nothing but is no part of the text either
    if (found := parse_metadata_line(text)) is not None:
        return found
    credits = sign_off(text)
    return Metadata(credits=credits) if credits is not None else None


def sign_off(text: str) -> Credits | None:
    """The people a bracketed sign-off credits: （记者 张三）, or a bare （张三） (a reporter
    signing off). A body in brackets ((某县总工会), the source of the text) credits nobody."""
    plain = simplified(text)
    if SIGN_OFF.fullmatch(plain.strip()) is None:
        return None
    inner = unwrap(plain)
    credits = parse_credits(inner)
    if credits is None and (names := names_in(inner)):
        credits = Credits(reporters=names)
    return Metadata(credits=credits).written(plain, text).credits if credits else None


def _without_closing_bracket(line: Line) -> tuple[Line, Metadata] | None:
    match = SIGN_OFF.search(line.text)
    if match is None or (closing := closing_metadata(match.group())) is None:
        return None
    kept = line.text[: match.start()].rstrip()
    return Line(line.start, line.start + len(kept), kept), closing


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
    compact = simplified(_compact(text))  # 總工會 ends as 总工会 does
    return (
        _heading_like(text, ORG_HEADING_MAX)
        and len(compact) == len(text.strip())  # names have no inner spaces; sub-headlines do
        and len(compact) >= 3
        and compact.endswith(ORG_SUFFIXES)
        # Quotes or other marks make it a slogan, not a name.
        and all(is_cjk(c) or c.isalnum() or c in "（）·" for c in compact)
        # So does a frame of two prepositions: 以职工为中心 ends like 服务中心 but names no body
        # (one alone proves nothing: 从化区, 于都县 and 以岭乡 begin with a preposition's character).
        and sum(tag == "p" for _, tag in pos_words(compact)) < 2
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
