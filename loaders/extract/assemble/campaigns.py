"""Campaigns across an article: one per name, with the bodies that run or join them and the people
who took part.

A sentence that names no campaign but speaks of "this event" (本次活动由甲主办、乙承办; 丙参与活动;
丁出席大会) tells who ran or joined the campaign named last before it."""

from __future__ import annotations

import re

from loaders.extract.assemble.mentions import Reading, normal
from loaders.extract.facts import Campaign

EVENT = "(?:活动|大会|会议|竞赛|比赛|大赛|仪式|行动)"
# "This event", or a role in an event: the sentence is about the campaign named before it.
BACK_REFERENCE = re.compile(
    f"(?:此次|本次|这次|该|本届|此项){EVENT}|(?:主办|承办|协办|参加|参与|出席|支持|举办)(?:了)?(?:此次|本次)?{EVENT}"
    f"|{EVENT}由"
)


def link_campaigns(reading: Reading) -> None:
    facts, sentences = reading.facts, reading.article.sentences
    bodies_in: dict[int, set[str]] = {}
    for mention in reading.mentions["gh_org"]:
        if body := reading.body(mention):
            bodies_in.setdefault(mention.sentence, set()).add(body)
    campaign_sentences = {m.sentence for m in reading.mentions["gh_campaign"]}
    link_back_references(reading, bodies_in, campaign_sentences)
    # Who is named in each sentence (the people reader found it): no scan of everyone per mention.
    people_in: dict[int, set[str]] = {}
    for person in facts.people.values():
        if not person.reporter:
            for index in person.sentences:
                people_in.setdefault(index, set()).add(person.name)
    for mention in reading.mentions["gh_campaign"]:
        name = normal(mention.span._.campaign_name)
        campaign = facts.campaigns.setdefault(name, Campaign(name))
        if mention.sentence not in campaign.sentences:
            campaign.sentences.append(mention.sentence)
        # The section's union reports the campaign even where a sentence names only its group.
        section_body = facts.section_organization(mention.section)
        campaign.organizations |= bodies_in.get(mention.sentence, set()) | ({section_body} - {None})
        # Who took part is often told in the next sentence (…开展直播活动。张三、李四走进直播间).
        nearby = [sentences[mention.sentence]]
        following = mention.sentence + 1
        if (
            following < len(sentences)
            and following not in campaign_sentences
            and sentences[following].paragraph == sentences[mention.sentence].paragraph
        ):
            nearby.append(sentences[following])
        for sentence in nearby:
            campaign.participants |= people_in.get(sentence.index, set())


def link_back_references(
    reading: Reading, bodies_in: dict[int, set[str]], campaign_sentences: set[int]
) -> None:
    """Bodies of a sentence that refers back to an event, linked to the campaign named last."""
    facts = reading.facts
    last: str | None = None
    mentions = sorted(reading.mentions["gh_campaign"], key=lambda m: m.sentence)
    position = 0
    for sentence in reading.article.sentences:
        while position < len(mentions) and mentions[position].sentence <= sentence.index:
            last = normal(mentions[position].span._.campaign_name)
            position += 1
        if sentence.index in campaign_sentences or last is None or not BACK_REFERENCE.search(sentence.text):
            continue
        campaign = facts.campaigns.setdefault(last, Campaign(last))
        campaign.organizations |= bodies_in.get(sentence.index, set())
