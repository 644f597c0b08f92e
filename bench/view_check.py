"""Check the view of a built corpus in headless Chromium: the whole view draws no isolated entity,
and the focus view of every person shows their posts, organizations, campaigns and the articles
that state them.

    .venv/bin/python -m graph build ../shared/corpus --out /tmp/x
    .venv/bin/python bench/view_check.py --graph /tmp/x

The pages are made by the command line (``view``, ``view --focus <IRI>``, run in this process);
what each person should show is asked of the store with its own SPARQL, not taken from the view's
data. Prints one row per person and exits 1 when anything is missing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from graph.cli import main as graph_main  # noqa: E402
from graph.store.source import open_graph  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

PEOPLE = "SELECT DISTINCT ?p ?name WHERE { ?p a foaf:Person ; rdfs:label ?name }"
POSTS = """SELECT DISTINCT ?p ?role ?org ?orgName WHERE {
  ?m org:member ?p ; org:organization ?org . ?org rdfs:label ?orgName .
  OPTIONAL { ?m org:role/rdfs:label ?role } }"""
CAMPAIGNS = "SELECT DISTINCT ?p ?c WHERE { ?c a gh:Campaign ; prov:wasAssociatedWith ?p . ?p a foaf:Person }"
STATING = """SELECT DISTINCT ?p ?a WHERE { ?p a foaf:Person .
  { GRAPH ?a { ?p a foaf:Person } } UNION { ?a schema:mentions|schema:author ?p } }"""
VISIBLE = "gkg.nodes.get({filter: n => !n.hidden}).map(n => n.id)"


def rows(store: object, sparql: str) -> list[list[str]]:
    return [[str(getattr(t, "value", "")) if t is not None else "" for t in row]
            for row in store.query(sparql).rows]  # type: ignore[attr-defined]


def open_page(browser: object, path: Path) -> object:
    page = browser.new_page(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    url = path.as_uri()
    page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    page.goto(url)
    page.wait_for_function("window.gkg && window.gkg.stabilized", timeout=300_000)
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", required=True, help="a build's --out folder")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with open_graph(args.graph) as store:
        people = dict(rows(store, PEOPLE))
        posts, campaigns, stating = {}, {}, {}
        for p, role, org, org_name in rows(store, POSTS):
            posts.setdefault(p, []).append((role, org, org_name))
        for p, c in rows(store, CAMPAIGNS):
            campaigns.setdefault(p, set()).add(c)
        for p, a in rows(store, STATING):
            stating.setdefault(p, set()).add(a)

    failures = 0
    table = Table("person", "posts", "organizations", "campaigns", "articles", "all shown",
                  title=f"focus view of every person ({args.graph})")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        whole = Path(tmp) / "whole.html"
        assert graph_main(["view", "--graph", args.graph, "--out", str(whole)]) == 0
        page = open_page(browser, whole)
        isolated = page.evaluate(
            "(() => { const linked = new Set(); gkg.edges.get({filter: e => !e.hidden})"
            ".forEach(e => { linked.add(e.from); linked.add(e.to); });"
            " return gkg.nodes.get({filter: n => !n.hidden && !linked.has(n.id)}).map(n => n.label); })()"
        )
        drawn, embedded = page.evaluate("[gkg.shownNodes, gkg.data.nodes.length]")
        page.close()
        print(f"whole view: {drawn} of {embedded} entities drawn, {len(isolated)} isolated: {isolated}")
        failures += bool(isolated)

        for person, name in sorted(people.items(), key=lambda item: item[1]):
            path = Path(tmp) / "focus.html"
            command = ["view", "--graph", args.graph, "--out", str(path), "--focus", f"<{person}>"]
            assert graph_main(command) == 0
            page = open_page(browser, path)
            visible = set(page.evaluate(VISIBLE))
            timeline = page.evaluate("(document.getElementById('timeline') || {}).textContent || ''")
            listed = page.text_content("#info") or ""
            page.evaluate("gkg.setArticles(true)")
            page.wait_for_function("window.gkg.stabilized", timeout=300_000)
            with_articles = set(page.evaluate(VISIBLE))
            titles = page.evaluate("gkg.data.articles.map(a => [a.id, a.title])")
            page.close()
            orgs = {org for _, org, _ in posts.get(person, [])}
            missing = (orgs | campaigns.get(person, set())) - visible
            missing |= {f"{role} {org_name}" for role, _, org_name in posts.get(person, [])
                        if role not in timeline or org_name not in timeline}
            articles = stating.get(person, set())
            missing |= articles - with_articles
            missing |= {a for a, title in titles if a in articles and title not in listed}
            missing |= articles - {a for a, _ in titles}
            failures += bool(missing)
            table.add_row(name, str(len(posts.get(person, []))), str(len(orgs)),
                          str(len(campaigns.get(person, set()))), str(len(articles)),
                          "yes" if not missing else f"NO: {sorted(missing)}")
        browser.close()
        Console(width=max(Console().width, 120)).print(table)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
