"""``query`` (SPARQL text, a ``.rq`` file or a ready query) and ``stats`` (what the graph holds)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import TextIO

from graph.cli.options import add_graph_options, graph_name, opened_graph
from graph.errors import EXIT_OK, GraphError
from graph.store.oxigraph import Binding
from graph.store.query import (
    OUTPUT_FORMATS,
    Page,
    answer,
    parse_params,
    write_ready_queries,
    write_result,
)
from graph.store.remote import ArticleStore
from graph.store.source import open_graph


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from graph.store import query as query_module

    parser = subparsers.add_parser(
        "query",
        help="run a SPARQL query or a ready query on the graph",
        description=(query_module.__doc__ or "").split("\n\n")[0],
    )
    parser.add_argument(
        "query",
        nargs="?",
        metavar="QUERY",
        help="SPARQL text, a .rq file, or a ready query's name; leave out to list the ready queries",
    )
    add_graph_options(parser)
    parser.add_argument("--format", choices=OUTPUT_FORMATS, default="table", help="output format")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind ?NAME to the string VALUE (or to an IRI written <...>); repeatable",
    )
    parser.add_argument(
        "--offset", type=int, default=0, metavar="N", help="leave out the first N rows of the answer"
    )
    parser.add_argument(
        "--limit", type=int, metavar="N", help="print at most N rows (after --offset); tables say of how many"
    )
    parser.set_defaults(func=run)

    parser = subparsers.add_parser("stats", help="count what the graph holds, by kind")
    add_graph_options(parser)
    parser.set_defaults(func=run_stats)


def run(args: argparse.Namespace) -> int:
    if args.query is None:
        write_ready_queries(sys.stdout)
        return EXIT_OK
    params = parse_params(args.param)
    page = Page(args.offset, args.limit)  # checked before the query runs
    with opened_graph(args) as store:
        query, result = answer(store, args.query, params)
    write_result(query, result, args.format, sys.stdout, page)
    return EXIT_OK


def run_query(
    source: ArticleStore | str | os.PathLike[str],
    sparql_or_rq_path: str,
    fmt: str = "table",
    params: Mapping[str, Binding] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run a query on an open store or on what ``--graph`` names and print it; the exit status."""
    from graph.cli import report

    try:
        if isinstance(source, (str, os.PathLike)):
            with open_graph(source) as store:
                query, result = answer(store, sparql_or_rq_path, params)
        else:
            query, result = answer(source, sparql_or_rq_path, params)
        write_result(query, result, fmt, out if out is not None else sys.stdout)
    except GraphError as error:
        return report(error, err)
    return EXIT_OK


def run_stats(args: argparse.Namespace) -> int:
    from graph.quality.stats import counts, write_counts

    with opened_graph(args) as store:
        found = counts(store)
    write_counts(found, graph_name(args), sys.stdout)
    return EXIT_OK
