"""Titles of posts, honours, and the people who hold them.

``doc.spans["gh_title"]``: post titles (label ROLE) and honours (label HONOR), never inside an
organization name (常委 in 人大常委会). ``doc.spans["gh_person"]``: person names that the text
itself vouches for: a name right after a title or honour (常务副主席张三, 全国劳动模范李四) or
right before a verb of saying (王五表示). Statistical PER words without such evidence are dropped,
which is what keeps 施策 or 四维 out of the graph.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from loaders.extract.lexical import ENTITY_TAGS
from loaders.extract.lexicons import alternation, words

NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
# Adverbs that sit between a speaker and the verb of saying (王强也表示): never part of the name.
ADVERBS = set("也又还则就都曾再却便更亦")
CLAUSE_END = set("，。、；：！？,;:!?和与及")


def overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(s.start_char < end and start < s.end_char for s in spans)


class TitleRecognizer:
    def __init__(self) -> None:
        self.honor = re.compile(alternation(words("honors.txt")))
        self.role = re.compile(alternation(words("titles.txt")))

    def __call__(self, doc: Doc) -> Doc:
        # Organization names are blanked out first: 常委 inside 人大常委会 is no title.
        text = list(doc._.text)
        for org in doc.spans.get("gh_org", []):
            text[org.start_char : org.end_char] = "\0" * len(org.text)
        masked = "".join(text)
        spans: list[Span] = []
        for label, pattern in (("HONOR", self.honor), ("ROLE", self.role)):
            for match in pattern.finditer(masked):
                start, end = match.span()
                if overlaps(start, end, spans):
                    continue
                if (span := doc.char_span(start, end, label=label)) is not None:
                    spans.append(span)
        doc.spans["gh_title"] = sorted(spans)
        return doc


class PersonRecognizer:
    def __init__(self) -> None:
        self.saying = re.compile(f"^(?:{alternation(words('speech_verbs.txt'))})")
        self.appointed = re.compile(f"^(?:{alternation(words('appointment_verbs.txt'))})")
        self.honorific = re.compile(f"^(?:{alternation(words('person_honorifics.txt'))})")
        self.descriptor = re.compile(f"(?:{alternation(words('person_descriptors.txt'))})$")

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        titles = list(doc.spans.get("gh_title", []))
        titles_end = {s.end_char for s in titles}
        people: list[Span] = []
        for ent_start, ent_end, tag in doc._.words or []:
            if ENTITY_TAGS.get(tag) != "PER":
                continue
            # The tagger sometimes takes a title's last character into the name (模范|孙丽娜).
            start = max([ent_start, *(t.end_char for t in titles if t.start_char < ent_start < t.end_char)])
            start, end = self.boundaries(text, start, ent_end)
            name = text[start:end]
            following = text[end:]
            vouched = (
                start in titles_end
                or self.descriptor.search(text, 0, start)
                or any(p.match(following) for p in (self.saying, self.appointed, self.honorific))
            )
            if vouched and NAME.match(name) and (span := doc.char_span(start, end, label="PER")):
                people.append(span)
        people += self.split_names(doc, text, titles_end, people)
        people += self.listed_names(doc, text, people)
        doc.spans["gh_person"] = sorted(people)
        return doc

    def listed_names(self, doc: Doc, text: str, found: list[Span]) -> list[Span]:
        """Names listed after a vouched one share its evidence: 副主席张三、李四介绍."""
        names = {start: end for start, end, tag in doc._.words or [] if ENTITY_TAGS.get(tag) == "PER"}
        extra: list[Span] = []
        for person in found:
            end = person.end_char
            while text[end : end + 1] == "、" and (following := names.get(end + 1)):
                if not NAME.match(text[end + 1 : following]) or not (
                    span := doc.char_span(end + 1, following, label="PER")
                ):
                    break
                extra.append(span)
                end = following
        return extra

    def split_names(self, doc: Doc, text: str, titles_end: set[int], found: list[Span]) -> list[Span]:
        """Names the tagger cut in two (周/建国): after a title, a surname word and what follows up
        to a verb of saying or a clause boundary make a two- or three-character name."""
        starts = {s.start_char for s in found}
        surname_words = {w[0] for w in doc._.words or [] if w[2] in ("PER", "nr")}
        extra = []
        for start in sorted(titles_end & surname_words - starts):
            for length in (3, 2):
                end = start + length
                following = text[end:]
                if NAME.match(text[start:end]) and (
                    self.saying.match(following) or following[:1] in CLAUSE_END
                ):
                    if span := doc.char_span(start, end, label="PER"):
                        extra.append(span)
                    break
        return extra

    def boundaries(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Take one more character into a two-character name when only that makes the next word a
        verb of saying: the tagger cuts 王小明强调 as 王小/明强/调 more often than names have two."""
        following = text[end : end + 1]
        if (
            end - start == 2
            and following not in ADVERBS
            and not self.saying.match(text[end:])
            and self.saying.match(text[end + 1 :])
        ):
            return start, end + 1
        return start, end


@Language.factory("gh_titles")
def make_titles(nlp: Language, name: str) -> TitleRecognizer:
    return TitleRecognizer()


@Language.factory("gh_people")
def make_people(nlp: Language, name: str) -> PersonRecognizer:
    return PersonRecognizer()
