"""Figures: a number, its unit (measure word), and how exact it is.

520余万元 → 5200000 元, approximate (余); 6-7个 → 6..7 个; 126万元/天 → 1260000 元/天; 95%以上 →
95 %, approximate (以上); 两万人 → 20000 人. Years, dates and ordinals (2022年, 4月, 首届, 第三,
二十大) are not figures. ``span._.figure`` holds a :class:`Quantity`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import cn2an
from spacy.language import Language
from spacy.tokens import Doc, Span

from loaders.extract.lexicons import alternation, table, words

ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
CHINESE = r"[零〇一二两三四五六七八九十百千万亿]+"
MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}
RATE_PERIODS = "天|日|年|月|人|次|小时"
BARE_UNITS = {"百": Decimal(100), "千": Decimal(1_000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
# Before a numeral these make it vague, not a count: 数十家 (dozens), 几百人 (a few hundred).
VAGUE = ("数", "几", "若干", "好几")

if not Span.has_extension("figure"):
    Span.set_extension("figure", default=None)


@dataclass(frozen=True)
class Quantity:
    value: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    unit: str
    qualifier: str | None

    @property
    def approximate(self) -> bool:
        return self.qualifier is not None


class FigureRecognizer:
    def __init__(self) -> None:
        qualifiers = table("qualifiers.tsv")
        before = alternation([w for w, place in qualifiers if place == "before"])
        mid = alternation([w for w, place in qualifiers if place == "mid"])
        after = alternation([w for w, place in qualifiers if place == "after"])
        units = alternation(words("units.txt"))
        self.chinese_units = set(words("chinese_numeral_units.txt"))
        number = f"(?:{ARABIC}|{CHINESE})"
        self.pattern = re.compile(
            f"(?P<before>{before})?(?P<number>{number})(?:[-~～—至到](?P<upper>{number}))?"
            f"(?P<mid>{mid})?(?P<multiplier>[万亿千])?(?P<mid2>{mid})?"
            f"(?:(?P<percent>[%％])|(?P<unit>{units})(?:/(?P<per>{RATE_PERIODS}))?)"
            f"(?P<after>{after})?"
        )
        self.not_unit = re.compile(f"^(?:{alternation(words('not_units.txt'))})")

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        text = doc._.text
        # A count inside a longer word the tagger reads as a time (3个世纪) is a span of time.
        times = [(s, e) for s, e, tag in doc._.words or [] if tag in ("TIME", "t")]
        for match in self.pattern.finditer(text):
            quantity = self.read(match, text)
            start, end = match.span()
            if any(s <= start and end < e for s, e in times):
                continue
            if quantity and (span := doc.char_span(start, end, label="FIGURE")) is not None:
                span._.figure = quantity
                spans.append(span)
        doc.spans["gh_figure"] = spans
        return doc

    def read(self, match: re.Match[str], text: str) -> Quantity | None:
        number, upper, unit = match["number"], match["upper"], match["unit"] or "%"
        if text[max(0, match.start() - 1) : match.start()] == "第" or self.not_unit.match(unit):
            return None
        chinese = re.fullmatch(CHINESE, number) is not None
        # 数十家 is vague; a bare 千 or 万 counts only after 近/超/上 (千家万户 is an idiom).
        vague = text[: match.start()].endswith(VAGUE) or number in BARE_UNITS
        if chinese and vague and not match["before"]:
            return None
        if chinese and not self.counted_in_chinese(number, unit):
            return None
        if (
            text[match.start() - 1 : match.start()].isdigit()
            or text[match.start() - 1 : match.start()] == "."
        ):
            return None
        scale = MULTIPLIERS.get(match["multiplier"] or "", Decimal(1))
        low_value, high_value = to_decimal(number), to_decimal(upper) if upper else None
        if low_value is None or (upper and high_value is None):
            return None
        low = tidy(low_value * scale)
        high = tidy(high_value * scale) if high_value is not None else None
        qualifier = match["before"] or match["mid"] or match["mid2"] or match["after"]
        full_unit = f"{unit}/{match['per']}" if match["per"] else unit
        if high is not None:
            return Quantity(None, low, high, full_unit, qualifier)
        return Quantity(low, None, None, full_unit, qualifier)

    def counted_in_chinese(self, number: str, unit: str) -> bool:
        # A lone 二 before a measure word is an ordinal or a compound (二次报销), counting uses 两;
        # a lone 一 is a determiner (一名职工说, 打造一个平台), not a count worth a figure.
        return unit in self.chinese_units and number not in ("一", "二")


def to_decimal(number: str) -> Decimal | None:
    """The number's value, or None when the characters are no well-formed numeral (百, 万万)."""
    if re.fullmatch(ARABIC, number):
        return Decimal(number.replace(",", ""))
    if number in BARE_UNITS:  # 近万人次, 超千名: the unit alone counts one of it
        return BARE_UNITS[number]
    try:
        return Decimal(str(cn2an.cn2an(number, "smart")))
    except ValueError:
        return None


def tidy(value: Decimal) -> Decimal:
    """2.1 × 10000 is 21000, not 21000.0: integral values lose their trailing zeros."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@Language.factory("gh_figures")
def make_figures(nlp: Language, name: str) -> FigureRecognizer:
    return FigureRecognizer()
