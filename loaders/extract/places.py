"""China's administrative divisions, from the gazetteer that the ``cpca`` package ships.

cpca (Chinese Province, City and Area recognition, MIT licence) carries ``adcodes.csv``: every
province, prefecture-level city and county-level division with its 12-digit administrative code
(2 digits province, 2 city, 2 county). The codes give the hierarchy: 尧都区 is under 临汾市, which
is under 山西省. Only the data file is read (through the package's installed files, without
importing cpca and its pandas); townships (镇, 乡, 街道) are not in it and are recognised by their
endings instead.

Short forms drop the level word (尧都区 → 尧都, 临汾市 → 临汾); they are only trusted where a name
of a body follows them (尧都某某物流公司), since many are ordinary words (和平区 → 和平).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib.metadata import distribution

import ahocorasick

LEVELS = {4: "province", 2: "city", 0: "county"}
# Level words, longest first, that a short form may drop; what is left must keep two characters.
LEVEL_WORDS = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)
# Rows of the table that are no place of their own (the urban districts of a city as a group).
NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
TOWNSHIP = re.compile(r"[\u4e00-\u9fff]{2,6}?(?:街道|镇|乡)")


@dataclass(frozen=True)
class Division:
    name: str
    code: str
    level: str
    """province, city (prefecture level) or county (county level: 区, 县, county-level 市)."""

    @property
    def short(self) -> str:
        for word in LEVEL_WORDS:
            if self.name.endswith(word) and len(self.name) - len(word) >= 2:
                return self.name[: -len(word)]
        return self.name


class Gazetteer:
    def __init__(self, divisions: list[Division]) -> None:
        self.by_code = {d.code: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        for division in divisions:
            self.by_name.setdefault(division.name, []).append(division)
            if division.short != division.name:
                self.by_name.setdefault(division.short, []).append(division)
        self.automaton = ahocorasick.Automaton()
        for name in self.by_name:
            self.automaton.add_word(name, name)
        self.automaton.make_automaton()

    def find(self, text: str, short_forms: bool = False) -> list[tuple[int, int, list[Division]]]:
        """Division names in ``text``, longest first where they overlap; short forms only when asked."""
        found = []
        for end, name in self.automaton.iter(text):
            divisions = [d for d in self.by_name[name] if short_forms or d.name == name]
            if divisions:
                found.append((end + 1 - len(name), end + 1, divisions))
        found.sort(key=lambda f: (f[0], -f[1]))
        kept: list[tuple[int, int, list[Division]]] = []
        for item in found:
            if not kept or item[0] >= kept[-1][1]:
                kept.append(item)
        return kept

    def leading(self, name: str, short_forms: bool = True) -> tuple[str, list[Division]] | None:
        """The division a name starts with (尧都区委 → 尧都区), longest name first."""
        for start, end, divisions in self.find(name, short_forms):
            if start == 0:
                return name[:end], divisions
            break
        return None

    def parent(self, division: Division) -> Division | None:
        """The division above: a county's city (its province where the city is no place of its
        own, as in the municipalities), a city's province."""
        if division.level == "county":
            city = self.by_code.get(division.code[:4] + "00000000")
            if city is not None:
                return city
        if division.level in ("county", "city"):
            return self.by_code.get(division.code[:2] + "0000000000")
        return None


@cache
def gazetteer() -> Gazetteer:
    table = distribution("cpca").locate_file("cpca/resources/adcodes.csv")
    rows = csv.DictReader(io.StringIO(table.read_text(encoding="utf-8")))  # type: ignore[union-attr]
    divisions = []
    for row in rows:
        code, name = row["adcode"], row["name"]
        if name in NOT_PLACES or len(code) != 12:
            continue
        zeros = len(code[:6]) - len(code[:6].rstrip("0"))
        level = LEVELS.get(zeros - zeros % 2)
        if level:
            divisions.append(Division(name, code, level))
    return Gazetteer(divisions)


def townships(text: str) -> list[str]:
    """Names of townships and streets (某某镇, 某某乡, 某某街道) as the text writes them."""
    return [m.group() for m in TOWNSHIP.finditer(text)]
