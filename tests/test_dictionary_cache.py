"""jieba's dictionary kept as an SQLite table (loaders/extract/dictionary_cache.py): the same answers
as jieba's own, built once, rebuilt when stale or damaged, never a reason for a build to fail.

The dictionaries here are invented: a few made-up words in jieba's ``dict.txt`` format, read by
jieba itself, so every answer can be told from every other.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.extract import dictionary_cache
from loaders.extract.dictionary_cache import Frequencies, MemoryLookup, Row, TableLookup, open_lookup

ROOT = Path(__file__).resolve().parent.parent
# word, frequency, tag: 甲乙丙 twice (jieba keeps the last line), 甲乙 also a prefix of it.
INVENTED = """甲乙 7 v
甲乙丙 3 n
甲乙丙 30 vn
戊己 120 nr
戊庚 15 nr
戊辛 40 nr
庚辛壬 2 nr
癸子 0 n
"""
WORDS = ["甲乙", "甲乙丙", "甲", "戊己", "戊庚", "庚辛壬", "癸子", "丑寅", ""]


@pytest.fixture()
def invented(tmp_path: Path) -> Path:
    path = tmp_path / "dict.txt"
    path.write_text(INVENTED, encoding="utf-8")
    return path


def answers(lookup: dictionary_cache.Lookup) -> tuple[list[Row | None], dict[str, int], int]:
    return [lookup.row(word) for word in WORDS], dict(lookup.name_starts()), lookup.total


def tables(folder: Path) -> list[Path]:
    return sorted(folder.glob("jieba-dictionary-*"))


def test_the_table_answers_as_jieba_does(invented: Path, tmp_path: Path) -> None:
    table = open_lookup(tmp_path / "cache", invented)
    assert isinstance(table, TableLookup)
    assert answers(table) == answers(MemoryLookup(dictionary_cache.jieba_dictionary(invented)))
    rows, starts, total = answers(table)
    assert rows[:5] == [(7, "v"), (30, "vn"), (0, None), (120, "nr"), (15, "nr")]  # 甲: a prefix only
    assert rows[5:] == [(2, "nr"), (0, "n"), None, None]
    assert starts == {"戊": 3, "庚": 1}
    assert total == 7 + 3 + 30 + 120 + 15 + 40 + 2 + 0  # jieba counts 甲乙丙's two lines


def test_the_table_serves_as_jiebas_prefix_dictionary(invented: Path, tmp_path: Path) -> None:
    frequencies = Frequencies(open_lookup(tmp_path, invented))
    jiebas = dictionary_cache.jieba_dictionary(invented).frequencies
    for word in WORDS:
        assert (word in frequencies) == (word in jiebas)
        assert frequencies.get(word) == jiebas.get(word)
    assert frequencies["甲乙"] == 7
    with pytest.raises(KeyError):
        frequencies["丑寅"]


def test_a_second_process_only_opens_the_table(
    invented: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = answers(open_lookup(tmp_path, invented))

    def no_jieba(_: Path) -> None:
        raise AssertionError("the table was there: jieba must not load the dictionary")

    monkeypatch.setattr(dictionary_cache, "jieba_dictionary", no_jieba)
    assert answers(open_lookup(tmp_path, invented)) == first
    assert len(tables(tmp_path)) == 1


def test_a_changed_dictionary_gets_a_new_table(invented: Path, tmp_path: Path) -> None:
    assert open_lookup(tmp_path, invented).row("丑寅") is None
    invented.write_text(INVENTED + "丑寅 9 a\n", encoding="utf-8")
    assert open_lookup(tmp_path, invented).row("丑寅") == (9, "a")
    assert len(tables(tmp_path)) == 2


def test_a_corrupt_table_is_rebuilt(invented: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    expected = answers(open_lookup(tmp_path, invented))
    [table] = tables(tmp_path)
    table.write_bytes(b"not a database at all" * 100)
    with caplog.at_level(logging.WARNING):
        lookup = open_lookup(tmp_path, invented)
    assert isinstance(lookup, TableLookup)
    assert answers(lookup) == expected
    assert "rebuilding the dictionary table" in caplog.text and str(table) in caplog.text
    assert tables(tmp_path) == [table]


def test_a_table_from_another_dictionary_is_rebuilt(invented: Path, tmp_path: Path) -> None:
    expected = answers(open_lookup(tmp_path, invented))
    [table] = tables(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    other_dictionary = other / "dict.txt"
    other_dictionary.write_text("子丑 5 n\n", encoding="utf-8")
    open_lookup(other, other_dictionary)
    [foreign] = tables(other)
    table.write_bytes(foreign.read_bytes())  # a file under this dictionary's name, built from another
    assert answers(open_lookup(tmp_path, invented)) == expected


def test_a_table_damaged_in_use_is_dropped_and_jieba_answers(
    invented: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    expected = answers(open_lookup(tmp_path, invented))
    lookup = open_lookup(tmp_path, invented)
    [table] = tables(tmp_path)
    with open(table, "r+b") as damaged:  # the same file, its pages gone after the header
        damaged.truncate(100)
    with caplog.at_level(logging.WARNING):
        assert answers(lookup) == expected
    assert "is damaged" in caplog.text
    assert tables(tmp_path) == []  # removed: the next process builds it again


def test_an_unwritable_cache_folder_reads_the_dictionary_into_memory(
    invented: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("the cache folder would be below this file")
    with caplog.at_level(logging.WARNING):
        lookup = open_lookup(blocker / "cache", invented)
    assert isinstance(lookup, MemoryLookup)
    assert answers(lookup) == answers(open_lookup(tmp_path / "cache", invented))
    assert "reading it into memory" in caplog.text


def test_a_read_only_cache_folder_reads_the_dictionary_into_memory(invented: Path, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this user writes to read-only folders (root)")
        lookup = open_lookup(folder, invented)
        assert isinstance(lookup, MemoryLookup)
        assert lookup.row("戊己") == (120, "nr")
    finally:
        folder.chmod(0o755)


def open_and_answer(folder: str, dictionary: str, start: multiprocessing.synchronize.Barrier) -> tuple:
    start.wait()  # every process builds at the same moment
    lookup = open_lookup(Path(folder), Path(dictionary))
    return type(lookup).__name__, answers(lookup)


def test_processes_building_the_table_at_once_all_get_it_whole(invented: Path, tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")  # as --jobs starts its workers
    processes = 4
    with context.Manager() as manager:
        start = manager.Barrier(processes)
        with context.Pool(processes) as pool:
            results = pool.starmap(open_and_answer, [(str(tmp_path), str(invented), start)] * processes)
    expected = ("TableLookup", answers(MemoryLookup(dictionary_cache.jieba_dictionary(invented))))
    assert results == [expected] * processes
    assert len(tables(tmp_path)) == 1  # no temporary file left beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dict.txt", tables(tmp_path)[0].name]


def build(article: Path, out: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", "build", str(article), "--out", str(out), "--formats", "turtle"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )


def test_a_build_makes_the_table_once_and_any_cache_gives_the_same_graph(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "某县总工会开展送温暖活动\n\n本报讯（记者 钱立新）某县总工会近日开展“冬日暖心”送温暖活动，"
        "走访慰问困难职工36户。县总工会主席孙海波参加。\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    first = build(article, tmp_path / "first", cache)
    assert first.returncode == 0, first.stderr
    assert len(tables(cache / "gonghui-kg")) == 1
    again = build(article, tmp_path / "again", cache)
    assert again.returncode == 0, again.stderr
    blocker = tmp_path / "not a folder"
    blocker.write_text("")
    memory = build(article, tmp_path / "memory", blocker)
    assert memory.returncode == 0, memory.stderr
    assert "reading it into memory" in memory.stderr
    graph = (tmp_path / "first" / "graph.ttl").read_bytes()
    assert "孙海波" in graph.decode() and "钱立新" in graph.decode()
    assert (tmp_path / "again" / "graph.ttl").read_bytes() == graph
    assert (tmp_path / "memory" / "graph.ttl").read_bytes() == graph


@pytest.mark.parametrize(
    "text",
    ["以职工为中心", "测试区总工会", "欧阳明远", "张三了解", "某某街道工会联合会", "abc123测试 区委",
     "以岭乡总工会", ""],
)
def test_the_loaders_cut_words_as_jieba_does(text: str) -> None:
    """loaders.segment's tokenizer asks the table what jieba would ask its prefix dictionary."""
    import jieba.posseg

    from loaders.segment import pos_words

    jieba.posseg.initialize()  # jieba's own, its whole prefix dictionary loaded
    assert pos_words(text) == [(pair.word, pair.flag) for pair in jieba.posseg.dt.cut(text)]
