"""A small graph in the contract's shapes passes; each way of breaking it is named in the report."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal

import ontology
from graph.cli.quality import run_validate
from graph.quality.validate import ValidationReport, validate
from ontology import GH, ID, ORG, RDF, RDFS
from tests.conftest import contract_prefixes

# An invented article: names and figures are made up, in the shapes of the public contract.
VALID = contract_prefixes() + """
@base <https://w3id.org/gonghui-kg/id/> .

<article/a1> a schema:NewsArticle ;
    schema:headline "实干担当,服务职工"@zh ;
    gh:series "职工之家建设年"@zh ; gh:seriesPart 2 ;
    schema:author <person/reporter> ;
    schema:mentions <org/sy>, <person/li> .
<person/reporter> a foaf:Person ; rdfs:label "赵记者"@zh .

<article/a1/section/1> a gh:Section ; schema:isPartOf <article/a1> ;
    gh:charStart 40 ; gh:charEnd 400 .
<article/a1/s/1> a gh:Sentence ;
    schema:text "顺义区总工会党组书记、常务副主席李四说。"@zh ;
    schema:isPartOf <article/a1> ; gh:section <article/a1/section/1> ;
    gh:charStart 60 ; gh:charEnd 80 .
<article/a1/s/2> a gh:Sentence ;
    schema:text "2022年,区总工会投入300余万元,开展“暖心行动”,建成5-6个服务站。"@zh ;
    schema:isPartOf <article/a1> ; gh:section <article/a1/section/1> ;
    gh:charStart 81 ; gh:charEnd 120 .

<org/sy> a org:Organization, gh:TradeUnion ;
    rdfs:label "顺义区总工会"@zh ; skos:altLabel "区总工会"@zh ;
    org:subOrganizationOf <org/bj> .
<org/bj> a org:Organization, gh:TradeUnion ; rdfs:label "北京市总工会"@zh .
<hierarchy/sy-bj> a gh:HierarchyStatement ;
    gh:child <org/sy> ; gh:parent <org/bj> ;
    prov:wasDerivedFrom <article/a1/s/1> ; gh:derivationRule "district-union-under-city" .

<person/li> a foaf:Person ; rdfs:label "李四"@zh ; gh:honor "劳动模范"@zh .
<role/dzsj> a org:Role ; rdfs:label "党组书记"@zh .
<role/cwfzx> a org:Role ; rdfs:label "常务副主席"@zh .
<membership/li-sy-dzsj> a org:Membership ;
    org:member <person/li> ; org:organization <org/sy> ; org:role <role/dzsj> ;
    prov:wasDerivedFrom <article/a1/s/1> .
<membership/li-sy-cwfzx> a org:Membership ;
    org:member <person/li> ; org:organization <org/sy> ; org:role <role/cwfzx> ;
    prov:wasDerivedFrom <article/a1/s/1> .
<resolution/li> a gh:EntityResolution ; gh:resolvedEntity <person/li> ;
    gh:identityBasis "same name, same organization"@en ; prov:wasDerivedFrom <article/a1/s/1> .

<campaign/nx> a gh:Campaign ; rdfs:label "暖心行动"@zh ;
    prov:wasAssociatedWith <org/sy>, <person/li> ;
    prov:wasDerivedFrom <article/a1/s/2> .

<figure/f1> a gh:Figure ; schema:value 3000000 ; schema:unitText "元" ;
    gh:approximate true ; gh:qualifier "余" ; gh:year "2022"^^xsd:gYear ;
    gh:measure "投入"@zh ; schema:about <org/sy> ; prov:wasDerivedFrom <article/a1/s/2> .
<figure/f2> a gh:Figure ; schema:minValue 5 ; schema:maxValue 6 ; schema:unitText "个" ;
    gh:measure "服务站"@zh ; schema:about <org/sy> ; prov:wasDerivedFrom <article/a1/s/2> .
<figure/f3> a gh:Figure ; schema:value 65.3 ; schema:unitText "%" ; gh:year 2022 ;
    gh:approximate false ; schema:about <campaign/nx> ; prov:wasDerivedFrom <article/a1/s/2> .
