"""Researchers' questions, asked of the two articles of ``test_store``: ready queries, SPARQL, CLI."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_store import build_store

from graph.cli import main as cli
from graph.cli.query import run_query
from graph.store.oxigraph import GraphStore
from graph.store.query import QUERIES_DIR, QueryError, list_ready_queries, parse_params, read_query_file


@pytest.fixture(scope="module")
def store() -> Iterator[GraphStore]:
    with build_store() as graph_store:
        yield graph_store


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build's --out folder: the store and graph.ttl."""
    out = tmp_path_factory.mktemp("out")
    with build_store(out / "store") as graph_store:
        graph_store.export(out / "graph.ttl", "turtle")
    return out


def ask(store: GraphStore, query: str, **params: str) -> list[dict[str, str]]:
    """Run a query the way the CLI does and read its CSV back: one dict per row."""
    out, err = io.StringIO(), io.StringIO()
    status = run_query(store, query, "csv", params, out=out, err=err)
    assert status == 0, err.getvalue()
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def column(rows: list[dict[str, str]], *names: str) -> set[tuple[str, ...]]:
    return {tuple(row[name] for name in names) for row in rows}


# -- the ready queries ----------------------------------------------------------------------------


def test_every_ready_query_says_what_it_answers_and_runs(store: GraphStore) -> None:
    queries = list_ready_queries()
    assert len(queries) >= 7
    for query in queries:
        assert query.title and query.question, query.name
        assert query.params, f"{query.name} documents no # param: line"
        result = store.query(query.text)  # parses, and runs with every parameter left out
        assert result.kind == "select" and result.rows, query.name


def test_posts_of_a_person(store: GraphStore) -> None:
    rows = ask(store, "posts-of-person", name="李四")
    assert column(rows, "personName", "role", "organization") == {
        ("李四", "党组书记", "北京市总工会"),
        ("李四", "常务副主席", "北京市总工会"),
    }
    assert all("李四" in row["sentence"] for row in rows)
    assert "name" not in rows[0]  # the parameter column is not shown


def test_posts_in_an_organization_found_by_its_short_name(store: GraphStore) -> None:
    rows = ask(store, "posts-in-organization", org="市总工会")  # skos:altLabel of 北京市总工会
    assert column(rows, "organization", "role", "personName") == {
        ("北京市总工会", "党组书记", "李四"),
        ("北京市总工会", "常务副主席", "李四"),
    }


def test_sub_organizations_are_found_through_every_level(store: GraphStore) -> None:
    rows = ask(store, "sub-organizations", org="北京市总工会")
    assert column(rows, "subOrganization", "directlyUnder", "levels") == {
        ("北京经济技术开发区总工会", "北京市总工会", "1"),
        ("北京市邮政公司工会", "北京市总工会", "1"),
        ("荣华街道总工会", "北京经济技术开发区总工会", "2"),
    }


def test_campaigns_of_an_organization_and_who_joined(store: GraphStore) -> None:
    rows = ask(store, "campaigns-of-organization", org="北京邮政工会")
    assert column(rows, "organization", "campaign", "organizations", "people") == {
        ("北京市邮政公司工会", "区级工会加强年", "1", "2")
    }
    # all three others fit in the few names (in the store's order: compared as a set)
    assert set(rows[0]["joinedBy"].split("、")) == {"北京经济技术开发区总工会", "李四", "王五"}
    participants = ask(store, "campaign-participants", campaign="区级工会加强年")
    assert [(r["kind"], r["participant"]) for r in participants] == [  # by kind, then name
        ("organization", "北京市邮政公司工会"),
        ("organization", "北京经济技术开发区总工会"),
        ("person", "李四"),
        ("person", "王五"),
    ]


