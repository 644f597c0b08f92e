"""What a messy corpus or a careless user throws at `python -m graph build`: nothing takes the build
down, every input that is skipped is named with its reason, and nothing is lost silently.

Every test writes its own files into tmp_path and runs the command line as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from graph.build.extract import Extracted, extract_in_pool
from ontology import GH, SCHEMA
from tests.conftest import ROOT


def graph_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "graph", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def start_build(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "graph", "build", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def articles(out: Path) -> dict[str, str]:
    """Each article's schema:identifier and its first sentence."""
    graph = Graph().parse(out / "graph.ttl")
    found = {}
    for article in graph.subjects(RDF.type, SCHEMA.NewsArticle):
        parts = graph.subjects(SCHEMA.isPartOf, article)
        sentences = sorted(parts, key=lambda s: graph.value(s, GH.charStart))
        texts = [str(graph.value(s, SCHEMA.text)) for s in sentences if graph.value(s, SCHEMA.text)]
        found[str(graph.value(article, SCHEMA.identifier))] = texts[0] if texts else ""
    return found


def skipped(stderr: str) -> dict[str, str]:
    """``skipped PATH: REASON`` lines of a build, by path."""
    lines = [line.removeprefix("skipped ") for line in stderr.splitlines() if line.startswith("skipped ")]
    return dict(line.split(": ", 1) for line in lines)


