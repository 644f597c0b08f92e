"""Train a spaCy NER component on CLUENER2020 and measure it against LAC on the same sentences.

    .venv/bin/python bench/ner_train.py [--work /tmp/ner-work] [--max-steps N] [--skip-train]

1. Converts ../shared/data/ner/cluener-train.json into spaCy DocBin files under ``--work`` (outside the
   repository: the data stays where it is): one token per character (``spacy.blank("zh")``, whose
   segmenter is "char", as in the project's pipeline), labels PER (``name``) and ORG (``organization``,
   ``company``, ``government``); a seeded 10% of the sentences is held out as dev.
2. Trains ``bench/ner_config.cfg`` with ``python -m spacy train`` on the CPU, capped by ``--max-steps``.
3. Scores the best model and LAC (the project's ``gh_lexical`` component, i.e. the "tagger" rows of
   bench/ner_check.py) with exact-span P/R/F1 on (a) the held-out CLUENER sentences and (b) People's
   Daily dev, whose ``organization`` is ORG. Prints the table, wall times and characters per second.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ner_check import NER_DIR, ORG_LABELS, ROOT, ent_spans, f1, gold_by_entity, records, tally  # noqa: E402

from loaders.extract.pipeline import load_pipeline  # noqa: E402

CONFIG = Path(__file__).with_name("ner_config.cfg")
CLUENER = NER_DIR / "cluener-train.json"
PEOPLES_DAILY = NER_DIR / "peoples-daily-dev.json"
LABELS = {"name": "PER", **{label: "ORG" for label in ORG_LABELS}}
ENTITIES = {"person": "PER", "org": "ORG"}


def split(seed: int, dev_share: float) -> tuple[list[dict], list[dict]]:
    """CLUENER's sentences as (train, held-out dev), the same for the same seed."""
    data = list(records(CLUENER, sys.maxsize))
    order = list(range(len(data)))
    random.Random(seed).shuffle(order)
    cut = round(len(data) * dev_share)
    held_out = set(order[:cut])
    train = [record for number, record in enumerate(data) if number not in held_out]
    return train, [record for number, record in enumerate(data) if number in held_out]


def to_doc(nlp: Language, record: dict, problems: dict[str, int]) -> Doc:
    doc = nlp.make_doc(record["text"])
    spans = []
    for label, entities in record.get("label", {}).items():
        if label not in LABELS:
            continue
        for positions in entities.values():
            for start, end in positions:
                span = doc.char_span(start, end + 1, label=LABELS[label])
                if span is None:  # a boundary on whitespace, which the char segmenter does not make a token
                    problems["misaligned"] += 1
                else:
                    spans.append(span)
    kept = filter_spans(spans)
    problems["overlapping"] += len(set(spans)) - len(kept)
    doc.ents = kept
    return doc


def convert(work: Path, train: list[dict], dev: list[dict]) -> None:
    nlp = spacy.blank("zh")
    segmenter = nlp.config["nlp"]["tokenizer"]["segmenter"]
    assert segmenter == "char", f"expected one token per character, the tokenizer segments by {segmenter}"
    for name, data in (("train", train), ("dev", dev)):
        problems = {"misaligned": 0, "overlapping": 0}
        docs = [to_doc(nlp, record, problems) for record in data]
        DocBin(docs=docs, store_user_data=False).to_disk(work / f"{name}.spacy")
        entities = sum(len(doc.ents) for doc in docs)
        print(f"{name}: {len(docs)} sentences, {entities} PER/ORG entities; dropped {problems['misaligned']} "
              f"misaligned and {problems['overlapping']} overlapping spans")


def train(work: Path, max_steps: int, threads: int) -> float:
    """Runs ``spacy train`` and returns its wall time in seconds."""
    command = [
        sys.executable, "-m", "spacy", "train", str(CONFIG),
        "--output", str(work / "model"),
        "--paths.train", str(work / "train.spacy"),
        "--paths.dev", str(work / "dev.spacy"),
        "--training.max_steps", str(max_steps),
        "--gpu-id", "-1",
    ]
    environment = dict(os.environ)
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
        environment[variable] = str(threads)
    print("$", " ".join(command), flush=True)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=environment)
    return time.perf_counter() - started


