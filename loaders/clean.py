"""Clean text for extraction while remembering where every character came from.

Text extracted from newspaper PDFs breaks paragraphs at page and column ends, mixes half-width
punctuation into Chinese, and leaves stray Latin words. The functions here work on lines of the
loaded text and return normalised strings with an offset map: the ``i``-th normalised character
is ``text[offsets[i]]`` (or stands for it: a widened comma, a space for a line break).
Which lines belong together is decided in ``structure``, which knows the headings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

Chars = list[tuple[str, int]]
"""Normalised characters, each with its index in the loaded text."""

# The same set str.splitlines() uses, so "line" means what Python means; \f is the page break
# pdftotext writes.
LINE_BREAK = re.compile("\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")

SENTENCE_FINAL = "。！？…!?；;"
# A paragraph can end only where a full sentence ends; a semicolon only ends a clause.
PARAGRAPH_FINAL = "。！？…!?"
# Closing marks that may follow the final punctuation and still belong to the sentence.
CLOSERS = "”’」』）)》】〕]\"'"
# Pairs whose inside is one unit: a line ending inside one continues, a sentence does not end
# inside one.
PAIRS = {
    "“": "”",
    "‘": "’",
    "「": "」",
    "『": "』",
    "（": "）",
    "(": ")",
    "《": "》",
    "【": "】",
    "〔": "〕",
    "[": "]",
}
CLAUSE_PUNCTUATION = set("，,。；;：:、！!？?")

# Half-width marks PDF conversion leaves in Chinese text, and their full-width forms.
WIDEN = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
# Punctuation that already separates words, so a space next to it carries no meaning.
TIGHT = set("，。、；：！？…")


def is_cjk(c: str) -> bool:
    o = ord(c)
    return (
        0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or (0x20000 <= o <= 0x3134F)
    )


def is_cjk_punctuation(c: str) -> bool:
    o = ord(c)
    return 0x3000 < o <= 0x303F or 0xFF01 <= o <= 0xFF0F or 0xFF1A <= o <= 0xFF20 or c in ("“”‘’…—·")


def is_invisible(c: str) -> bool:
    """Controls and format characters (zero-width space, BOM, soft hyphen): never content."""
    return unicodedata.category(c) in ("Cc", "Cf") and c not in "\t"


def is_blank(c: str) -> bool:
    return c.isspace() or is_invisible(c)


# --------------------------------------------------------------------------- lines


def split_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the visible content of every non-blank line of ``text``."""
    spans = []
    start = 0
    for match in LINE_BREAK.finditer(text):
        spans.append(_visible(text, start, match.start()))
        start = match.end()
    spans.append(_visible(text, start, len(text)))
    return [s for s in spans if s is not None]


