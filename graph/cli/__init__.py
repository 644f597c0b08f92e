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


def _command_groups() -> list[Registrar]:
    from graph.cli import build, network, quality, query, serve

    return [build.register, quality.register, query.register, network.register, serve.register]


def report(error: GraphError, err: TextIO | None = None) -> int:
    """Print ``error`` as one line on stderr; the exit status it stands for."""
    print(f"error: {error}", file=err if err is not None else sys.stderr)
    return error.exit_code


def make_parser(prog: str = "gonghui-kg") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0] if __doc__ else None)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for register in _command_groups():
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "gonghui-kg") -> int:
    args = make_parser(prog).parse_args(argv)
    try:
        return int(args.func(args))
    except GraphError as error:
        return report(error)
    except BrokenPipeError:
        # The reader went away (gonghui-kg query ... | head): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
