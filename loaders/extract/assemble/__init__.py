"""From the components' spans to an article's facts: the reasoning that needs the whole article.

Per-paragraph spans (organizations, titles, people, campaigns, figures) are placed in their
sentences (:mod:`.mentions`), then read together, in this order: bodies and the references to them
(:mod:`.bodies`), people and their posts (:mod:`.posts`), campaigns (:mod:`.campaigns`), figures
(:mod:`.figures`), and last the union hierarchy.
"""

from __future__ import annotations

from spacy.tokens import Doc

from loaders.extract.assemble.bodies import Bodies
from loaders.extract.assemble.campaigns import link_campaigns
from loaders.extract.assemble.figures import place_figures
from loaders.extract.assemble.mentions import Reading
from loaders.extract.assemble.posts import Posts
from loaders.extract.facts import ArticleFacts
from loaders.extract.pipeline import load_pipeline
from loaders.model import Article

__all__ = ["ArticleReader"]


class ArticleReader:
    """Reads articles with the extraction pipeline into :class:`ArticleFacts`."""

    def __init__(self, backend: str | None = None) -> None:
        self.nlp = load_pipeline(backend)
        self.bodies = Bodies(self.nlp.get_pipe("gh_organizations"))
        self.posts = Posts()

    def read(self, article: Article) -> ArticleFacts:
        return self.read_docs(article, list(self.nlp.pipe(p.text for p in article.paragraphs)))

    def read_docs(self, article: Article, docs: list[Doc]) -> ArticleFacts:
        reading = Reading.of(article, docs)
        self.bodies.collect(reading)
        self.posts.people(reading)
        self.posts.posts(reading)
        link_campaigns(reading)
        place_figures(reading)
        self.bodies.hierarchy(reading)
        return reading.facts