# A campaign many have joined, in a graph written for the test: one row per campaign all the same,
# counting the others and naming five of them.
CROWDED_CAMPAIGN_TTL = """
o:host a org:Organization, gh:TradeUnion ; rdfs:label "甲乡总工会"@zh .
o:quiet a org:Organization, gh:TradeUnion ; rdfs:label "乙乡总工会"@zh .
c:crowded a gh:Campaign ; rdfs:label "丙丁共建行动"@zh ;
    prov:wasAssociatedWith o:host, o:a1, o:a2, o:a3, o:a4, p:b1, p:b2, p:b3 .
c:small a gh:Campaign ; rdfs:label "戊己读书月"@zh ; prov:wasAssociatedWith o:host .
c:alone a gh:Campaign ; rdfs:label "庚辛义诊日"@zh ; prov:wasAssociatedWith o:quiet, o:a1 .
o:a1 a org:Organization ; rdfs:label "子丑公司工会"@zh .
o:a2 a org:Organization ; rdfs:label "寅卯公司工会"@zh .
o:a3 a org:Organization ; rdfs:label "辰巳公司工会"@zh .
o:a4 a org:Organization ; rdfs:label "午未公司工会"@zh .
p:b1 a foaf:Person ; rdfs:label "申酉戌"@zh .
p:b2 a foaf:Person ; rdfs:label "亥甲乙"@zh .
p:b3 a foaf:Person ; rdfs:label "丙丁戊"@zh .
"""


def test_a_crowded_campaign_is_one_row_with_counts_and_five_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import contract_prefixes

    graph = tmp_path / "crowded.ttl"
    graph.write_text(
        contract_prefixes()
        + "@prefix o: <https://w3id.org/gonghui-kg/id/org/> .\n"
        + "@prefix p: <https://w3id.org/gonghui-kg/id/person/> .\n"
        + "@prefix c: <https://w3id.org/gonghui-kg/id/campaign/> .\n"
        + CROWDED_CAMPAIGN_TTL,
        encoding="utf-8",
    )

    def query(name: str, param: str) -> list[dict[str, str]]:
        assert cli(["query", name, "--param", param, "--format", "csv", "--graph", str(graph)]) == 0
        return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))

    rows = query("campaigns-of-organization", "org=甲乡总工会")
    assert [(r["campaign"], r["organizations"], r["people"]) for r in rows] == [
        ("丙丁共建行动", "4", "3"),
        ("戊己读书月", "0", "0"),
    ]
    crowded, small = rows
    others = {"子丑公司工会", "寅卯公司工会", "辰巳公司工会", "午未公司工会", "申酉戌", "亥甲乙", "丙丁戊"}
    assert crowded["joinedBy"].endswith("…")
    named = crowded["joinedBy"].removesuffix("…").split("、")
    assert len(named) == len(set(named)) == 5 and set(named) <= others
    assert small["joinedBy"] == ""
    assert [(r["campaign"], r["joinedBy"]) for r in query("campaigns-of-organization", "org=乙乡总工会")] == [
        ("庚辛义诊日", "子丑公司工会")
    ]
    everyone = query("campaign-participants", "campaign=丙丁共建行动")
    organizations = ["甲乡总工会", "子丑公司工会", "寅卯公司工会", "辰巳公司工会", "午未公司工会"]
    people = ["申酉戌", "亥甲乙", "丙丁戊"]
    assert [(r["kind"], r["participant"]) for r in everyone] == (
        [("organization", n) for n in sorted(organizations)] + [("person", n) for n in sorted(people)]
    )


def test_figures_per_organization_and_year(store: GraphStore) -> None:
    youzheng = ask(store, "figures", org="北京市邮政公司工会")
    assert column(youzheng, "measure", "value", "minValue", "maxValue", "unit", "qualifier") == {
        ("帮扶资金", "5200000", "", "", "元", "余"),
        ("服务站点", "", "6", "7", "个", ""),
    }
    in_2022 = ask(store, "figures", year="2022")
    assert column(in_2022, "about", "figureYear", "measure", "value") == {
        ("北京经济技术开发区总工会", "2022", "新建工会组织", "126"),
        ("北京经济技术开发区总工会", "2022", "新发展会员", "3751"),
    }


