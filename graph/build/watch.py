"""``build --watch``: keep a graph current while articles are added to (or changed in) its inputs.

The first build is an ordinary :func:`~graph.build.run.build`. Then the process stays, its
extraction pipeline loaded, and sleeps until the file system reports a change under the inputs
(watchfiles: inotify on Linux, FSEvents on macOS, polling elsewhere). Each batch of changes is
built as ``build`` would build it, with the same article keys (the inputs are walked as given),
but only the files whose identity, size or modification time changed are read: what a batch costs
follows what changed, not the corpus. A batch that only adds articles grows the export set
(:meth:`~graph.store.oxigraph.GraphStore.grow_export_set`) instead of rewriting it.

As for ``build``, an article whose file is deleted keeps its graph. A batch that finds the
folder busy (another build writing it) is tried again at the next change or within
:data:`RETRY_SECONDS`; so are the files that changed between the first build's look at the
inputs and the start of the watcher (the watcher's first wake-up compares every file).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.build.run import BuildReport, build
from graph.errors import Busy, UsageError
from loaders.read import TEXT_SUFFIXES, discover

#: How often a batch that found the folder busy is tried again, at the latest.
RETRY_SECONDS = 5.0

#: What identifies a file's content without reading it.
Signature = tuple[int, int, int, int]


def signatures(inputs: list[str]) -> dict[Path, Signature]:
    """The article files under ``inputs`` (as a build finds them), each with its signature."""
    files, _ = discover(inputs)
    found: dict[Path, Signature] = {}
    for file in files:
        try:
            status = file.path.stat()
        except OSError:
            continue  # gone since: the next batch will not see it either
        found[file.path] = (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
    return found


def watch(
    inputs: list[str],
    out: Path,
    on_build: Callable[[BuildReport], None],
    *,
    jobs: int = 1,
    stop: threading.Event | None = None,
    on_busy: Callable[[Busy], None] | None = None,
    **options: Any,
) -> None:
    """Build ``inputs`` into ``out``, then each batch of changes, until ``stop`` is set (or an
    interrupt). ``on_build`` gets every build's report; ``options`` are :func:`build`'s."""
    import watchfiles  # only a watching build needs it

    watched = [path for path in inputs if os.path.exists(path)]
    if not watched:
        raise UsageError(f"nothing to watch: none of {', '.join(inputs)} exists")
    seen = signatures(inputs)  # before the first build: a file changed while it runs is built after
    first = build(inputs, out, jobs=jobs, **options)
    if not options.get("scheduler"):
        from graph.build.extract import load_pipeline

        load_pipeline(options.get("backend"))  # now, not when the first article comes
    on_build(first)
    pending: set[Path] = set()
    caught_up = False  # files that came before the watcher started are found at its first wake-up

    def is_article(change: watchfiles.Change, path: str) -> bool:
        return Path(path).suffix.lower() in TEXT_SUFFIXES

    changes = watchfiles.watch(
        *watched, watch_filter=is_article, stop_event=stop, raise_interrupt=False,
        rust_timeout=int(RETRY_SECONDS * 1000), yield_on_timeout=True,
    )
    for batch in changes:
        if not batch and not pending and caught_up:
            continue  # a time-out with nothing to retry
        caught_up = True
        now = signatures(inputs)
        pending |= {path for path, signature in now.items() if seen.get(path) != signature}
        seen = now
        if not pending:
            continue
        try:
            # a batch of a few articles is extracted here, by the pipeline this process has loaded
            report = build(inputs, out, jobs=jobs if len(pending) >= 8 * jobs else 1, only=pending, **options)
        except Busy as error:
            if on_busy is not None:
                on_busy(error)
            continue  # kept pending: tried again at the next change or time-out
        pending = set()
        on_build(report)
