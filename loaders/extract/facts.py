"""What extraction found in one article, before it becomes RDF: plain data."""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.extract.figures import Quantity


@dataclass
class Organization:
    name: str
    kind: str
    """Local name of the ontology class (TradeUnion, GovernmentBody, ...)."""
    aliases: dict[str, str] = field(default_factory=dict)
    """Other names the article uses for the body, each with why it was taken to be the same body."""
    sentences: list[int] = field(default_factory=list)
    mentioned: bool = True
    """False for a parent the union system implies but the article never names."""
    scoped: bool = False
    """True for a short form (区委, 县总工会) the article never ties to a place: its own body."""


@dataclass(frozen=True)
class Hierarchy:
    child: str
    parent: str
    sentence: int
    rule: str


@dataclass
class Person:
    name: str
    sentences: list[int] = field(default_factory=list)
    honors: set[str] = field(default_factory=set)
    reporter: bool = False


@dataclass(frozen=True)
class Post:
    person: str
    role: str
    organization: str
    sentence: int


@dataclass
class Campaign:
    name: str
    sentences: list[int] = field(default_factory=list)
    organizations: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Figure:
    text: str
    quantity: Quantity
    sentence: int
    start: int
    """Offset of the figure in the article text as loaded."""
    end: int
    year: int | None
    about: str | None
    """Name of the organization the figure is about."""
    measure: str | None


@dataclass
class ArticleFacts:
    organizations: dict[str, Organization] = field(default_factory=dict)
    hierarchy: list[Hierarchy] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    section_organizations: dict[int, str] = field(default_factory=dict)

    headline_organization: str | None = None

    def section_organization(self, section: int | None) -> str | None:
        """The body a passage is about: its section's heading, else the one its headline names."""
        return self.headline_organization if section is None else self.section_organizations.get(section)
