"""Read article files into decoded text plus metadata: find files, detect encodings, strip HTML,
split JSONL.

Nothing here interprets the article (that is ``structure``); a file that cannot be read becomes a
:class:`~loaders.model.LoadError` with its path and a reason, never an exception for the caller.
"""

from __future__ import annotations

import codecs
import errno
import functools
import io
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from loaders.model import DEFAULT_MAX_ARTICLE_BYTES, LoadError

TEXT_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}

# JSONL field -> load_text metadata name (the contract names the JSONL fields).
JSONL_FIELDS = {
    "title": "headline",
    "date": "date",
    "url": "url",
    "source": "publisher",
}


class ReadError(Exception):
    """An input that cannot be turned into text; ``str(err)`` is the reason shown to users."""


@dataclass(frozen=True)
class Found:
    """A file to read and its article key: its path from the input argument's own name down
    (``corpus/2023-01/index.txt`` for ``build corpus``; the file name for a file argument),
    ``/``-separated and decoded for display, so it is the same on every run and machine."""

    path: Path
    key: str


@dataclass(frozen=True)
class Document:
    """Decoded text of one article, ready for ``structure``. ``source`` names it in messages;
    ``key`` identifies it (the file's :attr:`Found.key`, a JSONL line's url or ``KEY:LINE``)."""

    source: str
    key: str
    text: str
    metadata: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- finding files


def discover(inputs: Iterable[str | Path]) -> tuple[list[Found], list[LoadError]]:
    """Expand inputs to the files to read; folders are walked recursively in sorted order.

    Only regular files are read: a fifo, device or socket, a broken link or a link loop is an
    error naming it (opening a fifo would block, a device could be read forever). A file reached
    twice (given and inside a given folder, or by two links) is read once, where first met.
    """
    candidates: list[Found] = []
    errors: list[LoadError] = []
    for raw in inputs:
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except OSError as err:
            errors.append(LoadError(str(path), _stat_problem(err, given=True)))
            continue
        if stat.S_ISDIR(mode):
            candidates.extend(_walk(path, errors))
        elif path.suffix.lower() not in TEXT_SUFFIXES:
            supported = ", ".join(sorted(TEXT_SUFFIXES))
            errors.append(LoadError(str(path), f"unsupported file type (use {supported})"))
        else:
            candidates.append(Found(path, display_name(path.name)))
    found: list[Found] = []
    seen: set[tuple[int, int]] = set()
    for candidate in candidates:
        try:
            status = candidate.path.stat()
        except OSError as err:
            errors.append(LoadError(str(candidate.path), _stat_problem(err, given=False)))
            continue
        if not stat.S_ISREG(status.st_mode):
            errors.append(LoadError(str(candidate.path), _not_regular(status.st_mode)))
        elif (identity := (status.st_dev, status.st_ino)) not in seen:
            seen.add(identity)
            found.append(candidate)
    return found, errors


