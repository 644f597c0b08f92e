"""jieba's dictionary as a lookup table that opens instantly: an SQLite file in the user's cache folder.

The rules ask the dictionary about a few dozen words per article, but loading it the way jieba
does (unmarshalling its 500,000-entry prefix dictionary, then parsing ``dict.txt`` again for the
word tags) cost every process 0.75 s of CPU before the first article, the largest part of a
build's cold start and paid again by every ``--jobs`` worker. The table is written once from what
jieba reads in the installed ``dict.txt``, so every answer is jieba's, and then each process only
opens it. It also serves jieba's own tokenizer as its prefix dictionary (``Frequencies``).

The file is named by a key of the installed jieba and its ``dict.txt`` (version, path, size,
modification time) and of this table's layout, so upgrading jieba or editing its dictionary makes
a new table. It is written to a temporary file and renamed into place: two processes building it
at once each rename a complete table, and a reader never sees a partial one. A table that will
not open (corrupt, another dictionary's) is rebuilt, one found damaged while in use is removed
and jieba's dictionary read into memory; when the cache folder cannot be written the dictionary
is read into memory as before, and the build goes on.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import logging
import os
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import platformdirs

# Bump when the table's layout or what it is built from changes: older files are then ignored.
LAYOUT = 2
PERSON_TAG = "nr"
log = logging.getLogger(__name__)


def cache_folder() -> Path:
    """gonghui-kg's folder in the user's cache (``$XDG_CACHE_HOME``, else ``~/.cache``)."""
    return Path(platformdirs.user_cache_dir("gonghui-kg", appauthor=False))


def jieba_dictionary_file() -> Path:
    """The installed jieba's ``dict.txt``, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def source_key(dictionary_file: Path) -> str:
    """What the table is built from: jieba's version, its dictionary file's path, size and
    modification time, and the table's layout. Any change names a different table."""
    status = dictionary_file.stat()
    parts = (LAYOUT, importlib.metadata.version("jieba"), dictionary_file.resolve(), status.st_size,
             status.st_mtime_ns)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


Row = tuple[int, str | None]
"""jieba's frequency of a word (0 for a prefix of longer words only) and its tag, if any."""


@dataclass(frozen=True)
class JiebaDictionary:
    """A jieba dictionary file as jieba reads it."""

    frequencies: dict[str, int]
    """jieba's prefix dictionary: every word with its frequency, every prefix of a word with 0."""
    total: int
    """The sum of the file's frequencies, the base of jieba's word probabilities."""
    tags: dict[str, str]


class Lookup(Protocol):
    """What jieba's dictionary says about a word, and which characters begin its person entries."""

    total: int

    def row(self, word: str) -> Row | None:
        """The word's frequency and tag, or None when the dictionary has no such word or prefix."""
        ...

    def name_starts(self) -> Counter[str]:
        """How many of jieba's two- and three-character person entries (tag ``nr``) each character begins."""
        ...


class Frequencies:
    """A lookup as jieba's tokenizer uses its prefix dictionary (``Tokenizer.FREQ``): ``word in``,
    ``[word]`` and ``.get(word)``, nothing that lists the whole dictionary."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.lookup.row(word) is not None

    def __getitem__(self, word: str) -> int:
        row = self.lookup.row(word)
        if row is None:
            raise KeyError(word)
        return row[0]

    def get(self, word: str, default: int | None = None) -> int | None:
        row = self.lookup.row(word)
        return default if row is None else row[0]


class MemoryLookup:
    """The dictionary as jieba loads it, in this process's memory (the fallback)."""

    def __init__(self, dictionary: JiebaDictionary) -> None:
        self.dictionary, self.total = dictionary, dictionary.total

    def row(self, word: str) -> Row | None:
        frequency = self.dictionary.frequencies.get(word)
        return None if frequency is None else (frequency, self.dictionary.tags.get(word))

    def name_starts(self) -> Counter[str]:
        return count_name_starts(self.dictionary.tags.items())


