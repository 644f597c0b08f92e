"""Benchmark the graph store against native pyoxigraph and plain rdflib on a synthetic corpus.

    .venv/bin/python bench/store_bench.py                 # 1 000 articles, about half a minute
    .venv/bin/python bench/store_bench.py --sizes 1000,10000 --backends ours,pyoxigraph

The corpus is shaped like ours: per article about 340 triples (the article, 30 sentences with
offsets, organizations drawn from a shared pool of 300 so that IRIs overlap across articles, their
hierarchy with qualified statements, people, memberships, figures, campaigns). Each backend runs in
its own subprocess, so its peak RSS (``ru_maxrss``) is its own; all numbers come from the same run.

- ``ours``: ``GraphStore.replace_articles`` (rdflib graphs in, as the build hands them), on disk;
  the merged Turtle export (deduplicated, sorted, prefixed, atomic). ``ours-tx`` (not run unless
  asked for) calls ``replace_article`` per article instead: one transaction each.
- ``pyoxigraph``: ``Store.bulk_load`` of the whole corpus as N-Quads, on disk; Turtle of a
  ``CONSTRUCT`` over all graphs (not sorted).
- ``rdflib``: a ``Dataset`` (memory store, default graph = union) filled with the same rdflib
  graphs; Turtle of the merged graph.

Generating the input is not timed (rdflib graphs are generated article by article, outside the timer).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import rdflib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.store.oxigraph import PREFIXES, GraphStore  # noqa: E402

BACKENDS = ("ours", "pyoxigraph", "rdflib")
EXTRA_BACKENDS = ("ours-tx",)  # replace_article one by one: a transaction per article
ID = "https://w3id.org/gonghui-kg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = PREFIXES["xsd"]

GROUP_BY_QUERY = """
SELECT ?org ?name (COUNT(DISTINCT ?m) AS ?posts) (COUNT(DISTINCT ?person) AS ?people)
WHERE { ?m a org:Membership ; org:organization ?org ; org:member ?person . ?org rdfs:label ?name }
GROUP BY ?org ?name ORDER BY DESC(?posts) ?org LIMIT 20
"""

# -- the synthetic corpus -----------------------------------------------------------------------


class Iri(str):
    """An IRI in the generated corpus."""


class Lit(NamedTuple):
    value: str
    lang: str | None = None
    datatype: str | None = None


Term = Iri | Lit
Triple = tuple[Iri, Iri, Term]

N_ORGS, N_PEOPLE, N_ROLES, N_CAMPAIGNS = 300, 3000, 20, 50
DISTRICTS = [
    "东城",
    "西城",
    "朝阳",
    "海淀",
    "丰台",
    "石景山",
    "门头沟",
    "房山",
    "通州",
    "顺义",
    "昌平",
    "大兴",
    "怀柔",
    "平谷",
    "密云",
    "延庆",
]
ROLES = [
    "主席",
    "副主席",
    "常务副主席",
    "党组书记",
    "秘书长",
    "委员",
    "经审会主任",
    "女职工委员会主任",
    "干事",
    "部长",
]
UNITS = [
    ("名", "新发展会员"),
    ("家", "新建工会组织"),
    ("元", "帮扶资金"),
    ("个", "服务站点"),
    ("%", "入会率"),
]
HANZI = "工会职工服务会员组织建设推进开展活动加强基层企业社区街道保障权益帮扶困难劳动模范技能"


def term(kind: str, key: object) -> Iri:
    return Iri(f"{ID}{kind}/{key}")


def p(curie: str) -> Iri:
    prefix, local = curie.split(":")
    return Iri(PREFIXES[prefix] + local)


def zh(text: str) -> Lit:
    return Lit(text, lang="zh")


def typed(value: object, datatype: str) -> Lit:
    return Lit(str(value), datatype=XSD + datatype)


def org_label(i: int) -> str:
    return f"{DISTRICTS[i % len(DISTRICTS)]}区第{i}总工会" if i else "北京市总工会"


def article_triples(index: int) -> tuple[Iri, list[Triple]]:
    """One article's triples; the same index always gives the same triples."""
    rng = random.Random(index)
    art = term("article", f"a{index:06d}")
    a = Iri(RDF_TYPE)
    triples: list[Triple] = [
        (art, a, p("schema:NewsArticle")),
        (art, p("schema:headline"), zh(f"第{index}篇：{''.join(rng.choices(HANZI, k=14))}")),
        (
            art,
            p("schema:datePublished"),
            typed(f"20{rng.randint(18, 24)}-0{rng.randint(1, 9)}-1{index % 10}", "date"),
        ),
    ]
    reporter = term("person", f"reporter{index % 40}")
    triples += [
        (art, p("schema:author"), reporter),
        (reporter, a, p("foaf:Person")),
        (reporter, p("rdfs:label"), zh(f"记者{index % 40}")),
    ]
    sentences = [term("sentence", f"a{index:06d}-{n}") for n in range(30)]
    offset = 0
    for sentence in sentences:
        length = rng.randint(20, 60)
        triples += [
            (sentence, a, p("gh:Sentence")),
            (sentence, p("schema:text"), Lit("".join(rng.choices(HANZI, k=length)) + "。")),
            (sentence, p("schema:isPartOf"), art),
            (sentence, p("gh:charStart"), typed(offset, "integer")),
            (sentence, p("gh:charEnd"), typed(offset + length + 1, "integer")),
        ]
        offset += length + 1
    orgs = rng.sample(range(N_ORGS), 6)
    for i in orgs:
        org = term("org", f"o{i}")
        triples += [
            (org, a, p("org:Organization")),
            (org, a, p("gh:TradeUnion")),
            (org, p("rdfs:label"), zh(org_label(i))),
        ]
        triples += [(org, p("skos:altLabel"), zh(org_label(i).replace("总工会", "工会")))]
        if i:
            triples.append((org, p("org:subOrganizationOf"), term("org", f"o{(i - 1) // 10}")))
    for n, i in enumerate([o for o in orgs if o][:3]):
        statement = term("hierarchy", f"a{index:06d}-{n}")
        triples += [
            (statement, a, p("gh:HierarchyStatement")),
            (statement, p("gh:child"), term("org", f"o{i}")),
            (statement, p("gh:parent"), term("org", f"o{(i - 1) // 10}")),
            (statement, p("prov:wasDerivedFrom"), rng.choice(sentences)),
        ]
    people = rng.sample(range(N_PEOPLE), 8)
    for n, i in enumerate(people):
        person, role = term("person", f"p{i}"), term("role", f"r{i % N_ROLES}")
        membership = term("membership", f"a{index:06d}-{n}")
        triples += [
            (person, a, p("foaf:Person")),
            (person, p("rdfs:label"), zh(f"张{i}")),
            (role, a, p("org:Role")),
            (role, p("rdfs:label"), zh(ROLES[i % len(ROLES)] + ("" if i % N_ROLES < len(ROLES) else "助理"))),
            (membership, a, p("org:Membership")),
            (membership, p("org:member"), person),
            (membership, p("org:organization"), term("org", f"o{orgs[n % len(orgs)]}")),
            (membership, p("org:role"), role),
            (membership, p("prov:wasDerivedFrom"), rng.choice(sentences)),
        ]
    for n in range(6):
        figure = term("figure", f"a{index:06d}-{n}")
        unit, measure = rng.choice(UNITS)
        triples += [
            (figure, a, p("gh:Figure")),
            (figure, p("schema:value"), typed(rng.randint(1, 5_000_000), "integer")),
            (figure, p("schema:unitText"), Lit(unit)),
            (figure, p("gh:measure"), Lit(measure)),
            (figure, p("gh:year"), typed(rng.randint(2018, 2024), "gYear")),
            (figure, p("schema:about"), term("org", f"o{orgs[n]}")),
            (figure, p("prov:wasDerivedFrom"), rng.choice(sentences)),
        ]
        if n % 2:
            triples += [
                (figure, p("gh:approximate"), typed("true", "boolean")),
                (figure, p("gh:qualifier"), Lit("余")),
            ]
    for i in rng.sample(range(N_CAMPAIGNS), 2):
        campaign = term("campaign", f"c{i}")
        triples += [
            (campaign, a, p("gh:Campaign")),
            (campaign, p("rdfs:label"), zh(f"第{i}届职工技能大赛")),
            (campaign, p("prov:wasAssociatedWith"), term("org", f"o{orgs[0]}")),
            (campaign, p("prov:wasAssociatedWith"), term("org", f"o{orgs[1]}")),
            (campaign, p("prov:wasAssociatedWith"), term("person", f"p{people[0]}")),
            (campaign, p("prov:wasDerivedFrom"), rng.choice(sentences)),
        ]
    mentioned = {
        o for s, _, o in triples if isinstance(o, Iri) and o.startswith(ID) and "/sentence/" not in o
    }
    triples += [(art, p("schema:mentions"), o) for o in sorted(mentioned - {art, *sentences})]
    return art, triples


