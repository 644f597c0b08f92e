"""From the components' spans to an article's facts: the reasoning that needs the whole article.

Per-paragraph spans (organizations, titles, people, campaigns, figures) are placed in their
sentences, then read together: contextual names (区总工会) resolve to the body the section or
sentence is about, short names to full ones, title chains before a name become posts, figures get
their year, subject and measure, and the union system's hierarchy is applied by rule.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from loaders.extract.facts import (
    ArticleFacts,
    Campaign,
    Figure,
    Hierarchy,
    Organization,
    Person,
    Post,
)
from loaders.extract.lexicons import alternation, table, words
from loaders.extract.pipeline import load_pipeline
from loaders.model import Article, Paragraph

UNRESOLVED = ""
RELATIVE_YEARS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年|(前年|去年|今年|明年)")
QUOTE_MARKS = "“”‘’「」『』\"'"
# Tags of words that can describe what a figure counts (LAC and jieba tag sets).
MEASURE_TAGS = {"n", "nz", "vn", "an", "a", "j", "nw", "ORG", "LOC", "b"}
LINK_TAGS = {"v", "u", "d", "p", "vd"}


@dataclass(frozen=True)
class Mention:
    """A span placed in the article: its sentence, and its offsets in the paragraph's text."""

    span: Span
    paragraph: Paragraph
    sentence: int
    section: int | None

    @property
    def text(self) -> str:
        return self.span.text


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


