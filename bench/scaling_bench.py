"""Build time and memory against article size: does the cost grow linearly?

    .venv/bin/python bench/scaling_bench.py [--sizes 1,2,4,8] [--html 2000,4000,8000,16000]

Each text size is one generated article (invented sentences, ``bench/synthetic.py``) built by
``python -m graph build`` in a fresh process: wall and CPU time (CPU time does not depend on what
else the machine runs), CPU seconds per MB and peak memory. Linear cost shows as a flat
seconds-per-MB column (the first row carries the pipeline's loading, a few seconds). The HTML
rows time the cleaning of a page with N ``<p>`` in one block and of one with N ``<br>`` (each
should double with N, not quadruple).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_text  # noqa: E402


def build_one(path: Path, out: Path) -> None:
    """Runs in the child: the command line's build, then its own time and peak memory as JSON."""
    from graph.cli import main

    start, cpu_start = time.perf_counter(), time.process_time()
    status = main(["build", str(path), "--out", str(out), "--max-article-bytes", str(path.stat().st_size)])
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu_start,
                      "peak_mb": usage.ru_maxrss / 1024, "status": status}))


def page(count: int, kind: str) -> str:
    line = "第{}段，东城区总工会召开职工代表大会，审议工作报告。"
    if kind == "p":
        body = "".join(f"<p>{line.format(i)}</p>" for i in range(count))
    else:
        body = "<br>".join(line.format(i) for i in range(count))
    return f"<html><head><title>标题</title></head><body><div>{body}</div></body></html>"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,2,4,8", help="article sizes in MB")
    parser.add_argument("--html", default="2000,4000,8000,16000", help="<p> and <br> counts")
    parser.add_argument("--one", nargs=2, metavar=("FILE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        build_one(Path(args.one[0]), Path(args.one[1]))
        return
    print(f"{'MB':>4} {'chars':>10} {'wall s':>7} {'CPU s':>7} {'CPU s/MB':>9} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as scratch:
        for size in [float(s) for s in args.sizes.split(",") if s]:
            path = Path(scratch) / f"article-{size:g}mb.txt"
            text = synthetic_text(int(size * 1_000_000))
            path.write_text(text, encoding="utf-8")
            child = subprocess.run([sys.executable, __file__, "--one", str(path), str(Path(scratch) / "out")],
                                   cwd=ROOT, capture_output=True, text=True, check=True)
            result = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"{size:>4g} {len(text):>10,} {result['seconds']:>7.1f} {result['cpu']:>7.1f} "
                  f"{result['cpu'] / size:>9.1f} {result['peak_mb']:>8.0f}", flush=True)
    from loaders.page import html_to_text

    html_to_text(page(10, "p"))  # warm up: imports, parser set-up
    print(f"\n{'HTML':>5} {'count':>7} {'CPU s':>8}")
    for kind in ("p", "br"):
        for count in [int(c) for c in args.html.split(",") if c]:
            markup = page(count, kind)
            start = time.process_time()
            html_to_text(markup)
            print(f"{'<' + kind + '>':>5} {count:>7,} {time.process_time() - start:>8.3f}", flush=True)


if __name__ == "__main__":
    main()
