"""Train the character CRF of the ``crf`` backend on the public NER sets, bit for bit reproducibly.

    .venv/bin/python bench/ner_train.py          # writes loaders/extract/models/ner.crfsuite, surnames
    .venv/bin/python bench/ner_train.py --check  # trains in a temporary folder, compares with those files

Everything it does is set by ``loaders/extract/models/ner-train.toml``: the sets in ../shared/data/ner
(their seeded held-out share is left out; see bench/ner_sets.py), the label mapping, the surname
threshold and python-crfsuite's L-BFGS parameters. Steps: (1) surnames = characters that start at
least ``min_names`` training names; (2) every training sentence is tagged by LAC (the project's
``LacTagger``) and turned into features by ``loaders.extract.crf.FeatureMaker``, its gold PER/ORG
spans into B/I/O labels (longest span first where spans overlap); (3) L-BFGS, one thread.
The sentences are appended in the config's order and LAC, crfsuite and the features are
deterministic, so the same inputs give the same bytes. The data itself never enters the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pycrfsuite

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ner_sets import NER_DIR, labelled_spans, split_sets, training_config  # noqa: E402

from loaders.extract import lexicons  # noqa: E402
from loaders.extract.crf import MODEL, SURNAMES, FeatureMaker  # noqa: E402
from loaders.extract.lac import LacTagger  # noqa: E402

SURNAMES_HEADER = """\
# Surnames for the crf backend's features: the characters that start at least {min_names} person
# names in the training part of the public NER sets (CLUENER2020, People's Daily 1998, MSRA).
# Written by bench/ner_train.py with ner.crfsuite; do not edit by hand (retrain instead).
"""


def bio_labels(record: dict, labels: dict[str, str]) -> list[str]:
    """B-/I-/O per character; where gold spans overlap, the longest (then the first) wins."""
    tags = ["O"] * len(record["text"])
    for start, end, entity in sorted(labelled_spans(record, labels), key=lambda s: (s[0] - s[1], s[0])):
        if all(tag == "O" for tag in tags[start:end]):
            tags[start] = "B-" + entity
            tags[start + 1 : end] = ["I-" + entity] * (end - start - 1)
    return tags


def derive_surnames(train: list[dict], min_names: int) -> list[str]:
    people = {"name": "PER"}
    starts = Counter(
        record["text"][start] for record in train for start, _, _ in labelled_spans(record, people)
    )
    return sorted(char for char, count in starts.items() if count >= min_names)


def write_atomically(path: Path, data: bytes) -> None:
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as file:
        file.write(data)
    os.replace(file.name, path)


def train(config: dict[str, Any], model: Path, surnames_path: Path) -> None:
    sets = split_sets(config)
    train_records = [record for one in sets for record in one.train]
    labels = config["data"]["labels"]
    min_names = config["surnames"]["min_names"]
    surnames = derive_surnames(train_records, min_names)
    write_atomically(
        surnames_path,
        (SURNAMES_HEADER.format(min_names=min_names) + "".join(f"{c}\n" for c in surnames)).encode("utf-8"),
    )
    features = FeatureMaker(frozenset(surnames), frozenset(lexicons.words("titles.txt")))
    lac = LacTagger()
    trainer = pycrfsuite.Trainer(algorithm=config["crfsuite"]["algorithm"], verbose=False)
    started = time.perf_counter()
    for record in train_records:
        text = record["text"]
        trainer.append(features(text, lac(text)), bio_labels(record, labels))
    parameters = {key: value for key, value in config["crfsuite"].items() if key != "algorithm"}
    trainer.set_params(parameters)
    print(f"{sum(len(one.train) for one in sets)} training sentences "
          f"({', '.join(f'{one.name} {len(one.train)}' for one in sets)}), "
          f"{sum(len(r['text']) for r in train_records)} chars, {len(surnames)} surnames; "
          f"features in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    partial = model.with_name(f".{model.name}.partial")
    trainer.train(str(partial))
    os.replace(partial, model)
    last = trainer.logparser.last_iteration
    print(f"trained in {time.perf_counter() - started:.0f} s: {last['num']} iterations, "
          f"{last['active_features']} active features, loss {last['loss']:.1f}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--check", action="store_true", help="retrain elsewhere and compare with the shipped files"
    )
    args = parser.parse_args()
    if not NER_DIR.is_dir():
        raise SystemExit(f"{NER_DIR} is not there: the training data stays in ../shared/data/ner")
    config = training_config()
    if not args.check:
        train(config, MODEL, SURNAMES)
        for path in (MODEL, SURNAMES):
            print(f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: "
                  f"{path.stat().st_size / 1e6:.2f} MB, sha256 {sha256(path)}")
        return
    with tempfile.TemporaryDirectory(prefix="ner-train-") as folder:
        model, surnames = Path(folder) / MODEL.name, Path(folder) / SURNAMES.name
        train(config, model, surnames)
        differing = [shipped.name for shipped, fresh in ((MODEL, model), (SURNAMES, surnames))
                     if not shipped.exists() or shipped.read_bytes() != fresh.read_bytes()]
    if differing:
        raise SystemExit(f"retrained files differ from the shipped ones: {', '.join(differing)}")
    print(f"retrained {MODEL.name} and {SURNAMES.name} are identical to the shipped files "
          f"(sha256 {sha256(MODEL)[:16]}…)")


if __name__ == "__main__":
    main()
