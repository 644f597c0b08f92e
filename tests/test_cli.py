"""The command line as a whole: documented, one way to name a graph, one way to fail, layered code.

Like sqlite-utils' test_docs: a command or option missing from README.md fails here, so the
README cannot fall behind the parser.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from graph.build.run import build
from graph.cli import make_parser
from graph.store.remote import Endpoint
from tests.conftest import ARTICLES, GOLD, ROOT
from tests.test_build_cli import graph_cli
from tests.test_remote import server  # noqa: F401  (a fixture: a real `oxigraph serve`)

README = (ROOT / "README.md").read_text(encoding="utf-8")
#: The commands that read a graph and write nothing into it.
READING = ("evaluate", "validate", "query", "stats", "analyze", "path", "ego", "export", "view")
#: Options every reading command shares; the README explains them once, above the table.
SHARED = {"--graph", "--endpoint", "--sparql", "--union"}


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def long_options(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}


def readme_row(command: str) -> str:
    rows = [line for line in README.splitlines() if line.startswith(f"| `{command} ") or
            line.startswith(f"| `{command}`")]
    assert rows, f"README.md's command table has no row for {command}"
    return "\n".join(rows)


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_and_option_is_in_the_readme(command: str) -> None:
    row = readme_row(command)
    for option in sorted(long_options(subcommands()[command])):
        where = README if option in SHARED and command in READING else row
        assert re.search(rf"{re.escape(option)}\b", where), f"{command} {option} is not in README.md"


@pytest.mark.parametrize("command", READING)
def test_every_reading_command_takes_graph_and_endpoint(command: str) -> None:
    assert long_options(subcommands()[command]) >= SHARED


def test_the_console_script_is_the_same_command_line(built: Path) -> None:
    script = Path(sys.executable).parent / "gonghui-kg"
    assert script.exists(), "scripts/setup.sh installs the project, which makes the gonghui-kg command"
    by_script = subprocess.run([str(script), "stats", "--graph", str(built)], capture_output=True, text=True,
                               timeout=120, cwd=ROOT)
    by_module = graph_cli("stats", "--graph", str(built))
    assert by_script.returncode == by_module.returncode == 0, by_script.stderr + by_module.stderr
    assert by_script.stdout == by_module.stdout
    assert "人物" in by_script.stdout and "文章" in by_script.stdout  # the ontology's names


def test_errors_are_one_line_with_the_status_they_mean(tmp_path: Path, built: Path) -> None:
    missing = graph_cli("stats", "--graph", str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: ") and missing.stderr.count("\n") == 1
    assert "nowhere" in missing.stderr

    both = graph_cli("stats", "--graph", str(built), "--endpoint", "http://127.0.0.1:9")
    assert both.returncode == 2 and "not both" in both.stderr

    unreachable = graph_cli("stats", "--endpoint", "http://127.0.0.1:9")
    assert unreachable.returncode == 1 and unreachable.stderr.startswith("error: ")

    gold_missing = graph_cli("evaluate", "--graph", str(built), str(tmp_path / "none.gold.json"))
    assert gold_missing.returncode == 2 and "none.gold.json: no such file" in gold_missing.stderr


def test_reading_commands_answer_the_same_from_an_endpoint(server: str, built: Path,  # noqa: F811
                                                          tmp_path: Path) -> None:
    build([str(ARTICLES)], tmp_path / "remote", endpoint=Endpoint.from_base(server))
    for args in (["stats"], ["analyze", "--top", "3"], ["path", "付湘生", "张艳革"], ["validate"],
                 ["evaluate", str(GOLD)]):
        local = graph_cli(*args, "--graph", str(built))
        remote = graph_cli(*args, "--endpoint", server)
        assert local.returncode == remote.returncode == 0, (args, local.stderr, remote.stderr)
        if args[0] in ("stats", "validate"):  # these name the graph they read
            local_out, remote_out = (o.replace(str(built), "G").replace(server, "G").replace(
                str(built / "store"), "G") for o in (local.stdout, remote.stdout))
            assert remote_out.splitlines()[1:] == local_out.splitlines()[1:], args
        else:
            assert remote.stdout == local.stdout, args


def test_the_positional_forms_of_the_contract_still_work(built: Path) -> None:
    by_position = graph_cli("evaluate", str(built / "graph.ttl"), str(GOLD))
    by_option = graph_cli("evaluate", "--graph", str(built / "graph.ttl"), str(GOLD))
    assert by_position.returncode == by_option.returncode == 0, by_position.stderr + by_option.stderr
    assert by_position.stdout == by_option.stdout
    assert graph_cli("validate", str(built / "graph.ttl")).returncode == 0


# -- the layers ---------------------------------------------------------------------------------

#: Each layer of graph/ and the layers it may import (graph/errors.py and graph/queries/ are for all).
LAYERS = {
    "store": set(),
    "build": {"store"},
    "quality": {"store"},
    "network": {"store"},
    "serve": {"store", "network"},
    "cli": {"store", "build", "quality", "network", "serve"},
}
COMMON = {"errors", "queries"}


def graph_imports(path: Path) -> set[str]:
    """The ``graph.X`` packages a module imports (anywhere in it, also inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        found |= {n.split(".")[1] for n in names if n.startswith("graph.") and n.count(".") >= 1}
        if isinstance(node, ast.Import | ast.ImportFrom) and "argparse" in names:
            found.add("argparse")
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_each_layer_imports_only_the_layers_below_it(layer: str) -> None:
    allowed = LAYERS[layer] | COMMON | {layer}
    for module in sorted((ROOT / "graph" / layer).rglob("*.py")):
        imported = graph_imports(module)
        assert imported - {"argparse"} <= allowed, f"{module.relative_to(ROOT)} imports {imported - allowed}"
        if layer != "cli":
            assert "argparse" not in imported, f"{module.relative_to(ROOT)} parses arguments outside cli/"


def test_relations_keep_only_those_ties(built: Path) -> None:
    for relations in ("post", "hierarchy,campaign"):
        result = graph_cli("analyze", "--relations", relations, "--top", "3", "--graph", str(built))
        assert result.returncode == 0, result.stderr
    unknown = graph_cli("analyze", "--relations", "friendship", "--graph", str(built))
    assert unknown.returncode == 2 and "unknown relation" in unknown.stderr
