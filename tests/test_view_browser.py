"""The HTML view in a real browser: Debian's Chromium, driven by playwright, with the network cut off.

Each page is opened from disk and every other request is aborted, so a script, style or image the
page tried to fetch shows up as a failed request. Skipped when /usr/bin/chromium is not installed
(the README's test command installs it: ``apt-get install -y chromium``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic_network import synthetic_graph
from graph.build.run import build
from graph.network.data import combined_graph, read_network
from graph.network.view import write_view
from tests.conftest import ARTIFACTS, ROOT, OfflinePage, open_offline, requires_chromium

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
ID = "https://w3id.org/gonghui-kg/id/"
ZHANG = ID + "person/张艳革/平谷区总工会"
EVIL = "<img src=x onerror=alert(1)><script>alert(2)</script>"

pytestmark = requires_chromium


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build")
    assert build([str(ARTICLES)], out).articles
    return out


def open_view(browser: Any, path: Path) -> OfflinePage:
    """Open the view offline (nothing but the file itself loads) and wait until its layout settles."""
    url = path.as_uri()
    visit = open_offline(browser, url, lambda requested: requested == url)
    visit.page.wait_for_function("window.gkg && window.gkg.stabilized", timeout=120_000)
    return visit


def hover(visit: OfflinePage, node: str) -> None:
    """Move the mouse onto a node, as a reader would to see its tooltip."""
    box = visit.page.locator("#mynetwork").bounding_box()
    point = visit.page.evaluate(
        "id => gkg.network.canvasToDOM(gkg.network.getPosition(id))", node
    )
    visit.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    visit.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)


def test_view_of_the_real_article_works_offline(browser: Any, built: Path, tmp_path: Path) -> None:
    graph = combined_graph(read_network(built))
    page_path = tmp_path / "view.html"
    write_view(graph, page_path)
    visit = open_view(browser, page_path)
    try:
        assert visit.evaluate("gkg.nodes.length") == graph.number_of_nodes()
        assert visit.evaluate("gkg.network.physics.physicsEnabled") is False
        labels = visit.evaluate("gkg.nodes.map(n => n.label)")
        assert sorted(labels) == sorted(label for _, label in graph.nodes(data="label"))

        visit.page.fill("#search", "张艳革")
        visit.page.press("#search", "Enter")
        assert visit.evaluate("gkg.network.getSelectedNodes()") == [ZHANG]
        info = visit.page.text_content("#info")
        assert "常务副主席" in info and "平谷区总工会党组书记、常务副主席张艳革" in info

        hover(visit, ZHANG)
        assert "平谷区总工会" in visit.page.text_content("div.vis-tooltip")

        # Unlinked nodes are hidden by default; with them shown, the class filter alone hides.
        visit.page.uncheck("#hide-unlinked")
        assert visit.evaluate("gkg.nodes.get({filter: n => n.hidden}).length") == 0
        visit.page.uncheck('#legend input[data-kind="Person"]')
        hidden = visit.evaluate("gkg.nodes.get({filter: n => n.hidden}).map(n => n.kind)")
        assert hidden and set(hidden) == {"Person"}
        visit.page.check('#legend input[data-kind="Person"]')
        visit.page.check("#hide-unlinked")

        ARTIFACTS.mkdir(exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / "view-article.png"))
        assert visit.errors == [] and visit.failed == []
    finally:
        visit.page.close()


def test_names_with_markup_stay_text(browser: Any, built: Path, tmp_path: Path) -> None:
    ttl = tmp_path / "graph.ttl"
    shutil.copy(built / "graph.ttl", ttl)
    person, membership, sentence = ID + "person/evil", ID + "membership/evil", ID + "article/evil/sentence/0"
    literal = EVIL.replace('"', '\\"')
    with ttl.open("a", encoding="utf-8") as fh:
        fh.write(f"""
