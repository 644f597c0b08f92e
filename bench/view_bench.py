"""Page size and time to settle of the HTML view, the focus view of one person and the whole view,
for synthetic corpora of growing size, in headless Chromium.

    .venv/bin/python bench/view_bench.py [--sizes 100 1000 10000] [--chromium /usr/bin/chromium]

Each corpus comes from :func:`bench.synthetic_network.synthetic_corpus`: the network a build of
that many invented articles would give (dates, sources, posts, campaigns, hierarchy, what each
article states; pools of people and bodies growing with the corpus, a few bodies in many articles),
made directly rather than by extracting text. The focus is a person holding a post in the body with
the most ties (the heaviest neighbourhood a person can have), opened as ``view --focus NAME``
does (depth 1, the default budget). The page is opened from disk with every other request aborted;
"settle" is the page's own measure from the start of its script to the end of its first
stabilisation (physics is then switched off), "set-up" the part of it before the layout starts
(reading the data, building tooltips and legend), "load → settled" the wall time including
loading and parsing the page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.synthetic_network import synthetic_corpus  # noqa: E402
from graph.network.data import combined_graph  # noqa: E402
from graph.network.page_data import FOCUS_BUDGET  # noqa: E402
from graph.network.view import write_view  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def measure(page: object, path: Path) -> tuple[float, float, float, int, int, bool]:
    """(settle ms as the page measured it, of it the page's own set-up before the layout, wall
    seconds, nodes embedded, nodes drawn, physics off)."""
    url = path.as_uri()
    page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())  # type: ignore[attr-defined]
    start = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_function("window.gkg && window.gkg.stabilized", timeout=900_000)  # type: ignore[attr-defined]
    wall = time.perf_counter() - start
    ms, setup, embedded, drawn, physics = page.evaluate(  # type: ignore[attr-defined]
        "[gkg.stabilizationMs, gkg.setupMs, gkg.data.nodes.length, gkg.shownNodes,"
        " gkg.network.physics.physicsEnabled]"
    )
    page.unroute("**/*")  # type: ignore[attr-defined]
    return float(ms), float(setup), wall, int(embedded), int(drawn), not physics


def focus_person(graph: object) -> str:
    """A person holding a post in the body with the most ties."""
    hub = max((n for n, kind in graph.nodes(data="kind") if kind != "Person"), key=graph.degree)  # type: ignore[attr-defined]
    return min(n for n in graph[hub] if graph.nodes[n]["kind"] == "Person")  # type: ignore[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000], help="articles")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"error: no Chromium at {args.chromium} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    table = Table("articles", "nodes · edges", "view", "page size", "write (s)", "embedded", "drawn",
                  "settle (s)", "of it set-up (s)", "load → settled (s)", "physics off",
                  title="view page size and time to settle, headless Chromium (synthetic corpora)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for size in args.sizes:
            graph = combined_graph(synthetic_corpus(size))
            person = focus_person(graph)
            focused = {"focus": [person], "depth": 1, "budget": FOCUS_BUDGET}
            views = {f"focus ({graph.nodes[person]['label']})": focused, "whole": {}}
            for name, options in views.items():
                path = Path(tmp) / f"view-{size}-{len(options)}.html"
                start = time.perf_counter()
                write_view(graph, path, title=f"synthetic {size}", **options)  # type: ignore[arg-type]
                written = time.perf_counter() - start
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                ms, setup, wall, embedded, drawn, still = measure(page, path)
                page.close()
                table.add_row(
                    f"{size:,}", f"{graph.number_of_nodes():,} · {graph.number_of_edges():,}", name,
                    f"{path.stat().st_size / 1e6:.2f} MB", f"{written:.2f}", f"{embedded:,}", f"{drawn:,}",
                    f"{ms / 1000:.2f}", f"{setup / 1000:.2f}", f"{wall:.2f}", "yes" if still else "NO",
                )
        browser.close()
    Console(width=max(Console().width, 170)).print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
