"""Extraction scored on the shared articles: a fresh build of ../shared/corpus against ../shared/gold.

    .venv/bin/python bench/corpus_check.py [--traditional]

Prints one row per set: the seed (the bundled article), the other shared articles (what
generalizes), and with ``--traditional`` the same articles converted to traditional characters
(OpenCC s2tw, gold names converted alike), which must score as their simplified twins do.
Nothing is copied into the project; the check skips when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SEED = "quji-gonghui-jiaqiangnian-04"

from graph.build.run import build  # noqa: E402
from graph.quality.evaluate import Scores, evaluate  # noqa: E402

COUNTS = ("people", "organizations", "posts", "campaigns", "figures")
SHARES = (
    "campaign-organization links",
    "figures subject",
    "figures without subject",
    "figures year",
    "hierarchy",
    "posts provenance",
)
# Gold fields that are not names (kept as they are when the gold is converted to traditional).
NOT_NAMES = {"file", "date", "unit", "type", "value", "approx", "year", "reporter"}


def row(name: str, scores: Scores) -> str:
    counts = [f"{scores.counts[a].f1:.3f}" for a in COUNTS]
    people = scores.counts["people"]
    shares = [f"{scores.shares[a].value:.3f}" if scores.shares[a].total else "  –  " for a in SHARES]
    return f"{name:<26} {people.precision:.3f}/{people.recall:.3f} " + " ".join(
        f"{c:>6}" for c in counts + shares
    )


def traditional_copy(corpus: Path, gold: list[Path], folder: Path) -> tuple[Path, list[Path]]:
    import opencc

    convert = opencc.OpenCC("s2tw").convert

    def names(value: object, key: str = "") -> object:
        if isinstance(value, str):
            return value if key in NOT_NAMES else convert(value)
        if isinstance(value, list):
            return [names(v, key) for v in value]
        if isinstance(value, dict):
            return {k: names(v, k) for k, v in value.items()}
        return value

    (folder / "corpus").mkdir(parents=True)
    for text in corpus.glob("*.txt"):
        (folder / "corpus" / text.name).write_text(
            convert(text.read_text(encoding="utf-8")), encoding="utf-8"
        )
    converted = []
    for path in gold:
        target = folder / path.name
        target.write_text(json.dumps(names(json.loads(path.read_text(encoding="utf-8"))), ensure_ascii=False))
        converted.append(target)
    return folder / "corpus", converted


def score(corpus: Path, gold: list[Path], out: Path) -> tuple[Scores, Scores]:
    build([str(corpus)], out)
    graph = str(out / "graph.ttl")
    others = [str(g) for g in gold if not g.name.startswith(SEED)]
    seed = [str(g) for g in gold if g.name.startswith(SEED)]
    return evaluate(graph, seed), evaluate(graph, others)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--traditional", action="store_true", help="also score the articles in traditional characters"
    )
    args = parser.parse_args()
    corpus, gold = SHARED / "corpus", sorted((SHARED / "gold").glob("*.gold.json"))
    if not corpus.is_dir() or not gold:
        print(f"skipped: {SHARED} has no corpus/ and gold/")
        return
    columns = ["people", "orgs", "posts", "camps", "figs", "links"]
    columns += ["subj", "nosubj", "year", "hier", "postpr"]
    print(f"{'set':<26} {'people P/R':<11} " + " ".join(f"{c:>6}" for c in columns))
    print(f"{'':<38}(F1 of the first five; then shares of the gold items found)")
    with tempfile.TemporaryDirectory() as folder:
        seed, others = score(corpus, gold, Path(folder) / "out")
        print(row("seed", seed))
        print(row(f"{len(gold) - 1} other shared articles", others))
        if args.traditional:
            tcorpus, tgold = traditional_copy(corpus, gold, Path(folder) / "traditional")
            seed, others = score(tcorpus, tgold, Path(folder) / "traditional-out")
            print(row("seed, traditional", seed))
            print(row("others, traditional", others))


if __name__ == "__main__":
    main()