<{person}> a foaf:Person ; rdfs:label "{literal}"@zh ; skos:altLabel "坏人{literal}"@zh .
<{membership}> a org:Membership ; org:member <{person}> ; org:organization <{ID}org/平谷区总工会> ;
    org:role <{ID}role/evil> ; prov:wasDerivedFrom <{sentence}> .
<{ID}role/evil> a org:Role ; rdfs:label "主席{literal}"@zh .
<{sentence}> a gh:Sentence ; schema:text "他说{literal}。"@zh .
""")
    graph = combined_graph(read_network(ttl))
    assert graph.nodes[person]["label"] == EVIL
    page_path = tmp_path / "evil.html"
    write_view(graph, page_path, title=EVIL)
    visit = open_view(browser, page_path)
    try:
        visit.page.fill("#search", "<img")
        visit.page.press("#search", "Enter")
        assert visit.evaluate("gkg.network.getSelectedNodes()") == [person]
        assert EVIL in visit.page.text_content("#info")
        hover(visit, person)
        assert f"他说{EVIL}。" in visit.page.text_content("div.vis-tooltip")
        visit.page.wait_for_timeout(300)
        assert visit.dialogs == []
        assert visit.evaluate("document.querySelectorAll('img[src=\"x\"], img').length") == 0
        assert visit.evaluate("document.scripts.length") == 3  # data, vis-network, the page's own
        assert visit.evaluate("document.title") == EVIL
        assert visit.errors == [] and visit.failed == []
    finally:
        visit.page.close()


def test_a_thousand_nodes_settle_and_physics_stops(browser: Any, tmp_path: Path) -> None:
    graph = synthetic_graph(1000)
    page_path = tmp_path / "synthetic.html"
    write_view(graph, page_path, title="synthetic 1000")
    visit = open_view(browser, page_path)
    try:
        assert visit.evaluate("gkg.stabilized") is True
        assert visit.evaluate("gkg.nodes.length") == 1000
        assert visit.evaluate("gkg.network.physics.physicsEnabled") is False
        positions = visit.evaluate("JSON.stringify(gkg.network.getPositions())")
        visit.page.wait_for_timeout(500)
        assert visit.evaluate("JSON.stringify(gkg.network.getPositions())") == positions  # it stays still
        ARTIFACTS.mkdir(exist_ok=True)
        visit.page.screenshot(path=str(ARTIFACTS / "view-synthetic-1000.png"))
        assert visit.errors == [] and visit.failed == []
    finally:
        visit.page.close()


def test_article_text_that_looks_like_the_template_or_markup_stays_text(browser: Any, tmp_path: Path) -> None:
    """Built and viewed through the command line: placeholders of the old template, a script end
    tag and Jinja syntax inside an article are text in a tooltip, and the page works."""
    payload = "{{PAGE_JS}}{{DATA}}{{ page_js }}{% raw %}</script><script>alert(3)</script>"
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(
        f"东城区总工会主席王建国表示，{payload}今年共举办职工培训36场。\n", encoding="utf-8"
    )
    for command in (["build", str(tmp_path / "corpus"), "--out", str(tmp_path / "out")],
                    ["view", "--graph", str(tmp_path / "out"), "--out", str(tmp_path / "view.html")]):
        result = subprocess.run([sys.executable, "-m", "graph", *command], cwd=ROOT, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    graph = combined_graph(read_network(tmp_path / "out"))
    person = ID + "person/王建国/东城区总工会"
    assert person in graph
    visit = open_view(browser, tmp_path / "view.html")
    try:
        assert visit.evaluate("gkg.nodes.length") == graph.number_of_nodes()
        assert visit.evaluate("document.scripts.length") == 3  # data, vis-network, the page's own
        visit.page.fill("#search", "王建国")
        visit.page.press("#search", "Enter")
        assert visit.evaluate("gkg.network.getSelectedNodes()") == [person]
        hover(visit, person)
        assert payload in visit.page.text_content("div.vis-tooltip")
        visit.page.wait_for_timeout(300)
        assert visit.dialogs == [] and visit.errors == [] and visit.failed == []
    finally:
        visit.page.close()
