"""Who acts in a sentence: the body a figure is about.

A sentence's actor is the first of its bodies, people, generic collectives and campaigns that is
not an object (a body right after a verb or preposition, 到某单位, 向某公司, or listed after one). A
body acts for the figures of its sentence; a person (张三一行到…送去600元), a generic collective
(各级工会, 15个基层工会) or a list of several bodies (甲、乙开展义诊) makes no body the subject. A
campaign as the actor (此次活动将走访12家…) stands for the body that runs it. A sentence with no
actor continues its paragraph's (the subject left out, as Chinese prose does), and a paragraph
starts from its section's or headline's body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.extract.assemble.mentions import Mention, Reading, normal
from loaders.extract.places import gazetteer
from loaders.extract.words import WordIndex

# Parts of speech (LAC, jieba) that make the body after them an object: verbs and prepositions.
GOVERNING_TAGS = {"v", "p", "vn", "vd"}
# Words of those kinds that leave the body after them acting: the copula and the agent marker.
NOT_GOVERNING = {"是", "由", "系"}
# Words between a verb and its object that do not break the link (先后到, 分别向, 联动了).
SKIPPED_TAGS = {"d", "ad"}
ASPECT_PARTICLES = {"了", "着", "过"}
# A generic collective acts as a collective where the text counts it (15个基层工会) or takes all
# of its kind (各级工会, 全省工会组织); elsewhere (某类企业工会约占九成…) it is only described.
COLLECTIVE = ("各", "全", "诸")
WHOLE = re.compile("全([省市区县镇乡])")
LIST_JOINERS = ("、", "和", "与", "及", "同", "以及")
NO_SUBJECT = ""
"""An actor that is not a named body: the figures it acts for are about no body."""


@dataclass(frozen=True)
class Actor:
    start: int
    body: str
    """The body the actor stands for, or NO_SUBJECT."""


class Actors:
    """The actors of one article's sentences, in order."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.words = {
            id(p): WordIndex(d._.words or [])
            for p, d in zip(reading.article.paragraphs, reading.docs, strict=True)
        }
        self.by_sentence: dict[int, list[Actor]] = {}
        # Bodies and people by where they end and where they start, for finding a list's neighbours.
        mentions = reading.mentions["gh_org"] + reading.mentions["gh_person"]
        self.ending = {(id(m.paragraph), m.span.end_char): m for m in reversed(mentions)}
        self.starting = {(id(m.paragraph), m.span.start_char): m for m in reversed(mentions)}
        figure_ends = {(id(m.paragraph), m.span.end_char) for m in reading.mentions["gh_figure"]}
        for mention in reading.mentions["gh_org"]:
            if mention.span._.org_kind != "generic":
                self.add_body(mention)
            elif (
                mention.text.startswith(COLLECTIVE)
                or (id(mention.paragraph), mention.span.start_char) in figure_ends
            ):
                self.add(mention, self.whole_of(mention))
        for mention in reading.mentions["gh_person"]:
            # A speaker (张三介绍，…) frames what follows; the actor is in what is said.
            if "saying" not in mention.span._.evidence and not self.is_object(mention):
                self.add(mention, NO_SUBJECT)
        for mention in reading.mentions["gh_campaign"]:
            campaign = reading.facts.campaigns.get(normal(mention.span._.campaign_name))
            if campaign is not None and campaign.organizations:
                self.add(mention, min(campaign.organizations, key=self.first_named))
        for actors in self.by_sentence.values():
            actors.sort(key=lambda a: a.start)

    def whole_of(self, mention: Mention) -> str:
        """全市各级工会 in a passage about a district's union is that union with all under it: the
        passage's body when 全 + its level (区, 县, 市, 省) leads the collective; else no body."""
        text, start = mention.paragraph.text, mention.span.start_char
        scope = WHOLE.search(text[max(0, start - 2) : start] + mention.text)
        body = self.reading.facts.section_organization(mention.section)
        if scope is None or body is None:
            return NO_SUBJECT
        place = gazetteer().leading(body, short_forms=False)
        return body if place and place[0].endswith(scope.group(1)) else NO_SUBJECT

    def first_named(self, body: str) -> tuple[int, str]:
        sentences = (
            self.reading.facts.organizations[body].sentences
            if body in self.reading.facts.organizations
            else []
        )
        return (min(sentences) if sentences else 1 << 30, body)

    def add(self, mention: Mention, body: str) -> None:
        text, start = mention.paragraph.text, mention.span.start_char
        if text.rfind("（", 0, start) > text.rfind("）", 0, start):
            return  # a parenthesis (记者某某) is no part of what the sentence says happened
        self.by_sentence.setdefault(mention.sentence, []).append(Actor(start, body))

    def add_body(self, mention: Mention) -> None:
        body = self.reading.body(mention)
        if body is None or self.is_object(mention):
            return
        self.add(mention, NO_SUBJECT if self.listed(mention) else body)

    def neighbour(self, mention: Mention, position: int, before: bool) -> Mention | None:
        """The body or person ending (``before``) or starting at ``position`` in the mention's paragraph."""
        return (self.ending if before else self.starting).get((id(mention.paragraph), position))

    def listed(self, mention: Mention) -> bool:
        """A body in a list of several (甲、乙开展…, 甲和乙等二十余家): several act together."""
        text, start, end = mention.paragraph.text, mention.span.start_char, mention.span.end_char
        after = next((j for j in LIST_JOINERS if text.startswith(j, end)), None)
        before = next((j for j in LIST_JOINERS if text.endswith(j, 0, start)), None)
        return bool(
            (after and self.neighbour(mention, end + len(after), before=False))
            or (before and self.neighbour(mention, start - len(before), before=True))
        )

    def is_object(self, mention: Mention) -> bool:
        """True when a verb or preposition governs the mention, directly or through a list."""
        words = self.words[id(mention.paragraph)]
        text, position = mention.paragraph.text, mention.span.start_char
        while True:
            last = words.before(position) - 1
            while last >= 0 and (
                words.words[last][2] in SKIPPED_TAGS
                or text[words.words[last][0] : words.words[last][1]] in ASPECT_PARTICLES
            ):
                last -= 1
            if last < 0:
                return False
            start, end, tag = words.words[last]
            word = text[start:end]
            if word in LIST_JOINERS:
                # A list member is governed as the list's first member is: walk back to it.
                previous = self.neighbour(mention, start, before=True)
                if previous is None:
                    return False
                position = previous.span.start_char
                continue
            return tag in GOVERNING_TAGS and word not in NOT_GOVERNING

    def subject(self, sentence: int, before: int | None = None) -> str | None:
        """The sentence's actor: the first before ``before`` (a figure's position), else the first
        after it. ``None`` when the sentence names no actor."""
        actors = self.by_sentence.get(sentence, [])
        earlier = [a for a in actors if before is None or a.start < before]
        chosen = earlier[0] if earlier else (actors[0] if actors else None)
        return chosen.body if chosen else None

    def agent_in_clause(self, mention: Mention) -> str | None:
        """A body acting in the figure's own clause, before it (由某公司捐资45万元)."""
        text = mention.paragraph.text
        clause_start = max(text.rfind(mark, 0, mention.span.start_char) for mark in "，,；;：:。") + 1
        actors = [
            a
            for a in self.by_sentence.get(mention.sentence, [])
            if clause_start <= a.start < mention.span.start_char and a.body
        ]
        return actors[-1].body if actors else None

    def subjects(self) -> dict[int, str]:
        """The body each sentence is about, the omitted subject carried through the paragraph;
        sentences about no body are left out."""
        facts = self.reading.facts
        subjects: dict[int, str] = {}
        for paragraph in self.reading.article.paragraphs:
            current = facts.section_organization(paragraph.section) or NO_SUBJECT
            for sentence in paragraph.sentences:
                found = self.subject(sentence.index)
                current = current if found is None else found
                if current:
                    subjects[sentence.index] = current
        return subjects
