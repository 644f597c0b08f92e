"""Organizations across an article: full names and short ones, references resolved, hierarchy.

Proper names are collected under their full names (经开区总工会 → 北京经济技术开发区总工会) and
short names become aliases; contextual names (区总工会, 该街道总工会, 区人大常委会) resolve to the
body the section or the sentence is about; the union system's levels give the hierarchy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from loaders.extract.assemble.mentions import Mention, Reading, is_subsequence, normal
from loaders.extract.facts import ArticleFacts, Hierarchy, Organization
from loaders.extract.lexicons import table
from loaders.extract.organizations import OrganizationRecognizer
from loaders.extract.places import Division, gazetteer, townships

# Why a name was taken for another name of a body (recorded as gh:identityBasis).
EXPANDED = "地名简称或通行简称，展开后即该机构全称"
SHORTENED = "简称的字依次见于全称（可略去打头的地名），且机构类别相同"
OWNER_KIND = "名称以所属机构的类别（公司、医院等）代称，所属机构见于上下文"
DEPARTMENT = "部门名称前略去所属机构，其所属机构见于同句之前"
ENTERPRISE_SHORT = "企业名称略去“公司”等后缀的简称，其字依次见于全称"
STREET_UNION = re.compile(r"(?:街道|镇|乡|地区)\w*工会\w*$")
TOWNSHIP_LEVELS = ("街道", "镇", "乡")
LEVEL_MARKER = re.compile("^(?P<league>团)?(?P<level>街道|区|县|市|省|镇|乡)")


class Places:
    """Place names for bodies: China's divisions (the gazetteer), the bodies whose names are fixed
    (known_bodies.tsv), and the places one article names, for reading short forms against."""

    def __init__(self) -> None:
        self.gazetteer = gazetteer()
        self.known = {
            row[0]: ([a for a in row[1].split(",") if a], row[2] or None) for row in table("known_bodies.tsv")
        }

    def expand(self, name: str, suffixes: Iterable[str]) -> str:
        """The full name of a body: 全总 → 中华全国总工会; the city before a district dropped
        (临汾市尧都区总工会 → 尧都区总工会, as the district's bodies are named); a place's short form
        before a bare ending spelled out (尧都工会 → 尧都区工会)."""
        for full, (aliases, _) in self.known.items():
            if name in aliases:
                return full
        lead = self.gazetteer.leading(name)
        if lead is None:
            return name
        place, divisions = lead
        inner = self.gazetteer.leading(name[len(place) :], short_forms=False)
        if inner and any(self.contains(outer, d) for outer in divisions for d in inner[1]):
            return name[len(place) :]
        rest = name[len(place) :]
        if rest in suffixes and all(place != d.name for d in divisions):
            return divisions[0].name + rest
        return name

    def contains(self, outer: Division, inner: Division) -> bool:
        width = {"province": 2, "city": 4}.get(outer.level)
        return width is not None and inner.code != outer.code and inner.code.startswith(outer.code[:width])

    def without_place(self, name: str) -> str:
        """The name without the place that leads it: 北京首钢集团工会 → 首钢集团工会."""
        lead = self.gazetteer.leading(name)
        return name[len(lead[0]) :] if lead and len(name) > len(lead[0]) else ""

    def district_of(self, name: str) -> Division | None:
        """The county-level division (区, 县, county-level 市) a body's name starts with."""
        lead = self.gazetteer.leading(name, short_forms=False)
        return next((d for d in lead[1] if d.level == "county"), None) if lead else None

    def place_for(self, level: str, context: Iterable[str], named: ArticlePlaces) -> str | None:
        """The place a level word (区, 县, 市, 镇, 乡, 街道) stands for: the one the bodies in
        context are in, else the one the article names most often."""
        for name in context:
            if found := self.level_place(level, name):
                return found
        return named.most_named(level)

    def level_place(self, level: str, name: str) -> str | None:
        if level in TOWNSHIP_LEVELS:
            return next((t for t in townships(name) if t.endswith(level)), None)
        lead = self.gazetteer.leading(name, short_forms=False)
        for division in lead[1] if lead else []:
            place: Division | None = division
            while place is not None:  # the place itself, or the city or province it lies in
                if self.fits(level, place):
                    return place.name
                place = self.gazetteer.parent(place)
        return None

    @staticmethod
    def fits(level: str, division: Division) -> bool:
        if level == "市":
            return division.name.endswith("市")
        if level == "省":
            return division.level == "province"
        return division.level == "county" and division.name.endswith(level)


class ArticlePlaces:
    """The places one article names: found in its text once, the most named counted per level."""

    def __init__(self, places: Places, text: str) -> None:
        self.places, self.text = places, text
        self.divisions: list[Division] | None = None
        self.most: dict[str, str | None] = {}

    def most_named(self, level: str) -> str | None:
        """The place of that level the article names most often (the first named wins a tie)."""
        if level not in self.most:
            if level in TOWNSHIP_LEVELS:
                named = [t for t in townships(self.text) if t.endswith(level)]
            else:
                if self.divisions is None:
                    self.divisions = [found[0] for _, _, found in self.places.gazetteer.find(self.text)]
                named = [d.name for d in self.divisions if self.places.fits(level, d)]
            counts = Counter(named)
            self.most[level] = max(counts, key=lambda n: (counts[n], -named.index(n))) if named else None
        return self.most[level]


class Bodies:
    def __init__(self, recognizer: OrganizationRecognizer) -> None:
        self.places = Places()
        self.recognizer = recognizer
        self.suffixes = [s for s, _ in recognizer.suffixes]

    def full_form(self, text: str) -> str:
        return self.places.expand(normal(text), self.suffixes)

    # -- collecting and resolving ------------------------------------------------------------------

    def collect(self, reading: Reading) -> None:
        """Gather the article's bodies under their full names, then resolve every mention."""
        facts, mentions = reading.facts, reading.mentions["gh_org"]
        for mention in mentions:
            if mention.span._.org_kind == "proper":
                name = self.full_form(mention.text)
                org = facts.organizations.setdefault(name, Organization(name, mention.span.label_))
                if name != normal(mention.text):
                    org.aliases.setdefault(normal(mention.text), EXPANDED)
        self.merge_short_names(facts)
        self.section_bodies(reading)
        self.short_enterprise_names(mentions, facts)
        for mention in mentions:
            name = normal(mention.text)
            if mention.span._.org_kind == "unsuffixed" and full_name(name, facts) is None:
                facts.organizations[name] = Organization(name, mention.span.label_)
        # Bodies by when they were last named, the most recent last, each once: looking back
        # costs the number of bodies, not of mentions.
        last_seen: dict[str, None] = {}
        named = ArticlePlaces(self.places, reading.article.text)
        previous: tuple[int, str] | None = None
        for mention in mentions:
            if name := self.resolve(mention, facts, last_seen, named):
                if previous and previous[0] == mention.sentence:
                    name = self.department_of(name, facts, previous[1])
                reading.bodies[id(mention.span)] = name
                last_seen.pop(name, None)
                last_seen[name] = None
                previous = mention.sentence, name
                sentences = facts.organizations[name].sentences
                if sentences[-1:] != [mention.sentence]:  # mentions come in order of sentences
                    sentences.append(mention.sentence)

    def section_bodies(self, reading: Reading) -> None:
        """The body each section heading names, and the one the headline names."""
        facts = reading.facts
        for section in reading.article.sections:
            heading = self.full_form(section.heading)
            resolved = full_name(heading, facts)
            kind = self.recognizer.org_class(heading)
            if resolved is None and kind and self.recognizer.kind(heading) == "proper":
                facts.organizations[heading] = Organization(heading, kind)
                resolved = heading
            if resolved:
                facts.section_organizations[section.index] = resolved
        facts.headline_organization = named_in(reading.article.headline or "", facts)

    def merge_short_names(self, facts: ArticleFacts) -> None:
        """A name whose characters appear in order in a longer name of the same class, starting
        with the same character (after a leading place name), is that body's short name."""
        names = sorted(facts.organizations, key=len)
        for short in names:
            for full in names[::-1]:
                if len(full) <= len(short) or short not in facts.organizations:
                    continue
                a, b = facts.organizations[short], facts.organizations[full]
                core = self.places.without_place(full)
                if a.kind == b.kind and any(
                    short[0] == name[0] and is_subsequence(short, name) for name in (full, core) if name
                ):
                    b.aliases.setdefault(short, SHORTENED)
                    b.aliases = a.aliases | b.aliases
                    del facts.organizations[short]

    def short_enterprise_names(self, mentions: list[Mention], facts: ArticleFacts) -> None:
        """Enterprises go by their name without 公司 (北京邮政 for 北京市邮政公司); other bodies keep
        their suffix in a short name, so a bare place or slogan never becomes a union's alias."""
        enterprises = [o for o in facts.organizations.values() if o.kind == "Enterprise"]
        for mention in mentions:
            short = normal(mention.text)
            if mention.span._.org_kind != "unsuffixed":
                continue
            for org in enterprises:
                if short != org.name and short[0] == org.name[0] and is_subsequence(short, org.name):
                    org.aliases.setdefault(short, ENTERPRISE_SHORT)

    def resolve(
        self, mention: Mention, facts: ArticleFacts, last_seen: dict[str, None], named: ArticlePlaces
    ) -> str | None:
        text = normal(mention.text)
        kind = mention.span._.org_kind
        if kind == "unsuffixed":
            return full_name(text, facts)
        if kind == "proper":
            return full_name(self.full_form(text), facts)
        if kind != "contextual":
            return None
        text = text.removeprefix("该").removeprefix("本")
        marker, suffix = split_suffix(text, self.suffixes)
        section_org = facts.section_organization(mention.section)
        candidates = list(dict.fromkeys([*([section_org] if section_org else []), *reversed(last_seen)]))
        for name in candidates:
            if name.endswith(suffix) and marker in name:
                return name
        if marker in self.suffixes:
            # 公司党委, 公司工会: the body of that kind the passage is about, and its committee or union.
            owner = next((name for name in candidates if name.endswith(marker)), None)
            kind_class = self.recognizer.org_class(text)
            if owner and kind_class:
                full = owner + suffix
                facts.organizations.setdefault(full, Organization(full, kind_class))
                facts.organizations[full].aliases.setdefault(text, OWNER_KIND)
                return full
        # 区委 in a passage about 某区总工会 is 某区委; 市总工会 there is its city's union; with no
        # body in context, the place the article names most often at that level.
        level = LEVEL_MARKER.match(text)
        kind_class = self.recognizer.org_class(text)
        if level is None or kind_class is None:
            return None
        place = self.places.place_for(level.group("level"), candidates, named)
        # 团区委 is the district committee of the Communist Youth League: 共青团某区委.
        league = "共青团" if level.group("league") else ""
        name = league + place + text[level.end() :] if place else text
        facts.organizations.setdefault(name, Organization(name, kind_class, scoped=place is None))
        return name

    def department_of(self, name: str, facts: ArticleFacts, body: str) -> str:
        """A department named without its body (宣传部 right after 某区委 in 区委常委、宣传部部长) is
        the department of the body named before it in the sentence: 某区委宣传部, the bare name its
        alias."""
        org = facts.organizations.get(name)
        if org is None or org.kind != "GovernmentBody" or not name.endswith("部") or len(name) > 6:
            return name
        placed = self.places.gazetteer.leading(name) is not None
        if body == name or placed or facts.organizations[body].kind == "Enterprise":
            return name
        full = body + name
        department = facts.organizations.setdefault(full, Organization(full, org.kind))
        department.aliases.setdefault(name, DEPARTMENT)
        department.aliases.update(org.aliases)
        department.sentences += [s for s in org.sentences if s not in department.sentences]
        del facts.organizations[name]
        return full

    # -- hierarchy -------------------------------------------------------------------------------

    def hierarchy(self, reading: Reading) -> None:
        """Each body's parent among the bodies the article names: by name (a department under the
        committee its name starts with), by the union system's levels (street or township union →
        district union → city union → provincial union → national federation), or by section."""
        facts = reading.facts
        named = {name for name, org in facts.organizations.items() if org.mentioned and not org.scoped}
        for org in list(facts.organizations.values()):
            if org.name not in named or not org.sentences:
                continue
            sentence = min(org.sentences)
            section = reading.article.sentences[sentence].section
            found = self.parent_of(org, facts, named, facts.section_organization(section))
            if found and found[0] != org.name:
                facts.hierarchy.append(Hierarchy(org.name, found[0], sentence, found[1]))

    def parent_of(
        self, org: Organization, facts: ArticleFacts, named: set[str], section_org: str | None
    ) -> tuple[str, str] | None:
        if by_name := self.parent_by_name(org, named):
            return by_name, "a body under the body its name starts with"
        if org.kind == "TradeUnion":
            return self.parent_union(org, facts, named, section_org)
        if by_place := self.parent_by_place(org.name, named):
            return by_place, "a body under the body of the same kind in the place above"
        if org.kind == "Group" and section_org and facts.organizations[section_org].kind == "TradeUnion":
            return section_org, "group formed by the union its section is about"
        return None

    def parent_by_name(self, org: Organization, named: set[str]) -> str | None:
        """某区委宣传部 under 某区委, 某公司志愿车队 under 某公司: the longest other body whose full
        name begins this one's, unless only a union ending follows it (某公司工会 is the company's
        union, under the union system)."""
        heads = [n for n in named if len(n) < len(org.name) and org.name.startswith(n)]
        head = max(heads, key=len, default=None)
        if head is None or (org.kind == "TradeUnion" and self.recognizer.org_class(head) != "TradeUnion"):
            return None
        return head

    def parent_by_place(self, name: str, named: set[str]) -> str | None:
        """The body of the same kind one level up (某区妇联 → 某市妇联, 共青团某区委 → 共青团某市委,
        某区总工会 → 某市总工会), when the article names it."""
        for start, end, divisions in self.places.gazetteer.find(name):
            for division in divisions:
                parent = self.places.gazetteer.parent(division)
                candidate = parent and name[:start] + parent.name + name[end:]
                if candidate in named:
                    return candidate
            break
        return None

    def parent_union(
        self, org: Organization, facts: ArticleFacts, named: set[str], section_org: str | None
    ) -> tuple[str, str] | None:
        known_parent = self.places.known.get(org.name, ([], None))[1]
        if known_parent in named:
            return known_parent, "a union under the federation the union system puts it under"
        district = self.places.district_of(org.name)
        township = STREET_UNION.search(org.name) is not None
        district_unions = [
            n
            for n in named
            if facts.organizations[n].kind == "TradeUnion"
            and n.endswith("总工会")
            and self.places.district_of(n)
            and n == self.places.district_of(n).name + "总工会"  # type: ignore[union-attr]
        ]
        if township or (district and org.name != district.name + "总工会"):
            # A street, township or trade union of a district: the district union.
            if district and district.name + "总工会" in named:
                return district.name + "总工会", "a street, township or sector union under its district union"
            if township and section_org in district_unions:
                return section_org, "a street or township union under the district union of its section"
            if township and len(district_unions) == 1:
                return district_unions[
                    0
                ], "a street or township union under the one district union of its article"
            return None
        lead = self.places.gazetteer.leading(org.name)
        if lead is None:
            return None
        if org.name != lead[0] + "总工会":
            # A zone's or sector's union of a city (某市高新技术开发区总工会): the city's union.
            city = next((d.name + "总工会" for d in lead[1] if d.name + "总工会" in named), None)
            return (city, "a zone or sector union under the union of its city") if city else None
        if by_place := self.parent_by_place(org.name, named):
            return by_place, "a district, city or provincial union under the union of the place above"
        national = next((n for n, (_, parent) in self.places.known.items() if parent is None), None)
        if lead[1][0].level == "province" and national in named:
            return national, "a provincial union under the national federation"
        return None


def full_name(name: str, facts: ArticleFacts) -> str | None:
    if name in facts.organizations:
        return name
    return next((o.name for o in facts.organizations.values() if name in o.aliases), None)


def named_in(text: str, facts: ArticleFacts) -> str | None:
    """The body a short text (a headline) names first, by full name or alias."""
    found = [
        (text.find(name), org.name)
        for org in facts.organizations.values()
        for name in (org.name, *org.aliases)
        if name in text
    ]
    return min(found)[1] if found else None


def split_suffix(name: str, suffixes: list[str]) -> tuple[str, str]:
    for suffix in suffixes:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""
