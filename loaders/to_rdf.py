"""An article and its facts as RDF, in the contract's vocabulary, with stable IRIs.

IRIs come from content, never from order or chance: an organization's IRI is its full name, a
person's is the name plus the evidence that identifies them (the organization of their first post,
else the series or article they appear in), so the same inputs give the same IRIs in any order,
two articles naming one body share its IRI, and namesakes in unrelated bodies stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from loaders.extract.facts import ArticleFacts, Person, Post
from loaders.model import Article
from ontology import FOAF, GH, ID, ORG, PROV, RDFS, SCHEMA, SKOS, bind_prefixes

UNSAFE = re.compile(r"[\s<>\"{}|\\^`/#?%]+")
# What RFC 3987 allows in an IRI path besides the ASCII letters and digits: unreserved marks,
# sub-delimiters, ':', '@', '/', and "ucschar" (most of Unicode, but not controls, private use,
# noncharacters or the specials block with U+FFFD, which Oxigraph rightly rejects).
_IRI_ASCII = frozenset("-._~!$&'()*+,;=:@/")
_UCSCHAR = (
    ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF))
    + tuple((plane, plane + 0xFFFD) for plane in range(0x10000, 0xE0000, 0x10000))
    + ((0xE1000, 0xEFFFD),)
)


def iri_path(text: str) -> str:
    """``text`` as an IRI path, every character IRIs do not allow (and '%') percent-encoded as
    UTF-8: a valid IRI for any text, and two texts never give the same IRI."""
    return "".join(c if _iri_char(c) else _percent(c) for c in text)


def _iri_char(c: str) -> bool:
    if c.isascii():
        return c.isalnum() or c in _IRI_ASCII
    return any(low <= ord(c) <= high for low, high in _UCSCHAR)


def _percent(c: str) -> str:
    raw = c.encode("utf-8", errors="surrogatepass")  # a lone surrogate too: still one valid IRI
    return "".join(f"%{byte:02X}" for byte in raw)


def slug(text: str) -> str:
    """A readable IRI segment: the text itself, with the characters that structure IRIs
    (``/ # ? %``, spaces, quotes) replaced by '-', and any other character IRIs forbid
    percent-encoded (U+FFFD inside a name must not cost the article)."""
    return iri_path(UNSAFE.sub("-", text).strip("-")) or "_"


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def article_iri(article: Article) -> URIRef:
    """From the article's key (its path from the input argument, or its url): two inputs never
    share an IRI, and the same input gets the same IRI in every build."""
    return ID[f"article/{iri_path(article.key)}"]


def organization_iri(name: str, article: Article | None = None) -> URIRef:
    """A body's IRI from its full name; a short form the article never ties to a place (区委 in an
    article that names no district) is that article's own body, with an IRI scoped to it."""
    if article is not None:
        return ID[f"article/{iri_path(article.key)}/org/{slug(name)}"]
    return ID[f"org/{slug(name)}"]


def campaign_iri(name: str) -> URIRef:
    return ID[f"campaign/{slug(name)}"]


def role_iri(title: str) -> URIRef:
    return ID[f"role/{slug(title)}"]


def publisher_iri(name: str) -> URIRef:
    return ID[f"source/{slug(name)}"]


