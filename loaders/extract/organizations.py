"""Organization names: statistical ORG words and quoted names, kept when they end in a suffix
that the ontology ties to an organization class (gh:nameSuffix), typed by that suffix.

Each span in ``doc.spans["gh_org"]`` has ``label_`` = the class's local name (TradeUnion, ...) and
``span._.org_kind`` = "proper" (a name of its own), "contextual" (区总工会, 该街道总工会: the
body the text is about, resolved later) or "generic" (机关工会, 各级工会: no particular body).
"""

from __future__ import annotations

import bisect
import itertools
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from loaders.extract.lexical import ENTITY_TAGS
from loaders.extract.lexicons import alternation, words
from ontology import name_suffixes, org_class_for

QUOTED = re.compile(r"[“‘「]([^“”‘’「」]{2,20})[”’」]")
NAME = re.compile(r"^[\u4e00-\u9fff·]+$")
PLACE = re.compile("(?:省|市|区|县|镇|乡|街道|村|社区)")
PROPER_TAGS = {"LOC", "ORG", "PER", "ns", "nt", "nz", "nr"}
# Parts of speech (LAC and jieba tag sets) that can stand inside an organization name.
NOMINAL_TAGS = {"n", "nz", "ns", "nt", "nw", "j", "LOC", "ORG", "PER", "an", "vn", "b"}
# A body named by its level alone (区人社局, 市总工会): a proper place is never one character.
LEVEL_BODY = re.compile("^[区县](?![域级])|^市(?![场级])")
CONTEXT_MARKERS = ("该", "本", "区", "市", "县", "镇", "乡", "街道", "开发区")

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

    def org_class(self, name: str) -> str | None:
        """The local name of the ontology class the name's suffix signals (TradeUnion, ...)."""
        cls = org_class_for(name)
        return cls.split("#")[-1] if cls else None

    def kind(self, name: str) -> str:
        match = self.suffix_pattern.search(name)
        prefix = name[: match.start()] if match else name
        if prefix.startswith("该") or prefix in CONTEXT_MARKERS or LEVEL_BODY.match(name):
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
        candidates = tagged + [m.span(1) for m in QUOTED.finditer(text) if NAME.match(m.group(1))]
        candidates += self.suffix_phrases(doc, text, candidates)
        spans: list[Span] = []
        for start, end in sorted(set(candidates), key=lambda c: (c[0], -c[1])):
            name = text[start:end]
            cls = self.org_class(name)
            if len(name) > self.max_length or (cls is None and (start, end) not in tagged):
                continue
            span = doc.char_span(start, end, label=cls or "")
            # Candidates come by start, and the kept spans do not overlap: only the last can.
            if span is not None and not (spans and spans[-1].end > span.start):
                # A tagged name without a suffix may still be a company's short name (北京邮政).
                span._.org_kind = self.kind(name) if cls else "unsuffixed"
                spans.append(span)
        doc.spans["gh_org"] = spans
        return doc

    def split_joined(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Two bodies the tagger ran together (甲区总工会联合区人社局): split after a suffix that is
        followed by a word joining them."""
        joined = self.joined.search(text, start, end)
        if joined is None or joined.end() >= end:
            return [(start, end)]
        return [(start, joined.start(2)), *self.split_joined(text, joined.end(), end)]

    def suffix_phrases(self, doc: Doc, text: str, known: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Names the statistical tagger missed: a suffix and the nominal words before it."""
        found = []
        words = doc._.words or []
        # Binary searches over the words (in order, not overlapping) and over the known names
        # (the furthest end among those starting at or before a point): a long paragraph costs
        # the same per suffix as a short one.
        starts, ends = [w[0] for w in words], [w[1] for w in words]
        known = sorted(known)
        known_starts = [s for s, _ in known]
        furthest_end = list(itertools.accumulate((e for _, e in known), max))
        for match in self.suffix_anywhere.finditer(text):
            covering = bisect.bisect_right(known_starts, match.start()) - 1
            if covering >= 0 and furthest_end[covering] >= match.end():
                continue
            at = bisect.bisect_right(starts, match.start()) - 1
            index = at if at >= 0 and match.start() < ends[at] else None
            after = bisect.bisect_left(ends, match.end())
            last = words[after] if after < len(words) and words[after][0] < match.end() else None
            if index is None or last is None or last[1] != match.end():
                continue  # the suffix must end a word: 队 in 队伍 is no suffix
            if len(match.group()) == 1 and last[1] - last[0] > 1:
                continue  # a one-character suffix must be a word of its own: 局 in 格局, 部 in 干部
            start = words[index][0]
            while (
                index > 0
                and words[index - 1][2] in NOMINAL_TAGS
                and match.end() - words[index - 1][0] <= self.max_length
            ):
                index -= 1
                start = words[index][0]
            if start < match.start() and self.names_a_place(text[start : match.start()], words, index):
                found.append((start, match.end()))
        return found

    def names_a_place(self, head: str, words: list, first: int) -> bool:
        """Only a head that names a place or a proper noun makes a name the tagger missed a name:
        干部, 部署 or 工作专班 end like bodies but name none."""
        end = words[first][0] + len(head)  # the head's words: from words[first] until the head ends
        following = (words[i] for i in range(first, len(words)))
        proper = any(tag in PROPER_TAGS for _, _, tag in itertools.takewhile(lambda w: w[0] < end, following))
        return proper or PLACE.search(head) is not None


@Language.factory("gh_organizations", default_config={"max_length": 24})
def make_organizations(nlp: Language, name: str, max_length: int) -> OrganizationRecognizer:
    return OrganizationRecognizer(max_length)
