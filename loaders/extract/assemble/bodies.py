"""Organizations across an article: full names and short ones, references resolved, hierarchy.

Proper names are collected under their full names (经开区总工会 → 北京经济技术开发区总工会) and
short names become aliases; contextual names (区总工会, 该街道总工会, 区人大常委会) resolve to the
body the section or the sentence is about; the union system's levels give the hierarchy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from loaders.extract.assemble.mentions import Mention, Reading, is_subsequence, normal
from loaders.extract.facts import ArticleFacts, Hierarchy, Organization
from loaders.extract.lexicons import table, words
from loaders.extract.organizations import OrganizationRecognizer

# Why a name was taken for another name of a body (recorded as gh:identityBasis).
EXPANDED = "地名简称或通行简称，展开后即该机构全称"
SHORTENED = "简称的字依次见于全称（可略去打头的地名），且机构类别相同"
ENTERPRISE_SHORT = "企业名称略去“公司”等后缀的简称，其字依次见于全称"
STREET_UNION = re.compile(r"(?:街道|镇|乡|地区)\w*工会\w*$")


class Gazetteer:
    """Place and body names of the union system, read from the lexicons."""

    def __init__(self) -> None:
        self.districts = {
            row[0]: [a for a in row[1].split(",") if a] for row in table("beijing_districts.txt")
        }
        self.known = {
            row[0]: ([a for a in row[1].split(",") if a], row[2] or None) for row in table("known_bodies.tsv")
        }
        self.city_union = next(name for name, (_, parent) in self.known.items() if parent)
        # The city of the districts: its union's name without the union's suffix (北京市总工会 → 北京市).
        self.city = self.city_union.removesuffix("总工会")
        places = [
            *words("place_prefixes.txt"),
            *self.districts,
            *(a for s in self.districts.values() for a in s),
        ]
        self.places = sorted(set(places), key=len, reverse=True)

    def expand(self, name: str, suffixes: Iterable[str]) -> str:
        """The full name of a body called by a place's short name: 经开区总工会 → 北京经济技术开发区总工会."""
        for full, (aliases, _) in self.known.items():
            if name in aliases:
                return full
        # 北京市东城区总工会 is 东城区总工会: the district's bodies go by the district's name.
        city_prefix = next((p for p in (self.city, self.city.removesuffix("市")) if name.startswith(p)), "")
        if city_prefix and self.district_of(name[len(city_prefix) :]):
            name = name[len(city_prefix) :]
        for district, shorts in self.districts.items():
            for short in [*shorts, district.removesuffix("区")]:
                rest = name[len(short) :]
                if name.startswith(short) and not name.startswith(district) and rest in suffixes:
                    return district + rest
        return name

    def without_place(self, name: str) -> str:
        """The name without the place that leads it: 北京首钢集团工会 → 首钢集团工会."""
        for place in self.places:
            if name.startswith(place) and len(name) > len(place):
                return name[len(place) :]
        return ""

    def district_of(self, name: str) -> str | None:
        return next((d for d in self.districts if name.startswith(d)), None)


