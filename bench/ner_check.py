"""Person and organization recognition on general news: the public NER sets in ../shared/data/ner.

    .venv/bin/python bench/ner_check.py [--limit N]

For each set, precision/recall/F1 of exact spans for (a) the statistical tagger alone (LAC, and
jieba's nr/nt as the fallback) and (b) the pipeline's recognizers, which keep only people the text
vouches for (a title before, a verb of saying after) and organizations with a known suffix. The
pipeline trades recall on arbitrary sentences for precision on the facts it puts in the graph.
The data stays where it is; nothing is copied into the project.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NER_DIR = ROOT.parent / "shared" / "data" / "ner"
ORG_LABELS = {"organization", "company", "government"}

from loaders.extract.pipeline import load_pipeline  # noqa: E402


def gold_spans(record: dict, labels: set[str]) -> set[tuple[int, int]]:
    spans = set()
    for label, entities in record.get("label", {}).items():
        if label in labels:
            for positions in entities.values():
                spans |= {(start, end + 1) for start, end in positions}
    return spans


def records(path: Path, limit: int) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= limit:
                return
            yield json.loads(line)


def gold_by_entity(record: dict) -> dict[str, set[tuple[int, int]]]:
    """Gold spans of persons (``name``) and organizations (``ORG_LABELS``), end exclusive."""
    return {"person": gold_spans(record, {"name"}), "org": gold_spans(record, ORG_LABELS)}


def ent_spans(doc: Doc, label: str) -> set[tuple[int, int]]:
    return {(e.start_char, e.end_char) for e in doc.ents if e.label_ == label}


def tally(counts: list[int], found: set[tuple[int, int]], gold: set[tuple[int, int]]) -> None:
    """Adds exact-span true positives, predictions and gold spans to ``counts``."""
    counts[0] += len(found & gold)
    counts[1] += len(found)
    counts[2] += len(gold)


def f1(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args()
    if not NER_DIR.is_dir():
        print(f"skipped: {NER_DIR} is not there")
        return
    print(f"{'set':<22} {'backend':<7} {'entity':<13} {'recognizer':<11} {'P':>6} {'R':>6} {'F1':>6}")
    for name in ("cluener-train.json", "peoples-daily-dev.json"):
        data = list(records(NER_DIR / name, args.limit))
        for backend in ("lac", "jieba"):
            nlp = load_pipeline(backend)
            counts = {key: [0, 0, 0] for key in
                      [("person", "tagger"), ("person", "pipeline"), ("org", "tagger"), ("org", "pipeline")]}
            for record, doc in zip(data, nlp.pipe(r["text"] for r in data), strict=True):
                found = {
                    ("person", "tagger"): ent_spans(doc, "PER"),
                    ("person", "pipeline"): {(s.start_char, s.end_char) for s in doc.spans["gh_person"]},
                    ("org", "tagger"): ent_spans(doc, "ORG"),
                    ("org", "pipeline"): {(s.start_char, s.end_char) for s in doc.spans["gh_org"]
                                          if s._.org_kind == "proper"},
                }
                gold = gold_by_entity(record)
                for key, spans in found.items():
                    tally(counts[key], spans, gold[key[0]])
            for (entity, recognizer), (tp, predicted, gold_count) in counts.items():
                p, r, f = f1(tp, predicted, gold_count)
                print(f"{name:<22} {backend:<7} {entity:<13} {recognizer:<11} {p:>6.3f} {r:>6.3f} {f:>6.3f}")


if __name__ == "__main__":
    main()