Recognizer = Callable[[list[str]], list[Doc]]


def score(recognize: Recognizer, data: list[dict]) -> tuple[dict[str, tuple[float, float, float]], float]:
    """Exact-span P/R/F1 per entity (as bench/ner_check.py counts them) and the wall time of recognition."""
    texts = [record["text"] for record in data]
    started = time.perf_counter()
    docs = recognize(texts)
    seconds = time.perf_counter() - started
    counts = {entity: [0, 0, 0] for entity in ENTITIES}
    for record, doc in zip(data, docs, strict=True):
        gold = gold_by_entity(record)
        for entity, label in ENTITIES.items():
            tally(counts[entity], ent_spans(doc, label), gold[entity])
    return {entity: f1(*counts[entity]) for entity in ENTITIES}, seconds


def lac() -> Recognizer:
    nlp = load_pipeline("lac")
    if nlp.get_pipe("gh_lexical").backend != "lac":
        raise SystemExit("LAC did not load (the pipeline fell back to jieba); nothing to compare against")

    def recognize(texts: Iterable[str]) -> list[Doc]:
        with nlp.select_pipes(enable="gh_lexical"):  # only this component sets doc.ents
            return list(nlp.pipe(texts))

    return recognize


def trained(model: Language) -> Recognizer:
    return lambda texts: list(model.pipe(texts, batch_size=256))


def directory_size(path: Path) -> int:
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/ner-work"), help="outside the repository")
    parser.add_argument("--max-steps", type=int, default=6000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dev-share", type=float, default=0.1)
    parser.add_argument("--skip-train", action="store_true", help="evaluate the model already in --work")
    args = parser.parse_args()
    if not NER_DIR.is_dir():
        print(f"skipped: {NER_DIR} is not there")
        return
    work = args.work.resolve()
    if work.is_relative_to(ROOT):
        raise SystemExit(f"--work {work} is inside the repository; the data and models stay outside it")
    work.mkdir(parents=True, exist_ok=True)

    train_data, dev_data = split(args.seed, args.dev_share)
    if not args.skip_train:
        convert(work, train_data, dev_data)
        training_seconds = train(work, args.max_steps, args.threads)
        print(f"training wall time: {training_seconds:.0f} s ({args.max_steps} steps max)")

    model_dir = work / "model" / "model-best"
    started = time.perf_counter()
    model = spacy.load(model_dir)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    lac_recognizer = lac()
    lac_load_seconds = time.perf_counter() - started
    print(f"model-best: {directory_size(model_dir) / 1e6:.1f} MB, loads in {load_seconds:.2f} s "
          f"(LAC pipeline: {lac_load_seconds:.2f} s)")

    sets = {"cluener held-out": dev_data, "peoples-daily dev": list(records(PEOPLES_DAILY, sys.maxsize))}
    recognizers = {"lac": lac_recognizer, "spacy-ner": trained(model)}
    rows = []
    speed = []
    for set_name, data in sets.items():
        chars = sum(len(record["text"]) for record in data)
        for recognizer_name, recognize in recognizers.items():
            results, seconds = score(recognize, data)
            speed.append(f"{set_name:<18} {recognizer_name:<10} {len(data):>5} sentences {chars:>7} chars "
                         f"{seconds:>6.1f} s {chars / seconds:>8.0f} chars/s")
            for entity, (p, r, f) in results.items():
                rows.append((set_name, entity, recognizer_name, p, r, f))
    print(f"\n{'set':<18} {'entity':<7} {'recognizer':<10} {'P':>6} {'R':>6} {'F1':>6}")
    for set_name, entity, recognizer_name, p, r, f in sorted(rows, key=lambda row: (row[0], row[1])):
        print(f"{set_name:<18} {entity:<7} {recognizer_name:<10} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    print("\ninference (one process)")
    print("\n".join(speed))


if __name__ == "__main__":
    main()
