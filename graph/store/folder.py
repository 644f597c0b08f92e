"""A build's ``--out`` folder: one build at a time, nothing left behind, the exports swapped whole.

- A build holds an exclusive ``flock`` on ``OUT/.build.lock`` from start to end; a second build
  into the same folder stops at once with a message naming it. The kernel drops the lock when the
  process dies, even by ``kill -9``, so a killed build never leaves the folder locked.
- Holding the lock, a build first removes what a killed build left: temporary files
  (``.NAME.XXXX.tmp``) and export sets that never went live.
- The export set (``graph.ttl``, ``.trig``, ``.nt``, ``.jsonld``) is written into a fresh folder
  ``OUT/exports/set-XXXX/``, and goes live by renaming one symbolic link, ``OUT/exports/current``,
  over the old one. ``OUT/graph.ttl`` and the others are fixed links through ``current``, so a
  reader opening any of them sees the old set or the new one, never a mix. A reader that needs
  several files of one set resolves ``OUT/exports/current`` once and reads from that folder: the
  previous set is kept (as ``OUT/exports/previous``) until the next build replaces it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.errors import Busy
from graph.store.oxigraph import fsync_directory

LOCK_NAME = ".build.lock"
EXPORTS_DIRNAME = "exports"
CURRENT, PREVIOUS = "current", "previous"
SET_PREFIX = "set-"


class OutFolderBusy(Busy, RuntimeError):
    """Another build holds the folder's lock."""


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold ``out``'s build lock, or raise :class:`OutFolderBusy` at once (never wait)."""
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutFolderBusy(
                f"nothing was built: {out} is being written by another build (it holds {out / LOCK_NAME}); "
                "wait for it to finish or choose another --out"
            ) from None
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(out: Path, names: list[str]) -> list[Path]:
    """Remove what an interrupted build left in ``out`` (temporary files of the export ``names``,
    sets that never went live); call it holding the lock. Returns what went."""
    exports = out / EXPORTS_DIRNAME
    patterns = [(out, f".{name}.*.tmp") for name in names] + [(exports, ".*.tmp")]
    removed = [leftover for folder, pattern in patterns for leftover in folder.glob(pattern)]
    for leftover in removed:
        leftover.unlink(missing_ok=True)
    live = {_link_target(exports / CURRENT), _link_target(exports / PREVIOUS)}
    for candidate in exports.glob(f"{SET_PREFIX}*") if exports.is_dir() else ():
        if candidate.name not in live:
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


def publish_exports(out: Path, names: list[str], write: Callable[[Path], None]) -> list[Path]:
    """Write a new export set with ``write(folder)`` (it must create every file of ``names`` there)
    and make it the live one in a single rename; returns ``out/NAME`` for each name."""
    exports = out / EXPORTS_DIRNAME
    exports.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=SET_PREFIX, dir=exports))
    try:
        write(fresh)
        missing = [name for name in names if not (fresh / name).is_file()]
        if missing:
            raise RuntimeError(f"the export set in {fresh} lacks {', '.join(missing)}")
        os.chmod(fresh, 0o755)  # mkdtemp makes it private
        fsync_directory(fresh)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = _link_target(exports / CURRENT)
    if old is not None:
        _replace_link(exports / PREVIOUS, old)
    _replace_link(exports / CURRENT, fresh.name)  # the moment the new set goes live
    for name in names:
        target = f"{EXPORTS_DIRNAME}/{CURRENT}/{name}"
        if _link_target(out / name) != target:  # first build, or a folder from before the sets
            _replace_link(out / name, target)
    fsync_directory(exports)
    fsync_directory(out)
    remove_leftovers(out, names)  # the set before the previous one
    return [out / name for name in names]


def _link_target(link: Path) -> str | None:
    try:
        return os.readlink(link)
    except OSError:
        return None


def _replace_link(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` atomically: a new link renamed over the old file or link."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, link)


