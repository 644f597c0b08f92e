"""Extraction across machines on a Dask cluster: ``python -m graph build ... --scheduler ADDRESS``.

``ADDRESS`` is a running ``dask scheduler`` (``tcp://host:8786``; its workers started with
``dask worker tcp://host:8786`` where the project is checked out and set up), or ``local:N`` for a
cluster of N worker processes on this machine's loopback, started and stopped with the build.

Each worker process loads the extraction pipeline once (on its first article; the reader is cached
in :mod:`graph.build.run`). Articles are submitted in input order and their graphs, N-Triples text,
are taken back in input order, so the build writes the same bytes as with ``--jobs 1``.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator

from distributed import Client, KilledWorker, LocalCluster

from graph.build.extract import ClusterError, Extracted, extract_article
from loaders import Article

_LOCAL = re.compile(r"^local:(\d+)$")


@contextlib.contextmanager
def connect(scheduler: str) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, or of a loopback cluster for ``local:N``."""
    local = _LOCAL.match(scheduler)
    if local is None:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, ValueError) as error:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
        with client:
            yield client
        return
    workers = int(local[1])
    if workers < 1:
        raise ClusterError("--scheduler local:N needs N >= 1 workers")
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,  # the pipeline is pure Python under the GIL: processes, not threads
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    with cluster, Client(cluster) as client:
        yield client


def extract_on_cluster(articles: list[Article], backend: str | None, scheduler: str) -> Iterator[Extracted]:
    """Every article's extraction, computed on the cluster, in input order."""
    with connect(scheduler) as client:
        # pure=False: two copies of an article are two tasks; submission order is the scheduler's priority
        futures = client.map(extract_article, articles, backend=backend, pure=False)
        for future in futures:
            try:
                yield future.result()
            except KilledWorker as error:  # workers died under this very article: report it, keep the rest
                yield Extracted(error=f"extraction killed the cluster's workers: {error}")
            except Exception as error:  # the cluster itself failed (extraction errors come back as results)
                raise ClusterError(f"the cluster at {scheduler} failed: {error}") from error
            future.release()