def _walk(folder: Path, errors: list[LoadError]) -> list[Found]:
    # os.walk does not follow links to folders: a folder link loop cannot hang the build.
    base = Path(os.path.abspath(folder)).name  # "." and ".." named, links not followed
    found = []

    def unlistable(err: OSError) -> None:
        reason = f"cannot list this folder: {err.strerror or err}"
        errors.append(LoadError(str(err.filename or folder), reason))

    for root, dirs, names in os.walk(folder, onerror=unlistable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        parts = Path(root).relative_to(folder).parts
        for name in names:
            if Path(name).suffix.lower() in TEXT_SUFFIXES:
                key = "/".join(display_name(part) for part in (base, *parts, name) if part)
                found.append(Found(Path(root) / name, key))
    return sorted(found, key=lambda f: f.path.as_posix())


def _stat_problem(err: OSError, *, given: bool) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop (following the links never reaches a file)"
    if err.errno == errno.ENOENT:
        return "no such file or folder" if given else "broken symbolic link (its target does not exist)"
    return f"cannot read: {err.strerror or err}"


def _not_regular(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    )
    kind = next((name for test, name in kinds if test(mode)), "a special file")
    return f"not a regular file but {kind}; only regular files are read"


def display_name(part: str) -> str:
    """A file name as text: names are bytes, and Chinese Windows archives write them in GBK.

    UTF-8 first, then GB18030 when that reads as Chinese, else the bytes UTF-8 cannot decode as
    ``\\xNN``: every name becomes valid text (and so a valid literal and IRI), none is dropped.
    """
    raw = os.fsencode(part)
    text = _strict(raw, "utf-8")
    if text is None:
        text = _strict(raw, "gb18030")
        if text is None or not _looks_chinese("".join(c for c in text if not c.isascii())):
            text = raw.decode("utf-8", errors="backslashreplace")
    return text


def unique_documents(documents: Iterable[Document]) -> tuple[list[Document], list[LoadError]]:
    """The documents with distinct keys; a later one with a key already taken is an error naming
    both (two input folders with the same name and files, or one url on two JSONL lines)."""
    first: dict[str, Document] = {}
    errors = []
    for document in documents:
        if (earlier := first.setdefault(document.key, document)) is not document:
            reason = f"same article key {document.key!r} as {earlier.source}"
            errors.append(LoadError(document.source, reason))
    return list(first.values()), errors


# --------------------------------------------------------------------------- reading files


def read_file(
    found: Found, max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
) -> tuple[list[Document], list[LoadError]]:
    """Read one file; a JSONL file may give several documents and several line errors.

    Whatever goes wrong with this file becomes its error: no exception reaches the caller.
    """
    path = found.path
    kind = TEXT_SUFFIXES.get(path.suffix.lower())
    try:
        # Non-blocking: a file swapped for a fifo since discover() must not hang the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as fh:
            mode = os.fstat(fh.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise ReadError(_not_regular(mode))
            if kind == "jsonl":
                return read_jsonl(fh, found, max_bytes)
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ReadError(_too_large(max_bytes))
        if kind == "html":
            from loaders.page import html_to_text  # BeautifulSoup's import costs a text-only build 60 ms

            text, metadata = html_to_text(decode(data, declared=_declared_charset(data)))
            return [Document(str(path), found.key, text, metadata)], []
        if kind == "text":
            return [Document(str(path), found.key, decode(data))], []
        raise ReadError("unsupported file type")
    except ReadError as err:
        return [], [LoadError(str(path), str(err))]
    except OSError as err:
        return [], [LoadError(str(path), f"cannot read: {err.strerror or err}")]
    except RecursionError:
        return [], [LoadError(str(path), "nested too deeply to read")]
    except Exception as err:  # a bug or a library's surprise must cost this file only
        return [], [LoadError(str(path), f"cannot read: {type(err).__name__}: {err}")]


def _too_large(max_bytes: int) -> str:
    return f"larger than {max_bytes:,} bytes, the limit per article (build --max-article-bytes)"


# --------------------------------------------------------------------------- encodings

_BOMS = (  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_TEXT_CONTROLS = set("\t\n\r\f\v")
# Encodings charset-normalizer may pick that we trust once the text also looks Chinese or is
# Unicode; single-byte code pages decode any bytes, so a guess among them is not evidence.
_TRUSTED_GUESSES = (
    "utf",
    "big5",
    "cp950",
    "gb",
    "hz",
    "euc",
    "shift_jis",
    "cp932",
    "iso2022",
)


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode file bytes, or raise ReadError: never a silent wrong guess."""
    if not data:
        raise ReadError("empty file")
    text = _decode_with_bom(data)
    if text is None:
        text = _decode_guessing(data, declared)
    if _control_share(text) > 0.05:
        raise ReadError("binary file, not text")
    if not any(not _is_blank(c) for c in text):
        raise ReadError("empty file (only whitespace)")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise ReadError(f"undetectable encoding: {encoding} BOM but {err.reason}") from None
            # A BOM can be chance bytes; decoded junk means it was not really one.
            if _junk_share(text) > 0.02 and _control_share(text) <= 0.05:
                raise ReadError(f"undetectable encoding: {encoding} BOM but the text is garbled")
            return text
    return None


def _decode_guessing(data: bytes, declared: str | None) -> str:
    if b"\x00" in data:
        # NUL bytes are normal only in UTF-16 (ASCII characters have a zero byte).
        text = _utf16_without_bom(data)
        if text is None:
            raise ReadError("binary file, not text")
        return text
    if _control_byte_share(data) > 0.10:
        raise ReadError("binary file, not text")
    for attempt in (_as_utf8, _as_gb18030, _as_declared(declared), _utf16_without_bom):
        text = attempt(data)
        if text is not None:
            return text
    return _as_guess(data)


def _as_utf8(data: bytes) -> str | None:
    return _strict(data, "utf-8")


def _as_gb18030(data: bytes) -> str | None:
    # GB18030 accepts many byte strings; only keep the result when it reads as Chinese.
    text = _strict(data, "gb18030")
    return text if text is not None and _looks_chinese(text) else None


def _as_declared(declared: str | None) -> Callable[[bytes], str | None]:
    def attempt(data: bytes) -> str | None:
        if not declared:
            return None
        text = _strict(data, declared)
        return text if text is not None and _looks_printable(text) else None

    return attempt


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) % 2:
        return None
    # ASCII in UTF-16 leaves its zero byte second (LE) or first (BE): that settles the order.
    even_zeros, odd_zeros = data[0::2].count(0), data[1::2].count(0)
    if odd_zeros > 4 * even_zeros:
        orders: tuple[str, ...] = ("utf-16-le",)
    elif even_zeros > 4 * odd_zeros:
        orders = ("utf-16-be",)
    else:
        orders = ("utf-16-le", "utf-16-be")
    candidates = [
        text
        for encoding in orders
        if (text := _strict(data, encoding)) is not None and _looks_utf16_text(text)
    ]
    # Both readings plausible means we cannot tell the byte order: refuse rather than guess.
    return candidates[0] if len(candidates) == 1 else None


def _as_guess(data: bytes) -> str:
    best = from_bytes(data).best()
    if best is None:
        raise ReadError("undetectable encoding (not UTF-8, GB18030 or UTF-16)")
    encoding = best.encoding.lower()
    text = str(best)
    trusted = encoding.startswith(_TRUSTED_GUESSES)
    if not trusted or best.chaos > 0.1 or not (_looks_chinese(text) or encoding.startswith("utf")):
        raise ReadError(
            f"undetectable encoding (best guess {best.encoding} is not reliable; save the file as UTF-8)"
        )
    return text


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its <meta>, if any (only a hint, tried after UTF-8)."""
    head = data[:4096].decode("ascii", errors="ignore")
    match = re.search(r"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", head, re.IGNORECASE)
    if not match:
        return None
    name = match.group(1).lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    # GB2312 and GBK pages routinely use characters only GB18030 (their superset) defines.
    return "gb18030" if name in {"gb2312", "gbk", "x-gbk"} else name


# --------------------------------------------------------------------------- plausibility


def _is_cjk(c: str) -> bool:
    o = ord(c)
    return (
        0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or (0x20000 <= o <= 0x3134F)
    )


def _is_blank(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) in ("Cc", "Cf")


def _control_share(text: str) -> float:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in _TEXT_CONTROLS)
    return controls / max(len(text), 1)


def _control_byte_share(data: bytes) -> float:
    controls = sum(1 for b in data if b < 0x20 and chr(b) not in _TEXT_CONTROLS and b != 0x1B)
    return controls / len(data)


def _junk_share(text: str) -> float:
    """Share of characters no real article contains: private use, unassigned, surrogates,
    controls, replacement characters."""
    junk = sum(1 for c in text if _is_junk(c))
    return junk / max(len(text), 1)


def _is_junk(c: str) -> bool:
    category = unicodedata.category(c)
    if category == "Cc":
        return c not in _TEXT_CONTROLS
    return category in ("Co", "Cn", "Cs") or c == "\ufffd"


def _looks_printable(text: str) -> bool:
    return _junk_share(text) == 0


def _looks_chinese(text: str) -> bool:
    """Chinese prose: most letters are CJK ideographs, most of those everyday characters, and
    nothing is junk. Wrong decodings produce rare characters (e.g. 胿胿胿 from random bytes)."""
    letters = [c for c in text if c.isalpha()]
    if not letters or not _looks_printable(text):
        return False
    hanzi = [c for c in letters if _is_cjk(c)]
    if len(hanzi) / len(letters) < 0.6:
        return False
    return sum(1 for c in hanzi if _is_common_hanzi(c)) / len(hanzi) >= 0.8


@functools.cache
def _is_common_hanzi(c: str) -> bool:
    """In the first level of GB2312 or Big5: the ~3,700 (simplified) / ~5,400 (traditional)
    characters those standards chose as the most frequent."""
    for encoding, first, last in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            encoded = c.encode(encoding)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and first <= encoded[0] <= last:
            return True
    return False


def _looks_utf16_text(text: str) -> bool:
    if not _looks_printable(text):
        return False
    ascii_share = sum(1 for c in text if c.isascii()) / max(len(text), 1)
    return ascii_share >= 0.9 or _looks_chinese(text)


# --------------------------------------------------------------------------- JSONL

_WIDE_BOMS = tuple((bom, encoding) for bom, encoding in _BOMS if encoding != "utf-8")


def read_jsonl(fh: BinaryIO, found: Found, max_bytes: int) -> tuple[list[Document], list[LoadError]]:
    """One article per line, each decoded and judged on its own: a bad line (not JSON, binary,
    too deep, too large, not decodable) is an error naming ``path:LINE`` and the rest still load.

    A line's key is its ``url`` when that is an absolute URL, else ``KEY:LINE``.
    """
    documents: list[Document] = []
    errors: list[LoadError] = []
    any_text = False
    for number, line in _jsonl_lines(fh, max_bytes):
        source = f"{found.path}:{number}"
        try:
            if isinstance(line, ReadError):
                raise line
            if not line.strip():
                continue
            any_text = True
            documents.append(_jsonl_document(line, source, f"{found.key}:{number}"))
        except ReadError as err:
            any_text = True
            errors.append(LoadError(source, str(err)))
        except RecursionError:
            errors.append(LoadError(source, "JSON nested too deeply to read"))
        except Exception as err:  # this line's problem, never the file's
            errors.append(LoadError(source, f"cannot read this line: {type(err).__name__}: {err}"))
    if not any_text:
        return [], [LoadError(str(found.path), "empty file")]
    return documents, errors


def _jsonl_lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, str | ReadError]]:
    """The file's lines as text, numbered from 1, or why a line cannot be text; read as a stream,
    so neither a huge file nor a huge line is ever held whole."""
    head = fh.read(4)
    fh.seek(0)
    wide = next((encoding for bom, encoding in _WIDE_BOMS if head.startswith(bom)), None)
    if wide is not None:  # UTF-16/32: lines are not split on the byte 0x0A
        yield from _wide_lines(fh, wide, max_bytes)
        return
    number = 0
    while raw := fh.readline(max_bytes + 1):
        number += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, ReadError(_too_large(max_bytes))
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        yield number, _decode_line(raw.rstrip(b"\r\n"))


