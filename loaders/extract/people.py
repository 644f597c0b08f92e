"""Titles of posts, honours, and the people who hold them.

``doc.spans["gh_title"]``: post titles (label ROLE) and honours (label HONOR), never inside an
organization name (常委 in 人大常委会). ``doc.spans["gh_person"]``: person names. Every PER word of
the statistical tagger is a name unless specific evidence rules it out (a common word the tagger
mislabelled, by jieba's dictionary; a word inside an organization's name; a word followed by a
count, as goods are: 某某40盒; a quoted word that qualifies a noun). What the text says around a
name (a title before it, a verb of saying after it, a descriptor such as 快递员) is recorded in
``span._.evidence``; it outweighs the dictionary, and it finds the names the tagger missed right
after a title (区委书记张三, when the tagger read 张三 as a place).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from loaders.extract.dictionary import NOT_NAME_TAGS, is_common_word, is_known_word, surnames
from loaders.extract.lexical import ENTITY_TAGS, Word
from loaders.extract.lexicons import alternation, words

# A name: letters only (Chinese, or a transliterated or Latin name), parts joined by · or •.
NAME = re.compile(r"^[^\W\d_](?:[^\W\d_]|[·•\-－—])*[^\W\d_]$")
# A surname alone before a title or a form of address (江主席, 李老师, 王某) is a mention of a person
# too, though not one the graph can name.
SURNAME_ALONE = re.compile(r"^[\u4e00-\u9fff]$")
ADDRESSED = re.compile("先生|女士|老师|同志|师傅|老|某|总|局长|主席|书记|部长|市长|县长|区长|主任|院长|校长")
# Goods are listed with their counts (某某40盒、某某15件); people are not. A date, age or price after
# a name (张三28日说, 李四1994年, 某画家2.4亿元成交) is no such list.
COUNTED = re.compile(
    r"^[0-9０-９]+(?:[.．][0-9０-９]+)?[万亿]?(?![年月日时号点分秒岁届期])[\u4e00-\u9fff]{1,2}[、，,；;。]"
)
DESCRIBING_TAGS = frozenset({"a", "ad", "an", "ag", "d", "dg"})
OPENING_QUOTES, CLOSING_QUOTES = "“‘「『", "”’」』"
# Cues that say outright that a word names a person; the dictionary's word against them counts less.
STRONG_CUES = frozenset({"title", "saying", "appointment", "honorific", "descriptor", "presence"})
# Adverbs that sit between a speaker and the verb of saying (王强也表示): never part of the name.
ADVERBS = set("也又还则就都曾再却便更亦")
CLAUSE_END = set("，。、；：！？,;:!?和与及")


if not Span.has_extension("evidence"):
    Span.set_extension("evidence", default=())


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
        taken: set[int] = set()  # characters of the titles found so far: honours first
        for label, pattern in (("HONOR", self.honor), ("ROLE", self.role)):
            for match in pattern.finditer(masked):
                start, end = match.span()
                if taken.intersection(range(start, end)):
                    continue
                if (span := doc.char_span(start, end, label=label)) is not None:
                    spans.append(span)
                    taken.update(range(start, end))
        doc.spans["gh_title"] = sorted(spans)
        return doc


class PersonRecognizer:
    def __init__(self) -> None:
        self.saying = re.compile(f"^(?:{alternation(words('speech_verbs.txt'))})")
        self.appointed = re.compile(f"^(?:{alternation(words('appointment_verbs.txt'))})")
        self.honorific = re.compile(f"^(?:{alternation(words('person_honorifics.txt'))})")
        self.descriptor = re.compile(f"(?:{alternation(words('person_descriptors.txt'))})$")
        self.descriptor_anywhere = re.compile(alternation(words("person_descriptors.txt")))
        self.present = re.compile(f"^(?:{alternation(words('presence_verbs.txt'))})")

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        titles = list(doc.spans.get("gh_title", []))
        titles_end = {s.end_char for s in titles}
        candidates: dict[tuple[int, int], set[str]] = {}
        for ent_start, ent_end, tag in doc._.words or []:
            if ENTITY_TAGS.get(tag) != "PER":
                continue
            # The tagger sometimes takes a title's last character into the name (模范|孙丽娜).
            start = max([ent_start, *(t.end_char for t in titles if t.start_char < ent_start < t.end_char)])
            candidates.setdefault(self.boundaries(text, start, ent_end), set()).add("tagger")
        organizations = list(doc.spans.get("gh_org", []))
        bodies = {(o.start_char, o.end_char) for o in organizations if o._.org_kind != "generic"}
        for found in self.names_after_titles(text, titles_end, candidates, doc._.words or [], bodies):
            candidates.setdefault(found, set()).add("surname")
        people: list[Span] = []
        counted = doc.user_data.setdefault("gh_counted", set())
        in_bodies = {i for o in organizations for i in range(o.start_char, o.end_char)}
        reached = 0  # candidates come by start: one overlaps a name found when it starts before this
        # By start, the longest first: 周建国 before the 周 a tagger cut from it.
        for (start, end), cues in sorted(candidates.items(), key=lambda c: (c[0][0], -c[0][1])):
            cues |= self.context(text, start, end, titles_end)
            if COUNTED.match(text[end : end + 12]):
                counted.add(text[start:end])  # goods, in every sentence of the article
                continue
            if start < reached or self.rejected(text, start, end, cues, in_bodies):
                continue
            if span := doc.char_span(start, end, label="PER"):
                span._.evidence = tuple(sorted(cues))
                people.append(span)
                reached = end
        doc.spans["gh_person"] = people
        return doc

    def context(self, text: str, start: int, end: int, titles_end: set[int]) -> set[str]:
        """What the text around a name says of it: the cues recorded as evidence."""
        following = text[end:]
        cues = {
            "title": start in titles_end,
            "descriptor": self.descriptor.search(text, 0, start) is not None,
            "saying": self.saying.match(following) is not None,
            "appointment": self.appointed.match(following) is not None,
            "honorific": self.honorific.match(following) is not None,
            "presence": self.present.match(following) is not None,
            "listed": text[end : end + 1] == "、" or text[start - 1 : start] == "、",
        }
        return {cue for cue, present in cues.items() if present}

    def rejected(self, text: str, start: int, end: int, cues: set[str], in_bodies: set[int]) -> bool:
        """Evidence that a candidate is not a person's name (``in_bodies``: the characters of the
        organization names)."""
        name = text[start:end]
        alone = SURNAME_ALONE.match(name) and ("title" in cues or ADDRESSED.match(text, end))
        if not (NAME.match(name) or alone) or in_bodies.issuperset(range(start, end)):
            return True
        quoted = text[start - 1 : start] in OPENING_QUOTES and text[end : end + 1] in CLOSING_QUOTES
        if quoted and "\u4e00" <= text[end + 1 : end + 2] <= "\u9fff" and not cues & STRONG_CUES:
            return True  # “某某”公路: a quoted word that qualifies the noun after it
        return not cues & STRONG_CUES and is_common_word(name)

    def names_after_titles(
        self,
        text: str,
        titles_end: set[int],
        known: dict[tuple[int, int], set[str]],
        words: list[Word],
        bodies: set[tuple[int, int]],
    ) -> list[tuple[int, int]]:
        """Names the tagger missed or cut in two right after a title or a descriptor (书记|张|三,
        下岗职工李四 with 李四 read as a place): a surname and one or two characters up to a verb of
        saying or presence or a clause boundary; or between two bodies (甲公司李四乙公司王五, a
        list of workers and their employers whose commas were lost)."""
        # A one-character PER word (周|建国) is the tagger cutting a name, not a name that covers it.
        covered = {i for start, end in known if end - start > 1 for i in range(start, end)}
        after_descriptor = {m.end() for m in self.descriptor_anywhere.finditer(text)}
        # A name holds no word the tagger read as a verb, particle, conjunction and the like
        # (规范化 vn, 成立|了, 和|来宾); adjectives and adverbs may be given names (林|悠悠 a).
        not_name_characters = {
            i
            for start, end, tag in words
            if tag in NOT_NAME_TAGS - DESCRIBING_TAGS
            for i in range(start, end)
        }
        found = []
        body_starts = {start for start, _ in bodies}
        between = {end for _, end in bodies}
        for start in sorted((titles_end | after_descriptor | between) - covered):
            if text[start : start + 1] not in surnames():
                continue
            for length in (3, 2):
                end = start + length
                following = text[end:]
                ends = self.saying.match(following) or self.present.match(following)
                name = text[start:end]
                plausible = (
                    NAME.match(name)
                    and not is_known_word(name)
                    and not not_name_characters.intersection(range(start, end))
                )
                after_body_only = start in between and start not in titles_end | after_descriptor
                bounded = (
                    end in body_starts or ends if after_body_only else ends or following[:1] in CLAUSE_END
                )
                if plausible and bounded:
                    found.append((start, end))
                    break
        return found

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
