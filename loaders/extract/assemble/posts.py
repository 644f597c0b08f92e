"""People and the posts they hold: title chains before a name, lists of names, appointments.

东城区人大常委会副主任、区总工会主席张三 gives two posts, each in the body its title phrase names
(else the section's); 副主席张三、李四 gives both the post; 李四任某区总工会主席 reads forward.
Honours (全国劳动模范) are recorded on the person, never as posts.
"""

from __future__ import annotations

import re

import ahocorasick

from loaders.extract.assemble.mentions import Mention, Reading, normal
from loaders.extract.facts import Person, Post
from loaders.extract.lexicons import alternation, words

UNRESOLVED = ""
CLAUSE_START = "，。；：！？、“（"
PARENTHETICAL = re.compile(r"（[^（）]{1,10}）$")
Index = dict[tuple[int, int], Mention]


class Posts:
    def __init__(self) -> None:
        self.appointed = re.compile(f"^(?:{alternation(words('appointment_verbs.txt'))})")

    def people(self, reading: Reading) -> None:
        facts = reading.facts
        # Reporters and editors alike are credited by the byline, not mentioned by the text.
        for credited in (*reading.article.reporters, *reading.article.editors):
            facts.people[credited] = Person(credited, reporter=True)
        org_text = {normal(m.text) for m in reading.mentions["gh_org"]}
        counted = {name for doc in reading.docs for name in doc.user_data.get("gh_counted", ())}
        full_names = settled_names(reading.mentions["gh_person"])
        for mention in reading.mentions["gh_person"]:
            name = full_names.get(id(mention.span), mention.text)
            reading.people[id(mention.span)] = name
            # A surname alone (江主席) is a person the text mentions but does not name.
            if name not in org_text and name not in counted and len(name) > 1:
                facts.people.setdefault(name, Person(name))
        names = ahocorasick.Automaton()  # every name in every sentence, in one pass over the text
        for person in facts.people.values():
            names.add_word(person.name, person.name)
        if len(names):
            names.make_automaton()
            for sentence in reading.article.sentences:
                for name in dict.fromkeys(n for _, n in names.iter(sentence.text)):
                    person = facts.people[name]
                    if person.sentences[-1:] != [sentence.index]:  # sentences come in order
                        person.sentences.append(sentence.index)

    def posts(self, reading: Reading) -> None:
        mentions, facts = reading.mentions, reading.facts
        # Titles never overlap bodies (bodies are masked before titles are found); titles win ties.
        before = {m.key: m for m in mentions["gh_org"]} | {m.key: m for m in mentions["gh_title"]}
        after = {m.start_key: m for m in mentions["gh_org"]} | {m.start_key: m for m in mentions["gh_title"]}
        people = {m.key: m for m in mentions["gh_person"]}
        body_of: dict[tuple[int, int], str] = {}
        stated = set(facts.posts)  # posts are frozen: a set finds a repeated one at once
        for person in mentions["gh_person"]:
            name = reading.person(person)
            if name not in facts.people:
                continue
            chain = title_chain(list_head(person, people), before) or self.appointment(person, after)
            # 公司董事长甲、总经理乙: titles listed after a name hold in the body named before it.
            organization = listed_after(person, chain, people, body_of)
            if organization and facts.organizations[organization].kind == "GovernmentBody":
                organization = None  # 区委书记甲、区长乙: the party committee and the government part
            for item in chain:
                if item.span.label_ == "HONOR":
                    facts.people[name].honors.add(item.text)
                elif item.span.label_ == "ROLE":
                    target = organization or facts.section_organization(person.section)
                    post = Post(name, item.text, target, person.sentence) if target else None
                    if target:
                        body_of[person.key] = target
                    if post and post not in stated:
                        stated.add(post)
                        facts.posts.append(post)
                else:
                    # A body that cannot be resolved stops the chain: its titles are not the section's.
                    organization = reading.body(item) or UNRESOLVED
                    if organization == UNRESOLVED:
                        break

    def appointment(self, person: Mention, after: Index) -> list[Mention]:
        """Bodies and titles after a verb of appointment: 张三任甲区总工会党组书记、主席."""
        text, paragraph = person.paragraph.text, id(person.paragraph)
        verb = self.appointed.match(text[person.span.end_char :])
        if verb is None:
            return []
        chain: list[Mention] = []
        position = person.span.end_char + verb.end()
        while item := after.get((paragraph, position)):
            chain.append(item)
            position = item.span.end_char + (text[item.span.end_char : item.span.end_char + 1] == "、")
        return chain if chain and chain[-1].span.label_ in ("ROLE", "HONOR") else []


def listed_after(
    person: Mention, chain: list[Mention], people: Index, body_of: dict[tuple[int, int], str]
) -> str | None:
    """The body of the name before a chain of titles only (…甲、总经理乙): the list shares it."""
    if not chain or any(item.span.label_ not in ("ROLE", "HONOR") for item in chain):
        return None
    start = chain[0].span.start_char
    if person.paragraph.text[start - 1 : start] != "、":
        return None
    previous = people.get((id(person.paragraph), start - 1))
    return body_of.get(previous.key) if previous else None


def settled_names(people: list[Mention]) -> dict[int, str]:
    """Names the tagger cut short in one place and read whole in another (张三|丰 and 张三丰): where
    the text goes on with the rest of a longer name found in the article, the mention is that name."""
    texts = [(m, m.text) for m in people]  # a span's text is rebuilt on every access: once each
    longer: dict[str, list[str]] = {}  # names by their first two characters, the shortest a name has
    for name in {t for _, t in texts}:
        longer.setdefault(name[:2], []).append(name)
    settled = {}
    for mention, name in texts:
        text, end = mention.paragraph.text, mention.span.end_char
        whole = next(
            (
                n
                for n in longer.get(name[:2], [])
                if len(n) > len(name) and n.startswith(name) and text.startswith(n[len(name) :], end)
            ),
            None,
        )
        if whole:
            settled[id(mention.span)] = whole
    return settled


def list_head(person: Mention, people: Index) -> Mention:
    """The first name of a list (副主席张三、李四): every name in it takes the titles before the first."""
    head = person
    while head.span.start_char > 0 and head.paragraph.text[head.span.start_char - 1] == "、":
        previous = people.get((id(head.paragraph), head.span.start_char - 1))
        if previous is None:
            break
        head = previous
    return head


def title_chain(person: Mention, before: Index) -> list[Mention]:
    """Titles, honours and bodies right before a name, in text order: 甲会副主任、乙会主席张三.
    A chain goes on across a comma (甲会党组副书记、副主任，乙会主席张三) when everything from
    the clause's start to the comma is bodies and titles."""
    chain: list[Mention] = []
    paragraph, text = id(person.paragraph), person.paragraph.text
    position = person.span.start_char
    certain = 0
    while True:
        # A note between a title and the name (副主席（主持工作）张三) belongs to the title.
        note = PARENTHETICAL.search(text, 0, position)
        if note and position == person.span.start_char:
            position = note.start()
        item = before.get((paragraph, position))
        if item is None and position > 0 and text[position - 1] in "、，":
            item = before.get((paragraph, position - 1))
            item = item if item is not None and item.span.label_ in ("ROLE", "HONOR") else None
            if item is not None and text[position - 1] == "，":
                certain = len(chain)
        if item is None:
            break
        chain.append(item)
        position = item.span.start_char
    if certain and not (position == 0 or text[position - 1] in CLAUSE_START):
        chain = chain[:certain]  # the part before the comma was not a chain of its own
    return chain[::-1]
