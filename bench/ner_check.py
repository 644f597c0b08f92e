"""Person and organization recognition on the held-out splits of the public NER sets, per backend.

    .venv/bin/python bench/ner_check.py [--backends crf,lac,jieba]

For each set in ../shared/data/ner, only its held-out sentences (the seeded share that
bench/ner_train.py never trains on, see bench/ner_sets.py), exact-span precision/recall/F1 of PER
(``name``) and ORG (``organization``, ``company``, ``government``) for
- ``tagger``: the lexical component alone (``gh_lexical``: the CRF over LAC, LAC, or jieba), and
- ``pipeline``: the whole pipeline's recognizers, what goes into the graph: every name the tagger
  finds unless evidence rules it out (a common word, a count after it, a place, an honour ...),
  names the tagger missed after a title, and bodies named by an organization ending.
Then the speed of each, in characters per CPU second of this one process (so per core), over all
held-out sentences. The data stays where it is; nothing is copied into the project.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ner_sets import NER_DIR, Spans, gold_by_entity, split_sets, training_config  # noqa: E402

from loaders.extract.lac import compile_decoder  # noqa: E402
from loaders.extract.lexical import BACKENDS  # noqa: E402
from loaders.extract.pipeline import load_pipeline  # noqa: E402

ENTITIES = ("PER", "ORG")


def tagger_spans(doc: Doc, entity: str) -> Spans:
    return {(e.start_char, e.end_char) for e in doc.ents if e.label_ == entity}


def pipeline_spans(doc: Doc, entity: str) -> Spans:
    if entity == "PER":
        return {(s.start_char, s.end_char) for s in doc.spans["gh_person"]}
    # Generic bodies (各级工会, 机关工会) name no particular body and never enter the graph; a
    # reference (该公司, 本院) names none either, it points back at one named before.
    return {(s.start_char, s.end_char) for s in doc.spans["gh_org"] if names_a_body(s)}


def names_a_body(span: Span) -> bool:
    if span._.org_kind == "generic":
        return False
    return not (span._.org_kind == "contextual" and span.text.startswith(("该", "本")))


def f1(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(nlp: Language, texts: list[str], only_lexical: bool) -> tuple[list[Doc], float]:
    """The docs and the CPU seconds this process spent making them."""
    started = time.process_time()
    if only_lexical:
        with nlp.select_pipes(enable="gh_lexical"):
            docs = list(nlp.pipe(texts))
    else:
        docs = list(nlp.pipe(texts))
    return docs, time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backends", default=",".join(BACKENDS), help=f"some of {','.join(BACKENDS)}")
    args = parser.parse_args()
    if not NER_DIR.is_dir():
        print(f"skipped: {NER_DIR} is not there")
        return
    config = training_config()
    labels = config["data"]["labels"]
    sets = split_sets(config)
    recognizers: dict[str, tuple[bool, Callable[[Doc, str], Spans]]] = {
        "tagger": (True, tagger_spans), "pipeline": (False, pipeline_spans)
    }
    scores: dict[tuple[str, str, str, str], tuple[float, float, float]] = {}
    speed: dict[tuple[str, str], float] = {}
    total_chars = sum(len(r["text"]) for one in sets for r in one.held_out)
    for backend in args.backends.split(","):
        nlp = load_pipeline(backend)
        loaded = nlp.get_pipe("gh_lexical").backend
        if loaded != backend:
            raise SystemExit(f"backend {backend} did not load (the pipeline fell back to {loaded})")
        compile_decoder()  # the steady pace: LAC's compiled Viterbi, not its first characters' decoder
        nlp(next(r["text"] for r in sets[0].held_out))  # warms up before timing
        for recognizer, (only_lexical, spans_of) in recognizers.items():
            cpu = 0.0
            for one in sets:
                docs, seconds = run(nlp, [r["text"] for r in one.held_out], only_lexical)
                cpu += seconds
                for entity in ENTITIES:
                    counts = [0, 0, 0]
                    for record, doc in zip(one.held_out, docs, strict=True):
                        found, gold = spans_of(doc, entity), gold_by_entity(record, labels)[entity]
                        counts[0] += len(found & gold)
                        counts[1] += len(found)
                        counts[2] += len(gold)
                    scores[one.name, entity, backend, recognizer] = f1(*counts)
            speed[backend, recognizer] = total_chars / cpu

    share = config["data"]["held_out_share"]
    print(f"held-out {share:.0%} of each set (seed {config['data']['seed']}): "
          + ", ".join(f"{one.name} {len(one.held_out)} sentences" for one in sets))
    print(f"\n{'set':<18} {'entity':<6} {'recognizer':<16} {'P':>6} {'R':>6} {'F1':>6}")
    for (set_name, entity, backend, recognizer), (p, r, f) in sorted(
        scores.items(), key=lambda item: (item[0][0], item[0][1], item[0][3] == "pipeline")
    ):
        print(f"{set_name:<18} {entity:<6} {backend + ' ' + recognizer:<16} {p:>6.3f} {r:>6.3f} {f:>6.3f}")
    print(f"\nspeed over the {total_chars} held-out characters, per CPU second of one process")
    for (backend, recognizer), chars_per_second in speed.items():
        print(f"{backend + ' ' + recognizer:<16} {chars_per_second:>9,.0f} chars/s")


if __name__ == "__main__":
    main()
