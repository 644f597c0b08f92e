"""What can go wrong in a command, as types: each knows the exit status it means.

Every layer raises these (or subclasses of them next to the code that raises them); the command
line (:mod:`graph.cli`) turns them into one line on stderr and an exit status, in one place.
"""

from __future__ import annotations

EXIT_OK = 0
#: The command ran and the answer is "no" or part of the work failed (a violation, a skipped input).
EXIT_FAILED = 1
#: The command could not start: a bad argument, name, query, or a graph that is not there.
EXIT_USAGE = 2
#: Another process holds what the command must write (a build folder, a store).
EXIT_BUSY = 3


class GraphError(Exception):
    """A failure the user can act on; ``exit_code`` is what the command line exits with."""

    exit_code = EXIT_FAILED


class UsageError(GraphError):
    """The arguments ask for something that is not there or not allowed."""

    exit_code = EXIT_USAGE


class GraphNotFound(UsageError, FileNotFoundError):
    """What ``--graph`` names is neither a build folder nor an RDF file."""


class Busy(GraphError):
    """What the command must write is held by another process."""

    exit_code = EXIT_BUSY
