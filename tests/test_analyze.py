"""``analyze`` on a small invented corpus: exact betweenness, and a sampled estimate that says so and
comes out the same on every run; the fast paths under networkx give networkx's numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from graph.network import analysis
from graph.network.analysis import (
    EXACT_BETWEENNESS_NODES,
    FAST_BETWEENNESS_NODES,
    SAMPLED_SOURCES,
    SEED,
    betweenness_centrality,
    betweenness_sources,
    communities,
    community_method,
)
from graph.network.data import combined_graph, read_network, simple_graph
from tests.conftest import build_invented

ROOT = Path(__file__).resolve().parents[1]

#: Three short reports written for this test: two district unions, a street union under one of
#: them, a company union, their officials and two campaigns.
ARTICLES = {
    "a1.txt": "河西区总工会开展职工暖心行动\n\n"
              "本报讯 3月12日，河西区总工会启动“职工暖心行动”。河西区总工会主席王建华出席启动仪式并讲话。\n"
              "河西区总工会副主席李晓梅介绍了活动安排。河西区新风街道总工会主席陈志强参加了启动仪式。\n"
              "新风街道总工会是河西区总工会的下属工会。\n",
    "a2.txt": "新风街道总工会走访困难职工\n\n"
              "本报讯 5月8日，新风街道总工会主席陈志强带队走访辖区困难职工家庭，并参与“职工暖心行动”。\n"
              "远东机械有限公司工会主席赵丽娟陪同走访。远东机械有限公司工会隶属于新风街道总工会。\n",
    "a3.txt": "南湖区总工会举办技能比武大赛\n\n"
              "本报讯 6月20日，南湖区总工会举办“匠心技能比武大赛”。南湖区总工会主席孙立新为获奖职工颁奖。\n"
              "南湖区总工会副主席周文静主持比赛。河西区总工会副主席李晓梅应邀观摩比赛。\n",
}


def graph_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_invented(tmp_path_factory, ARTICLES)


@pytest.fixture(scope="module")
def network(built: Path) -> nx.Graph:
    return simple_graph(combined_graph(read_network(built)))


def printed_ranking(stdout: str) -> list[tuple[str, str]]:
    """(name, betweenness) of each row of the "Most central" table, in order."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "Most central of" in line) + 2
    rows = []
    for line in lines[start:]:
        cells = line.split()
        if not cells or not cells[0].isdigit():
            break
        rows.append((cells[1], cells[-1]))
    return rows


def expected_ranking(graph: nx.Graph, betweenness: dict[str, float], top: int) -> list[tuple[str, str]]:
    """The ranking ``analyze`` promises: betweenness, then degree, then name."""
    label = nx.get_node_attributes(graph, "label")
    order = sorted(graph, key=lambda n: (-betweenness[n], -graph.degree(n), label[n], n))
    return [(label[n], f"{betweenness[n]:.3f}") for n in order[:top]]


@pytest.mark.parametrize("top", [5, 20])
def test_a_small_network_gets_exact_betweenness(built: Path, network: nx.Graph, top: int) -> None:
    result = graph_cli("analyze", "--graph", str(built), "--top", str(top))
    assert result.returncode == 0, result.stderr
    assert "estimate" not in result.stdout
    assert f"Most central of {network.number_of_nodes()} nodes" in result.stdout
    expected = expected_ranking(network, nx.betweenness_centrality(network), top)
    assert printed_ranking(result.stdout) == expected
    assert float(expected[0][1]) > 0  # the street union links the district union to its members


