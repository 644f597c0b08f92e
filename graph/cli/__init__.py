"""The gonghui-kg command line: ``gonghui-kg COMMAND ...`` or ``python -m graph COMMAND ...``.

Each module here registers one group of commands on the parser and turns parsed options into calls
of the layers below (``graph.build``, ``graph.store``, ``graph.network``, ``graph.quality``,
``graph.serve``); none of those parses arguments. Errors the layers raise are :mod:`graph.errors`
types, reported here in one line each with the exit status they carry.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from graph.errors import GraphError

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


#: Which module of ``graph.cli`` registers each command. A command line naming one registers that
#: module alone, so ``query`` never imports what ``view`` or ``build`` need (networkx, spaCy):
#: start-up is what the command uses. ``-h`` and unknown commands register them all.
COMMAND_GROUPS: dict[str, str] = {
    "build": "build",
    "evaluate": "quality", "validate": "quality",
    "query": "query", "stats": "query",
    "analyze": "network", "path": "network", "ego": "network", "export": "network", "view": "network",
    "serve": "serve",
}
GROUP_ORDER = ("build", "quality", "query", "network", "serve")


def _command_groups(argv: Sequence[str] | None = None) -> list[Registrar]:
    import importlib

    command = next((arg for arg in (argv or ()) if not arg.startswith("-")), None)
    groups = [COMMAND_GROUPS[command]] if command in COMMAND_GROUPS else list(GROUP_ORDER)
    return [importlib.import_module(f"graph.cli.{group}").register for group in groups]


def report(error: GraphError, err: TextIO | None = None) -> int:
    """Print ``error`` as one line on stderr; the exit status it stands for."""
    print(f"error: {error}", file=err if err is not None else sys.stderr)
    return error.exit_code


def make_parser(prog: str = "gonghui-kg", argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the command ``argv`` names (with its group)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0] if __doc__ else None)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for register in _command_groups(argv):
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "gonghui-kg") -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    args = make_parser(prog, arguments[:1]).parse_args(arguments)
    try:
        return int(args.func(args))
    except GraphError as error:
        return report(error)
    except BrokenPipeError:
        # The reader went away (gonghui-kg query ... | head): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
