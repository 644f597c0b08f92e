"""Extraction on a Dask cluster gives the graph a single process gives, byte for byte."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from graph.build.run import build
from tests.conftest import ARTICLE
from tests.test_build_cli import graph_cli

distributed = pytest.importorskip("distributed")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number in range(3):
        (folder / f"copy-{number}.txt").write_bytes(ARTICLE.read_bytes())
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)  # skipped alike by both builds
    return folder


def test_a_cluster_build_equals_the_single_process_build(corpus: Path, tmp_path: Path) -> None:
    alone = build([str(corpus)], tmp_path / "alone", jobs=1)
    # a scheduler and two worker processes (one thread each) on loopback, reached by address
    # as a real cluster is
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        spread = build([str(corpus)], tmp_path / "cluster", scheduler=cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    assert spread.articles == alone.articles and len(spread.articles) == 3
    assert spread.errors == alone.errors and len(alone.errors) == 1
    for name in ("graph.ttl", "graph.trig"):
        assert (tmp_path / "cluster" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name


def test_build_on_a_local_cluster_from_the_command_line(corpus: Path, tmp_path: Path) -> None:
    result = graph_cli("build", str(corpus), "--out", str(tmp_path / "cluster"), "--scheduler", "local:2")
    assert result.returncode == 1, result.stderr  # the junk file is reported, the rest is built
    assert "junk.txt" in result.stderr and "Traceback" not in result.stderr
    build([str(corpus)], tmp_path / "alone", jobs=1)
    cluster, alone = (tmp_path / "cluster" / "graph.ttl"), (tmp_path / "alone" / "graph.ttl")
    assert cluster.read_bytes() == alone.read_bytes()