def _decode_line(raw: bytes) -> str | ReadError:
    if not raw.strip():
        return ""
    if b"\x00" in raw:
        return ReadError("binary data (a NUL byte), not text")
    text = _strict(raw, "utf-8")
    if text is not None:
        return text
    try:
        return decode(raw)
    except ReadError as err:
        return err


def _wide_lines(fh: BinaryIO, encoding: str, max_bytes: int) -> Iterator[tuple[int, str | ReadError]]:
    reader = io.TextIOWrapper(fh, encoding=encoding, newline="\n")
    number = 0
    try:
        while line := reader.readline(max_bytes + 1):
            number += 1
            if len(line.encode("utf-8", errors="surrogatepass")) > max_bytes and not line.endswith("\n"):
                while (rest := reader.readline(1 << 20)) and not rest.endswith("\n"):
                    pass
                yield number, ReadError(_too_large(max_bytes))
                continue
            yield number, line.lstrip("\ufeff").rstrip("\r\n")
    except UnicodeDecodeError as err:
        reason = f"not {encoding} from here on ({err.reason}); the rest of the file is skipped"
        yield number + 1, ReadError(reason)
    finally:
        reader.detach()


def _jsonl_document(line: str, source: str, key: str) -> Document:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise ReadError(f"not valid JSON ({err.msg}, column {err.colno})") from None
    if not isinstance(record, dict):
        raise ReadError(f"not a JSON object but {type(record).__name__}")
    body = record.get("text")
    if not isinstance(body, str):
        raise ReadError("no 'text' field" if body is None else "'text' is not a string")
    if not body.strip():
        raise ReadError("'text' is empty")
    metadata = {}
    for name, target in JSONL_FIELDS.items():
        value = record.get(name)
        if isinstance(value, bool) or not isinstance(value, (str, int, float, type(None))):
            raise ReadError(f"'{name}' is not a string")
        if value is not None and str(value).strip():
            metadata[target] = _unicode(str(value).strip())
    # An absolute URL names the article wherever the line sits; otherwise its place does.
    url = metadata.get("url", "")
    return Document(source, url if "://" in url else key, _unicode(body), metadata)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _unicode(text: str) -> str:
    """JSON may spell lone surrogates (``"\\ud800"``), which no RDF literal can hold: each becomes
    U+FFFD, one character for one, so offsets into the text are unchanged."""
    return _LONE_SURROGATE.sub("\ufffd", text)
