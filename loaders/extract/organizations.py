"""Organization names: every ORG word of the statistical tagger, quoted names and the nominal
phrases before an organization ending that the ontology ties to a class (gh:nameSuffix).

A tagged name is a mention unless evidence rules it out: one character (区), a numeral or function
word by jieba's dictionary (一半), a place rather than a body (朝阳, 某某新区: a division of the
gazetteer or a word ending in a level such as 区 or 镇), or a word inside a longer quoted slogan.
Each span in ``doc.spans["gh_org"]`` has ``label_`` = the class's local name (TradeUnion, ...,
OtherOrganization for a tagged name with no telling ending) and ``span._.org_kind`` = "proper" (a
name of its own), "contextual" (区总工会, 该街道总工会: the body the text is about, resolved
later), "generic" (机关工会, 各级工会: no particular body) or "unsuffixed" (a tagged name with no
ending: a body of its own, or a short name of one).
"""

from __future__ import annotations

import bisect
import itertools
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from loaders.extract.dictionary import dictionary_tag
from loaders.extract.lexical import ENTITY_TAGS
from loaders.extract.lexicons import alternation, table, words
from loaders.extract.places import gazetteer
from loaders.extract.words import Word, WordIndex
from ontology import name_suffixes, org_class_for

QUOTED = re.compile(r"[“‘「]([^“”‘’「」]{2,20})[”’」]")
SPEECH = re.compile("[，。；！？,;!?]")
# A slogan in two halves (“某某 某某”, “某某·某某”).
SLOGAN_BREAK = re.compile(r"\S[\s·]\S")
QUOTED_AROUND = re.compile(r"[“‘「][^“”‘’「」]{1,40}[”’」]")
NAME = re.compile(r"^[\u4e00-\u9fff·]+$")
PLACE = re.compile("(?:省|市|区|县|镇|乡|街道|村|社区)")
# A body is named by a place or another body (or a brand), not by a person: 某某办公室 after a name
# is that person's office.
PROPER_TAGS = {"LOC", "ORG", "ns", "nt", "nz"}
# Parts of speech (LAC and jieba tag sets) that can stand inside an organization name.
NOMINAL_TAGS = {"n", "nz", "ns", "nt", "nw", "j", "LOC", "ORG", "PER", "an", "vn", "b"}
# A body named by its level alone (区人社局, 市总工会): a proper place is never one character.
# 团区委 (the Youth League's committee of the district) is read the same way.
LEVEL_BODY = re.compile("^团?(?:[区县](?![域级])|市(?![场级])|省(?![级内外])|镇(?!江)|乡(?![村镇])|街道)")
CONTEXT_MARKERS = ("该", "本", "区", "市", "县", "镇", "乡", "街道", "开发区")
# A tagged word that ends in a level of place without an organization ending is a place (某某新区).
PLACE_ENDING = re.compile("(?:省|市|区|县|镇|乡|村|街道|社区|地区|开发区|新区)$")
UNSUFFIXED = "OtherOrganization"
# An ending that after a direction names no body (华北南部, 阿北部).
NOT_A_BODY_ENDING = re.compile("[东南西北中内外全总上下前后]部$")
PLACE_TAGS = {"LOC", "ns", "ORG", "nt"}
LEGAL_FORM = re.compile("(?:股份|有限责任|有限)公司")
LEGAL_FORM_AT_END = re.compile(f"(?:{LEGAL_FORM.pattern})$")
TAGGED_NAME = re.compile(r"^[^\W_](?:[^\W_]|[·&\-.．])*$")
# jieba's dictionary files many companies' short names as verbs or adjectives (招行 v, 微软 a), so
# only a numeral, measure word, pronoun or function word (一半 m) tells that a tagged word is none.
NOT_BODY_TAGS = frozenset({"m", "mq", "q", "r", "rr", "rz", "p", "c", "u", "uj", "d", "f", "y", "e", "o"})

if not Span.has_extension("org_kind"):
    Span.set_extension("org_kind", default="proper")