class ArticleReader:
    def __init__(self, backend: str | None = None) -> None:
        self.nlp = load_pipeline(backend)
        self.gazetteer = Gazetteer()
        self.suffixes = self.nlp.get_pipe("gh_organizations").suffixes
        self.org_class = self.nlp.get_pipe("gh_organizations").org_class
        self.org_kind = self.nlp.get_pipe("gh_organizations").kind
        # The city of the districts in the gazetteer: its union's name without the union suffix.
        self.city = split_suffix(self.gazetteer.city_union, self.suffixes)[0]
        self.appointed = re.compile(f"^(?:{alternation(words('appointment_verbs.txt'))})")
        self.street_union = re.compile(r"(?:街道|镇|乡|地区)\w*工会\w*$")

    def read(self, article: Article) -> ArticleFacts:
        docs = list(self.nlp.pipe(p.text for p in article.paragraphs))
        return self.read_docs(article, docs)

    def read_docs(self, article: Article, docs: list[Doc]) -> ArticleFacts:
        facts = ArticleFacts()
        mentions = {
            key: self.place(article, docs, key)
            for key in ("gh_org", "gh_title", "gh_person", "gh_campaign", "gh_figure")
        }
        org_names = self.organizations(article, mentions["gh_org"], facts)
        self.people(article, mentions, facts)
        self.posts(article, mentions, org_names, facts)
        self.campaigns(article, mentions, org_names, facts)
        self.figures(article, docs, mentions, org_names, facts)
        self.hierarchy(article, org_names, facts)
        return facts

    # -- placing spans ---------------------------------------------------------------------------

    def place(self, article: Article, docs: list[Doc], key: str) -> list[Mention]:
        found = []
        for paragraph, doc in zip(article.paragraphs, docs, strict=False):
            starts = sentence_starts(paragraph)
            for span in doc.spans.get(key, []):
                local = max(i for i, start in enumerate(starts) if start <= span.start_char)
                sentence = paragraph.sentences[local]
                found.append(Mention(span, paragraph, sentence.index, paragraph.section))
        return found

    # -- organizations ---------------------------------------------------------------------------

    def organizations(self, article: Article, mentions: list[Mention], facts: ArticleFacts) -> dict[int, str]:
        """Collect bodies under their full names; return the body each organization span refers to."""
        suffixes = [s for s, _ in self.suffixes]
        proper = [m for m in mentions if m.span._.org_kind == "proper"]
        for mention in proper:
            name = self.gazetteer.expand(normal(mention.text), suffixes)
            org = facts.organizations.setdefault(name, Organization(name, mention.span.label_))
            if name != normal(mention.text):
                org.aliases.add(normal(mention.text))
        self.merge_short_names(facts)
        for section in article.sections:
            heading = self.gazetteer.expand(normal(section.heading), suffixes)
            resolved = self.full_name(heading, facts)
            if resolved is None and self.org_class(heading) and self.org_kind(heading) == "proper":
                facts.organizations[heading] = Organization(heading, self.org_class(heading) or "")
                resolved = heading
            if resolved:
                facts.section_organizations[section.index] = resolved
        facts.headline_organization = self.named_in(article.headline or "", facts)
        self.short_enterprise_names(mentions, facts)
        refers: dict[int, str] = {}
        last_seen: list[str] = []
        for mention in mentions:
            name = self.resolve(mention, facts, last_seen)
            if name:
                refers[id(mention.span)] = name
                last_seen.append(name)
                org = facts.organizations[name]
                if mention.sentence not in org.sentences:
                    org.sentences.append(mention.sentence)
        return refers

    def merge_short_names(self, facts: ArticleFacts) -> None:
        """A name whose characters appear in order in a longer name of the same class, starting
        with the same character (after a leading place name), is that body's short name."""
        names = sorted(facts.organizations, key=len)
        for short in names:
            for full in names[::-1]:
                if len(full) <= len(short) or short not in facts.organizations:
                    continue
                a, b = facts.organizations[short], facts.organizations[full]
                core = self.gazetteer.without_place(full)
                if a.kind == b.kind and any(
                    short[0] == name[0] and is_subsequence(short, name) for name in (full, core) if name
                ):
                    b.aliases |= {short, *a.aliases}
                    del facts.organizations[short]

    def named_in(self, text: str, facts: ArticleFacts) -> str | None:
        """The body a short text (a headline) names first, by full name or alias."""
        found = [
            (text.find(name), org.name)
            for org in facts.organizations.values()
            for name in (org.name, *org.aliases)
            if name in text
        ]
        return min(found)[1] if found else None

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
                    org.aliases.add(short)

    def full_name(self, name: str, facts: ArticleFacts) -> str | None:
        if name in facts.organizations:
            return name
        return next((o.name for o in facts.organizations.values() if name in o.aliases), None)

    def resolve(self, mention: Mention, facts: ArticleFacts, last_seen: list[str]) -> str | None:
        text = normal(mention.text)
        kind = mention.span._.org_kind
        if kind == "unsuffixed":
            return self.full_name(text, facts)
        if kind == "proper":
            suffixes = [s for s, _ in self.suffixes]
            return self.full_name(self.gazetteer.expand(text, suffixes), facts)
        if kind != "contextual":
            return None
        marker, suffix = split_suffix(text.removeprefix("该").removeprefix("本"), self.suffixes)
        section_org = facts.section_organization(mention.section)
        candidates = ([section_org] if section_org else []) + last_seen[::-1]
        for name in candidates:
            if name.endswith(suffix) and marker in name:
                return name
        # 区人大常委会 in a passage about 海淀区总工会 is 海淀区人大常委会, and 市总工会 there is the
        # city's: the district (or its city) in context plus the body's own suffix.
        district = next(filter(None, map(self.gazetteer.district_of, candidates)), None)
        place = {"区": district, "县": district, "市": self.city if district else None}.get(text[0])
        if place and (kind_class := self.org_class(text)):
            name = place + text[1:]
            facts.organizations.setdefault(name, Organization(name, kind_class))
            return name
        return None

    # -- people and posts ------------------------------------------------------------------------

    def people(self, article: Article, mentions: dict[str, list[Mention]], facts: ArticleFacts) -> None:
        for reporter in article.reporters:
            facts.people[reporter] = Person(reporter, reporter=True)
        org_text = {normal(m.text) for m in mentions["gh_org"]}
        for mention in mentions["gh_person"]:
            name = mention.text
            if name not in org_text:
                facts.people.setdefault(name, Person(name))
        for sentence in article.sentences:
            for person in facts.people.values():
                if person.name in sentence.text and sentence.index not in person.sentences:
                    person.sentences.append(sentence.index)

    def posts(
        self,
        article: Article,
        mentions: dict[str, list[Mention]],
        org_names: dict[int, str],
        facts: ArticleFacts,
    ) -> None:
        titles = {(id(m.paragraph), m.span.end_char): m for m in mentions["gh_title"]}
        orgs = {(id(m.paragraph), m.span.end_char): m for m in mentions["gh_org"]}
        people = {(id(m.paragraph), m.span.end_char): m for m in mentions["gh_person"]}
        title_starts = {(id(m.paragraph), m.span.start_char): m for m in mentions["gh_title"]}
        org_starts = {(id(m.paragraph), m.span.start_char): m for m in mentions["gh_org"]}
        for person in mentions["gh_person"]:
            if person.text not in facts.people:
                continue
            head = person
            # In a list (副主席张三、李四) every name takes the titles before the first.
            while head.span.start_char > 0 and head.paragraph.text[head.span.start_char - 1] == "、":
                previous = people.get((id(head.paragraph), head.span.start_char - 1))
                if previous is None:
                    break
                head = previous
            chain = title_chain(head, titles, orgs) or self.appointment(person, title_starts, org_starts)
            organization = None
            for item in chain:
                if item.span.label_ == "HONOR":
                    facts.people[person.text].honors.add(item.text)
                elif item.span.label_ == "ROLE":
                    target = organization or facts.section_organization(person.section)
                    if target:
                        post = Post(person.text, item.text, target, person.sentence)
                        if post not in facts.posts:
                            facts.posts.append(post)
                else:
                    # A body that cannot be resolved stops the chain: its titles are not the section's.
                    organization = org_names.get(id(item.span), UNRESOLVED)
                    if organization == UNRESOLVED:
                        break

    def appointment(self, person: Mention, titles: dict, orgs: dict) -> list[Mention]:
        """Bodies and titles after a verb of appointment: 张三任甲区总工会党组书记、主席."""
        text, key = person.paragraph.text, id(person.paragraph)
        verb = self.appointed.match(text[person.span.end_char :])
        if verb is None:
            return []
        chain: list[Mention] = []
        position = person.span.end_char + verb.end()
        while item := titles.get((key, position)) or orgs.get((key, position)):
            chain.append(item)
            position = item.span.end_char + (text[item.span.end_char : item.span.end_char + 1] == "、")
        return chain if chain and chain[-1].span.label_ in ("ROLE", "HONOR") else []

    # -- campaigns -------------------------------------------------------------------------------

    def campaigns(
        self,
        article: Article,
        mentions: dict[str, list[Mention]],
        org_names: dict[int, str],
        facts: ArticleFacts,
    ) -> None:
        orgs_in = group_by_sentence(mentions["gh_org"], org_names)
        campaign_sentences = {m.sentence for m in mentions["gh_campaign"]}
        sentences = article.sentences
        for mention in mentions["gh_campaign"]:
            name = normal(mention.span._.campaign_name)
            campaign = facts.campaigns.setdefault(name, Campaign(name))
            if mention.sentence not in campaign.sentences:
                campaign.sentences.append(mention.sentence)
            here = orgs_in.get(mention.sentence, set())
            section_org = facts.section_organization(mention.section)
            # The section's union reports the campaign even where a sentence names only its group.
            campaign.organizations |= here | ({section_org} if section_org else set())
            nearby = [sentences[mention.sentence]]
            following = mention.sentence + 1
            if (
                following < len(sentences)
                and following not in campaign_sentences
                and sentences[following].paragraph == sentences[mention.sentence].paragraph
            ):
                nearby.append(sentences[following])
            campaign.participants |= {
                p.name
                for p in facts.people.values()
                if not p.reporter and any(p.name in s.text for s in nearby)
            }

    # -- figures ---------------------------------------------------------------------------------

    def figures(
        self,
        article: Article,
        docs: list[Doc],
        mentions: dict[str, list[Mention]],
        org_names: dict[int, str],
        facts: ArticleFacts,
    ) -> None:
        years = governing_years(article)
        subjects = sentence_subjects(article, mentions["gh_org"], org_names, facts)
        words_of = {id(p): d._.words or [] for p, d in zip(article.paragraphs, docs, strict=True)}
        local_start = {
            sentence.index: start
            for paragraph in article.paragraphs
            for sentence, start in zip(paragraph.sentences, sentence_starts(paragraph), strict=True)
        }
        named = [
            (m.sentence, m.span.start_char, org_names[id(m.span)])
            for m in mentions["gh_org"]
            if id(m.span) in org_names
        ]
        for mention in mentions["gh_figure"]:
            start, end = mention.paragraph.original_range(mention.span.start_char, mention.span.end_char)
            before = mention.paragraph.text[local_start[mention.sentence] : mention.span.start_char]
            stated = stated_year(before, article_year(article))
            year = stated if stated is not None else years.get(mention.paragraph.index)
            # The body named last before the figure in its sentence, else the sentence's subject.
            preceding = [
                name
                for sentence, at, name in named
                if sentence == mention.sentence and at < mention.span.start_char
            ]
            facts.figures.append(
                Figure(
                    text=mention.text,
                    quantity=mention.span._.figure,
                    sentence=mention.sentence,
                    start=start,
                    end=end,
                    year=year,
                    about=preceding[-1] if preceding else subjects.get(mention.sentence),
                    measure=measure(mention, words_of[id(mention.paragraph)]),
                )
            )

    # -- hierarchy -------------------------------------------------------------------------------

    def hierarchy(self, article: Article, org_names: dict[int, str], facts: ArticleFacts) -> None:
        for org in list(facts.organizations.values()):
            if not org.mentioned or not org.sentences:
                continue
            sentence = min(org.sentences)
            parent_rule = self.parent_of(org, article, sentence, facts)
            if parent_rule:
                parent, rule = parent_rule
                if parent not in facts.organizations:
                    facts.organizations[parent] = Organization(parent, "TradeUnion", mentioned=False)
                facts.hierarchy.append(Hierarchy(org.name, parent, sentence, rule))
        for org in list(facts.organizations.values()):
            parent = self.gazetteer.known.get(org.name, ([], None))[1]
            if parent and org.mentioned:
                if parent not in facts.organizations:
                    facts.organizations[parent] = Organization(parent, "TradeUnion", mentioned=False)
                facts.hierarchy.append(
                    Hierarchy(
                        org.name,
                        parent,
                        min(org.sentences, default=0),
                        "city union under the national federation",
                    )
                )

    def parent_of(
        self, org: Organization, article: Article, sentence: int, facts: ArticleFacts
    ) -> tuple[str, str] | None:
        section = article.sentences[sentence].section
        section_org = facts.section_organization(section)
        if (
            org.kind == "TradeUnion"
            and self.gazetteer.district_of(org.name)
            and org.name.endswith("总工会")
            and self.street_union.search(org.name) is None
        ):
            return self.gazetteer.city_union, "district union under the city union"
        if org.kind == "TradeUnion" and self.street_union.search(org.name):
            district = self.gazetteer.district_of(org.name)
            if district:
                return district + "总工会", "street or township union under its district union"
            if section_org and section_org != org.name and self.gazetteer.district_of(section_org):
                return section_org, "street or township union under the district union of its section"
            districts = [
                o.name
                for o in facts.organizations.values()
                if o.mentioned
                and o.kind == "TradeUnion"
                and self.gazetteer.district_of(o.name)
                and not self.street_union.search(o.name)
            ]
            if len(districts) == 1:
                return districts[0], "street or township union under the one district union of its article"
        if org.kind == "Group" and section_org and facts.organizations[section_org].kind == "TradeUnion":
            return section_org, "group formed by the union its section is about"
        return None


