"""The gonghui-kg command line: ``python -m graph COMMAND ...`` (see README.md)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from graph.remote_store import add_endpoint_arguments, endpoint_from_args
from loaders.model import DEFAULT_MAX_ARTICLE_BYTES


def add_build_arguments(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("build", help="read articles and write OUT/graph.ttl")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (store and exports)")
    parser.add_argument(
        "--backend", choices=("crf", "lac", "jieba"), help="override the pipeline's tagger (default: crf)"
    )
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="extract in N processes (default 1)")
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="extract on a Dask cluster: a scheduler address (tcp://host:8786), or local:N (N workers here)",
    )
    parser.add_argument(
        "--max-article-bytes", type=_positive_int, default=DEFAULT_MAX_ARTICLE_BYTES, metavar="N",
        help=f"skip (and report) a file or a JSONL line over N bytes (default {DEFAULT_MAX_ARTICLE_BYTES})",
    )
    add_endpoint_arguments(parser, writes=True)

    def run(args: argparse.Namespace) -> int:
        from graph.build import run_build

        try:
            endpoint = endpoint_from_args(args)
        except ValueError as error:
            parser.error(str(error))
        return run_build(
            args.inputs, args.out, args.backend, args.jobs, endpoint=endpoint, scheduler=args.scheduler,
            max_article_bytes=args.max_article_bytes,
        )

    parser.set_defaults(func=run)


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def add_evaluate_arguments(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("evaluate", help="score a graph against gold answers")
    parser.add_argument("graph", metavar="GRAPH.ttl")
    parser.add_argument("gold", nargs="+", metavar="GOLD.json")

    def run(args: argparse.Namespace) -> int:
        from graph.evaluate import run_evaluate

        return run_evaluate(args.graph, args.gold)

    parser.set_defaults(func=run)


def add_validate_arguments(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("validate", help="check a graph against the SHACL shapes")
    parser.add_argument("graph", metavar="GRAPH.ttl")

    def run(args: argparse.Namespace) -> int:
        from graph.validate import run_validate

        return run_validate(args.graph)

    parser.set_defaults(func=run)


def add_query_arguments(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from graph.query import add_query_arguments as register

    register(subparsers)


COMMANDS = [add_build_arguments, add_evaluate_arguments, add_validate_arguments, add_query_arguments]


def add_network_arguments(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from graph.analysis import add_analysis_arguments  # analyze, path, ego, export
    from graph.view import add_view_arguments  # view

    add_analysis_arguments(subparsers)
    add_view_arguments(subparsers)


COMMANDS.append(add_network_arguments)
from graph.serve import add_serve_arguments  # noqa: E402

COMMANDS.append(add_serve_arguments)
from graph.stats import add_stats_arguments  # noqa: E402

COMMANDS.append(add_stats_arguments)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(subparsers)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # The reader went away (python -m graph query ... | head): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
