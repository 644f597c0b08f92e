"""``build``: article files in, the graph and its exports out."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.cli.options import add_endpoint_options, endpoint_from_args, positive
from graph.errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from graph.store.oxigraph import EXPORT_FORMATS as EXPORT_FORMAT_NAMES
from graph.store.oxigraph import STORE_DIRNAME
from loaders.model import DEFAULT_MAX_ARTICLE_BYTES

if TYPE_CHECKING:
    from graph.build.run import BuildReport


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
    parser.add_argument(
        "--formats", type=export_formats, default=None, metavar="FMT,...",
        help="export formats to write: turtle,trig,nt,jsonld (default: those OUT has, turtle,trig for a new "
             "folder; graph.ttl is always written)",
    )
    parser.add_argument(
        "--watch", action="store_true",
        help="after the build, stay and build each change to the inputs as it comes (Ctrl-C to stop)",
    )
    add_endpoint_options(parser, writes=True)
    parser.set_defaults(func=run)


def export_formats(text: str) -> tuple[str, ...]:
    """An argparse type: a comma-separated list of export formats."""
    formats = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [fmt for fmt in formats if fmt not in EXPORT_FORMAT_NAMES]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown export format {unknown[0] if unknown else text!r}; "
            f"choose from {', '.join(EXPORT_FORMAT_NAMES)}"
        )
    return formats


def run(args: argparse.Namespace) -> int:
    from graph.build.run import build

    endpoint = endpoint_from_args(args)
    out = Path(args.out)
    if endpoint is not None and (out / STORE_DIRNAME).is_dir():
        raise UsageError(
            f"{out / STORE_DIRNAME} holds an embedded store that a build into {endpoint.gsp} would leave "
            f"stale (query --graph {out} reads it first); choose another --out"
        )
    options: dict[str, Any] = {"formats": args.formats} if args.formats else {}
    options.update(backend=args.backend, endpoint=endpoint, scheduler=args.scheduler,
                   max_article_bytes=args.max_article_bytes)
    if args.watch:
        return _watch(args.inputs, out, args.jobs, options)
    return print_report(build(args.inputs, out, jobs=args.jobs, **options))


def print_report(report: BuildReport, first: bool = True) -> int:
    """Print what a build did; its exit status. ``first``: no article read at all is an error
    (not for a watching build, whose articles may come later)."""
    for error in report.errors:
        print(f"skipped {error}", file=sys.stderr)
    if first and not report.articles and not report.unchanged:
        print("error: no article could be read; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    unchanged = f", {len(report.unchanged)} unchanged (skipped)" if report.unchanged else ""
    kept = " (grown by the new articles)" if report.grown else "" if report.exported else " (unchanged, kept)"
    print(f"built {len(report.articles)} article(s){unchanged}; outputs{kept}:")
    for path in report.outputs:
        print(f"  {path}")
    sys.stdout.flush()  # a watching build reports as it goes
    return EXIT_FAILED if report.errors else EXIT_OK


def _watch(inputs: list[str], out: Path, jobs: int, options: dict[str, Any]) -> int:
    from graph.build.watch import watch

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    builds = 0

    def on_build(report: BuildReport) -> None:
        nonlocal builds
        print_report(report, first=False)  # an empty folder to start from is fine: articles will come
        builds += 1
        if builds == 1:
            print(f"watching {', '.join(inputs)} for new and changed articles (Ctrl-C to stop)", flush=True)

    def on_busy(error: Exception) -> None:
        print(f"waiting: {error}", file=sys.stderr, flush=True)

    watch(inputs, out, on_build, jobs=jobs, stop=stop, on_busy=on_busy, **options)
    print("stopped watching", flush=True)
    return EXIT_OK
