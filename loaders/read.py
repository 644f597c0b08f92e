"""Read article files into decoded text plus metadata: find files, detect encodings, strip HTML,
split JSONL.

Nothing here interprets the article (that is ``structure``); a file that cannot be read becomes a
:class:`~loaders.model.LoadError` with its path and a reason, never an exception for the caller.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from charset_normalizer import from_bytes

from loaders.model import LoadError

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
class Document:
    """Decoded text of one article, ready for ``structure``; ``key`` may still collide."""

    source: str
    key: str
    text: str
    metadata: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- finding files


def discover(inputs: Iterable[str | Path]) -> tuple[list[Path], list[LoadError]]:
    """Expand inputs to the files to read; folders are walked recursively in sorted order.

    A file reached twice (given and inside a given folder) is read once, where first met.
    """
    files: list[Path] = []
    errors: list[LoadError] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            files.extend(_walk(path))
        elif not path.exists():
            errors.append(LoadError(str(path), "no such file or folder"))
        elif path.suffix.lower() not in TEXT_SUFFIXES:
            supported = ", ".join(sorted(TEXT_SUFFIXES))
            errors.append(LoadError(str(path), f"unsupported file type (use {supported})"))
        else:
            files.append(path)
    seen: set[Path] = set()
    unique = []
    for path in files:
        if (resolved := path.resolve()) not in seen:
            seen.add(resolved)
            unique.append(path)
    return unique, errors


def _walk(folder: Path) -> Iterator[Path]:
    # os.walk without following links: a symlink loop cannot hang the build.
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root) / n for n in names if Path(n).suffix.lower() in TEXT_SUFFIXES)
    yield from sorted(found, key=lambda p: p.as_posix())


# --------------------------------------------------------------------------- keys


def key_stem(path: Path) -> str:
    """A readable IRI-safe name from the file stem: CJK and letters kept, the rest becomes '-'."""
    stem = unicodedata.normalize("NFC", path.stem)
    key = re.sub(r"[^\w-]+", "-", stem).strip("-_")
    return key or "article"


def unique_keys(documents: list[Document]) -> list[Document]:
    """Give colliding keys a short hash of their source, so each input keeps its own IRIs."""
    counts = Counter(d.key for d in documents)
    return [replace(d, key=f"{d.key}-{_short_hash(d.source)}") if counts[d.key] > 1 else d for d in documents]


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


# --------------------------------------------------------------------------- reading files


def read_file(path: Path) -> tuple[list[Document], list[LoadError]]:
    """Read one file; a JSONL file may give several documents and several line errors."""
    kind = TEXT_SUFFIXES.get(path.suffix.lower())
    try:
        data = path.read_bytes()
        if kind == "jsonl":
            return read_jsonl(decode(data), path)
        if kind == "html":
            text, metadata = html_to_text(decode(data, declared=_declared_charset(data)))
            return [Document(str(path), key_stem(path), text, metadata)], []
        if kind == "text":
            return [Document(str(path), key_stem(path), decode(data))], []
        raise ReadError("unsupported file type")
    except ReadError as err:
        return [], [LoadError(str(path), str(err))]
    except OSError as err:
        return [], [LoadError(str(path), f"cannot read: {err.strerror or err}")]


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


# --------------------------------------------------------------------------- HTML

_NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
)
_BLOCK_TAGS = (
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dd",
    "td",
)
_BREAK = "\u2029"  # stands in for <br> until blocks are split


def html_to_text(markup: str) -> tuple[str, dict[str, str]]:
    """Plain text of an article page (blocks joined by a blank line) and its title."""
    soup = BeautifulSoup(markup, "lxml")
    title = _html_title(soup)
    for tag in soup.find_all(_NOISE_TAGS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with(_BREAK)
    container = _main_container(soup)
    blocks = _blocks(container) if container is not None else []
    if not [block for block in blocks if block != title]:  # a headline alone is no article
        raise ReadError("no article body found")
    if title and blocks[0] != title:
        # The headline often sits in a page header that the noise filter removed.
        blocks.insert(0, title)
    return "\n\n".join(blocks), ({"headline": title} if title else {})


def _html_title(soup: BeautifulSoup) -> str | None:
    for tag in (soup.find("article"), soup):
        heading = tag.find("h1") if isinstance(tag, Tag) else None
        if heading is not None and (text := _inline_text(heading.get_text())):
            return text
    if soup.title is not None and (text := _inline_text(soup.title.get_text())):
        return text
    return None


def _main_container(soup: BeautifulSoup) -> Tag | None:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=_paragraph_weight)
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag):
        return main
    # Readability's idea: the element holding the most paragraph text is the body.
    parents = [p.parent for p in soup.find_all("p") if isinstance(p.parent, Tag)]
    if parents:
        return max(parents, key=_paragraph_weight)
    return soup.body


def _paragraph_weight(tag: Tag) -> int:
    return sum(len(p.get_text(strip=True)) for p in tag.find_all("p"))


def _blocks(container: Tag) -> list[str]:
    leaves = [t for t in container.find_all(_BLOCK_TAGS) if t.find(_BLOCK_TAGS) is None]
    raw = [t.get_text() for t in leaves] if leaves else [container.get_text("\n")]
    blocks = []
    for chunk in raw:
        pieces = chunk.split(_BREAK) if leaves else re.split(f"[{_BREAK}\n]", chunk)
        blocks.extend(text for piece in pieces if (text := _inline_text(piece)))
    return blocks


def _inline_text(text: str) -> str:
    """Collapse source formatting: a line break between two CJK characters is no space."""
    text = re.sub(
        r"(?<=[\u3400-\u9fff])\s*\n\s*(?=[\u3400-\u9fff])",
        "",
        text.replace(_BREAK, " "),
    )
    return re.sub(r"\s+", " ", text).strip()


# --------------------------------------------------------------------------- JSONL


def read_jsonl(text: str, path: Path) -> tuple[list[Document], list[LoadError]]:
    """One article per line; a bad line is an error naming ``path:LINE``, the rest still load."""
    documents: list[Document] = []
    errors: list[LoadError] = []
    stem = key_stem(path)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            documents.append(_jsonl_document(line, source, f"{stem}-{number}"))
        except ReadError as err:
            errors.append(LoadError(source, str(err)))
    return documents, errors


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
            metadata[target] = str(value).strip()
    return Document(source, key, body, metadata)
