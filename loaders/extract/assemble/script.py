"""Articles in traditional characters: read through their simplified twin, named as written.

The tagger, the lexicons and the ontology's name endings are simplified Chinese. An article in
traditional characters (繁體) is converted with OpenCC's ``t2s`` (:mod:`loaders.script`), one
character for one character so that every offset still points at the text as loaded, and read as
it is. The names found are then taken back from the original characters at
the same places, so labels keep the script the article was written in.
"""

from __future__ import annotations

import dataclasses

from loaders.extract.facts import ArticleFacts
from loaders.model import Article, Paragraph, Sentence
from loaders.script import simplified


def simplified_twin(article: Article) -> Article | None:
    """The article with every text in simplified characters, or None when it has none to convert."""
    text = simplified(article.text)
    if text == article.text:
        return None

    def sentence(s: Sentence) -> Sentence:
        return dataclasses.replace(s, text=simplified(s.text))

    def paragraph(p: Paragraph) -> Paragraph:
        return dataclasses.replace(
            p, text=simplified(p.text), sentences=tuple(sentence(s) for s in p.sentences)
        )

    return dataclasses.replace(
        article,
        text=text,
        headline=simplified(article.headline) if article.headline else None,
        sections=tuple(
            dataclasses.replace(
                s,
                heading=simplified(s.heading),
                subheading=simplified(s.subheading) if s.subheading else None,
            )
            for s in article.sections
        ),
        paragraphs=tuple(paragraph(p) for p in article.paragraphs),
    )


class AsWritten:
    """Names in the original characters: found in the simplified text, taken from the original
    at the same place. A name the article does not spell out (a place joined to a short form)
    is converted character by character from what the article writes for each character."""

    def __init__(self, original: Article, twin: Article) -> None:
        self.pairs = [(twin.text, original.text)]
        self.pairs += [(s.text, o.text) for o, s in zip(original.paragraphs, twin.paragraphs, strict=True)]
        if original.headline and twin.headline:
            self.pairs.append((twin.headline, original.headline))
        self.characters: dict[str, str] = {}
        for simple, written in self.pairs:
            for s, w in zip(simple, written, strict=False):
                self.characters.setdefault(s, w)

    def __call__(self, name: str | None) -> str | None:
        if not name:
            return name
        for simple, written in self.pairs:
            if (at := simple.find(name)) >= 0:
                return written[at : at + len(name)]
        return "".join(self.characters.get(c, c) for c in name)

    def facts(self, facts: ArticleFacts) -> ArticleFacts:
        w = self
        organizations = {}
        for org in facts.organizations.values():
            aliases = {w(alias): why for alias, why in org.aliases.items()}
            organizations[w(org.name)] = dataclasses.replace(org, name=w(org.name), aliases=aliases)
        people = {
            w(p.name): dataclasses.replace(p, name=w(p.name), honors={w(h) for h in p.honors})
            for p in facts.people.values()
        }
        campaigns = {
            w(c.name): dataclasses.replace(
                c,
                name=w(c.name),
                organizations={w(o) for o in c.organizations},
                participants={w(p) for p in c.participants},
            )
            for c in facts.campaigns.values()
        }
        return dataclasses.replace(
            facts,
            organizations=organizations,
            people=people,
            campaigns=campaigns,
            hierarchy=[dataclasses.replace(h, child=w(h.child), parent=w(h.parent)) for h in facts.hierarchy],
            posts=[
                dataclasses.replace(p, person=w(p.person), role=w(p.role), organization=w(p.organization))
                for p in facts.posts
            ],
            figures=[
                dataclasses.replace(f, text=w(f.text), about=w(f.about), measure=w(f.measure))
                for f in facts.figures
            ],
            section_organizations={k: w(v) for k, v in facts.section_organizations.items()},
            headline_organization=w(facts.headline_organization),
        )