def _visible(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return (start, end) if start < end else None


def ends_sentence(line: str) -> bool:
    """The line ends with sentence-final punctuation, maybe followed by closing quotes."""
    stripped = line.rstrip(CLOSERS + " ")
    return bool(stripped) and stripped[-1] in PARAGRAPH_FINAL


def open_pairs(line: str) -> int:
    """How many quotes/brackets opened in this line are still open at its end."""
    stack: list[str] = []
    for c in line:
        if c in PAIRS:
            stack.append(PAIRS[c])
        elif c in stack:
            # A closer ends its nearest opener; a stray one (a typo) closes nothing.
            del stack[len(stack) - 1 - stack[::-1].index(c) :]
    return len(stack)


def stops_mid_sentence(line: str) -> bool:
    """The paragraph goes on in the next line: no final punctuation, or inside a quote."""
    return not ends_sentence(line) or open_pairs(line) > 0


# --------------------------------------------------------------------------- normalising


def normalise(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, tuple[int, ...]]:
    """Join line spans of ``text`` into one normalised string with its offset map."""
    chars: Chars = []
    for k, (start, end) in enumerate(spans):
        if k and chars and _letter(chars[-1][0]) and _letter(text[start]):
            # A Latin word broken over lines needs a space; it stands on the line break.
            chars.append((" ", spans[k - 1][1]))
        chars.extend((text[i], i) for i in range(start, end))
    for step in (
        _drop_invisible,
        _collapse_spaces,
        _drop_stray_latin,
        _widen,
        _tighten,
    ):
        chars = step(chars)
    return "".join(c for c, _ in chars), tuple(i for _, i in chars)


def _letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _drop_invisible(chars: Chars) -> Chars:
    return [(c, i) for c, i in chars if not is_invisible(c)]


def _collapse_spaces(chars: Chars) -> Chars:
    """Any run of spaces (ideographic, no-break, tab) becomes one plain space, none at the ends."""
    out: Chars = []
    for c, i in chars:
        if c.isspace():
            if out and out[-1][0] != " ":
                out.append((" ", i))
        else:
            out.append(_narrow(c, i))
    if out and out[-1][0] == " ":
        out.pop()
    return out


def _narrow(c: str, i: int) -> tuple[str, int]:
    """Full-width digits, letters and ％ read as ASCII, so figures parse the same everywhere."""
    if "０" <= c <= "９" or "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ" or c == "％":
        return chr(ord(c) - 0xFEE0), i
    return c, i


_STRAY_LATIN = re.compile(r"(?<=[\u3400-\u9fff]) [a-z]+(?: [a-z]+)* (?=[\u3400-\u9fff])")


def _drop_stray_latin(chars: Chars) -> Chars:
    """Remove lower-case Latin words set in spaces between Chinese characters.

    PDF conversion leaves such words (`在企业 and 区域`); real Latin tokens in Chinese news are
    acronyms or brand names (APP, 5G, e家) written in capitals or attached to the text.
    """
    text = "".join(c for c, _ in chars)
    drop = {k for m in _STRAY_LATIN.finditer(text) for k in range(m.start(), m.end())}
    return [ci for k, ci in enumerate(chars) if k not in drop]


def _widen(chars: Chars) -> Chars:
    """Half-width punctuation next to Chinese becomes full-width; 1,000 and 10:30 stay."""
    out = list(chars)
    for k, (c, i) in enumerate(chars):
        if c not in WIDEN:
            continue
        before, after = _neighbour(chars, k, -1), _neighbour(chars, k, 1)
        if before.isdigit() and after.isdigit():
            continue
        if _chinese_context(before) or _chinese_context(after):
            out[k] = (WIDEN[c], i)
    return out


def _neighbour(chars: Chars, k: int, step: int) -> str:
    k += step
    while 0 <= k < len(chars) and chars[k][0] == " ":
        k += step
    return chars[k][0] if 0 <= k < len(chars) else ""


def _chinese_context(c: str) -> bool:
    return bool(c) and (is_cjk(c) or is_cjk_punctuation(c))


def _tighten(chars: Chars) -> Chars:
    """Drop spaces touching clause punctuation; spaces between words (headings) stay."""
    return [
        (c, i)
        for k, (c, i) in enumerate(chars)
        if c != " "
        or not ((k > 0 and chars[k - 1][0] in TIGHT) or (k + 1 < len(chars) and chars[k + 1][0] in TIGHT))
    ]


# --------------------------------------------------------------------------- sentences


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each sentence of a normalised paragraph.

    A sentence ends after a run of 。！？；… and the closing quotes that follow, but not inside
    a matched quote or bracket: a quoted speech and its attribution ("……。”张三说。") stay one
    sentence, which keeps speaker and words together for extraction.
    """
    inside = _inside_pairs(text)
    bounds = []
    start = k = 0
    while k < len(text):
        if text[k] in SENTENCE_FINAL and not inside[k]:
            k += 1
            while k < len(text) and (text[k] in SENTENCE_FINAL or text[k] in CLOSERS):
                k += 1
            bounds.append((start, k))
            start = k
        else:
            k += 1
    bounds.append((start, len(text)))
    return [b for b in (_strip(text, s, e) for s, e in bounds) if b is not None]


def _inside_pairs(text: str) -> list[bool]:
    """Which positions lie inside a matched pair; unmatched openers (typos) protect nothing."""
    depth = [0] * (len(text) + 1)
    stack: list[tuple[str, int]] = []
    for k, c in enumerate(text):
        if c in PAIRS:
            stack.append((PAIRS[c], k))
        elif c in PAIRS.values() and any(closer == c for closer, _ in stack):
            while stack:
                closer, opened = stack.pop()
                if closer == c:
                    depth[opened + 1] += 1
                    depth[k] -= 1
                    break
    inside, level = [], 0
    for k in range(len(text)):
        level += depth[k]
        inside.append(level > 0)
    return inside


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    return (start, end) if start < end else None
