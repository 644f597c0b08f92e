"""The query page in a real browser: Debian's Chromium driven by playwright, cut off from the network.

The server runs in a thread on a free port over a real build; every request the page makes that is
not to that server is aborted, so a script, style, font or API call fetched from elsewhere shows up
as a failed request. Skipped when /usr/bin/chromium is not installed (``apt-get install -y chromium``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.serve.app import SparqlServer, make_server
from graph.store.query import list_ready_queries
from tests.conftest import ARTIFACTS, OfflinePage, open_offline, requires_chromium

EVIL = "<img src=x onerror=alert(1)>"

pytestmark = requires_chromium


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[SparqlServer]:
    server = make_server(built, port=0, quiet=True, workers=2, max_rows=100)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    server.pool.close()
    thread.join()


def editor(visit: OfflinePage) -> str:
    return str(visit.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()"))


def run(visit: OfflinePage) -> list[str]:
    """Press the run button and return the rows of the result table, as text."""
    visit.page.click(".yasqe_queryButton")
    rows = visit.page.locator(".yasr table tbody tr")
    rows.first.wait_for(timeout=30_000)
    visit.page.wait_for_function("!document.querySelector('.yasqe_queryButton.busy')", timeout=30_000)
    return [str(text) for text in rows.all_inner_texts()]


@pytest.fixture()
def visit(browser: Any, server: SparqlServer) -> Iterator[OfflinePage]:
    origin = server.url  # http://127.0.0.1:PORT/: everything else is aborted
    visit = open_offline(browser, origin, lambda requested: requested.startswith(origin))
    count = len(list_ready_queries()) + 1  # with the "choose" line
    visit.page.wait_for_function(f"document.querySelectorAll('#ready-queries option').length === {count}")
    yield visit
    visit.page.close()


def test_a_ready_query_runs_and_shows_rows(visit: OfflinePage) -> None:
    page = visit.page
    titles = page.locator("#ready-queries option").all_inner_texts()
    assert titles[1:] == [q.title for q in list_ready_queries()]
    page.select_option("#ready-queries", "posts-of-person")
    assert "?personName" in editor(visit)
    assert "Which posts does this person hold" in page.text_content("#question")
    rows = run(visit)
    assert any("张艳革" in row and "常务副主席" in row for row in rows), rows[:5]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "query-page.png"), full_page=True)
    assert visit.errors == [] and visit.failed == []


def test_a_typed_query_runs_and_markup_in_results_stays_text(visit: OfflinePage) -> None:
    page = visit.page
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    typed = f'SELECT ?text WHERE {{ BIND("{EVIL}" AS ?text) }}'
    page.keyboard.insert_text(typed)
    assert editor(visit) == typed
    rows = run(visit)
    assert rows and EVIL in rows[0]
    page.wait_for_timeout(300)
    assert visit.dialogs == []
    assert page.evaluate("document.querySelectorAll('.yasr img').length") == 0
    assert visit.errors == [] and visit.failed == []


def test_the_row_cap_notice(visit: OfflinePage) -> None:
    page = visit.page
    page.evaluate("document.querySelector('.CodeMirror').CodeMirror.setValue('SELECT * WHERE { ?s ?p ?o }')")
    run(visit)
    assert page.is_visible("#notice")
    assert "first 100 rows" in page.text_content("#notice")
    assert visit.errors == [] and visit.failed == []
