"""``evaluate`` (scores against gold answers) and ``validate`` (SHACL shapes).

Both read a graph like every reading command (``--graph DIR|FILE`` or ``--endpoint URL``); the
contract's positional forms (``evaluate GRAPH.ttl GOLD.json...``, ``validate GRAPH.ttl``) keep working.
"""

from __future__ import annotations

import argparse
import sys

from graph.cli.options import add_graph_options, endpoint_from_args, graph_name, opened_graph
from graph.errors import EXIT_FAILED, EXIT_OK, GraphError, UsageError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "evaluate", help="score a graph against gold answers",
        usage="%(prog)s (GRAPH | --graph DIR|FILE | --endpoint URL) GOLD.json...",
    )
    parser.add_argument("files", nargs="+", metavar="[GRAPH] GOLD.json",
                        help="the graph (unless --graph or --endpoint names it), then gold answer files")
    add_graph_options(parser)
    parser.set_defaults(func=run_evaluate)

    parser = subparsers.add_parser("validate", help="check a graph against the SHACL shapes")
    parser.add_argument("file", nargs="?", metavar="GRAPH", help="a graph file or build folder (or --graph)")
    add_graph_options(parser)
    parser.set_defaults(func=run_validate_command)


def _positional_graph(args: argparse.Namespace, files: list[str]) -> list[str]:
    """Take the graph from the positional files when no option names it; the rest of the files."""
    named = args.graph is not None or endpoint_from_args(args) is not None
    if not named and files:
        args.graph, files = files[0], files[1:]
    return files


def run_evaluate(args: argparse.Namespace) -> int:
    from graph.quality.evaluate import evaluate, format_scores

    gold = _positional_graph(args, list(args.files))
    if not gold:
        raise UsageError("no gold answer file given")
    with opened_graph(args) as store:
        scores = evaluate(store, gold)
    print(format_scores(scores))
    return EXIT_OK


def run_validate_command(args: argparse.Namespace) -> int:
    from graph.quality.validate import validate
    from graph.store.source import merged_graph

    _positional_graph(args, [args.file] if args.file else [])
    if args.graph is not None:
        return run_validate(args.graph)
    with opened_graph(args) as store:
        report = validate(merged_graph(store), graph_name(args))
    print(report.text)
    return EXIT_OK if report.conforms else EXIT_FAILED


def run_validate(path: str) -> int:
    """Validate a graph file or build folder and print the verdict; 0 conforms, 1 violated, 2 unreadable."""
    from graph.cli import report
    from graph.quality.validate import validate

    try:
        verdict = validate(path)
    except GraphError as error:
        return report(error, sys.stderr)
    print(verdict.text)
    return EXIT_OK if verdict.conforms else EXIT_FAILED