class TableLookup:
    """The dictionary in an SQLite table, opened read-only. A table found damaged while in use is
    removed (the next process builds it again) and this process goes on with jieba in memory."""

    def __init__(self, path: Path, key: str, dictionary_file: Path) -> None:
        self.path, self.dictionary_file = path, dictionary_file
        self.lock = threading.Lock()
        self.fallback: Lookup | None = None
        # immutable: the file is never written after it is renamed into place, so SQLite may skip
        # locking; check_same_thread off because a build may read articles in another thread.
        self.connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        try:
            meta = dict(self.connection.execute("SELECT name, value FROM meta"))
            if meta.get("key") != key:
                raise sqlite3.DatabaseError(f"built from another dictionary ({meta.get('key')})")
            self.total = int(meta["total"])
        except (sqlite3.Error, KeyError, ValueError) as error:
            self.connection.close()
            raise sqlite3.DatabaseError(str(error)) from error

    def row(self, word: str) -> Row | None:
        try:
            with self.lock:
                if self.fallback is None:
                    return self.connection.execute(
                        "SELECT frequency, tag FROM words WHERE word = ?", (word,)
                    ).fetchone()
        except sqlite3.DatabaseError as error:
            self.fall_back(error)
        assert self.fallback is not None
        return self.fallback.row(word)

    def name_starts(self) -> Counter[str]:
        try:
            with self.lock:
                if self.fallback is None:
                    rows = self.connection.execute("SELECT character, entries FROM name_starts")
                    return Counter(dict(rows))
        except sqlite3.DatabaseError as error:
            self.fall_back(error)
        assert self.fallback is not None
        return self.fallback.name_starts()

    def fall_back(self, error: sqlite3.DatabaseError) -> None:
        log.warning("the dictionary table %s is damaged (%s): removed, reading jieba's own", self.path, error)
        with self.lock:
            if self.fallback is None:
                self.connection.close()
                self.path.unlink(missing_ok=True)
                self.fallback = MemoryLookup(jieba_dictionary(self.dictionary_file))


def count_name_starts(tags: Iterable[tuple[str, str]]) -> Counter[str]:
    return Counter(word[0] for word, tag in tags if tag == PERSON_TAG and 2 <= len(word) <= 3)


def jieba_dictionary(dictionary_file: Path) -> JiebaDictionary:
    """A jieba dictionary file, read by jieba itself."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer(str(dictionary_file))
    with tokenizer.get_dict_file() as lines:
        frequencies, total = tokenizer.gen_pfdict(lines)
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = frequencies, total, True
    return JiebaDictionary(frequencies, total, jieba.posseg.POSTokenizer(tokenizer).word_tag_tab)


def write_table(path: Path, key: str, dictionary: JiebaDictionary) -> None:
    """Write the table to a temporary file beside ``path`` and rename it into place (atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        connection = sqlite3.connect(temporary)
        try:
            with connection:
                connection.executescript(
                    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                    "CREATE TABLE words (word TEXT PRIMARY KEY, frequency INTEGER NOT NULL, tag TEXT)"
                    " WITHOUT ROWID;"
                    "CREATE TABLE name_starts (character TEXT PRIMARY KEY, entries INTEGER NOT NULL);"
                )
                tags = dictionary.tags
                rows = ((word, count, tags.get(word)) for word, count in dictionary.frequencies.items())
                connection.executemany("INSERT INTO words VALUES (?, ?, ?)", rows)
                connection.executemany(
                    "INSERT INTO name_starts VALUES (?, ?)", count_name_starts(tags.items()).items()
                )
                connection.executemany(
                    "INSERT INTO meta VALUES (?, ?)", [("key", key), ("total", str(dictionary.total))]
                )
        finally:
            connection.close()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def open_lookup(folder: Path | None = None, dictionary_file: Path | None = None) -> Lookup:
    """A jieba dictionary (default: the installed jieba's) from its table in ``folder`` (default:
    the user's cache folder), built first when missing, stale or unreadable; read into memory when
    the table cannot be written there."""
    dictionary_file = dictionary_file or jieba_dictionary_file()
    key = source_key(dictionary_file)
    path = (folder or cache_folder()) / f"jieba-dictionary-{key}.sqlite3"
    try:
        return TableLookup(path, key, dictionary_file)
    except sqlite3.Error as error:
        if path.exists():
            log.warning("rebuilding the dictionary table %s: %s", path, error)
    dictionary = jieba_dictionary(dictionary_file)
    try:
        write_table(path, key, dictionary)
        return TableLookup(path, key, dictionary_file)
    except (OSError, sqlite3.Error) as error:
        log.warning("cannot keep jieba's dictionary in %s (%s); reading it into memory", path.parent, error)
        return MemoryLookup(dictionary)