"""


def valid_graph() -> Graph:
    return Graph().parse(data=VALID, format="turtle")


def broken(change: Callable[[Graph], object]) -> ValidationReport:
    graph = valid_graph()
    change(graph)
    return validate(graph)


def assert_fails(report: ValidationReport, shape: str, focus: str, words: str) -> None:
    """The report fails, and some violation of ``shape`` on ``focus`` says ``words``."""
    assert not report.conforms
    hits = [r for r in report.violations
            if r.shape.endswith(shape) and focus in r.focus and words in r.message]
    assert hits, report.text
    assert shape in report.text and words in report.text


def test_the_valid_graph_conforms_quickly() -> None:
    start = time.perf_counter()
    report = validate(valid_graph())
    assert report.conforms, report.text
    assert report.results == []
    assert time.perf_counter() - start < 3
    assert report.text == f"the graph conforms to the gonghui-kg shapes ({report.triples} triples)"


def test_a_membership_with_two_roles_fails() -> None:
    report = broken(lambda g: g.add((ID["membership/li-sy-dzsj"], ORG.role, ID["role/cwfzx"])))
    assert_fails(report, "MembershipShape", "membership/li-sy-dzsj", "exactly one org:role")


def test_a_figure_with_neither_value_nor_range_fails() -> None:
    report = broken(lambda g: g.remove((ID["figure/f1"], ontology.SCHEMA.value, None)))
    assert_fails(report, "FigureValueShape", "figure/f1", "either one schema:value")


def test_a_figure_with_a_value_and_a_range_fails() -> None:
    report = broken(lambda g: g.add((ID["figure/f2"], ontology.SCHEMA.value, Literal(5))))
    assert_fails(report, "FigureValueShape", "figure/f2", "not both")


def test_an_approximate_figure_needs_its_qualifier_word() -> None:
    report = broken(lambda g: g.remove((ID["figure/f1"], GH.qualifier, None)))
    assert_fails(report, "FigureApproximationShape", "figure/f1", "go together")


def test_a_campaign_label_with_quotation_marks_fails() -> None:
    def quote(g: Graph) -> None:
        g.set((ID["campaign/nx"], RDFS.label, Literal("“暖心行动”", lang="zh")))

    assert_fails(broken(quote), "CampaignShape", "campaign/nx", "no quotation marks")


def test_a_person_with_two_chinese_labels_fails() -> None:
    report = broken(lambda g: g.add((ID["person/li"], RDFS.label, Literal("李小四", lang="zh"))))
    assert_fails(report, "NamedEntityShape", "person/li", "exactly one rdfs:label in Chinese")


def test_a_sentence_without_its_start_offset_fails() -> None:
    report = broken(lambda g: g.remove((ID["article/a1/s/1"], GH.charStart, None)))
    assert_fails(report, "SentenceShape", "article/a1/s/1", "needs gh:charStart")


def test_offsets_must_run_forwards() -> None:
    report = broken(lambda g: g.set((ID["article/a1/s/2"], GH.charStart, Literal(130))))
    assert_fails(report, "OffsetsShape", "article/a1/s/2", "less than gh:charEnd")


def test_an_organization_needs_both_org_organization_and_its_own_class() -> None:
    report = broken(lambda g: g.remove((ID["org/bj"], RDF.type, ORG.Organization)))
    assert_fails(report, "OrganizationShape", "org/bj", "typed org:Organization")
    report = broken(lambda g: g.remove((ID["org/bj"], RDF.type, GH.TradeUnion)))
    assert_fails(report, "OrganizationShape", "org/bj", "organization classes")


def test_a_hierarchy_and_its_statement_go_together() -> None:
    report = broken(lambda g: g.remove((ID["hierarchy/sy-bj"], None, None)))
    assert_fails(report, "OrganizationShape", "org/sy", "needs a gh:HierarchyStatement")
    report = broken(lambda g: g.remove((ID["org/sy"], ORG.subOrganizationOf, None)))
    assert_fails(report, "OrganizationShape", "org/sy", "each statement its org:subOrganizationOf")


def test_a_figure_about_nothing_is_only_a_warning() -> None:
    report = broken(lambda g: g.remove((ID["figure/f2"], ontology.SCHEMA.about, None)))
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]
    assert "1 warning" in report.text and "no schema:about" in report.text


def test_command_line_exit_statuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "graph.ttl"
    good.write_text(VALID, encoding="utf-8")
    assert run_validate(str(good)) == 0
    assert "graph.ttl conforms to the gonghui-kg shapes (" in capsys.readouterr().out
    assert run_validate(str(tmp_path)) == 0  # a build folder holding graph.ttl
    capsys.readouterr()

    bad = tmp_path / "bad.ttl"
    bad.write_text(VALID.replace('gh:charStart 60 ; ', ""), encoding="utf-8")
    assert run_validate(str(bad)) == 1
    out = capsys.readouterr().out
    assert "does not conform" in out and "ghs:SentenceShape" in out and "id:article/a1/s/1" in out

    assert run_validate(str(tmp_path / "missing.ttl")) == 2
    assert "missing.ttl: no such graph file" in capsys.readouterr().err
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle", encoding="utf-8")
    assert run_validate(str(garbage)) == 2
    assert "garbage.ttl: cannot be parsed" in capsys.readouterr().err
