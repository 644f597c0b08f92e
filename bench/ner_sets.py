"""The public NER sets in ../shared/data/ner: reading them, their fixed held-out splits, gold spans.

The split and the label mapping come from ``loaders/extract/models/ner-train.toml``, so the trainer
(bench/ner_train.py) and the scorer (bench/ner_check.py) see the same sentences. The data stays in
../shared; nothing from it is copied into the project.
"""

from __future__ import annotations

import json
import random
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NER_DIR = ROOT.parent / "shared" / "data" / "ner"

from loaders.extract.crf import TRAINING_CONFIG  # noqa: E402

Spans = set[tuple[int, int]]


def training_config() -> dict[str, Any]:
    with TRAINING_CONFIG.open("rb") as file:
        return tomllib.load(file)


def records(path: Path) -> list[dict]:
    """One JSON object per line; a bad line stops with the file and line number."""
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise SystemExit(f"{path}:{number}: not JSON ({error})") from error
    return rows


@dataclass
class SplitSet:
    name: str
    train: list[dict]
    held_out: list[dict]


def split_sets(config: dict[str, Any] | None = None) -> list[SplitSet]:
    """Each set as (train, held-out): a shuffle seeded by the config picks the held-out share; both
    parts keep the file's order."""
    data = (config or training_config())["data"]
    sets = []
    for name in data["sets"]:
        rows = records(NER_DIR / f"{name}.json")
        order = list(range(len(rows)))
        random.Random(data["seed"]).shuffle(order)
        held_out = set(order[: round(len(rows) * data["held_out_share"])])
        sets.append(SplitSet(
            name,
            [row for number, row in enumerate(rows) if number not in held_out],
            [row for number, row in enumerate(rows) if number in held_out],
        ))
    return sets


def labelled_spans(record: dict, labels: dict[str, str]) -> list[tuple[int, int, str]]:
    """``(start, end, entity)`` of the record's spans whose label the mapping knows (end exclusive)."""
    return [
        (start, end + 1, labels[label])
        for label, entities in record.get("label", {}).items()
        if label in labels
        for positions in entities.values()
        for start, end in positions
    ]


def gold_by_entity(record: dict, labels: dict[str, str]) -> dict[str, Spans]:
    """Gold spans per entity (``PER``, ``ORG``), end exclusive."""
    gold: dict[str, Spans] = {entity: set() for entity in sorted(set(labels.values()))}
    for start, end, entity in labelled_spans(record, labels):
        gold[entity].add((start, end))
    return gold
