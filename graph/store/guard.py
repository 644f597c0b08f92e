"""Checks a SPARQL text must pass before Oxigraph parses it, and the stack it is parsed on.

Oxigraph's parser and evaluator recurse: 2,500 nested ``{`` overflow the 8 MB main-thread stack
and kill the process (SIGSEGV), and long flat chains do the same (5,000 ``MINUS {}``, 10,000
``1+1+...``, 20,000 ``!``; measured with pyoxigraph 0.5). So

- a query over ``DEFAULT_MAX_QUERY_BYTES`` or nested deeper than ``DEFAULT_MAX_NESTING``
  brackets (``{``, ``(``, ``[``, outside strings, IRIs and comments) is refused before parsing;
- what passes runs on a thread with a ``DEEP_STACK_BYTES`` stack (:func:`run_on_deep_stack`):
  with it, 200 KB of any of the chains above parse and run (measured), twice the size limit.

``SERVICE`` (federated query) makes the process that runs the query send HTTP requests to any
address the query names. :func:`check_services` finds every ``SERVICE`` keyword and refuses it
unless its endpoint is written as a full IRI on an allow-list. The scan is deliberately wider
than the grammar (``SERVICE`` glued to other words counts, and the text is scanned as written
and with ``\\uXXXX`` escapes decoded), so a text the parser reads as SERVICE is never missed; the
price is refusing a few odd texts that no parser would accept anyway.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TypeVar

from graph.store.oxigraph import QueryError

DEFAULT_MAX_QUERY_BYTES = 100_000
DEFAULT_MAX_NESTING = 100
DEEP_STACK_BYTES = 256 * 1024 * 1024

_T = TypeVar("_T")

#: What is not code: comments, string literals (an unterminated short one stops at the line's end,
#: as the parser does) and IRIs (IRIREF: what cannot appear in one ends it).
_SKIPPED = re.compile(
    r"(?P<comment>#[^\n]*)"
    r"|(?P<long>'{3}(?:[^'\\]|\\.|'(?!''))*(?:'{3}|\Z)"
    r'|"{3}(?:[^"\\]|\\.|"(?!""))*(?:"{3}|\Z))'
    r"|(?P<short>'(?:[^'\\\r\n]|\\.)*'?"
    r'|"(?:[^"\\\r\n]|\\.)*"?)'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)',
    re.DOTALL,
)
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRI_MARK = "\x01"  # stands for an IRI in the code view; a raw \x01 in the text is moved aside first
#: A variable (``?name``, ``$name``): nothing in it can be a keyword.
_VARIABLE = re.compile(r"[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*")
#: A run of characters that names, numbers, prefixed names and keywords are made of.
_WORD = re.compile(r"[\w\-.:%\\@\u00B7\u0300-\u036F\u203F-\u2040]+")
_SERVICE = re.compile("service", re.IGNORECASE)
_AFTER_SERVICE = re.compile(r"\s*(?:SILENT\b\s*)?(\x01)?", re.IGNORECASE)


class QueryRefused(QueryError):
    """A query refused before parsing: too large, nested too deep, or a SERVICE not allowed."""


@dataclass(frozen=True)
class _CodeView:
    """The query with strings and comments blanked and each IRI replaced by ``_IRI_MARK``."""

    code: str
    iris: list[str]


def check_query(
    query: str, max_bytes: int = DEFAULT_MAX_QUERY_BYTES, max_nesting: int = DEFAULT_MAX_NESTING
) -> None:
    """Raise :class:`QueryRefused` when ``query`` is too large or nested too deep to parse safely."""
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryRefused(f"the query is {size:,} bytes long; the limit is {max_bytes:,} bytes")
    for view in _views(query):
        depth = _nesting(view.code, max_nesting)
        if depth > max_nesting:
            raise QueryRefused(
                f"the query nests brackets {depth} deep; the limit is {max_nesting} "
                "(deeper nesting would overflow the parser's stack)"
            )


def check_services(query: str, allowed: Collection[str] = ()) -> None:
    """Raise :class:`QueryRefused` for a SERVICE whose endpoint is not one of ``allowed``."""
    for view in _views(query):
        for keyword_end in _service_keywords(view.code):
            after = _AFTER_SERVICE.match(view.code, keyword_end)
            iri = None
            if after is not None and after.group(1):
                iri = view.iris[view.code.count(_IRI_MARK, 0, after.start(1))]
            if not allowed:
                raise QueryRefused(
                    "SERVICE is not allowed: federated queries would make this server send requests to "
                    "the addresses a query names (its owner can allow endpoints: serve --allow-service URL)"
                )
            if iri not in allowed:
                named = f"<{iri}>" if iri is not None else "an endpoint not written as a full IRI"
                raise QueryRefused(
                    f"SERVICE {named} is not allowed; this server allows only "
                    + ", ".join(f"<{url}>" for url in sorted(allowed))
                )


def run_on_deep_stack(function: Callable[[], _T]) -> _T:
    """``function()`` on a thread with a ``DEEP_STACK_BYTES`` stack; its result or its exception."""
    outcome: list[_T] = []
    failure: list[BaseException] = []

    def call() -> None:
        try:
            outcome.append(function())
        except BaseException as error:  # handed to the calling thread, re-raised there
            failure.append(error)

    start_deep_stack_thread(call).join()
    if failure:
        raise failure[0]
    return outcome[0]


def start_deep_stack_thread(target: Callable[[], None], name: str = "sparql-query") -> threading.Thread:
    """Start a thread whose stack is ``DEEP_STACK_BYTES``, enough for any query that passes."""
    thread = threading.Thread(target=target, name=name, daemon=True)
    previous = threading.stack_size(DEEP_STACK_BYTES)  # read when the thread starts
    try:
        thread.start()
    finally:
        threading.stack_size(previous)
    return thread


def _views(query: str) -> list[_CodeView]:
    """The query as written and with codepoint escapes decoded (the SPARQL spec decodes them first)."""
    views = [_code_view(query)]
    decoded = _CODEPOINT_ESCAPE.sub(lambda m: _codepoint(m.group(1) or m.group(2)), query)
    if decoded != query:
        views.append(_code_view(decoded))
    return views


def _codepoint(hex_digits: str) -> str:
    value = int(hex_digits, 16)
    return chr(value) if value <= 0x10FFFF else "\ufffd"


def _code_view(query: str) -> _CodeView:
    iris: list[str] = []

    def blank(match: re.Match[str]) -> str:
        if match.lastgroup == "iri":
            iris.append(match.group()[1:-1])
            return f" {_IRI_MARK} "
        return " "

    return _CodeView(_SKIPPED.sub(blank, query.replace(_IRI_MARK, "\x02")), iris)


def _nesting(code: str, limit: int) -> int:
    """How deep brackets nest in ``code``; a cheap upper bound when it cannot pass ``limit``."""
    openers = sum(code.count(bracket) for bracket in "{([")
    return openers if openers <= limit else _deepest(code)


def _deepest(code: str) -> int:
    depth = deepest = 0
    for char in code:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]" and depth:
            depth -= 1
    return deepest


def _service_keywords(code: str) -> list[int]:
    """Where each SERVICE that may be read as the keyword ends: not in a variable, nor inside a
    prefixed name's local part (where it follows a letter, digit or ``:``), but anywhere in any other word."""
    found: list[int] = []
    if not _SERVICE.search(code):
        return found
    i = 0
    while i < len(code):
        variable = _VARIABLE.match(code, i)
        if variable is not None and variable.end() > i + 1:
            i = variable.end()
            continue
        word = _WORD.match(code, i)
        if word is None:
            i += 1
            continue
        text = word.group()
        for match in _SERVICE.finditer(text):
            before = text[match.start() - 1] if match.start() else ""
            if ":" not in text or before in ("", ".") or ":" not in text[: match.start()]:
                found.append(word.start() + match.end())
        i = word.end()
    return found