class Bodies:
    def __init__(self, recognizer: OrganizationRecognizer) -> None:
        self.gazetteer = Gazetteer()
        self.recognizer = recognizer
        self.suffixes = [s for s, _ in recognizer.suffixes]

    def full_form(self, text: str) -> str:
        return self.gazetteer.expand(normal(text), self.suffixes)

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
        aliases = alias_index(facts)
        # Bodies by when they were last named, most recent last; each once, so looking back
        # costs the number of bodies, not of mentions.
        last_seen: dict[str, None] = {}
        recorded: dict[str, set[int]] = {}
        for mention in mentions:
            if name := self.resolve(mention, facts, last_seen, aliases):
                reading.bodies[id(mention.span)] = name
                last_seen.pop(name, None)
                last_seen[name] = None
                if mention.sentence not in recorded.setdefault(name, set()):
                    recorded[name].add(mention.sentence)
                    facts.organizations[name].sentences.append(mention.sentence)

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
        cores = {name: self.gazetteer.without_place(name) for name in names}
        # Only names of the same class starting with the short name's first character (or doing
        # so after their place) can take it: compare within those groups, longest first.
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for full in names[::-1]:
            kind = facts.organizations[full].kind
            for first in dict.fromkeys(name[0] for name in (full, cores[full]) if name):
                groups[(kind, first)].append(full)
        for short in names:
            for full in groups[(facts.organizations[short].kind, short[0])]:
                if len(full) <= len(short) or short not in facts.organizations:
                    break
                a, b = facts.organizations[short], facts.organizations[full]
                core = cores[full]
                if a.kind == b.kind and any(
                    short[0] == name[0] and is_subsequence(short, name) for name in (full, core) if name
                ):
                    b.aliases.setdefault(short, SHORTENED)
                    b.aliases = a.aliases | b.aliases
                    del facts.organizations[short]

    def short_enterprise_names(self, mentions: list[Mention], facts: ArticleFacts) -> None:
        """Enterprises go by their name without 公司 (北京邮政 for 北京市邮政公司); other bodies keep
        their suffix in a short name, so a bare place or slogan never becomes a union's alias."""
        enterprises: dict[str, list[Organization]] = defaultdict(list)  # by first character
        for org in facts.organizations.values():
            if org.kind == "Enterprise":
                enterprises[org.name[0]].append(org)
        shorts = dict.fromkeys(normal(m.text) for m in mentions if m.span._.org_kind == "unsuffixed")
        for short in shorts:
            for org in enterprises.get(short[:1], []):
                if short != org.name and is_subsequence(short, org.name):
                    org.aliases.setdefault(short, ENTERPRISE_SHORT)

    def resolve(
        self, mention: Mention, facts: ArticleFacts, last_seen: dict[str, None], aliases: dict[str, str]
    ) -> str | None:
        text = normal(mention.text)
        kind = mention.span._.org_kind
        if kind == "unsuffixed":
            return full_name(text, facts, aliases)
        if kind == "proper":
            return full_name(self.full_form(text), facts, aliases)
        if kind != "contextual":
            return None
        marker, suffix = split_suffix(text.removeprefix("该").removeprefix("本"), self.suffixes)
        section_org = facts.section_organization(mention.section)

        def candidates() -> Iterator[str]:  # lazily: the answer is usually among the first
            if section_org:
                yield section_org
            yield from reversed(last_seen)

        for name in candidates():
            if name.endswith(suffix) and marker in name:
                return name
        # 区人大常委会 in a passage about 海淀区总工会 is 海淀区人大常委会, and 市总工会 there is the
        # city's: the district (or its city) in context plus the body's own suffix.
        district = next(filter(None, map(self.gazetteer.district_of, candidates())), None)
        place = {"区": district, "县": district, "市": self.gazetteer.city if district else None}.get(text[0])
        if place and (kind_class := self.recognizer.org_class(text)):
            name = place + text[1:]
            facts.organizations.setdefault(name, Organization(name, kind_class))
            return name
        return None

    # -- hierarchy -------------------------------------------------------------------------------

    def hierarchy(self, reading: Reading) -> None:
        """Parents by the union system's levels; a parent the article never names is still added."""
        facts = reading.facts
        district_unions = [  # the article's district unions: parents for streets named alone
            o.name
            for o in facts.organizations.values()
            if o.mentioned
            and o.kind == "TradeUnion"
            and self.gazetteer.district_of(o.name)
            and not STREET_UNION.search(o.name)
        ]
        for org in list(facts.organizations.values()):
            if not org.mentioned or not org.sentences:
                continue
            sentence = min(org.sentences)
            section = reading.article.sentences[sentence].section
            if found := self.parent_of(org, facts, facts.section_organization(section), district_unions):
                self.link(facts, org.name, *found, sentence)
            known_parent = self.gazetteer.known.get(org.name, ([], None))[1]
            if known_parent:
                self.link(facts, org.name, known_parent, "city union under the national federation", sentence)

    def link(self, facts: ArticleFacts, child: str, parent: str, rule: str, sentence: int) -> None:
        if parent not in facts.organizations:
            facts.organizations[parent] = Organization(parent, "TradeUnion", mentioned=False)
        facts.hierarchy.append(Hierarchy(child, parent, sentence, rule))

    def parent_of(
        self, org: Organization, facts: ArticleFacts, section_org: str | None, district_unions: list[str]
    ) -> tuple[str, str] | None:
        district = self.gazetteer.district_of(org.name)
        street = STREET_UNION.search(org.name) is not None
        if org.kind == "TradeUnion" and district and org.name.endswith("总工会") and not street:
            return self.gazetteer.city_union, "district union under the city union"
        if org.kind == "TradeUnion" and street:
            if district:
                return district + "总工会", "street or township union under its district union"
            if section_org and section_org != org.name and self.gazetteer.district_of(section_org):
                return section_org, "street or township union under the district union of its section"
            if len(district_unions) == 1:
                rule = "street or township union under the one district union of its article"
                return district_unions[0], rule
        if org.kind == "Group" and section_org and facts.organizations[section_org].kind == "TradeUnion":
            return section_org, "group formed by the union its section is about"
        return None


def full_name(name: str, facts: ArticleFacts, aliases: dict[str, str] | None = None) -> str | None:
    """The body ``name`` is the full name or another name of; ``aliases`` from :func:`alias_index`
    (once the aliases no longer change) saves a scan of every body."""
    if name in facts.organizations:
        return name
    if aliases is not None:
        return aliases.get(name)
    return next((o.name for o in facts.organizations.values() if name in o.aliases), None)


def alias_index(facts: ArticleFacts) -> dict[str, str]:
    """Each other name to the body it names (the first body listing it, as :func:`full_name` finds)."""
    index: dict[str, str] = {}
    for org in facts.organizations.values():
        for alias in org.aliases:
            index.setdefault(alias, org.name)
    return index


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
