"""Cold start: the CPU time of a new process that builds one short article, and of one that only
loads the pipeline and reads it, for this checkout and, with ``--baseline REV``, an earlier commit.

    .venv/bin/python bench/startup_bench.py [--baseline REV] [--runs N]

Every figure is the median over ``--runs`` fresh processes of their CPU time (user + system, from
``os.wait4``), after one unmeasured run that compiles what Python and numba keep on disk. Rows:

- ``build``: ``python -m graph build ARTICLE --out NEW --formats turtle``, the article an invented
  one of three sentences, with the dictionary table already in the cache (any build after the first);
- ``build, bundled article``: the same with ``data/articles``' article (4,374 characters, section
  headings that the loaders cut with jieba's POS tagger);
- ``pipeline + first read``: a process that imports the extraction, loads the pipeline
  (``graph.build.extract.load_pipeline``) and reads the article: what each ``--jobs`` worker pays;
- ``build, new table``: the first build on a machine, which writes jieba's dictionary table
  (``XDG_CACHE_HOME`` an empty folder each run);
- ``build, no cache folder``: ``XDG_CACHE_HOME`` a file, so the table cannot be kept and the
  dictionary is read into memory.

The baseline is extracted with ``git archive`` into a temporary folder and run from there with the
same interpreter; its figure for ``build`` stands beside all three build rows. The ratio column is
this checkout's CPU over the baseline's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = """某县总工会举办职工技能比赛

本报讯（记者 钱立新）某县总工会近日举办“匠心筑梦”职工技能比赛，共有十二家企业的86名职工参加。
县总工会党组书记、常务副主席孙海波出席并讲话。他表示，要继续推进产业工人队伍建设改革。
"""
BUNDLED = "quji-gonghui-jiaqiangnian-04.txt"
READ_ONE = """
import sys
from graph.build.extract import load_pipeline
from loaders import load
[article] = load([sys.argv[1]]).articles
load_pipeline(None).read(article)
"""


def cpu_seconds(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """CPU time (user + system) of ``command`` and its children."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"error: {' '.join(command)} exited {process.returncode}: {errors.decode()[-800:]}")
    return usage.ru_utime + usage.ru_stime


def median_cpu(runs: int, run: Callable[[int], float]) -> float:
    run(-1)  # compiles .pyc files and numba's cached Viterbi of a fresh checkout
    return statistics.median(run(i) for i in range(runs))


def measure(checkout: Path, work: Path, runs: int, with_cache_rows: bool) -> dict[str, float]:
    article = work / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    bundled = checkout / "data" / "articles" / BUNDLED
    env = {**os.environ, "PYTHONPATH": str(checkout), "XDG_CACHE_HOME": str(work / "cache")}
    name = checkout.name

    def build(i: int, source: Path = article, cache: str | None = None) -> float:
        out = work / f"out-{name}-{i}-{os.urandom(4).hex()}"
        command = [sys.executable, "-m", "graph", "build", str(source), "--out", str(out)]
        environment = {**env, "XDG_CACHE_HOME": cache} if cache else env
        return cpu_seconds([*command, "--formats", "turtle"], checkout, environment)

    def read(_: int) -> float:
        return cpu_seconds([sys.executable, "-c", READ_ONE, str(article)], checkout, env)

    blocker = work / "not-a-folder"
    blocker.write_text("")
    rows = {
        "build": median_cpu(runs, build),
        "build, bundled article": median_cpu(runs, lambda i: build(i, bundled)),
        "pipeline + first read": median_cpu(runs, read),
    }
    if with_cache_rows:
        rows["build, new table"] = median_cpu(runs, lambda i: build(i, cache=tempfile.mkdtemp(dir=work)))
        rows["build, no cache folder"] = median_cpu(runs, lambda i: build(i, cache=str(blocker)))
    return rows


def extract(revision: str, folder: Path) -> Path:
    checkout = folder / "baseline"
    checkout.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=False)
    if archive.returncode:
        raise SystemExit(f"error: git archive {revision}: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive.stdout, check=True)
    return checkout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", metavar="REV", help="a commit to measure beside this checkout")
    parser.add_argument("--runs", type=int, default=5, help="measured processes per row (default 5)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as temporary:
        folder = Path(temporary)
        before = None
        if options.baseline:
            before = measure(extract(options.baseline, folder), folder, options.runs, with_cache_rows=False)
        after = measure(ROOT, folder, options.runs, with_cache_rows=True)
    print(f"cold start, CPU seconds (user + system), median of {options.runs} processes each")
    header = f"{'':24} {'this checkout':>14}"
    if before:
        header += f" {options.baseline[:12]:>14} {'ratio':>7}"
    print(header)
    for row, seconds in after.items():
        line = f"{row:24} {seconds:14.2f}"
        if before:
            base = before.get(row, before["build"])
            line += f" {base:14.2f} {seconds / base:7.2f}"
        print(line)


if __name__ == "__main__":
    main()