class ArticleGraph:
    """Builds the triples of one article (its named graph in the store)."""

    def __init__(self, article: Article, facts: ArticleFacts) -> None:
        self.article, self.facts = article, facts
        self.graph = bind_prefixes(Graph())
        self.iri = article_iri(article)
        self.sentence_iris = [URIRef(f"{self.iri}/sentence/{s.index}") for s in article.sentences]
        self.posts_of: dict[str, list[Post]] = {}
        for post in facts.posts:
            self.posts_of.setdefault(post.person, []).append(post)
        self.person_iris = {p.name: self.person_iri(p) for p in facts.people.values()}

    def org_iri(self, name: str) -> URIRef:
        org = self.facts.organizations.get(name)
        return organization_iri(name, self.article if org is not None and org.scoped else None)

    def build(self) -> Graph:
        self.add_article()
        self.add_organizations()
        self.add_people()
        self.add_campaigns()
        self.add_figures()
        return self.graph

    def add(self, subject: URIRef | BNode, predicate: URIRef, value: object) -> None:
        self.graph.add(
            (subject, predicate, value if isinstance(value, URIRef | BNode | Literal) else Literal(value))
        )

    def add_stated(
        self, subject: URIRef, predicate: URIRef, value: object, term: Callable[[Any], object]
    ) -> None:
        """Add ``term(value)`` unless the text gave no value (None or an empty string; 0 is a value)."""
        if value is not None and value != "":
            self.add(subject, predicate, term(value))

    # -- the article itself ------------------------------------------------------------------------

    def add_article(self) -> None:
        a, article = self.iri, self.article
        self.add(a, RDF.type, SCHEMA.NewsArticle)
        self.add(a, RDFS.label, zh(article.headline or article.key))
        self.add_stated(a, SCHEMA.headline, article.headline, zh)
        self.add_stated(a, GH.series, article.series, zh)
        self.add_stated(a, GH.seriesPart, article.part, Literal)
        self.add_stated(a, SCHEMA.datePublished, article.date, lambda date: Literal(date, datatype=XSD.date))
        self.add_stated(a, SCHEMA.url, article.url, Literal)
        if article.publisher:
            publisher = publisher_iri(article.publisher)
            self.add(a, SCHEMA.publisher, publisher)
            self.add(publisher, RDF.type, GH.NewsSource)
            self.add(publisher, RDFS.label, zh(article.publisher))
        self.add(a, SCHEMA.identifier, Literal(article.key))  # never an absolute local path
        sections = [URIRef(f"{a}/section/{s.index}") for s in article.sections]
        for section, iri in zip(article.sections, sections, strict=False):
            self.add(iri, RDF.type, GH.Section)
            self.add(iri, RDFS.label, zh(section.heading))
            self.add(iri, SCHEMA.headline, zh(section.heading))
            if section.subheading:
                self.add(iri, SCHEMA.alternativeHeadline, zh(section.subheading))
            self.add(iri, SCHEMA.isPartOf, a)
            self.add(iri, SCHEMA.position, Literal(section.index + 1))
            if about := self.facts.section_organizations.get(section.index):
                self.add(iri, SCHEMA.about, self.org_iri(about))
        for sentence, iri in zip(article.sentences, self.sentence_iris, strict=False):
            self.add(iri, RDF.type, GH.Sentence)
            self.add(iri, SCHEMA.text, zh(sentence.text))
            self.add(iri, SCHEMA.isPartOf, a)
            self.add(iri, GH.charStart, Literal(sentence.start))
            self.add(iri, GH.charEnd, Literal(sentence.end))
            if sentence.section is not None:
                self.add(iri, GH.section, sections[sentence.section])

    # -- organizations and hierarchy ----------------------------------------------------------------

    def add_organizations(self) -> None:
        for org in self.facts.organizations.values():
            iri = self.org_iri(org.name)
            self.add(iri, RDF.type, ORG.Organization)
            self.add(iri, RDF.type, GH[org.kind])
            self.add(iri, RDFS.label, zh(org.name))
            for alias, why in sorted(org.aliases.items()):
                self.add(iri, SKOS.altLabel, zh(alias))
                resolution = ID[f"resolution/{slug(org.name)}/{slug(alias)}"]
                self.add(resolution, RDF.type, GH.EntityResolution)
                self.add(resolution, RDFS.label, zh(f"{alias} → {org.name}"))
                self.add(resolution, GH.resolvedEntity, iri)
                self.add(resolution, GH.identityBasis, zh(why))
            if org.mentioned:
                self.add(self.iri, SCHEMA.mentions, iri)
        for link in self.facts.hierarchy:
            child, parent = self.org_iri(link.child), self.org_iri(link.parent)
            self.add(child, ORG.subOrganizationOf, parent)
            statement = ID[f"hierarchy/{slug(link.child)}/{slug(link.parent)}"]
            self.add(statement, RDF.type, GH.HierarchyStatement)
            self.add(statement, RDFS.label, zh(f"{link.child} 隶属 {link.parent}"))
            self.add(statement, GH.child, child)
            self.add(statement, GH.parent, parent)
            self.add(statement, GH.derivationRule, Literal(link.rule, lang="en"))
            self.add(statement, PROV.wasDerivedFrom, self.sentence_iris[link.sentence])

    # -- people and posts ---------------------------------------------------------------------------

    def person_iri(self, person: Person) -> URIRef:
        return ID[f"person/{slug(person.name)}/{slug(self.identity_basis(person)[0])}"]

    def identity_basis(self, person: Person) -> tuple[str, str]:
        """What tells this person apart from a namesake: the body of a post they hold (a union
        first: union articles name the union post even where they leave out the others), else the
        series or article that names them (reporters of one series are one newsroom's staff)."""
        organizations = self.facts.organizations
        # A body known only by a short form (区委 with no place) is no evidence across articles.
        posts = [
            p
            for p in self.posts_of.get(person.name, [])
            if not (p.organization in organizations and organizations[p.organization].scoped)
        ]
        if posts:
            kinds = {name: org.kind for name, org in self.facts.organizations.items()}
            first = min(posts, key=lambda p: (kinds.get(p.organization) != "TradeUnion", p.sentence))
            return first.organization, f"同名且任职于{first.organization}"
        if person.reporter and self.article.series:
            return f"记者-{self.article.series}", f"同名且同为系列报道“{self.article.series}”的记者"
        return f"文章-{self.article.key}", f"同名且出自同一篇文章“{self.article.key}”"

    def add_people(self) -> None:
        for person in self.facts.people.values():
            iri = self.person_iris[person.name]
            self.add(iri, RDF.type, FOAF.Person)
            self.add(iri, RDFS.label, zh(person.name))
            self.add(iri, GH.identityBasis, zh(self.identity_basis(person)[1]))
            for honor in sorted(person.honors):
                self.add(iri, GH.honor, zh(honor))
            if person.name in self.article.reporters:
                self.add(self.iri, SCHEMA.author, iri)
            if person.name in self.article.editors:
                self.add(self.iri, SCHEMA.editor, iri)
            if not person.reporter:
                self.add(self.iri, SCHEMA.mentions, iri)
        for post in self.facts.posts:
            person = self.person_iris[post.person]
            membership = ID[
                f"membership/{person.removeprefix(ID['person/'])}/{slug(post.organization)}/{slug(post.role)}"
            ]
            role = role_iri(post.role)
            self.add(membership, RDF.type, ORG.Membership)
            self.add(membership, RDFS.label, zh(f"{post.organization}{post.role}{post.person}"))
            self.add(membership, ORG.member, person)
            self.add(membership, ORG.organization, self.org_iri(post.organization))
            self.add(membership, ORG.role, role)
            self.add(membership, PROV.wasDerivedFrom, self.sentence_iris[post.sentence])
            if self.article.date:
                self.add(membership, GH.statedOn, Literal(self.article.date, datatype=XSD.date))
            self.add(role, RDF.type, ORG.Role)
            self.add(role, RDFS.label, zh(post.role))

    # -- campaigns and figures ----------------------------------------------------------------------

    def add_campaigns(self) -> None:
        for campaign in self.facts.campaigns.values():
            iri = campaign_iri(campaign.name)
            self.add(iri, RDF.type, GH.Campaign)
            self.add(iri, RDFS.label, zh(campaign.name))
            self.add(self.iri, SCHEMA.mentions, iri)
            for org in sorted(campaign.organizations):
                self.add(iri, PROV.wasAssociatedWith, self.org_iri(org))
            for person in sorted(campaign.participants):
                self.add(iri, PROV.wasAssociatedWith, self.person_iris[person])
            for sentence in campaign.sentences:
                self.add(iri, PROV.wasDerivedFrom, self.sentence_iris[sentence])

    def add_figures(self) -> None:
        for figure in self.facts.figures:
            iri = URIRef(f"{self.iri}/figure/{figure.start}-{figure.end}")
            quantity = figure.quantity
            self.add(iri, RDF.type, GH.Figure)
            self.add(iri, RDFS.label, zh(figure.text))
            if quantity.value is not None:
                self.add(iri, SCHEMA.value, number(quantity.value))
            else:
                self.add(iri, SCHEMA.minValue, number(quantity.minimum))
                self.add(iri, SCHEMA.maxValue, number(quantity.maximum))
            self.add(iri, SCHEMA.unitText, zh(quantity.unit))
            self.add(iri, GH.approximate, Literal(quantity.approximate))
            self.add_stated(iri, GH.qualifier, quantity.qualifier, zh)
            self.add_stated(iri, GH.year, figure.year, Literal)
            self.add_stated(iri, SCHEMA.about, figure.about, self.org_iri)
            if figure.measure:
                self.add(iri, GH.measure, zh(figure.measure))
            self.add(iri, GH.charStart, Literal(figure.start))
            self.add(iri, GH.charEnd, Literal(figure.end))
            self.add(iri, PROV.wasDerivedFrom, self.sentence_iris[figure.sentence])


def number(value: Decimal | None) -> Literal:
    if value is None:
        raise ValueError("a figure bound needs a value")
    if value == value.to_integral_value():
        return Literal(int(value))
    return Literal(value, datatype=XSD.decimal)


def article_graph(article: Article, facts: ArticleFacts) -> Graph:
    return ArticleGraph(article, facts).build()