def test_people_who_share_a_campaign(store: GraphStore) -> None:
    assert column(ask(store, "people-sharing", name="王五"), "otherName", "via", "kind") == {
        ("李四", "区级工会加强年", "campaign")
    }
    every_pair = ask(store, "people-sharing")
    assert len(every_pair) == 1  # each pair once


def test_every_fact_leads_back_to_its_sentence(store: GraphStore) -> None:
    rows = ask(store, "facts-with-sources")
    kinds = [row["kind"] for row in rows]
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "membership": 4,
        "figure": 4,
        "hierarchy": 3,
        "campaign": 2,  # one campaign, read in a sentence of each article
    }
    for row in rows:
        assert row["sentence"] and row["headline"] and int(row["charEnd"]) > int(row["charStart"])
    zhangsan = ask(store, "facts-with-sources", name="张三")
    assert column(zhangsan, "kind", "statement", "charStart") == {
        ("membership", "张三 — 常务副主席 — 北京经济技术开发区总工会", "43")
    }


def test_facts_of_an_entity_are_those_that_name_it_exactly(store: GraphStore) -> None:
    """``name`` is an entity's label, found by index: a role's memberships, every fact about a body."""
    role = ask(store, "facts-with-sources", name="常务副主席")
    assert column(role, "kind", "statement") == {
        ("membership", "张三 — 常务副主席 — 北京经济技术开发区总工会"),
        ("membership", "李四 — 常务副主席 — 北京市总工会"),
    }
    body = ask(store, "facts-with-sources", name="北京经济技术开发区总工会")
    # the campaign as the article that associates the body with it states it (A's, not B's)
    sentence = "北京市总工会党组书记、常务副主席李四出席“区级工会加强年”启动会。"
    agents = frozenset({"李四", "北京经济技术开发区总工会"})
    assert campaign_statements(body) == {("区级工会加强年", agents, sentence)}
    assert column([r for r in body if r["kind"] != "campaign"], "kind", "statement") == {
        ("hierarchy", "北京经济技术开发区总工会 ⊂ 北京市总工会"),
        ("hierarchy", "荣华街道总工会 ⊂ 北京经济技术开发区总工会"),
        ("figure", "北京经济技术开发区总工会 — 新发展会员 3751名 (2022)"),
        ("figure", "北京经济技术开发区总工会 — 新建工会组织 126家 (2022)"),
        ("membership", "张三 — 常务副主席 — 北京经济技术开发区总工会"),
    }
    assert ask(store, "facts-with-sources", name="开发区总工会") == []  # part of a name names nothing


def campaign_statements(rows: list[dict[str, str]]) -> set[tuple[str, frozenset[str], str]]:
    """Campaign rows as (campaign, its agents, sentence): the agents come in the store's order."""
    found = set()
    for row in rows:
        if row["kind"] == "campaign":
            campaign, agents = row["statement"].split(" — ")
            found.add((campaign, frozenset(agents.split("、")), row["sentence"]))
    return found


