"""People and the posts they hold: title chains before a name, lists of names, appointments.

东城区人大常委会副主任、区总工会主席张三 gives two posts, each in the body its title phrase names
(else the section's); 副主席张三、李四 gives both the post; 李四任某区总工会主席 reads forward.
Honours (全国劳动模范) are recorded on the person, never as posts.
"""

from __future__ import annotations

import re

from loaders.extract.assemble.mentions import Mention, Reading, normal
from loaders.extract.facts import Person, Post
from loaders.extract.lexicons import alternation, words

UNRESOLVED = ""
PARENTHETICAL = re.compile(r"（[^（）]{1,10}）$")
Index = dict[tuple[int, int], Mention]


class Posts:
    def __init__(self) -> None:
        self.appointed = re.compile(f"^(?:{alternation(words('appointment_verbs.txt'))})")

    def people(self, reading: Reading) -> None:
        facts = reading.facts
        for reporter in reading.article.reporters:
            facts.people[reporter] = Person(reporter, reporter=True)
        org_text = {normal(m.text) for m in reading.mentions["gh_org"]}
        for mention in reading.mentions["gh_person"]:
            if mention.text not in org_text:
                facts.people.setdefault(mention.text, Person(mention.text))
        names = set(facts.people)
        longest = max(map(len, names), default=0)
        for sentence in reading.article.sentences:
            # Every substring up to the longest name, looked up: linear in the text, whatever the
            # number of people (testing each name against each sentence was not).
            for name in names_in(sentence.text, names, longest):
                facts.people[name].sentences.append(sentence.index)

    def posts(self, reading: Reading) -> None:
        mentions, facts = reading.mentions, reading.facts
        # Titles never overlap bodies (bodies are masked before titles are found); titles win ties.
        before = {m.key: m for m in mentions["gh_org"]} | {m.key: m for m in mentions["gh_title"]}
        after = {m.start_key: m for m in mentions["gh_org"]} | {m.start_key: m for m in mentions["gh_title"]}
        people = {m.key: m for m in mentions["gh_person"]}
        stated = set(facts.posts)
        for person in mentions["gh_person"]:
            if person.text not in facts.people:
                continue
            chain = title_chain(list_head(person, people), before) or self.appointment(person, after)
            organization: str | None = None
            for item in chain:
                if item.span.label_ == "HONOR":
                    facts.people[person.text].honors.add(item.text)
                elif item.span.label_ == "ROLE":
                    target = organization or facts.section_organization(person.section)
                    post = Post(person.text, item.text, target, person.sentence) if target else None
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


def names_in(text: str, names: set[str], longest: int) -> list[str]:
    """The ``names`` that occur in ``text``, each once, in the order of their first occurrence."""
    found: dict[str, None] = {}
    for start in range(len(text)):
        for end in range(start + 1, min(start + longest, len(text)) + 1):
            if text[start:end] in names:
                found.setdefault(text[start:end])
    return list(found)


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
    """Titles, honours and bodies right before a name, in text order: 甲会副主任、乙会主席张三."""
    chain: list[Mention] = []
    paragraph, text = id(person.paragraph), person.paragraph.text
    position = person.span.start_char
    while True:
        # A note between a title and the name (副主席（主持工作）张三) belongs to the title.
        note = PARENTHETICAL.search(text, 0, position)
        if note and position == person.span.start_char:
            position = note.start()
        item = before.get((paragraph, position))
        if item is None and position > 0 and text[position - 1] == "、":
            item = before.get((paragraph, position - 1))
            item = item if item is not None and item.span.label_ in ("ROLE", "HONOR") else None
        if item is None:
            break
        chain.append(item)
        position = item.span.start_char
    return chain[::-1]
