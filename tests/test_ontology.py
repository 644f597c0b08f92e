"""The ontology as the code sees it: closed namespace, labels, definitions, name suffixes."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from ontology import (
    GH,
    ID,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    bind_prefixes,
    label,
    name_suffixes,
    ontology_graph,
    org_class_for,
    shapes_graph,
)

# Classes a name's ending tells; gh:OtherOrganization is for tagged names whose ending tells none.
ORG_CLASSES = {
    GH.TradeUnion, GH.GovernmentBody, GH.Enterprise, GH.Cooperative, GH.Group, GH.MassOrganization,
    GH.PublicInstitution,
}
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def gh_terms() -> set[URIRef]:
    graph = ontology_graph()
    return {s for kind in KINDS for s in graph.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and s.startswith(str(GH))}


def test_the_namespace_knows_its_terms_and_refuses_typos() -> None:
    assert GH.Figure == URIRef("https://w3id.org/gonghui-kg/ontology#Figure")
    assert GH["charStart"] == GH.charStart
    with pytest.raises(AttributeError):
        _ = GH.Figur
    assert ID["person/x"] == URIRef("https://w3id.org/gonghui-kg/id/person/x")


def test_every_term_is_declared_labelled_in_chinese_and_english_and_defined() -> None:
    terms = gh_terms()
    assert {str(GH[name]) for name in dir(GH)} == {str(t) for t in terms}
    graph = ontology_graph()
    for term in terms:
        assert label(term, "zh") and label(term, "en"), term
        definitions = {d.language for d in graph.objects(term, SKOS.definition)
                       if isinstance(d, Literal)}
        assert "en" in definitions, term


def test_the_contract_terms_are_there_and_aligned() -> None:
    graph = ontology_graph()
    for cls in ORG_CLASSES | {GH.OtherOrganization}:
        assert (cls, RDFS.subClassOf, ORG.Organization) in graph
    assert (GH.Campaign, RDFS.subClassOf, PROV.Activity) in graph
    for name in ("Figure", "Sentence", "approximate", "qualifier", "year", "measure",
                 "charStart", "charEnd", "HierarchyStatement", "identityBasis", "honor"):
        assert GH[name] in gh_terms()
    assert label(GH.TradeUnion) == "工会" and label(GH.TradeUnion, "en") == "trade union"
    assert label(URIRef("https://example.org/nothing")) is None


def test_name_suffixes_cover_every_organization_class_longest_first() -> None:
    suffixes = name_suffixes()
    assert {cls for _, cls in suffixes} == ORG_CLASSES
    lengths = [len(suffix) for suffix, _ in suffixes]
    assert lengths == sorted(lengths, reverse=True)
    words = [suffix for suffix, _ in suffixes]
    assert len(words) == len(set(words)), "a suffix signals two classes"


@pytest.mark.parametrize(("name", "cls"), [
    ("某区总工会", GH.TradeUnion),
    ("某某科技有限公司工会委员会", GH.TradeUnion),  # not a government committee
    ("某区人大常委会", GH.GovernmentBody),
    ("某区人力资源和社会保障局", GH.GovernmentBody),
    ("某某物流集团", GH.Enterprise),  # not a 团 group
    ("某某商业银行", GH.Enterprise),
    ("某村蔬菜专业合作社", GH.Cooperative),
    ("某社区志愿服务队", GH.Group),
    ("某某宣讲团", GH.Group),
    ("某某街道", None),
])
def test_the_longest_suffix_decides_the_class(name: str, cls: URIRef | None) -> None:
    assert org_class_for(name) == cls


def test_shapes_use_only_defined_terms() -> None:
    used = {node for triple in shapes_graph() for node in triple
            if isinstance(node, URIRef) and node.startswith(str(GH))}
    assert used and used <= gh_terms()


def test_bind_prefixes_writes_the_contract_prefixes() -> None:
    graph = bind_prefixes(Graph())
    graph.add((ID["figure/1"], RDF.type, GH.Figure))
    graph.add((ID["figure/1"], URIRef("https://schema.org/unitText"), Literal("元")))
    turtle = graph.serialize(format="turtle")
    assert "@prefix gh: <https://w3id.org/gonghui-kg/ontology#>" in turtle
    assert "schema:unitText" in turtle and "gh:Figure" in turtle