def test_a_campaign_is_stated_article_by_article_and_scales_with_the_entity(
    out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each campaign sentence says who *its* article associates with the campaign; a name keeps only
    the articles associating that entity, so a person's answer does not grow with the campaign's.
    A graph read from a file (no named graphs) answers the same through what each article mentions."""
    from_a = ("区级工会加强年", frozenset({"李四", "北京经济技术开发区总工会"}),
              "北京市总工会党组书记、常务副主席李四出席“区级工会加强年”启动会。")
    from_b = ("区级工会加强年", frozenset({"王五", "北京市邮政公司工会"}),
              "北京邮政工会积极参与“区级工会加强年”活动。")
    expected = {"王五": {from_b}, "李四": {from_a}, "区级工会加强年": {from_a, from_b}}
    for graph in (out_dir, out_dir / "graph.ttl"):
        for name, campaigns in expected.items():
            args = ["query", "facts-with-sources", "--param", f"name={name}", "--format", "csv"]
            assert cli([*args, "--graph", str(graph)]) == 0
            rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
            assert campaign_statements(rows) == campaigns, (graph.name, name)
        assert cli(["query", "facts-with-sources", "--format", "csv", "--graph", str(graph)]) == 0
        every = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert campaign_statements(every) == {from_a, from_b}, graph.name


def test_ready_query_parameters_are_names_bound_as_zh_literals() -> None:
    query = read_query_file(QUERIES_DIR / "post-history.rq")
    assert [(p.name, p.label, p.required) for p in query.params] == [
        ("name", True, False), ("org", True, False)
    ]
    figures = read_query_file(QUERIES_DIR / "figures.rq")
    assert [(p.name, p.label) for p in figures.params] == [("org", True), ("year", False)]


# -- parameters, errors, formats ------------------------------------------------------------------


def test_a_quote_in_a_parameter_cannot_change_the_query(store: GraphStore) -> None:
    assert ask(store, "posts-of-person", name='李四" } } ; SELECT * { ?s ?p ?o } #') == []
    assert len(ask(store, "posts-of-person", name="李四")) == 2


def test_parameters_are_checked_against_what_the_query_documents(store: GraphStore) -> None:
    err = io.StringIO()
    assert run_query(store, "posts-of-person", params={"nmae": "李四"}, err=err) == 2
    assert "unknown parameter nmae" in err.getvalue() and "name:" in err.getvalue()
    with pytest.raises(QueryError):
        parse_params(["no-equals-sign"])
    assert str(parse_params(["org=<https://w3id.org/gonghui-kg/id/org/jkq>"])["org"]).startswith("<https")


def test_a_malformed_query_exits_2_with_the_parser_message(
    out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli(["query", "SELECT ?x WHERE { ?x a gh:Campaign", "--graph", str(out_dir)])
    assert status == 2
    message = capsys.readouterr().err
    assert "SPARQL syntax error" in message and "expected" in message


def test_unknown_ready_query_lists_the_ready_ones(store: GraphStore) -> None:
    err = io.StringIO()
    assert run_query(store, "posts-of-persn", err=err) == 2
    assert "posts-of-person" in err.getvalue()


def test_sparql_text_with_contract_prefixes_and_a_bound_variable(store: GraphStore) -> None:
    query = "SELECT DISTINCT ?name ?o WHERE { ?o a org:Organization ; rdfs:label ?l FILTER(STR(?l) = ?name) }"
    rows = ask(store, query, name="北京市总工会")
    assert column(rows, "o") == {("https://w3id.org/gonghui-kg/id/org/bjzgh",)}
    err = io.StringIO()
    unprojected = "SELECT ?o WHERE { ?o rdfs:label ?name }"
    assert run_query(store, unprojected, params={"name": "x"}, err=err) == 2
    assert "?name" in err.getvalue()


def test_a_rq_file_given_by_path(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "count.rq"
    path.write_text(
        "# title: Organizations\n# question: How many organizations?\n"
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization }\n",
        encoding="utf-8",
    )
    assert read_query_file(path).title == "Organizations"
    assert ask(store, str(path)) == [{"n": "4"}]


def test_cli_on_a_build_folder_and_on_graph_ttl(out_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for graph in (out_dir, out_dir / "graph.ttl"):
        status = cli(["query", "posts-of-person", "--param", "name=王五", "--graph", str(graph)])
        assert status == 0
        table = capsys.readouterr().out
        assert "王五" in table and "北京市邮政公司工会" in table and "1 row" in table
        assert "\x1b[" not in table and "━" not in table  # plain text when not a terminal
        assert all(line == line.rstrip() for line in table.splitlines())


def test_json_output_is_sparql_results_json(out_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT ?f ?v WHERE { ?f a gh:Figure ; schema:value ?v } ORDER BY ?v"
    assert cli(["query", query, "--graph", str(out_dir), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["head"]["vars"] == ["f", "v"]
    first = document["results"]["bindings"][0]
    assert first["f"]["type"] == "uri"
    assert first["v"] == {
        "type": "literal",
        "value": "126",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert cli(["query", "ASK { ?c a gh:Campaign }", "--graph", str(out_dir), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"head": {}, "boolean": True}


def test_listing_the_ready_queries(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["query"]) == 0
    listing = capsys.readouterr().out
    for query in list_ready_queries():
        assert query.name in listing
    assert "--param name=" in listing


def test_a_plain_query_loads_neither_networkx_nor_rdflib(out_dir: Path) -> None:
    """Start-up is what the command uses: ``query`` registers only its own command group."""
    probe = (
        "import sys; from graph.cli import main; "
        f"status = main(['query', 'ASK {{}}', '--graph', {str(out_dir)!r}]); "
        "heavy = sorted(m for m in ('networkx', 'rdflib', 'starlette', 'spacy') if m in sys.modules); "
        "print(status, heavy)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_every_command_is_registered_by_the_group_the_table_names() -> None:
    from graph.cli import COMMAND_GROUPS, make_parser

    every = make_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert set(every) == set(COMMAND_GROUPS)
    for command in COMMAND_GROUPS:
        alone = make_parser(argv=[command])._subparsers._group_actions[0].choices  # type: ignore[union-attr]
        assert command in alone


def test_the_query_prefixes_are_the_ontology_s() -> None:
    from graph.store.oxigraph import PREFIXES
    from ontology import PREFIXES as ONTOLOGY_PREFIXES

    assert {prefix: str(namespace) for prefix, namespace in ONTOLOGY_PREFIXES.items()} == PREFIXES


def test_a_table_aligns_chinese_names_by_their_display_width(
    out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rich.cells import cell_len

    query = "SELECT ?label ?o WHERE { ?o a org:Organization ; rdfs:label ?label } ORDER BY ?label"
    assert cli(["query", query, "--graph", str(out_dir)]) == 0
    header, *rows, caption = capsys.readouterr().out.splitlines()
    assert caption.strip() == "4 rows" and len(rows) == 4
    # the second column starts at the same display column on every line (a Chinese character is two)
    starts = {cell_len(line[: line.index("https://")]) for line in rows}
    assert starts == {cell_len(header[: header.rindex(" o") + 1])}, (header, rows)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_rich_tables_but_plain_ones_past_a_thousand_rows() -> None:
    from graph.store.oxigraph import QueryResult
    from graph.store.query import RICH_TABLE_MAX_ROWS, ReadyQuery, write_result

    def table(rows: int) -> str:
        names = [(ox.Literal(f"名字{i}", language="zh"),) for i in range(rows)]
        out = FakeTerminal()
        write_result(ReadyQuery("q", ""), QueryResult("select", ("name",), names), "table", out)
        return out.getvalue()

    assert "\x1b[" in table(3) and "─" in table(3)  # rich's colours and rule under the header
    big = table(RICH_TABLE_MAX_ROWS + 1)
    assert "─" not in big and "\x1b[" not in big
    assert big.splitlines()[1:3] == [" 名字0", " 名字1"]
    assert big.rstrip().endswith(f"{RICH_TABLE_MAX_ROWS + 1} rows")


def test_a_page_of_the_answer_with_offset_and_limit(
    out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*extra: str) -> tuple[int, str]:
        status = cli(["query", "facts-with-sources", "--graph", str(out_dir), *extra])
        return status, capsys.readouterr().out

    whole = list(csv.reader(io.StringIO(run("--format", "csv")[1])))
    assert len(whole) == 1 + 13
    status, page = run("--format", "csv", "--offset", "4", "--limit", "3")
    assert status == 0 and list(csv.reader(io.StringIO(page))) == [whole[0], *whole[5:8]]
    assert run("--offset", "4", "--limit", "3")[1].splitlines()[-1].strip() == "3 rows (5–7 of 13)"
    assert run("--offset", "12")[1].splitlines()[-1].strip() == "1 row (13–13 of 13)"
    assert run("--offset", "20")[1].splitlines()[-1].strip() == "0 rows (of 13)"
    assert cli(["query", "facts-with-sources", "--graph", str(out_dir), "--limit", "-1"]) == 2
    assert "count rows from 0" in capsys.readouterr().err
