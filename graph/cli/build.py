"""``build``: article files in, the graph and its exports out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.cli.options import add_endpoint_options, endpoint_from_args, positive
from graph.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from graph.store.oxigraph import STORE_DIRNAME
from loaders.model import DEFAULT_MAX_ARTICLE_BYTES


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("build", help="read articles and write OUT/graph.ttl")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="article files or folders")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (store and exports)")
    parser.add_argument(
        "--backend", choices=("crf", "lac", "jieba"), help="override the pipeline's tagger (default: crf)"
    )
    parser.add_argument("--jobs", type=positive(int), default=1, metavar="N",
                        help="extract in N processes (default 1)")
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="extract on a Dask cluster: a scheduler address (tcp://host:8786), or local:N (N workers here)",
    )
    parser.add_argument(
        "--max-article-bytes", type=positive(int), default=DEFAULT_MAX_ARTICLE_BYTES, metavar="N",
        help=f"skip (and report) a file or a JSONL line over N bytes (default {DEFAULT_MAX_ARTICLE_BYTES})",
    )
    add_endpoint_options(parser, writes=True)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.build.run import build

    endpoint = endpoint_from_args(args)
    out = Path(args.out)
    if endpoint is not None and (out / STORE_DIRNAME).is_dir():
        raise UsageError(
            f"{out / STORE_DIRNAME} holds an embedded store that a build into {endpoint.gsp} would leave "
            f"stale (query --graph {out} reads it first); choose another --out"
        )
    report = build(args.inputs, out, args.backend, args.jobs, endpoint=endpoint, scheduler=args.scheduler,
                   max_article_bytes=args.max_article_bytes)
    for error in report.errors:
        print(f"skipped {error}", file=sys.stderr)
    if not report.articles:
        print("error: no article could be read; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    print(f"built {len(report.articles)} article(s); outputs:")
    for path in report.outputs:
        print(f"  {path}")
    return EXIT_FAILED if report.errors else EXIT_OK
