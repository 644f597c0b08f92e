"""The SPARQL the project runs, as files: ready queries here (``*.rq``, listed by ``query``), and
the queries each layer runs for itself in a folder of its own (``quality/``, ``network/``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent


@cache
def internal_query(name: str) -> str:
    """The text of ``graph/queries/NAME.rq`` (``name`` like ``quality/counts``)."""
    return (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
