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
from loaders.extract.assemble.script import AsWritten, simplified_twin
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
        twin = simplified_twin(article)  # an article in traditional characters is read simplified
        read_as = twin or article
        facts = self.read_docs(read_as, list(self.nlp.pipe(p.text for p in read_as.paragraphs)))
        return AsWritten(article, twin).facts(facts) if twin else facts

    def read_docs(self, article: Article, docs: list[Doc]) -> ArticleFacts:
        reading = Reading.of(article, docs)
        self.bodies.collect(reading)
        self.posts.people(reading)
        self.posts.posts(reading)
        link_campaigns(reading)
        place_figures(reading)
        self.bodies.hierarchy(reading)
        return reading.facts