def test_a_sampled_estimate_is_announced_and_the_same_every_run(built: Path, network: nx.Graph) -> None:
    first = graph_cli("analyze", "--graph", str(built), "--top", "20", "--samples", "3")
    again = graph_cli("analyze", "--graph", str(built), "--top", "20", "--samples", "3")
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    nodes = network.number_of_nodes()
    assert first.stdout.startswith(
        f"Betweenness is an estimate from 3 sampled sources (seed {SEED}) of {nodes:,} nodes; "
        "--exact computes it exactly.\n"
    )
    estimate = nx.betweenness_centrality(network, k=3, seed=SEED)  # networkx's own estimator
    assert printed_ranking(first.stdout) == expected_ranking(network, estimate, 20)
    exact = graph_cli("analyze", "--graph", str(built), "--top", "20", "--exact")
    assert printed_ranking(exact.stdout) == expected_ranking(network, nx.betweenness_centrality(network), 20)
    assert printed_ranking(exact.stdout) != printed_ranking(first.stdout)  # three sources are not all


def test_samples_and_exact_exclude_each_other(built: Path) -> None:
    result = graph_cli("analyze", "--graph", str(built), "--samples", "3", "--exact")
    assert result.returncode == 2
    assert "not allowed with" in result.stderr
    assert graph_cli("analyze", "--graph", str(built), "--samples", "0").returncode == 2


def community_rows(stdout: str) -> list[str]:
    section = stdout.split("Communities (", 1)[1].split("Bridges between communities", 1)[0]
    return [line for line in section.splitlines()[2:] if line.split() and line.split()[0].isdigit()]


def test_communities_beyond_the_limit_are_counted_not_listed(built: Path) -> None:
    whole = graph_cli("analyze", "--graph", str(built))
    listed = graph_cli("analyze", "--graph", str(built), "--communities", "2")
    assert listed.returncode == 0, listed.stderr
    every = community_rows(whole.stdout)
    assert len(every) > 2 and "not listed" not in whole.stdout
    assert community_rows(listed.stdout) == every[:2]
    assert f"… {len(every) - 2:,} smaller communities not listed" in listed.stdout


def test_exact_up_to_the_threshold_and_sampled_above() -> None:
    assert betweenness_sources(EXACT_BETWEENNESS_NODES) is None
    assert betweenness_sources(EXACT_BETWEENNESS_NODES + 1) == SAMPLED_SOURCES
    assert betweenness_sources(EXACT_BETWEENNESS_NODES + 1, exact=True) is None
    assert betweenness_sources(50, samples=7) == 7
    assert betweenness_sources(50, samples=50) is None  # every node a source: the exact computation


def large_graph() -> nx.Graph:
    graph = nx.relabel_nodes(nx.barabasi_albert_graph(FAST_BETWEENNESS_NODES + 150, 2, seed=5), str)
    graph.add_edge("island-a", "island-b")  # a second component
    graph.add_node("alone")
    return graph


@pytest.mark.parametrize("samples", [2, 40, 400])
def test_the_sampled_estimate_of_a_large_network_is_networkx_s(samples: int) -> None:
    """Past FAST_BETWEENNESS_NODES igraph computes the estimate: the same sources and numbers as
    ``nx.betweenness_centrality(k=..., seed=...)``."""
    graph = large_graph()
    expected = nx.betweenness_centrality(graph, k=samples, seed=SEED)
    found = betweenness_centrality(graph, samples)
    assert found.keys() == expected.keys()
    assert max(abs(found[n] - expected[n]) for n in graph) < 1e-9
    assert max(found.values()) > 0.01


def test_large_networks_get_python_igraph_s_louvain_seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = nx.relabel_nodes(nx.planted_partition_graph(8, 40, 0.3, 0.005, seed=3), str)
    nx.set_node_attributes(graph, {n: f"node {n}" for n in graph}, "label")
    networkx_groups = communities(graph)
    monkeypatch.setattr(analysis, "FAST_COMMUNITY_NODES", 100)
    assert community_method(graph) == "louvain by python-igraph"
    groups = communities(graph)
    assert groups == communities(graph)  # the same seed, the same draws
    assert sorted(n for g in groups for n in g) == sorted(graph)
    quality = nx.community.modularity(graph, groups)
    assert quality >= 0.95 * nx.community.modularity(graph, networkx_groups)
    assert quality > 0.7  # eight planted groups, found
