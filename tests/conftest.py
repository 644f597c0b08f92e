"""Shared fixtures: the bundled article, built once per test session the way a user builds it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
SHARED_GOLD = ROOT.parent / "shared" / "gold"
ARTICLE = ARTICLES / "quji-gonghui-jiaqiangnian-04.txt"
GOLD = ROOT / "tests" / "data" / "quji-gonghui-jiaqiangnian-04.gold.json"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The --out folder of `python -m graph build data/articles` (built through the library)."""
    from graph.build import build

    out = tmp_path_factory.mktemp("built")
    report = build([str(ARTICLES)], out)
    assert not report.errors, report.errors
    return out


@pytest.fixture()
def article_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    return folder