class OrganizationRecognizer:
    def __init__(self, max_length: int) -> None:
        self.suffixes = [(suffix, cls.split("#")[-1]) for suffix, cls in name_suffixes()]
        suffixes = alternation([s for s, _ in self.suffixes])
        self.suffix_anywhere = re.compile(suffixes)
        self.suffix_pattern = re.compile(f"(?:{suffixes})$")
        self.joined = re.compile(f"({suffixes})(联合|携手|会同|与|和|及|同)")
        self.generic_prefix = re.compile(f"^(?:{alternation(words('generic_org_words.txt'))})*$")
        self.max_length = max_length
        self.title = re.compile(alternation(words("titles.txt")))
        self.honor = re.compile(f"(?:{alternation(words('honors.txt'))})$")
        person_words = words("honors.txt") + words("titles.txt") + words("person_descriptors.txt")
        self.about_a_person = re.compile(alternation(person_words))
        self.campaign_kind = re.compile(alternation([row[0] for row in table("campaign_triggers.tsv")]))

    def org_class(self, name: str) -> str | None:
        """The local name of the ontology class the name's suffix signals (TradeUnion, ...)."""
        cls = org_class_for(name)
        return cls.split("#")[-1] if cls else None

    def kind(self, name: str) -> str:
        match = self.suffix_pattern.search(name)
        prefix = name[: match.start()] if match else name
        if prefix.startswith(("该", "本")) or prefix in CONTEXT_MARKERS or LEVEL_BODY.match(name):
            return "contextual"
        if (not prefix and len(name) > 1) or self.suffix_pattern.fullmatch(prefix):
            # 公司董事长, 医院院长, 公司党委: the company or hospital the text is about (, its committee)
            return "contextual"
        # A proper name says which body: a one-character head (分站, 支队) names a kind of body.
        bare = re.sub(r"[()（）]", "", prefix)  # 劳模(职工)创新工作室 is as generic as 劳模创新工作室
        return "generic" if self.generic_prefix.match(bare) or len(bare) < 2 else "proper"

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        tagged = [
            piece
            for start, end, tag in doc._.words or []
            if ENTITY_TAGS.get(tag) == "ORG"
            for piece in self.split_joined(text, start, end)
        ]
        located = WordIndex(doc._.words or [])
        tagged = [
            self.with_place(text, located, *self.whole_suffix(text, *self.trimmed(text, start, end)))
            for start, end in tagged
        ]
        candidates = tagged + [m.span(1) for m in QUOTED.finditer(text) if NAME.match(m.group(1))]
        candidates += self.suffix_phrases(doc, text, candidates)
        tagged_set = set(tagged)
        spans: list[Span] = []
        reached = 0  # candidates come by start: one overlaps an accepted span when it starts before this
        for start, end in sorted(set(candidates), key=lambda c: (c[0], -c[1])):
            name = text[start:end]
            cls = self.org_class(name)
            if len(name) > self.max_length or (cls is None and (start, end) not in tagged_set):
                continue
            if cls is None and self.not_a_body(text, start, end):
                continue
            span = doc.char_span(start, end, label=cls or UNSUFFIXED)
            if span is not None and span.start_char >= reached:
                span._.org_kind = self.kind(name) if cls else "unsuffixed"
                spans.append(span)
                reached = span.end_char
        spans += self.heads(doc, text, tagged, spans)
        doc.spans["gh_org"] = sorted(spans, key=lambda s: (s.start, -s.end))
        return doc

    def heads(self, doc: Doc, text: str, tagged: list[tuple[int, int]], spans: list[Span]) -> list[Span]:
        """A body named at the head of a longer name (某公司 in 某公司志愿车队) is a mention too."""
        found = []
        ends_from: dict[int, list[int]] = {}
        for start, end in tagged:
            ends_from.setdefault(start, []).append(end)
        for span in spans:
            start = span.start_char
            for end in ends_from.get(start, []):
                inner = text[start:end]
                if end >= span.end_char or len(inner) > self.max_length:
                    continue
                # Only a head with an ending of its own: an unsuffixed one (区第一|中学, 某某|营销部)
                # is as often a fragment as a body.
                if (cls := self.org_class(inner)) and (head := doc.char_span(start, end, label=cls)):
                    head._.org_kind = self.kind(inner)
                    found.append(head)
        return found

    def not_a_body(self, text: str, start: int, end: int) -> bool:
        """Evidence that a tagged name without an organization ending names no body."""
        name = text[start:end]
        if len(name) < 2 or not TAGGED_NAME.match(name) or dictionary_tag(name) in NOT_BODY_TAGS:
            return True
        ends_as_place = PLACE_ENDING.search(name) and (len(name) <= 4 or gazetteer().leading(name))
        if ends_as_place or name in gazetteer().by_name:
            return True  # a place (某某新区, 某某县), not a body of it; 某国防卫省 is a ministry
        if self.honor.search(name):
            return True  # an honour (某市劳动模范), not a body
        # Inside a quoted campaign's name (“喜迎某某 奋进某某”职业技能竞赛): a slogan, not a body.
        quote = next((q for q in QUOTED_AROUND.finditer(text) if q.start() < start and end < q.end()), None)
        if quote is None or quote.group()[1:-1] == name or SPEECH.search(quote.group()):
            return False
        return self.campaign_kind.match(text, quote.end()) is not None or SLOGAN_BREAK.search(quote.group())

    def whole_suffix(self, text: str, start: int, end: int) -> tuple[int, int]:
        """A tagged name that starts inside a longer ending (团|市委 for 团市委) takes the ending whole."""
        longest = max((len(s) for s, _ in self.suffixes if text.endswith(s, 0, end)), default=0)
        return (min(start, end - longest), end) if longest else (start, end)

    def with_place(self, text: str, words: WordIndex, start: int, end: int) -> tuple[int, int]:
        """A body's name with the short place name the tagger split off it (临汾|某某门诊部). A
        division's full name before a name (某某市 某区人民法院) says where it is, and a word that
        only spells like a place (比如, a county too) is none."""
        before = words.ending_in(start)
        if before is None or before[1] != start or before[2] not in PLACE_TAGS:
            return start, end
        place = text[before[0] : start]
        divisions = gazetteer().by_name.get(place, [])
        short = bool(divisions) and all(d.name != place for d in divisions)
        if short and self.org_class(text[start:end]) and not gazetteer().leading(text[start:end]):
            return before[0], end
        return start, end

    def trimmed(self, text: str, start: int, end: int) -> tuple[int, int]:
        """A tagged name that runs past its organization ending into a verb or a person (某工会联合会
        协办, 某公司全国劳模某某) ends with the ending. What follows an ending may also be a unit of the
        body (某大学心理学系, 某部农村科技司): that stays."""
        if self.suffix_pattern.search(text, start, end):
            return start, end
        last = None
        for match in self.suffix_anywhere.finditer(text, start, end):
            last = match
        if last is None:
            return start, end
        rest = text[last.end() : end]
        # …a verb, a person, or the start of a title (某妇联|党组书记: 党组 begins 党组书记).
        title_follows = self.title.match(text, last.end()) is not None
        if dictionary_tag(rest) in ("v", "vn") or self.about_a_person.search(rest) or title_follows:
            return start, last.end()
        return start, end

    def split_joined(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Two bodies the tagger ran together (甲区总工会联合区人社局): split after a suffix that is
        followed by a word joining them, unless that word goes on a longer suffix (工会联合会); and
        after a company's legal form followed by another company named from its place
        (某某有限公司浙江某某有限公司, a list whose commas were lost)."""
        for legal in LEGAL_FORM.finditer(text, start, end):
            rest = text[legal.end() : end]
            place = gazetteer().find(rest[:8], short_forms=True)
            if place and LEGAL_FORM_AT_END.search(rest):
                return [(start, legal.end()), *self.split_joined(text, legal.end() + place[0][0], end)]
        for joined in self.joined.finditer(text, start, end):
            longest = self.suffix_anywhere.match(text, joined.start(1))
            if longest is not None and longest.end() > joined.end(1) or joined.end() >= end:
                continue
            return [(start, joined.start(2)), *self.split_joined(text, joined.end(), end)]
        return [(start, end)]

    def suffix_phrases(self, doc: Doc, text: str, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Names the statistical tagger missed: a suffix and the nominal words before it."""
        found = []
        tagged_words = doc._.words or []
        located = WordIndex(tagged_words)
        # Candidates by start, with the furthest end reached so far: a suffix lies inside one
        # when some candidate starting at or before it reaches past it.
        inside = sorted(known)
        starts = [s for s, _ in inside]
        reach = list(itertools.accumulate((e for _, e in inside), max))
        for match in self.suffix_anywhere.finditer(text):
            before = bisect.bisect_right(starts, match.start())
            if before and reach[before - 1] >= match.end():
                continue
            index = located.index_at(match.start())
            last = located.ending_in(match.end())
            titled = self.title.match(text, match.end()) is not None
            if index is None or last is None or (last[1] != match.end() and not titled):
                continue  # the suffix ends a word (not 队 in 队伍) or a title follows it (区委书记)
            if len(match.group()) == 1 and (last[1] - last[0] == 2 or last[2] not in NOMINAL_TAGS):
                continue  # a one-character suffix ends a longer word or a noun: not 局 in 格局, 所 in 所知
            start = tagged_words[index][0]
            own_start = start  # the word the ending is in, before the head is walked back
            generic = None  # a kind of body (各级, 区级) is headed by more such words only
            while index > 0 and match.end() - tagged_words[index - 1][0] <= self.max_length:
                word = text[tagged_words[index - 1][0] : tagged_words[index - 1][1]]
                is_generic = self.generic_prefix.match(word) is not None
                generic = is_generic if generic is None else generic
                if (generic and not is_generic) or not (
                    is_generic or tagged_words[index - 1][2] in NOMINAL_TAGS
                ):
                    break
                index -= 1
                start = tagged_words[index][0]
            head = text[start : match.start()]
            if NOT_A_BODY_ENDING.search(text[max(0, match.start() - 2) : match.end()]):
                continue  # 北部, 市中心: a direction or a town's centre, not a department or a centre
            company = LEGAL_FORM.fullmatch(match.group()) is not None
            head_words = located.between(start, match.start())
            named = self.names_a_place(head, head_words, company)
            if len(match.group()) == 1 and not any(tag in PROPER_TAGS for _, _, tag in head_words):
                named = False  # a one-character ending (站, 所, 队) needs a named place or body before it
            # …or a kind of body (基层工会: generic), or a body's kind standing for it (公司工会).
            standing_for = self.suffix_pattern.fullmatch(head) and len(match.group()) > 1
            named = named or self.generic_prefix.match(head) or standing_for
            if start < match.start() and named:
                found.append((start, match.end()))  # a name, or a kind of body (基层工会: generic)
            elif titled and match.end() - own_start > 1:
                found.append((own_start, match.end()))  # a body its holder's title follows: 组织部|部长
        return found

    def names_a_place(self, head: str, words: list[Word], company: bool = False) -> bool:
        """Only a head that names a place or a proper noun makes a name the tagger missed a name:
        干部, 部署 or 工作专班 end like bodies but name none. ``words``: the head's words. A person's
        name heads a company (某某有限公司), never an office (某某办公室 is that person's)."""
        tags = PROPER_TAGS | ({"PER", "nr"} if company else set())
        return any(tag in tags for _, _, tag in words) or PLACE.search(head) is not None


@Language.factory("gh_organizations", default_config={"max_length": 24})
def make_organizations(nlp: Language, name: str, max_length: int) -> OrganizationRecognizer:
    return OrganizationRecognizer(max_length)
