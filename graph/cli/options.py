"""Options several commands share, each defined once: where the graph is, numbers, URLs."""

from __future__ import annotations

import argparse
import contextlib
import urllib.parse
from collections.abc import Callable, Iterator

from graph.errors import UsageError
from graph.store.oxigraph import DEFAULT_GRAPH
from graph.store.remote import UNION_MODES, ArticleStore, Endpoint
from graph.store.source import open_graph


def add_graph_options(parser: argparse.ArgumentParser) -> None:
    """``--graph DIR|FILE`` or ``--endpoint URL`` (with ``--sparql``, ``--union``): what every reading
    command reads. ``--graph`` defaults to ``out``, where ``scripts/demo.sh`` builds."""
    parser.add_argument(
        "--graph",
        metavar="DIR|FILE",
        help=f"a build's --out folder or an RDF file such as graph.ttl (default: {DEFAULT_GRAPH})",
    )
    add_endpoint_options(parser, writes=False)


def add_endpoint_options(parser: argparse.ArgumentParser, *, writes: bool) -> None:
    """``--endpoint URL`` (with ``--gsp`` when the command writes, ``--sparql``, ``--union``)."""
    group = parser.add_argument_group("remote store (any SPARQL 1.1 store; Oxigraph server by default)")
    group.add_argument(
        "--endpoint",
        metavar="URL",
        help="base URL of an `oxigraph serve` (e.g. http://127.0.0.1:7878): its /store and /query routes",
    )
    if writes:
        group.add_argument(
            "--gsp", metavar="URL",
            help="Graph Store Protocol URL instead of ENDPOINT/store (Fuseki: /ds/data)",
        )
    group.add_argument(
        "--sparql", metavar="URL", help="SPARQL query URL instead of ENDPOINT/query (Fuseki: /ds/sparql)"
    )
    group.add_argument(
        "--union",
        choices=UNION_MODES,
        help="how queries see the union of the article graphs: oxigraph (its union-default-graph parameter; "
        "the default with --endpoint alone), graphs (list every article graph; standard, the default "
        "with --sparql), server (the store is configured to query the union)",
    )


def endpoint_from_args(args: argparse.Namespace) -> Endpoint | None:
    """The endpoint the ``--endpoint``/``--gsp``/``--sparql`` options name, or None for a local graph."""
    gsp = getattr(args, "gsp", None)
    if args.endpoint is None and gsp is None and args.sparql is None:
        return None
    if args.endpoint is None and gsp is None:  # reading alone needs no Graph Store URL
        gsp = args.sparql
    try:
        return Endpoint.from_base(args.endpoint, gsp=gsp, sparql=args.sparql, union=args.union)
    except ValueError as error:
        raise UsageError(str(error)) from None


@contextlib.contextmanager
def opened_graph(args: argparse.Namespace) -> Iterator[ArticleStore]:
    """The graph ``--graph`` or ``--endpoint`` names, open for reading; closed afterwards."""
    endpoint = endpoint_from_args(args)
    if endpoint is not None and args.graph is not None:
        raise UsageError("give --graph or --endpoint, not both")
    with open_graph(args.graph, endpoint) as store:
        yield store


def graph_name(args: argparse.Namespace) -> str:
    """How to name the graph a command read, in its output."""
    return args.endpoint or args.sparql or args.graph or DEFAULT_GRAPH


def positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """An argparse type: a number above 0."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
        return value

    return parse


def http_url(text: str) -> str:
    """An argparse type: an http(s) URL."""
    parsed = urllib.parse.urlsplit(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text}")
    return text