# -- inputs that are not articles -------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_links_pipes_devices_and_huge_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("海淀区总工会主席王明华介绍，今年共举办培训36场。\n", encoding="utf-8")
    (corpus / "loop.txt").symlink_to("loop.txt")  # a link to itself
    (corpus / "gone.txt").symlink_to("nowhere.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")  # read "to the end" it never ends
    os.mkfifo(corpus / "pipe.txt")  # opening it to read blocks until someone writes
    (corpus / "big.txt").write_text("顺义区总工会召开会议。\n" * 400, encoding="utf-8")
    result = graph_cli("build", str(corpus), "--out", str(tmp_path / "out"), "--max-article-bytes", "4000",
                       timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    reasons = skipped(result.stderr)
    assert reasons[str(corpus / "loop.txt")].startswith("symbolic link loop")
    assert reasons[str(corpus / "gone.txt")].startswith("broken symbolic link")
    assert "character device" in reasons[str(corpus / "zero.txt")]
    assert "named pipe" in reasons[str(corpus / "pipe.txt")]
    assert "larger than 4,000 bytes" in reasons[str(corpus / "big.txt")]
    assert "--max-article-bytes" in reasons[str(corpus / "big.txt")]
    assert list(articles(tmp_path / "out")) == ["corpus/good.txt"]


def test_a_symlink_loop_given_as_input_is_reported(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "good.txt").write_text("西城区总工会副主席李春梅说，全年新建职工之家12个。", encoding="utf-8")
    result = graph_cli("build", str(tmp_path / "loop"), str(tmp_path / "good.txt"),
                       "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert skipped(result.stderr)[str(tmp_path / "loop")].startswith("symbolic link loop")
    assert list(articles(tmp_path / "out")) == ["good.txt"]


def test_jsonl_lines_are_judged_one_by_one(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    texts = [f"第{n}届职工运动会由丰台区总工会主办，参赛职工{n * 10}名。" for n in range(1, 13)]
    good = [json.dumps({"text": text}, ensure_ascii=False) for text in texts]
    bad = {
        4: '{"text": "含有\x00字节"}',  # one NUL byte used to make the whole file "binary"
        7: "[" * 100_000,  # RecursionError in the JSON parser
        9: '{"a":' * 50_000,
    }
    lines = list(good)
    for number, line in sorted(bad.items()):
        lines.insert(number - 1, line)
    feed.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    result = graph_cli("build", str(feed), "--out", str(tmp_path / "out"), timeout=200)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    reasons = skipped(result.stderr)
    assert set(reasons) == {f"{feed}:{n}" for n in (4, 7, 9)}
    assert reasons[f"{feed}:4"].startswith("binary data (a NUL byte)")
    assert reasons[f"{feed}:7"] == reasons[f"{feed}:9"] == "JSON nested too deeply to read"
    built = articles(tmp_path / "out")
    assert len(built) == len(good)
    assert set(built) == {f"feed.jsonl:{n}" for n in range(1, len(lines) + 1) if n not in (4, 7, 9)}


def test_a_jsonl_line_over_the_limit_is_skipped_alone(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"text": "怀柔区总工会举办职工技能大赛，参赛职工120名。"}, ensure_ascii=False) + "\n"
        + json.dumps({"text": "长" * 5000}, ensure_ascii=False) + "\n"
        + json.dumps({"text": "延庆区总工会慰问一线职工800名。"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    result = graph_cli("build", str(feed), "--out", str(tmp_path / "out"), "--max-article-bytes", "1000")
    assert result.returncode == 1, result.stderr
    assert skipped(result.stderr) == {
        f"{feed}:2": "larger than 1,000 bytes, the limit per article (build --max-article-bytes)"
    }
    assert set(articles(tmp_path / "out")) == {"feed.jsonl:1", "feed.jsonl:3"}


# -- article identity -------------------------------------------------------------------------------


def test_same_file_name_in_two_folders_is_two_articles_with_relative_identifiers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    for month, text in (("2023-01", "通州区总工会主席韩立新表示，今年将新建驿站20个。"),
                        ("2023-02", "房山区总工会副主席周红霞介绍，全年慰问职工500名。")):
        (corpus / month).mkdir(parents=True)
        (corpus / month / "index.txt").write_text(text + "\n", encoding="utf-8")
    result = graph_cli("build", str(corpus), "--out", str(tmp_path / "whole"))
    assert result.returncode == 0, result.stderr
    built = articles(tmp_path / "whole")
    assert set(built) == {"corpus/2023-01/index.txt", "corpus/2023-02/index.txt"}
    assert all(not identifier.startswith("/") and str(tmp_path) not in identifier for identifier in built)
    assert len(set(built.values())) == 2
    # Month by month into one folder: the second build adds its article, it replaces nothing.
    for month in ("2023-01", "2023-02"):
        assert graph_cli("build", str(corpus / month), "--out", str(tmp_path / "monthly")).returncode == 0
    assert set(articles(tmp_path / "monthly")) == {"2023-01/index.txt", "2023-02/index.txt"}
    # The same folder named from elsewhere (another working directory) gives the same graph.
    relative = os.path.relpath(corpus, tmp_path / "corpus" / "2023-01")
    command = [sys.executable, "-m", "graph", "build", relative, "--out", str(tmp_path / "again")]
    again = subprocess.run(command, cwd=corpus / "2023-01", env={**os.environ, "PYTHONPATH": str(ROOT)},
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "graph.ttl").read_bytes() == (tmp_path / "whole" / "graph.ttl").read_bytes()


def test_jsonl_lines_with_a_url_are_known_by_it(tmp_path: Path) -> None:
    line = {"text": "房山区总工会开展职工健康讲座，惠及职工260名。", "url": "https://example.org/news?id=7#top"}
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "feed.jsonl").write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
        assert graph_cli("build", str(tmp_path / name), "--out", str(tmp_path / "out")).returncode == 0
    assert list(articles(tmp_path / "out")) == [line["url"]]  # one article, wherever the line sat


def test_a_gbk_file_name_and_a_replacement_character_lose_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    gbk_name = "工会报道.txt".encode("gbk")  # as an archive made on Chinese Windows unpacks
    with open(os.path.join(os.fsencode(corpus), gbk_name), "wb") as fh:
        fh.write("朝阳区总工会主席陈志强介绍，今年共培训职工900名。\n".encode())
    (corpus / "damaged.txt").write_text("大兴区总工会深入开展“职工\ufffd书屋建设”活动，惠及职工300名。\n",
                                        encoding="utf-8")
    out = tmp_path / "out"
    result = graph_cli("build", str(corpus), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert set(articles(out)) == {"corpus/工会报道.txt", "corpus/damaged.txt"}
    graph = Graph().parse(out / "graph.ttl")
    campaigns = {str(graph.value(c, RDFS.label)) for c in graph.subjects(RDF.type, GH.Campaign)}
    assert campaigns == {"职工\ufffd书屋建设"}
    assert graph_cli("validate", str(out / "graph.ttl")).returncode == 0


# -- the output folder ------------------------------------------------------------------------------


def write_corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        text = f"石景山区总工会第{n + 1}次会议召开，主席刘建国出席并讲话，会议表彰先进职工{n + 5}名。"
        (folder / f"a{n:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def wait_for(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_second_build_into_a_busy_folder_is_refused_clearly(tmp_path: Path) -> None:
    corpus, out = write_corpus(tmp_path / "corpus", 3), tmp_path / "out"
    # One long article keeps the first build busy for a while after it took the folder.
    long_text = "".join(f"门头沟区总工会第{n}期培训班开班，参训职工{n + 20}名。" for n in range(1500))
    (corpus / "long.txt").write_text(long_text, encoding="utf-8")
    first = start_build(str(corpus), "--out", str(out))
    try:
        wait_for(lambda: (out / "store").is_dir() or first.poll() is not None, 120)
        second = graph_cli("build", str(corpus), "--out", str(out))
        first_out, first_err = first.communicate(timeout=300)
    finally:
        first.kill()
    assert first.returncode == 0, first_err
    assert second.returncode == 3, second.stderr
    assert "Traceback" not in second.stderr
    assert f"{out} is being written by another build" in second.stderr
    assert len(articles(out)) == 4


def test_a_store_held_by_another_process_is_a_clear_error(tmp_path: Path) -> None:
    corpus, out = write_corpus(tmp_path / "corpus", 1), tmp_path / "out"
    out.mkdir()
    held = ox.Store(str(out / "store"))  # e.g. a notebook that opened the store to write
    try:
        result = graph_cli("build", str(corpus), "--out", str(out))
    finally:
        del held
    assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr
    assert f"the store {out / 'store'} is in use by another process" in result.stderr


def test_what_a_killed_build_left_is_removed_by_the_next(tmp_path: Path) -> None:
    corpus, out = write_corpus(tmp_path / "corpus", 2), tmp_path / "out"
    assert graph_cli("build", str(corpus), "--out", str(out)).returncode == 0
    # What kill -9 leaves half-way through writing the exports, in this layout and the one before.
    leftovers = [out / ".graph.ttl.k3j2x9.tmp", out / ".graph.nt.0p1q2r.tmp",
                 out / "exports" / ".current.99.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"<half a file")
    (out / "exports" / "set-halfdone").mkdir()
    (out / "exports" / "set-halfdone" / "graph.ttl").write_bytes(b"<half")
    (out / "graph.html").write_text("<p>the view is not the build's</p>", encoding="utf-8")
    result = graph_cli("build", str(corpus), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert [p for p in leftovers if p.exists()] == []
    assert not (out / "exports" / "set-halfdone").exists()
    assert (out / "graph.html").exists()
    assert len(articles(out)) == 2


def test_readers_see_the_old_export_set_or_the_new_one_never_a_mix(tmp_path: Path) -> None:
    out = tmp_path / "out"
    names = ["graph.ttl", "graph.trig", "graph.nt", "graph.jsonld"]
    first = graph_cli("build", str(write_corpus(tmp_path / "one", 1)), "--out", str(out),
                      "--formats", "turtle,trig,nt,jsonld")  # the later builds keep the four
    assert first.returncode == 0, first.stderr
    seen: set[tuple[int, ...]] = set()
    problems: list[str] = []
    stop = threading.Event()

    def read_sets() -> None:
        while not stop.is_set():
            folder = Path(os.path.realpath(out / "graph.ttl")).parent  # one set, resolved once
            try:
                sizes = tuple(
                    len(list(ox.parse(path=str(folder / name)))) if name != "graph.trig" else
                    len({q.triple for q in ox.parse(path=str(folder / name))})
                    for name in names
                )
            except (OSError, SyntaxError) as error:
                problems.append(f"{folder}: {error}")
                continue
            if len(set(sizes)) != 1:
                problems.append(f"{folder}: mixed set {sizes}")
            seen.add(sizes)

    reader = threading.Thread(target=read_sets)
    reader.start()
    try:
        for count in (4, 8):
            result = graph_cli("build", str(write_corpus(tmp_path / "more", count)), "--out", str(out))
            assert result.returncode == 0, result.stderr
            assert "grown by the new articles" in result.stdout  # each build only adds articles
    finally:
        stop.set()
        reader.join()
    assert problems == []
    assert len(seen) >= 2  # the reader saw the sets change
    assert all((out / name).resolve().parent == (out / "exports" / "current").resolve() for name in names)
    Graph().parse(out / "graph.ttl")  # the path in the contract still works
    assert len(articles(out)) == 1 + 8


# -- extraction in worker processes -----------------------------------------------------------------


def die_on_request(text: str) -> Extracted:
    """Stands in for the extraction in a pool worker: the process dies (as the kernel's OOM killer
    or a crash in native code would end it) on the item "die"."""
    if text == "die":
        os._exit(137)
    return Extracted(ntriples=text)


def test_a_worker_that_dies_costs_only_the_input_it_held() -> None:
    items = ["a", "b", "die", "c", "d", "e", "die", "f"]
    results = list(extract_in_pool(items, die_on_request, jobs=2))
    assert [r.ntriples or r.error for r in results] == [
        "a", "b", "the worker process extracting it died (out of memory, or a crash)", "c", "d", "e",
        "the worker process extracting it died (out of memory, or a crash)", "f",
    ]
