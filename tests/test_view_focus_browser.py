"""Views that start from a question, in headless Chromium with the network cut off: a focused view
built through the command line, expanded by clicking, with articles as nodes, and filtered by date
and source. The articles are written for the test (invented names, places and papers)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, OfflinePage, open_offline, requires_chromium

pytestmark = requires_chromium

ARTICLES = {
    "a.txt": "尧都区总工会召开全委会议\n来源：晋南日报\n发布时间:2021-05-06\n"
             "尧都区总工会主席林振华介绍，今年共举办职工培训20场。\n",
    "b.txt": "尧都区总工会启动职工书香节\n来源：汾河晚报\n发布时间:2023-09-12\n"
             "尧都区总工会副主席周晓梅表示，将深入开展“职工书香节”活动。\n",
    "c.txt": "汾城镇举办读书会\n汾城镇文化站组织居民读书会，共有80人参加。\n",
}
ID = "https://w3id.org/gonghui-kg/id/"
LIN = ID + "person/林振华/尧都区总工会"
ZHOU = ID + "person/周晓梅/尧都区总工会"
UNION = ID + "org/尧都区总工会"
FESTIVAL = ID + "campaign/职工书香节"
STATION = ID + "org/汾城镇文化站"
ARTICLE_A = ID + "article/corpus/a.txt"
ARTICLE_C = ID + "article/corpus/c.txt"

VISIBLE = "gkg.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()"


def graph_cli(*args: str) -> None:
    result = subprocess.run([sys.executable, "-m", "graph", *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus") / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    graph_cli("build", str(corpus), "--out", str(out))
    return out


def open_view(browser: Any, path: Path) -> OfflinePage:
    url = path.as_uri()
    visit = open_offline(browser, url, lambda requested: requested == url)
    settled(visit)
    return visit


def settled(visit: OfflinePage) -> None:
    visit.page.wait_for_function("window.gkg && window.gkg.stabilized", timeout=120_000)


def click(visit: OfflinePage, node: str) -> None:
    """Click a node where it is drawn, as a reader would."""
    box = visit.page.locator("#mynetwork").bounding_box()
    point = visit.evaluate("id => gkg.network.canvasToDOM(gkg.network.getPosition(id))", node)
    visit.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_a_focused_view_opens_on_a_person_and_expands(browser: Any, built: Path, tmp_path: Path) -> None:
    page_path = tmp_path / "lin.html"
    graph_cli("view", "--graph", str(built), "--out", str(page_path), "--focus", "林振华", "--depth", "1")
    visit = open_view(browser, page_path)
    try:
        assert visit.evaluate(VISIBLE) == sorted([LIN, UNION])
        assert visit.evaluate("gkg.network.getSelectedNodes()") == [LIN]
        embedded = visit.evaluate("gkg.data.nodes.map(n => n.id)")
        assert ZHOU in embedded and FESTIVAL in embedded  # there for expansion, not drawn yet
        assert STATION not in embedded  # not linked to the focus at all
        timeline = visit.page.text_content("#timeline")
        assert "2021-05-06" in timeline and "主席" in timeline and "尧都区总工会召开全委会议" in timeline
        assert "尧都区总工会召开全委会议" in visit.page.text_content("#articles")

        click(visit, UNION)
        visit.page.wait_for_function("gkg.layouts >= 2", timeout=60_000)
        settled(visit)
        assert visit.evaluate(VISIBLE) == sorted([LIN, UNION, ZHOU, FESTIVAL])
        assert visit.evaluate("gkg.network.getSelectedNodes()") == [UNION]

        # Articles on: each article drawn, linked to what it states.
        visit.page.check('#legend input[data-kind="NewsArticle"]')
        settled(visit)
        visible = visit.evaluate(VISIBLE)
        assert ARTICLE_A in visible and ID + "article/corpus/b.txt" in visible
        mentions = visit.evaluate("gkg.edges.get({filter: e => e.relation === 'mention' && !e.hidden})"
                                  ".map(e => [e.from, e.to])")
        assert [ARTICLE_A, LIN] in mentions and [ARTICLE_A, UNION] in mentions

        # Search, then show the neighbourhood: the view starts again from the person found.
        visit.page.fill("#search", "周晓梅")
        visit.page.press("#search", "Enter")
        visit.page.click("#neighbourhood")
        visit.page.wait_for_function("gkg.layouts >= 4", timeout=60_000)
        settled(visit)
        entities = [n for n in visit.evaluate(VISIBLE) if "/article/" not in n]
        assert entities == sorted([ZHOU, UNION, FESTIVAL])
        assert visit.errors == [] and visit.failed == [] and visit.dialogs == []
    finally:
        visit.page.close()


def test_the_whole_view_hides_unlinked_entities_and_filters_by_date_and_source(
    browser: Any, built: Path, tmp_path: Path
) -> None:
    page_path = tmp_path / "all.html"
    graph_cli("view", "--graph", str(built), "--out", str(page_path))
    visit = open_view(browser, page_path)
    try:
        visible = visit.evaluate(VISIBLE)
        assert LIN in visible and ZHOU in visible and STATION not in visible  # the station is unlinked
        visit.page.check('#legend input[data-kind="NewsArticle"]')
        settled(visit)
        visible = visit.evaluate(VISIBLE)
        assert STATION in visible and ARTICLE_C in visible  # its article links it

        visit.page.uncheck('#legend input[data-kind="NewsArticle"]')
        visit.page.fill("#date-from", "2022-01-01")
        visit.page.dispatch_event("#date-from", "change")
        visible = visit.evaluate(VISIBLE)
        assert ZHOU in visible and FESTIVAL in visible and LIN not in visible  # his post is stated in 2021

        visit.page.fill("#date-from", "")
        visit.page.dispatch_event("#date-from", "change")
        visit.page.select_option("#publisher", "晋南日报")
        assert visit.evaluate(VISIBLE) == sorted([LIN, UNION])
        visit.page.select_option("#publisher", "")
        assert LIN in visit.evaluate(VISIBLE) and ZHOU in visit.evaluate(VISIBLE)
        assert visit.errors == [] and visit.failed == [] and visit.dialogs == []
    finally:
        visit.page.close()


def test_article_titles_and_sources_with_markup_stay_text(browser: Any, built: Path, tmp_path: Path) -> None:
    evil = "<img src=x onerror=alert(1)>{{ page_js }}</script><script>alert(2)</script>"
    literal = evil.replace('"', '\\"')
    ttl = tmp_path / "graph.ttl"
    ttl.write_text((built / "graph.ttl").read_text(encoding="utf-8") + f"""
<{ID}article/evil> a schema:NewsArticle ; schema:headline "{literal}"@zh ;
    schema:datePublished "2022-02-02"^^xsd:date ; schema:publisher <{ID}source/evil> ;
    schema:mentions <{LIN}> .
<{ID}source/evil> a gh:NewsSource ; rdfs:label "{literal}"@zh .
""", encoding="utf-8")
    page_path = tmp_path / "evil.html"
    graph_cli("view", "--graph", str(ttl), "--out", str(page_path), "--focus", "林振华")
    visit = open_view(browser, page_path)
    try:
        assert evil in visit.page.text_content("#articles")
        assert evil in visit.page.text_content("#publisher")
        visit.page.check('#legend input[data-kind="NewsArticle"]')
        settled(visit)
        assert ID + "article/evil" in visit.evaluate(VISIBLE)
        visit.evaluate("id => gkg.select(id)", ID + "article/evil")
        assert evil in visit.page.text_content("#info")
        visit.page.wait_for_timeout(300)
        assert visit.dialogs == [] and visit.errors == [] and visit.failed == []
        assert visit.evaluate("document.querySelectorAll('img').length") == 0
        assert visit.evaluate("document.scripts.length") == 3
    finally:
        visit.page.close()