def sentence_subjects(
    article: Article, org_mentions: list[Mention], org_names: dict[int, str], facts: ArticleFacts
) -> dict[int, str]:
    """The body each sentence is about: its first named body, else the last one named earlier in
    the paragraph, else the section's."""
    first: dict[int, str] = {}
    for mention in org_mentions:
        if name := org_names.get(id(mention.span)):
            first.setdefault(mention.sentence, name)
    subjects: dict[int, str] = {}
    for paragraph in article.paragraphs:
        current = facts.section_organization(paragraph.section)
        for sentence in paragraph.sentences:
            current = first.get(sentence.index, current)
            if current:
                subjects[sentence.index] = current
    return subjects


def sentence_starts(paragraph: Paragraph) -> list[int]:
    """Where each sentence of a paragraph starts in the paragraph's normalised text."""
    position = {offset: i for i, offset in enumerate(paragraph.offsets)}
    return [position[s.offsets[0]] for s in paragraph.sentences]


def title_chain(person: Mention, titles: dict, orgs: dict) -> list[Mention]:
    """Titles, honours and bodies right before a name, in text order: 甲会副主任、乙会主席张三."""
    chain: list[Mention] = []
    key = id(person.paragraph)
    position = person.span.start_char
    text = person.paragraph.text
    while True:
        item = titles.get((key, position)) or orgs.get((key, position))
        if item is None and position > 0 and text[position - 1] == "、":
            item = titles.get((key, position - 1))
        if item is None:
            break
        chain.append(item)
        position = item.span.start_char
    return chain[::-1]


