"""The spaCy pipeline of extraction components, built from ``config.cfg``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language

# Importing the component modules registers their factories with spaCy.
from loaders.extract import campaigns, figures, lexical, organizations, people  # noqa: F401

CONFIG_PATH = Path(__file__).with_name("config.cfg")


@cache
def load_pipeline(backend: str | None = None) -> Language:
    config = spacy.util.load_config(CONFIG_PATH)
    if backend:
        config["components"]["gh_lexical"]["backend"] = backend
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
