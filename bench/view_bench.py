"""How long the HTML view takes to settle in headless Chromium, for synthetic graphs of growing size.

    .venv/bin/python bench/view_bench.py [--sizes 100 1000 2000] [--chromium /usr/bin/chromium]

Each graph comes from :func:`bench.synthetic_network.synthetic_graph` (the shape of a real build: a union
hierarchy, people holding posts, campaigns). The page is opened from disk with every other request
aborted; the time is the page's own measure from creating the network to ``stabilizationIterationsDone``
(physics is then switched off), and the wall time includes loading and parsing the page.
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

from bench.synthetic_network import synthetic_graph  # noqa: E402
from graph.network.view import stabilization_iterations, write_view  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def measure(page: object, path: Path) -> tuple[float, float, bool]:
    """(stabilisation ms as the page measured it, wall seconds, physics off afterwards)."""
    url = path.as_uri()
    page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())  # type: ignore[attr-defined]
    start = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_function("window.gkg && window.gkg.stabilized", timeout=300_000)  # type: ignore[attr-defined]
    wall = time.perf_counter() - start
    ms, physics = page.evaluate("[gkg.stabilizationMs, gkg.network.physics.physicsEnabled]")  # type: ignore[attr-defined]
    page.unroute("**/*")  # type: ignore[attr-defined]
    return float(ms), wall, bool(physics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 2000])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"error: no Chromium at {args.chromium} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    table = Table("nodes", "edges", "HTML size", "write (s)", "iterations", "stabilise (s)",
                  "load → settled (s)", "physics off",
                  title="view stabilisation (Barnes-Hut), headless Chromium")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        for size in args.sizes:
            graph = synthetic_graph(size)
            path = Path(tmp) / f"view-{size}.html"
            start = time.perf_counter()
            write_view(graph, path, title=f"synthetic {size}")
            written = time.perf_counter() - start
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            ms, wall, physics = measure(page, path)
            page.close()
            table.add_row(
                str(size), str(graph.number_of_edges()), f"{path.stat().st_size / 1e6:.1f} MB",
                f"{written:.2f}", str(stabilization_iterations(size)), f"{ms / 1000:.2f}", f"{wall:.2f}",
                "yes" if not physics else "NO",
            )
        browser.close()
    Console(width=max(Console().width, 120)).print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
