"""``python -m graph COMMAND ...``: the same command line as ``gonghui-kg`` (see README.md)."""

import sys

from graph.cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m graph"))
