"""jieba's dictionary as a lookup table that opens instantly: an SQLite file in the user's cache folder.

The rules ask the dictionary about a few dozen words per article, but loading it the way jieba
does (unmarshalling its 580,000-entry prefix dictionary, then parsing ``dict.txt`` again for the
word tags) cost every process 0.75 s of CPU before the first article, the largest part of a
build's cold start and paid again by every ``--jobs`` worker. The table is written once from the
installed jieba's own structures, so every answer is jieba's, and then each process only opens it.

The file is named by a key of the installed jieba and its ``dict.txt`` (version, path, size,
modification time) and of this table's layout, so upgrading jieba or editing its dictionary makes
a new table. It is written to a temporary file and renamed into place: two processes building it
at once each rename a complete table, and a reader never sees a partial one. A table that will
not open or answer (corrupt, truncated, another layout) is rebuilt; when the cache folder cannot
be written the dictionary is read into memory as before, and the build goes on.
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
LAYOUT = 1
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


@dataclass(frozen=True)
class Entry:
    frequency: int
    tag: str | None


class Lookup(Protocol):
    """What jieba's dictionary says about a word, and which characters begin its person entries."""

    def entry(self, word: str) -> Entry | None:
        """The word's frequency and tag, or None when jieba does not list it with a frequency."""
        ...

    def name_starts(self) -> Counter[str]:
        """How many of jieba's two- and three-character person entries (tag ``nr``) each character begins."""
        ...


class MemoryLookup:
    """The dictionary as jieba loads it, in this process's memory (the fallback)."""

    def __init__(self, frequencies: dict[str, int], tags: dict[str, str]) -> None:
        self.frequencies, self.tags = frequencies, tags

    def entry(self, word: str) -> Entry | None:
        frequency = self.frequencies.get(word)
        return Entry(frequency, self.tags.get(word)) if frequency else None

    def name_starts(self) -> Counter[str]:
        return count_name_starts(self.tags.items())


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
            found = self.connection.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
            if found != (key,):
                raise sqlite3.DatabaseError(f"built from another dictionary ({found})")
        except sqlite3.Error:
            self.connection.close()
            raise

    def entry(self, word: str) -> Entry | None:
        try:
            with self.lock:
                if self.fallback is None:
                    row = self.connection.execute(
                        "SELECT frequency, tag FROM words WHERE word = ?", (word,)
                    ).fetchone()
                    return Entry(*row) if row else None
        except sqlite3.DatabaseError as error:
            self.fall_back(error)
        assert self.fallback is not None
        return self.fallback.entry(word)

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
                self.fallback = MemoryLookup(*jieba_dictionary(self.dictionary_file))


def count_name_starts(tags: Iterable[tuple[str, str]]) -> Counter[str]:
    return Counter(word[0] for word, tag in tags if tag == PERSON_TAG and 2 <= len(word) <= 3)


def jieba_dictionary(dictionary_file: Path) -> tuple[dict[str, int], dict[str, str]]:
    """The prefix dictionary (word → frequency, 0 for prefixes) and word tags of a jieba dictionary
    file, read by jieba itself."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer(str(dictionary_file))
    with tokenizer.get_dict_file() as lines:
        frequencies, _ = tokenizer.gen_pfdict(lines)
    tokenizer.FREQ, tokenizer.initialized = frequencies, True  # the word tags need no more of it
    return frequencies, jieba.posseg.POSTokenizer(tokenizer).word_tag_tab


def write_table(path: Path, key: str, frequencies: dict[str, int], tags: dict[str, str]) -> None:
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
                # Prefixes (frequency 0) answer like absent words, so only listed words are kept.
                listed = ((word, count, tags.get(word)) for word, count in frequencies.items() if count)
                connection.executemany("INSERT INTO words VALUES (?, ?, ?)", listed)
                connection.executemany(
                    "INSERT INTO name_starts VALUES (?, ?)", count_name_starts(tags.items()).items()
                )
                connection.execute("INSERT INTO meta VALUES ('key', ?)", (key,))
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
    frequencies, tags = jieba_dictionary(dictionary_file)
    try:
        write_table(path, key, frequencies, tags)
        return TableLookup(path, key, dictionary_file)
    except (OSError, sqlite3.Error) as error:
        log.warning("cannot keep jieba's dictionary in %s (%s); reading it into memory", path.parent, error)
        return MemoryLookup(frequencies, tags)
