"""Extraction throughput beside plain jieba segmentation of the same text, in one run.

    .venv/bin/python bench/extract_bench.py [--repeat N]

Prints chars/s and articles/s for: jieba.lcut alone, the LAC tagger alone, the CRF tagger (LAC
and the CRF over it) alone, the whole extraction (spaCy pipeline + article-level assembly) with
each backend (crf, lac, jieba), and the ratio of each to plain jieba. One process, one core
(onnxruntime is limited to one thread); times are CPU seconds of the process.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders import load  # noqa: E402
from loaders.extract.assemble import ArticleReader  # noqa: E402
from loaders.extract.lac import compile_decoder  # noqa: E402
from loaders.extract.lexical import BACKENDS, crf_tagger, jieba_tagger, lac_tagger  # noqa: E402


def timed(work: Callable[[], object], repeat: int) -> float:
    """Mean CPU seconds of this process per run: per core, and unlike wall time not stretched by
    other processes sharing the core."""
    work()  # warm up: models, caches, dictionaries
    start = time.process_time()
    for _ in range(repeat):
        work()
    return (time.process_time() - start) / repeat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("inputs", nargs="*", default=[str(ROOT / "data" / "articles")])
    args = parser.parse_args()
    articles = load(args.inputs).articles
    paragraphs = [p.text for a in articles for p in a.paragraphs]
    chars = sum(len(p) for p in paragraphs)

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    compile_decoder()  # the steady pace: LAC's compiled Viterbi, not its first characters' decoder
    lac = lac_tagger()
    crf = crf_tagger()
    jieba_pos = jieba_tagger()
    readers = {backend: ArticleReader(backend) for backend in BACKENDS}
    rows = [
        ("jieba.lcut (segmentation only)", timed(lambda: [jieba.lcut(p) for p in paragraphs], args.repeat)),
        ("jieba.posseg (segmentation + POS)", timed(lambda: [jieba_pos(p) for p in paragraphs], args.repeat)),
    ]
    if lac:
        rows.append(("LAC tagger alone", timed(lambda: [lac(p) for p in paragraphs], args.repeat)))
    if crf:
        rows.append(("CRF tagger alone (LAC + CRF)", timed(lambda: [crf(p) for p in paragraphs],
                                                            args.repeat)))
    for backend, reader in readers.items():
        rows.append((f"full extraction ({backend})", timed(lambda r=reader: [r.read(a) for a in articles],
                                                            args.repeat)))
    baseline = rows[0][1]
    print(f"{len(articles)} article(s), {chars} characters, mean CPU time of {args.repeat} runs")
    print(f"{'stage':<36} {'chars/s':>10} {'articles/s':>11} {'time vs jieba.lcut':>19}")
    for name, seconds in rows:
        ratio = seconds / baseline
        print(f"{name:<36} {chars / seconds:>10,.0f} {len(articles) / seconds:>11.2f} {ratio:>18.1f}x")


if __name__ == "__main__":
    main()
