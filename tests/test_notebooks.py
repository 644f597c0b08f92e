"""The notebooks a researcher opens first run top to bottom on a clean kernel and show their tables.

Each notebook is executed once with nbclient, from ``notebooks/`` as the working directory, the way
Jupyter runs it; a cell that raises fails the test. Cells the tests look at carry a tag
(``metadata.tags``), so the notebooks can be reworded without breaking them.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode

from graph.store.query import list_ready_queries

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = ("01-explore.ipynb", "02-sparql.ipynb", "03-network.ipynb")
CELL_TIMEOUT = 300  # seconds; building the graph (spaCy, the tagger) is the slowest cell


def execute(notebook: NotebookNode) -> NotebookNode:
    """Run every cell in a fresh ``python3`` kernel (ipykernel's spec starts this interpreter)."""
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    return notebook


@pytest.fixture(scope="module")
def run() -> Callable[[str], NotebookNode]:
    """``run(name)``: the notebook executed (once per test module)."""
    done: dict[str, NotebookNode] = {}

    def executed(name: str) -> NotebookNode:
        if name not in done:
            done[name] = execute(nbformat.read(NOTEBOOKS / name, as_version=4))
        return done[name]

    return executed


def tagged(notebook: NotebookNode, tag: str) -> NotebookNode:
    cells = [c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def html(cell: NotebookNode) -> str:
    return "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)


def stdout(cell: NotebookNode) -> str:
    return "".join(o["text"] for o in cell.outputs if o["output_type"] == "stream" and o["name"] == "stdout")


def table(cell: NotebookNode) -> str:
    """The cell's DataFrame, as the HTML table Jupyter shows."""
    shown = html(cell)
    assert 'class="dataframe' in shown, f"cell {cell.get('id')} shows no table"
    return shown


def assert_quiet(notebook: NotebookNode) -> None:
    """Nothing on stderr: no warnings (a missing Chinese glyph in a chart would show here)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"), output["text"]


def test_kernel_is_this_python_in_the_notebooks_folder() -> None:
    probe = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import os, sys\nprint(sys.executable)\nprint(os.getcwd())")]
    )
    executable, cwd = stdout(execute(probe).cells[0]).splitlines()
    assert executable == sys.executable
    assert Path(cwd).resolve() == NOTEBOOKS.resolve()


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_are_committed_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    assert notebook.cells[0].cell_type == "markdown", "a notebook opens with what the graph is"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: strip the outputs"


def test_explore_shows_posts_hierarchy_campaigns_and_figures(run: Callable[[str], NotebookNode]) -> None:
    notebook = run("01-explore.ipynb")
    posts = table(tagged(notebook, "posts"))
    # names, a role, and words of the sentence that states the post
    for text in ("张艳革", "常务副主席", "平谷区总工会", "区总工会主席付湘生"):
        assert text in posts
    assert "密云区总工会" in table(tagged(notebook, "hierarchy"))
    tree = stdout(tagged(notebook, "tree"))
    assert tree.startswith("中华全国总工会\n") and "    └── 鼓楼街道总工会" in tree
    campaigns = table(tagged(notebook, "campaigns"))
    assert "区级工会加强年" in campaigns and "平谷大桃专场直播活动" in campaigns
    assert "3751" in table(tagged(notebook, "figures"))
    assert "延庆区总工会" in table(tagged(notebook, "per-year"))
    chart = tagged(notebook, "chart")
    assert any("image/png" in o.get("data", {}) for o in chart.outputs)
    assert "党组书记" in table(tagged(notebook, "facts"))
    assert_quiet(notebook)


def test_sparql_runs_every_ready_query(run: Callable[[str], NotebookNode]) -> None:
    notebook = run("02-sparql.ipynb")
    listed = table(tagged(notebook, "ready-list"))
    for query in list_ready_queries():
        assert query.name in listed
        table(tagged(notebook, f"q-{query.name}"))  # a new ready query needs its cell here
    posts = table(tagged(notebook, "q-posts-of-person"))
    assert "张艳革" in posts and "常务副主席" in posts
    assert "北京市总工会" in table(tagged(notebook, "q-sub-organizations"))
    assert "gh:TradeUnion" in table(tagged(notebook, "own-query"))
    assert_quiet(notebook)


def test_network_shows_centrality_communities_path_and_view(run: Callable[[str], NotebookNode]) -> None:
    notebook = run("03-network.ipynb")
    assert "betweenness" in table(tagged(notebook, "centrality"))
    assert "平谷区总工会" in table(tagged(notebook, "communities"))
    path = table(tagged(notebook, "path"))
    for text in ("付湘生", "张艳革", "平谷区总工会", "区总工会主席付湘生"):
        assert text in path
    assert "<iframe srcdoc=" in html(tagged(notebook, "view"))
    assert_quiet(notebook)


def test_the_bundled_chinese_font_draws_chinese_labels() -> None:
    """Where no Chinese font is installed, 01-explore falls back to the one mplfonts ships."""
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    spec = importlib.util.find_spec("mplfonts")
    assert spec is not None and spec.submodule_search_locations
    path = Path(spec.submodule_search_locations[0]) / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    figure = Figure()
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    axes.barh(["平谷区总工会", "延庆区总工会"], [2, 18])
    axes.set_title("各组织每年的数字", family=family)
    for label in axes.get_yticklabels():
        label.set_family(family)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would raise
        figure.canvas.draw()
