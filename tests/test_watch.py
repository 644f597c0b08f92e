"""``build --watch``: the graph kept current as articles arrive, driven as a user runs it."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from graph.store.oxigraph import GraphStore

ROOT = Path(__file__).resolve().parent.parent

FIRST = "尧都区总工会召开全委会议。区总工会主席林振华出席会议并讲话，要求各级工会做好职工服务工作。"
SECOND = "临汾市总工会开展送温暖活动，市总工会副主席郭晓燕带队走访困难职工家庭。"
EDITED = SECOND.replace("郭晓燕", "韩立新")


class Watcher:
    """``python -m graph build --watch`` in the background, its output read line by line."""

    def __init__(self, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph", "build", *args, "--watch"], cwd=ROOT, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        stdout = self.process.stdout
        threading.Thread(target=lambda: [self.lines.put(line) for line in stdout], daemon=True).start()

    def wait_for(self, text: str, timeout: float = 120) -> list[str]:
        """The lines printed until one holding ``text``."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            if text in line:
                return seen
        stderr = self.process.stderr.read() if self.process.poll() is not None and self.process.stderr else ""
        raise AssertionError(f"no line with {text!r} in {seen} {stderr}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def labels(out: Path) -> set[str]:
    quads = ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    return {q.object.value for q in quads if q.predicate.value.endswith("#label")}


def test_watching_builds_each_new_and_changed_article(tmp_path: Path) -> None:
    corpus, out = tmp_path / "news", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text(FIRST, encoding="utf-8")
    watcher = Watcher(str(corpus), "--out", str(out))
    try:
        first = watcher.wait_for("watching")
        assert any("built 1 article(s)" in line for line in first)
        live = (out / "exports" / "current").resolve()

        (corpus / "later").mkdir()
        (corpus / "later" / "b.txt").write_text(SECOND, encoding="utf-8")
        added = watcher.wait_for("outputs")
        assert "built 1 article(s), " not in added[-1] and "built 1 article(s); outputs (grown" in added[-1]
        assert "郭晓燕" in labels(out) and "林振华" in labels(out)
        assert (out / "exports" / "current").resolve() != live

        (corpus / "later" / "b.txt").write_text(EDITED, encoding="utf-8")  # an edit replaces the article
        edited = watcher.wait_for("outputs")
        assert "built 1 article(s); outputs:" in edited[-1]
        names = labels(out)
        assert "韩立新" in names and "郭晓燕" not in names and "林振华" in names
    finally:
        status = watcher.stop()
    assert status == 0
    assert "stopped watching" in watcher.wait_for("stopped watching")[-1]
    # the article keys are those a whole build gives: the watched folder's name, then the path
    with GraphStore(out / "store", read_only=True) as store:
        assert sorted(iri.rsplit("/article/", 1)[1] for iri in store.article_iris()) == ["news/a.txt",
                                                                                       "news/later/b.txt"]


def test_watching_an_empty_folder_waits_for_articles(tmp_path: Path) -> None:
    corpus, out = tmp_path / "news", tmp_path / "out"
    corpus.mkdir()
    watcher = Watcher(str(corpus), "--out", str(out))
    try:
        watcher.wait_for("watching")
        (corpus / "notes.md").write_text("不是文章", encoding="utf-8")  # not an article file: ignored
        (corpus / "a.txt").write_text(FIRST, encoding="utf-8")
        built = watcher.wait_for("outputs")
        assert "built 1 article(s)" in built[-1]
        assert "林振华" in labels(out)
    finally:
        assert watcher.stop() == 0
