"""Ready queries with a parameter on a large store: does their cost grow with the graph or the answer?

    .venv/bin/python bench/ready_query_bench.py                      # 800 copies, about a minute
    .venv/bin/python bench/ready_query_bench.py --copies 800,10000   # 10,000 copies: ~20 min to load

The store is the graph of a build of the bundled article (``data/articles``), copied N times under
new IRIs: every IRI under ``id/`` (but roles, which all articles share) and every name gets the
copy's number, so each copy is its own people, bodies and campaigns, and a query for copy N/2's
names has the answer of one article to find among N. Each copy is a named graph and the merged
default graph holds them all, as a build lays them out. Every ready query with a parameter then runs
once per row below (CPU and wall time of ``graph.store.query.answer``, the ``query`` command's call);
``--before DIR`` runs the ``.rq`` files of DIR (e.g. an older ``graph/queries``) beside them.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.build.run import build  # noqa: E402
from graph.store.oxigraph import GraphStore  # noqa: E402
from graph.store.query import answer  # noqa: E402

ID = "https://w3id.org/gonghui-kg/id/"
NAMES = ("<http://www.w3.org/2000/01/rdf-schema#label>", "<http://www.w3.org/2004/02/skos/core#altLabel>")
#: One row per query and parameters: the names of the bundled article, suffixed by the copy's number.
CASES: tuple[tuple[str, dict[str, str]], ...] = (
    ("posts-of-person", {"name": "付湘生"}),
    ("posts-in-organization", {"org": "延庆区总工会"}),
    ("sub-organizations", {"org": "北京市总工会"}),
    ("campaign-participants", {"campaign": "区级工会加强年"}),
    ("campaigns-of-organization", {"org": "怀柔区总工会"}),
    ("figures", {"org": "鼓楼街道总工会"}),
    ("people-sharing", {"name": "张艳革"}),
    ("post-history", {"org": "平谷区总工会"}),
    ("post-history", {"name": "付湘生"}),
    ("facts-with-sources", {"name": "张艳革"}),
)
_IRI = re.compile(r"<(" + re.escape(ID) + r"(?!role/)[^>]*)>")
_NAME = re.compile(r'^(<[^>]*>) (' + "|".join(map(re.escape, NAMES)) + r') "(.*)"@zh \.$')


def copy_lines(lines: list[str], i: int) -> list[str]:
    """Copy ``i`` of the merged graph's N-Triples lines: its own IRIs and names."""
    copied = []
    for line in lines:
        name = _NAME.match(line)
        if name and "/role/" not in name[1]:
            line = f'{name[1]} {name[2]} "{name[3]}{i}"@zh .'
        copied.append(_IRI.sub(lambda m: f"<{m[1]}~{i}>", line))
    return copied


def replicated_store(path: Path, lines: list[str], article: str, copies: int) -> GraphStore:
    store = ox.Store(str(path))
    for start in range(0, copies, 200):
        chunk: list[str] = []
        for i in range(start, min(copies, start + 200)):
            copied = copy_lines(lines, i)
            graph = _IRI.sub(lambda m: f"<{m[1]}~{i}>", f"<{article}>")  # noqa: B023
            chunk += copied + [f"{line[:-1].rstrip()} {graph} ." for line in copied]
        store.bulk_load("\n".join(chunk).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    del store
    return GraphStore(path, read_only=True)


def timed(store: GraphStore, query: str, params: dict[str, str]) -> tuple[int, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    _, result = answer(store, query, params)
    return len(result.rows), 1000 * (time.process_time() - cpu), 1000 * (time.perf_counter() - wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", default="800", help="comma-separated numbers of copies (default 800)")
    parser.add_argument("--before", type=Path, metavar="DIR", help="also run the .rq files of DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ready-query-bench-") as work:
        seed = Path(work) / "seed"
        build([str(ROOT / "data" / "articles")], seed, formats=("turtle", "nt"))
        lines = [line for line in (seed / "graph.nt").read_text("utf-8").splitlines() if line]
        with GraphStore(seed / "store", read_only=True) as seed_store:
            (article,) = seed_store.article_iris()
        for copies in (int(n) for n in args.copies.split(",")):
            started = time.perf_counter()
            store = replicated_store(Path(work) / f"copies-{copies}", lines, article, copies)
            print(f"\n{copies} copies of the bundled article's graph: {len(store):,} quads "
                  f"(loaded in {time.perf_counter() - started:.0f} s); names of copy {copies // 2}")
            header = f"{'query':27} {'parameter':22} {'rows':>5} {'CPU ms':>9} {'wall ms':>9}"
            print(header + (f" {'before CPU ms':>14}" if args.before else ""))
            for name, params in CASES:
                bound = {key: f"{value}{copies // 2}" for key, value in params.items()}
                rows, cpu, wall = timed(store, name, bound)
                shown = ", ".join(f"{k}={v}" for k, v in bound.items())
                line = f"{name:27} {shown:22} {rows:>5} {cpu:>9.1f} {wall:>9.1f}"
                before = args.before / f"{name}.rq" if args.before else None
                if before is not None and before.is_file():
                    _, before_cpu, _ = timed(store, str(before), bound)
                    line += f" {before_cpu:>14.1f}"
                elif before is not None:
                    line += f" {'(new)':>14}"
                print(line, flush=True)
            store.close()


if __name__ == "__main__":
    main()
