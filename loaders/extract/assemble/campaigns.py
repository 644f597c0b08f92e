"""Campaigns across an article: one per name, with the bodies that run or join them and the people
who took part."""

from __future__ import annotations

from loaders.extract.assemble.mentions import Reading, normal
from loaders.extract.facts import Campaign


def link_campaigns(reading: Reading) -> None:
    facts, sentences = reading.facts, reading.article.sentences
    bodies_in: dict[int, set[str]] = {}
    for mention in reading.mentions["gh_org"]:
        if body := reading.body(mention):
            bodies_in.setdefault(mention.sentence, set()).add(body)
    campaign_sentences = {m.sentence for m in reading.mentions["gh_campaign"]}
    # Who is named in each sentence (the people reader found it): no scan of everyone per mention.
    people_in: dict[int, set[str]] = {}
    for person in facts.people.values():
        if not person.reporter:
            for index in person.sentences:
                people_in.setdefault(index, set()).add(person.name)
    recorded: dict[str, set[int]] = {}
    for mention in reading.mentions["gh_campaign"]:
        name = normal(mention.span._.campaign_name)
        campaign = facts.campaigns.setdefault(name, Campaign(name))
        if mention.sentence not in recorded.setdefault(name, set()):
            recorded[name].add(mention.sentence)
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
