"""Exports that grow with the articles a build adds, instead of being rewritten whole (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build.run import BUILT_FROM, build
from graph.store.oxigraph import GraphStore, Growth, GrowthError

FORMATS = {"turtle": "graph.ttl", "trig": "graph.trig", "nt": "graph.nt", "jsonld": "graph.jsonld"}
RDF_FORMATS = {"graph.ttl": ox.RdfFormat.TURTLE, "graph.trig": ox.RdfFormat.TRIG,
               "graph.nt": ox.RdfFormat.N_TRIPLES, "graph.jsonld": ox.RdfFormat.JSON_LD}
EX = "https://example.org/"


def triples(*rows: tuple[str, str, str]) -> bytes:
    """N-Triples of invented statements: (subject, predicate, literal object)."""
    statements = [ox.Triple(ox.NamedNode(EX + s), ox.NamedNode(EX + p), ox.Literal(o, language="zh"))
                  for s, p, o in rows]
    return ox.serialize(statements, format=ox.RdfFormat.N_TRIPLES)


class Serialized:
    """An article graph as a build worker hands it over."""

    def __init__(self, iri: str, ntriples: bytes):
        self.ntriples = ntriples
        name = ox.NamedNode(iri)
        quads = (ox.Quad(q.subject, q.predicate, q.object, name)
                 for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
        self.nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


FIRST = triples(("org/尧都区总工会", "label", "尧都区总工会"), ("person/林振华", "label", "林振华"))
# shares one triple with FIRST: the merged graph gains only the other two
SECOND = triples(("org/尧都区总工会", "label", "尧都区总工会"), ("org/临汾市总工会", "label", "临汾市总工会"),
                 ("person/林振华", "memberOf", "临汾市总工会"))


def store_article(store: GraphStore, number: int, ntriples: bytes, growth: Growth | None = None) -> None:
    """Store invented article ``number`` as a build does (its graph serialized by a worker)."""
    iri = f"{EX}article/{number}"
    store.replace_articles([(iri, Serialized(iri, ntriples))], growth=growth)  # type: ignore[list-item]


def parsed(folder: Path, name: str) -> set[ox.Quad]:
    return set(ox.parse(path=str(folder / name), format=RDF_FORMATS[name]))


def test_a_grown_export_set_holds_the_same_graph_as_a_rewritten_one(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "store") as store:
        store_article(store, 1, FIRST)
        store.export_set(tmp_path / "before", FORMATS)
        growth = Growth()
        store_article(store, 2, SECOND, growth)
        assert len(growth.triples) == 2 and set(growth.graphs) == {EX + "article/2"}
        store.grow_export_set(tmp_path / "before", tmp_path / "grown", FORMATS, growth)
        store.export_set(tmp_path / "whole", FORMATS)
    for name in FORMATS.values():
        assert parsed(tmp_path / "grown", name) == parsed(tmp_path / "whole", name), name
        # the old part is kept as it was, byte for byte: growing copies, it does not rewrite
        old = (tmp_path / "before" / name).read_bytes()
        grown = (tmp_path / "grown" / name).read_bytes()
        assert grown.startswith(old[:-1] if name == "graph.jsonld" else old), name
    assert len(parsed(tmp_path / "grown", "graph.nt")) == 4


def test_growing_from_an_empty_graph_and_by_nothing(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "store") as store:
        store.export_set(tmp_path / "empty", FORMATS)
        growth = Growth()
        store_article(store, 1, FIRST, growth)
        store.grow_export_set(tmp_path / "empty", tmp_path / "one", FORMATS, growth)
        store.grow_export_set(tmp_path / "one", tmp_path / "same", FORMATS, Growth())
    for name in FORMATS.values():
        assert len({q.triple for q in parsed(tmp_path / "one", name)}) == 2, name
        assert parsed(tmp_path / "same", name) == parsed(tmp_path / "one", name), name


def test_what_cannot_grow_says_so(tmp_path: Path) -> None:
    with GraphStore(tmp_path / "store") as store:
        store_article(store, 1, FIRST)
        store.export_set(tmp_path / "before", FORMATS)
        replaced = Growth()
        store_article(store, 1, SECOND, replaced)
        assert replaced.replaced and not replaced.appendable  # triples may have left the merged graph
        with pytest.raises(GrowthError):
            store.grow_export_set(tmp_path / "before", tmp_path / "grown", FORMATS, replaced)
        blank = Growth(triples={ox.Triple(ox.BlankNode("b0"), ox.NamedNode(EX + "p"), ox.Literal("x"))})
        assert not blank.appendable  # its label could name a node of the old part
        (tmp_path / "before" / "graph.jsonld").write_bytes(b"[]\n")  # not as this store writes it
        with pytest.raises(GrowthError, match="graph.jsonld"):
            store.grow_export_set(tmp_path / "before", tmp_path / "grown", FORMATS, Growth())


UNION_NEWS = "尧都区总工会召开全委会议。区总工会主席林振华出席会议并讲话，要求各级工会做好职工服务工作。"
OTHER_NEWS = "临汾市总工会开展送温暖活动，市总工会副主席郭晓燕带队走访困难职工家庭。"


def test_a_set_not_written_from_the_stores_state_is_rewritten(tmp_path: Path) -> None:
    corpus, out = tmp_path / "news", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text(UNION_NEWS, encoding="utf-8")
    build([str(corpus)], out)
    live = (out / "exports" / "current").resolve()
    # As a build killed after storing an article and before publishing leaves the folder: the
    # store holds an article the exports lack.
    (corpus / "b.txt").write_text(OTHER_NEWS, encoding="utf-8")
    build([str(corpus / "b.txt")], tmp_path / "elsewhere")
    with GraphStore(tmp_path / "elsewhere" / "store", read_only=True) as other:
        (iri,) = other.article_iris()
        ntriples = other.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        fingerprints = other.fingerprints()
    with GraphStore(out / "store") as store:
        store.replace_articles([(iri, Serialized(iri, ntriples))], fingerprints=fingerprints)  # type: ignore[list-item]
    again = build([str(corpus / "b.txt")], out)  # unchanged: nothing to extract
    assert again.unchanged and not again.articles
    assert again.exported and not again.grown  # but the set was stale: rewritten from the store
    assert (out / "exports" / "current").resolve() != live
    assert "郭晓燕" in (out / "graph.ttl").read_text(encoding="utf-8")
    assert (out / "exports" / "current" / BUILT_FROM).is_file()