def group_by_sentence(mentions: list[Mention], org_names: dict[int, str]) -> dict[int, set[str]]:
    grouped: dict[int, set[str]] = {}
    for mention in mentions:
        if name := org_names.get(id(mention.span)):
            grouped.setdefault(mention.sentence, set()).add(name)
    return grouped


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


def measure(mention: Mention, words: list[tuple[int, int, str]]) -> str | None:
    """What the figure counts: the nouns right after it (2736名职工), else those before it,
    across a linking verb (入会率达到了65.3%)."""
    text = mention.paragraph.text
    after = [w for w in words if w[0] >= mention.span.end_char]
    run = []
    for start, end, tag in after:
        if tag not in MEASURE_TAGS:
            break
        run.append((start, end))
    if run:
        return text[run[0][0] : run[-1][1]]
    before = [w for w in words if w[1] <= mention.span.start_char][::-1]
    while before and before[0][2] in LINK_TAGS and len(before) > 1:
        before = before[1:]
    run = []
    for start, end, tag in before:
        if tag not in MEASURE_TAGS:
            break
        run.append((start, end))
    return text[run[-1][0] : run[0][1]] if run else None


def split_suffix(name: str, suffixes: list[tuple[str, str]]) -> tuple[str, str]:
    for suffix, _ in suffixes:
        if name.endswith(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def is_subsequence(short: str, full: str) -> bool:
    characters = iter(full)
    return all(c in characters for c in short)


def normal(name: str) -> str:
    """A name as the graph labels it: NFKC, no quotation marks, single spaces."""
    name = unicodedata.normalize("NFKC", name)
    name = "".join(c for c in name if c not in QUOTE_MARKS)
    return re.sub(r"\s+", " ", name).strip()
