"""The crf backend: the shipped CRF model over LAC, its merge with LAC's words, and its fallback.

Every sentence here is written for the test; the model's training data stays in ../shared.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import FOAF, RDF, RDFS

from loaders.extract import crf
from loaders.extract.crf import CrfTagger, FeatureMaker, entity_spans, merge
from loaders.extract.lexical import LexicalAnalyser
from tests.conftest import ROOT

SENTENCE = "青石县农机合作社理事长郝振川在会上宣布，星河远航科技有限公司将在当地投资建厂。"


@pytest.fixture(scope="module")
def tagger() -> CrfTagger:
    return CrfTagger()


def test_shipped_model_finds_the_person_and_the_organizations(tagger: CrfTagger) -> None:
    words = tagger(SENTENCE)
    assert "".join(word for word, _ in words) == SENTENCE
    entities = {(word, tag) for word, tag in words if tag in ("PER", "ORG")}
    assert entities == {("郝振川", "PER"), ("青石县农机合作社", "ORG"), ("星河远航科技有限公司", "ORG")}
    assert ("理事长", "n") in words  # words outside the names keep LAC's parts of speech
    assert tagger("") == []


def test_the_pipeline_uses_the_crf_backend_by_default() -> None:
    from loaders.extract.pipeline import load_pipeline

    nlp = load_pipeline()
    assert nlp.get_pipe("gh_lexical").backend == "crf"
    doc = nlp(SENTENCE)
    assert {(e.text, e.label_) for e in doc.ents if e.label_ == "PER"} == {("郝振川", "PER")}


def test_crf_entities_replace_lac_names_and_cut_words_keep_their_pieces() -> None:
    text = "南湾镇农会主任柏青山说"
    lac = [("南湾镇", "LOC"), ("农会主", "ORG"), ("任", "v"), ("柏青", "PER"), ("山说", "v")]
    assert merge(text, lac, [(0, 5, "ORG"), (7, 10, "PER")]) == [
        ("南湾镇农会", "ORG"), ("主", "nz"), ("任", "v"), ("柏青山", "PER"), ("说", "v")
    ]
    # Without CRF entities, LAC's unconfirmed PER/ORG words are no longer entities; LOC stays.
    assert merge(text, lac, []) == [
        ("南湾镇", "LOC"), ("农会主", "nz"), ("任", "v"), ("柏青", "nz"), ("山说", "v")
    ]


def test_label_runs_become_spans() -> None:
    labels = ["B-PER", "I-PER", "O", "I-ORG", "I-ORG", "B-PER", "B-ORG", "I-PER", "B-LOC"]
    assert entity_spans(labels) == [(0, 2, "PER"), (3, 5, "ORG"), (5, 6, "PER"), (6, 7, "ORG"),
                                    (7, 8, "PER"), (8, 9, "LOC")]


def test_features_refuse_words_that_do_not_cover_the_text() -> None:
    features = FeatureMaker(frozenset("柏"), frozenset({"主任"}))
    rows = features("主任柏青山", [("主任", "n"), ("柏青山", "PER")])
    assert len(rows) == 5 and {"ptitle", "surB", "L=BPER"} <= set(rows[2])
    with pytest.raises(ValueError, match="cover 4 characters of a text of 5"):
        features("主任柏青山", [("主任", "n"), ("柏青", "PER")])


def test_a_broken_model_falls_back_to_lac(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "ner.crfsuite"
    broken.write_bytes(b"not a crfsuite model")
    monkeypatch.setattr(crf, "MODEL", broken)
    with caplog.at_level(logging.WARNING):
        analyser = LexicalAnalyser("crf")
    assert analyser.backend == "lac"
    assert "CRF tagger did not load" in caplog.text
    with pytest.raises(ValueError, match="unknown lexical backend 'bert'"):
        LexicalAnalyser("bert")


def test_build_with_the_crf_backend_from_the_command_line(tmp_path: Path) -> None:
    article = tmp_path / "articles" / "t.txt"
    article.parent.mkdir()
    article.write_text("青石县总工会召开全委会\n青石县总工会主席郝振川表示，要把服务送到一线职工身边。\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "graph", "build", str(article.parent), "--out", str(out), "--backend", "crf"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    graph = Graph().parse(out / "graph.ttl")
    people = {str(graph.value(person, RDFS.label)) for person in graph.subjects(RDF.type, FOAF.Person)}
    assert "郝振川" in people
