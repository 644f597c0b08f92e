"""Build time with --jobs 1 and --jobs 2 on the same generated corpus, and the speed-up.

    .venv/bin/python bench/build_bench.py [--articles 40]

The corpus is the bundled articles copied under distinct names (each copy is its own article).
Each build runs as the command line does, in a fresh process, into a fresh output folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--jobs", default="1,2")
    args = parser.parse_args()
    sources = sorted((ROOT / "data" / "articles").glob("*.txt"))
    with tempfile.TemporaryDirectory() as scratch:
        corpus = Path(scratch) / "corpus"
        corpus.mkdir()
        for number in range(args.articles):
            source = sources[number % len(sources)]
            (corpus / f"{source.stem}-{number:05d}.txt").write_bytes(source.read_bytes())
        chars = sum(len(p.read_text(encoding="utf-8")) for p in corpus.iterdir())
        timings = {}
        for jobs in [int(j) for j in args.jobs.split(",")]:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "graph", "build", str(corpus), "--out",
                            str(Path(scratch) / f"out-{jobs}"), "--jobs", str(jobs)],
                           cwd=ROOT, check=True, capture_output=True)
            timings[jobs] = time.perf_counter() - start
        outputs = {(Path(scratch) / f"out-{j}" / "graph.ttl").read_bytes() for j in timings}
    print(f"{args.articles} articles, {chars} characters; identical output: {len(outputs) == 1}")
    print(f"{'jobs':>4} {'seconds':>8} {'articles/s':>11} {'chars/s':>9} {'speed-up':>9}")
    base = timings[min(timings)]
    for jobs, seconds in timings.items():
        print(f"{jobs:>4} {seconds:>8.2f} {args.articles / seconds:>11.2f} {chars / seconds:>9,.0f} "
              f"{base / seconds:>8.2f}x")


if __name__ == "__main__":
    main()
