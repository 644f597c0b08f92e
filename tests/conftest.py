"""Shared fixtures: the bundled article, built once per test session the way a user builds it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
SHARED_GOLD = ROOT.parent / "shared" / "gold"
ARTICLE = ARTICLES / "quji-gonghui-jiaqiangnian-04.txt"
GOLD = ROOT / "tests" / "data" / "quji-gonghui-jiaqiangnian-04.gold.json"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The --out folder of `python -m graph build data/articles` (built through the library)."""
    from graph.build.run import build

    out = tmp_path_factory.mktemp("built")
    report = build([str(ARTICLES)], out)
    assert not report.errors, report.errors
    return out


def build_invented(tmp_path_factory: pytest.TempPathFactory, articles: dict[str, str]) -> Path:
    """The --out folder of `python -m graph build` on articles written for a test (file name → text)."""
    corpus = tmp_path_factory.mktemp("corpus")
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    result = subprocess.run([sys.executable, "-m", "graph", "build", str(corpus), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture()
def article_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / ARTICLE.name)
    return folder


CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, headless and quiet: no background connections to a network we do not have.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (scripts/setup.sh installs it with apt-get)"
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium driven by Playwright (its own browser download is never used)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def contract_prefixes() -> str:
    """The contract's prefixes as Turtle, for graphs that tests write by hand."""
    from ontology import PREFIXES

    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())


@dataclass
class OfflinePage:
    """A page opened with every request but its own aborted, and what went wrong while it ran."""

    page: Any
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def evaluate(self, script: str, argument: Any = None) -> Any:
        return self.page.evaluate(script, argument)


def open_offline(browser: Any, url: str, allowed: Callable[[str], bool]) -> OfflinePage:
    """Open ``url``; requests for which ``allowed(url)`` is false are aborted (and logged as failed)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    visit = OfflinePage(page)
    page.on("console", lambda msg: visit.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    page.on("requestfailed", lambda request: visit.failed.append(request.url))

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.route("**/*", lambda route: route.continue_() if allowed(route.request.url) else route.abort())
    page.goto(url)
    return visit