def corpus(n_articles: int) -> Iterator[tuple[Iri, list[Triple]]]:
    return (article_triples(i) for i in range(n_articles))


def to_rdflib(t: Term) -> rdflib.term.Node:
    if isinstance(t, Iri):
        return rdflib.URIRef(t)
    return rdflib.Literal(t.value, lang=t.lang, datatype=rdflib.URIRef(t.datatype) if t.datatype else None)


def to_ox(t: Term) -> ox.NamedNode | ox.Literal:
    if isinstance(t, Iri):
        return ox.NamedNode(t)
    return ox.Literal(t.value, language=t.lang, datatype=ox.NamedNode(t.datatype) if t.datatype else None)


def rdflib_graph(triples: list[Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples:
        graph.add(tuple(to_rdflib(t) for t in triple))  # type: ignore[arg-type]
    return graph


def write_nquads(n_articles: int, path: Path) -> int:
    """The corpus as one N-Quads file (the input of the native bulk load); returns the quad count."""
    count = 0
    with path.open("wb") as fh:
        for art, triples in corpus(n_articles):
            graph = ox.NamedNode(art)
            quads = [ox.Quad(to_ox(s), to_ox(p_), to_ox(o), graph) for s, p_, o in triples]
            ox.serialize(quads, fh, ox.RdfFormat.N_QUADS)
            count += len(quads)
    return count


# -- one backend, in its own process ------------------------------------------------------------


class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds += time.perf_counter() - self._start


def timed_articles(n_articles: int, generating: Timer) -> Iterator[tuple[rdflib.URIRef, rdflib.Graph]]:
    """The corpus as rdflib graphs, the time spent generating them added to ``generating``."""
    articles = corpus(n_articles)
    while True:
        with generating:
            item = next(articles, None)
            if item is None:
                return
            art, triples = item
            graph = rdflib_graph(triples)
        yield rdflib.URIRef(art), graph


def run_ours(n_articles: int, workdir: Path, one_by_one: bool = False) -> dict[str, float]:
    generating, query, export = Timer(), Timer(), Timer()
    with GraphStore(workdir / "store") as store, Timer() as total:
        if one_by_one:  # a transaction per article
            for art, graph in timed_articles(n_articles, generating):
                store.replace_article(art, graph)
        else:
            store.replace_articles(timed_articles(n_articles, generating))
    load = total.seconds - generating.seconds
    with GraphStore(workdir / "store") as store:
        with query:
            rows = len(store.query(GROUP_BY_QUERY).rows)
        with export:
            store.export(workdir / "graph.ttl", "turtle")
        quads = len(store)
    return {"load": load, "query": query.seconds, "export": export.seconds, "quads": quads, "rows": rows}


def run_pyoxigraph(nquads: Path, workdir: Path) -> dict[str, float]:
    store = ox.Store(str(workdir / "store"))
    with Timer() as load:
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    with Timer() as query:
        rows = len(list(store.query(GROUP_BY_QUERY, prefixes=PREFIXES, use_default_graph_as_union=True)))
    with Timer() as export:
        merged = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        ox.serialize(merged, str(workdir / "graph.ttl"), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return {
        "load": load.seconds,
        "query": query.seconds,
        "export": export.seconds,
        "quads": len(store),
        "rows": rows,
    }


def run_rdflib(n_articles: int, workdir: Path) -> dict[str, float]:
    dataset = rdflib.Dataset(default_union=True)
    load = Timer()
    for art, triples in corpus(n_articles):
        graph = rdflib_graph(triples)
        with load:
            context = dataset.graph(rdflib.URIRef(art))
            dataset.addN((s, p_, o, context) for s, p_, o in graph)
    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    with Timer() as query:
        rows = len(list(dataset.query(prologue + GROUP_BY_QUERY)))
    with Timer() as export:
        merged = rdflib.Graph()
        for prefix, iri in PREFIXES.items():
            merged.bind(prefix, iri, replace=True)
        merged += dataset.triples((None, None, None))  # type: ignore[arg-type]
        merged.serialize(workdir / "graph.ttl", format="turtle")
    quads = len(list(dataset.quads((None, None, None, None))))
    return {
        "load": load.seconds,
        "query": query.seconds,
        "export": export.seconds,
        "quads": quads,
        "rows": rows,
    }


def worker(backend: str, n_articles: int, nquads: Path) -> None:
    with tempfile.TemporaryDirectory(prefix=f"bench-{backend}-") as tmp:
        workdir = Path(tmp)
        if backend in ("ours", "ours-tx"):
            result = run_ours(n_articles, workdir, one_by_one=backend == "ours-tx")
        elif backend == "pyoxigraph":
            result = run_pyoxigraph(nquads, workdir)
        else:
            result = run_rdflib(n_articles, workdir)
        result["export_mb"] = (workdir / "graph.ttl").stat().st_size / 1e6
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps(result))


# -- the driver ---------------------------------------------------------------------------------


def measure(backend: str, n_articles: int, nquads: Path) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--worker",
        backend,
        "--sizes",
        str(n_articles),
        "--nquads",
        str(nquads),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{backend} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "-"


def report(n_articles: int, results: dict[str, dict[str, float]]) -> None:
    print(f"\n{n_articles} articles, {int(next(iter(results.values()))['quads']):,} quads")
    header = f"{'backend':<11}{'load s':>9}{'GROUP BY s':>12}{'Turtle s':>10}{'peak RSS MB':>13}{'ttl MB':>8}"
    print(header + "\n" + "-" * len(header))
    for backend, r in results.items():
        print(
            f"{backend:<11}{r['load']:>9.2f}{r['query']:>12.3f}{r['export']:>10.2f}{r['rss_mb']:>13.0f}{r['export_mb']:>8.1f}"
        )
    for slower, faster in (("ours", "pyoxigraph"), ("ours-tx", "ours"), ("rdflib", "ours")):
        if slower in results and faster in results:
            a, b = results[slower], results[faster]
            cells = "  ".join(f"{k} {ratio(a[k], b[k])}" for k in ("load", "query", "export", "rss_mb"))
            print(f"{slower}/{faster}: {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000", help="comma-separated article counts (default 1000)")
    parser.add_argument(
        "--backends", default=",".join(BACKENDS), help=f"some of {','.join(BACKENDS + EXTRA_BACKENDS)}"
    )
    parser.add_argument("--worker", choices=BACKENDS + EXTRA_BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--nquads", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.worker:
        worker(args.worker, sizes[0], args.nquads)
        return
    for n_articles in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-corpus-") as tmp:
            nquads = Path(tmp) / "corpus.nq"
            write_nquads(n_articles, nquads)
            results = {b: measure(b, n_articles, nquads) for b in args.backends.split(",")}
        report(n_articles, results)


if __name__ == "__main__":
    main()
