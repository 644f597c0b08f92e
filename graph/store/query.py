"""Ask the graph in SPARQL: a query string, a ``.rq`` file, or a ready query named by its file.

    python -m graph query posts-of-person --param name=张三 --graph out/
    python -m graph query 'SELECT ?o WHERE { ?o a org:Organization }' --graph out/graph.ttl
    python -m graph query figures --endpoint http://127.0.0.1:7878   # a remote store (oxigraph serve)
    python -m graph query                      # lists the ready queries

Queries see the merged graph (every article graph) as their default graph, with the contract's
prefixes declared. ``--param name=value`` binds ``?name`` to the plain literal ``"value"`` (or to
the IRI ``<value>`` when written in angle brackets) by substitution, so quotes in a value never
change the query. Ready queries live in ``graph/queries/*.rq``; each starts with ``# title:``,
``# question:`` and one ``# param:`` line per parameter: ``# param: NAME (optional, label) — what it is``.

A ``label`` parameter names an entity: its value is bound as the ``@zh`` literal the graph's names
are (``rdfs:label``/``skos:altLabel``, contract section 2), so a ready query matches it with a plain
triple pattern, ``?person rdfs:label|skos:altLabel ?name``, which the store answers from its index
on objects, and walks from the entities found: the cost grows with what is asked, not with the
graph. (A ``FILTER(STR(?label) = ...)`` would compare every label of the graph.)
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from graph.queries import QUERIES_DIR
from graph.store.guard import check_query, run_on_deep_stack
from graph.store.oxigraph import (
    PREFIXES,
    Binding,
    OxTerm,
    QueryError,
    QueryResult,
    curie,
)
from graph.store.remote import ArticleStore

OUTPUT_FORMATS = ("table", "csv", "json")
#: The language tag of every name in the graph (contract: ``rdfs:label "张三"@zh``).
LABEL_LANGUAGE = "zh"

_HEADER = re.compile(r"^#\s*(title|question|param):\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>\w+)\s*(?:\((?P<flags>[\w\s,]*)\))?\s*[—–-]+\s*(?P<doc>.*)$")
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Param:
    """A variable a ready query lets the caller bind with ``--param``."""

    name: str
    description: str
    required: bool
    #: an entity's name: bound as a ``@zh`` literal, to be matched against labels by index
    label: bool = False


@dataclass(frozen=True)
class ReadyQuery:
    """A query with its description: a ready query from ``graph/queries`` or any ``.rq`` file."""

    name: str
    text: str
    title: str = ""
    question: str = ""
    params: tuple[Param, ...] = ()
    path: Path | None = None


def read_query_file(path: str | os.PathLike[str]) -> ReadyQuery:
    """A ``.rq`` file with what its ``# title:``, ``# question:`` and ``# param:`` lines say."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match is None:
            continue
        key, value = match.groups()
        if key != "param":
            fields.setdefault(key, value)
        elif param := _PARAM.match(value):
            flags = {flag.strip() for flag in (param["flags"] or "").split(",") if flag.strip()}
            if unknown := flags - {"optional", "label"}:
                raise ValueError(f"{path}: unknown flag {', '.join(sorted(unknown))} in {line!r}")
            params.append(
                Param(param["name"], param["doc"], required="optional" not in flags, label="label" in flags)
            )
        else:
            raise ValueError(f"{path}: cannot read the param line {line!r}")
    return ReadyQuery(
        name=path.stem,
        text=text,
        title=fields.get("title", ""),
        question=fields.get("question", ""),
        params=tuple(params),
        path=path,
    )


def list_ready_queries() -> list[ReadyQuery]:
    """The ready queries of ``graph/queries``, by name."""
    return [read_query_file(path) for path in sorted(QUERIES_DIR.glob("*.rq"))]


def resolve_query(query: str) -> ReadyQuery:
    """What ``QUERY`` names: an existing ``.rq`` file, a ready query's name, or SPARQL text."""
    if _is_file(query):
        return read_query_file(query)
    if query.endswith(".rq"):
        raise QueryError(f"no such query file: {query}")
    if re.fullmatch(r"[\w-]+", query):
        ready = QUERIES_DIR / f"{query}.rq"
        if ready.is_file():
            return read_query_file(ready)
        names = ", ".join(q.name for q in list_ready_queries())
        raise QueryError(f"no ready query named {query!r}; the ready queries are: {names}")
    return ReadyQuery(name="", text=query)


def _is_file(text: str) -> bool:
    try:
        return "\n" not in text and Path(text).is_file()
    except (OSError, ValueError):  # not even a possible file name
        return False


def parse_params(items: Sequence[str]) -> dict[str, Binding]:
    """``["name=张三", "org=<https://...>"]`` as bindings: IRIs in angle brackets, else strings."""
    bindings: dict[str, Binding] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not _VARIABLE.match(name):
            raise QueryError(f"--param wants NAME=VALUE with a SPARQL variable name, got {item!r}")
        if value.startswith("<") and value.endswith(">"):
            try:
                bindings[name] = ox.NamedNode(value[1:-1])
            except ValueError as err:
                raise QueryError(f"--param {name}: not an IRI: {value} ({err})") from err
        else:
            bindings[name] = value
    return bindings


def check_params(query: ReadyQuery, bindings: Mapping[str, Binding]) -> None:
    """Refuse unknown parameters of a ready query, and missing required ones."""
    if not query.params:
        return
    declared = {p.name for p in query.params}
    unknown = sorted(set(bindings) - declared)
    missing = [p.name for p in query.params if p.required and p.name not in bindings]
    if unknown or missing:
        problems = [f"unknown parameter {', '.join(unknown)}"] if unknown else []
        problems += [f"missing parameter {', '.join(missing)}"] if missing else []
        problem = "; ".join(problems)
        usage = "; ".join(f"{p.name}: {p.description}" for p in query.params)
        raise QueryError(f"{query.name}: {problem}. Parameters: {usage}")


def answer(
    store: ArticleStore, sparql_or_rq_path: str, params: Mapping[str, Binding] | None = None
) -> tuple[ReadyQuery, QueryResult]:
    """Run a query text, ``.rq`` file or ready query on an open store (embedded or remote).

    A malformed query, one too large or nested too deep (``graph.store.guard``), an unknown ready
    query or a bad parameter raises :class:`QueryError`. The query is parsed and run on a
    deep-stack thread, so a long flat query (thousands of UNION or MINUS) cannot crash the process.
    The parameters' own columns are left out of the result.
    """
    bindings = dict(params or {})
    query = resolve_query(sparql_or_rq_path)
    check_params(query, bindings)
    bindings = label_bindings(query, bindings)
    check_query(query.text)  # before parsing: a deep or huge query would overflow the parser's stack
    result = run_on_deep_stack(lambda: store.query(query.text, bindings))
    return query, without_columns(result, {p.name for p in query.params})


def label_bindings(query: ReadyQuery, bindings: Mapping[str, Binding]) -> dict[str, Binding]:
    """The bindings with each ``label`` parameter's text as the ``@zh`` literal names are stored as."""
    labels = {p.name for p in query.params if p.label}
    return {
        name: ox.Literal(value, language=LABEL_LANGUAGE) if name in labels and type(value) is str else value
        for name, value in bindings.items()
    }


@dataclass(frozen=True)
class Page:
    """Which rows of a SELECT answer to print (``--offset``, ``--limit``). The store still computes the
    whole answer (its order needs every row): a page saves writing and reading, not the query."""

    offset: int = 0
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.offset < 0 or (self.limit is not None and self.limit < 0):
            raise QueryError(f"--offset and --limit count rows from 0, got {self.offset} and {self.limit}")

    @property
    def whole(self) -> bool:
        return self.offset == 0 and self.limit is None


def write_result(query: ReadyQuery, result: QueryResult, fmt: str, out: TextIO, page: Page = Page()) -> None:
    """Print a result, or one page of its rows, as a table, CSV or JSON."""
    if fmt not in OUTPUT_FORMATS:
        raise QueryError(f"unknown output format {fmt!r}; choose from {', '.join(OUTPUT_FORMATS)}")
    if page.whole:
        WRITERS[fmt](result, out, query.title)
        return
    if result.kind != "select":
        raise QueryError("--offset and --limit page the rows of a SELECT query")
    end = None if page.limit is None else page.offset + page.limit
    shown = QueryResult("select", result.variables, result.rows[page.offset : end])
    if fmt == "table":  # the caption says which rows of how many
        write_table(shown, out, query.title, first=page.offset + 1, total=len(result.rows))
    else:
        WRITERS[fmt](shown, out, query.title)


def without_columns(result: QueryResult, hidden: set[str]) -> QueryResult:
    """Drop the parameter columns (bound only so that substitution can reach them)."""
    keep = [i for i, v in enumerate(result.variables) if v not in hidden]
    if result.kind != "select" or len(keep) == len(result.variables):
        return result
    rows = list(dict.fromkeys(tuple(row[i] for i in keep) for row in result.rows))
    return QueryResult("select", tuple(result.variables[i] for i in keep), rows)


# -- output -------------------------------------------------------------------------------------


def display(term: OxTerm | None) -> str:
    """A term as a reader wants it in a table: prefixed IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return _display_iri(term.value)
    return str(term)


@cache  # a result repeats its IRIs row after row (the entity asked about, its organization ...)
def _display_iri(iri: str) -> str:
    short = curie(iri)  # only where the rest is a plain name (an id with slashes stays whole)
    return short if short and re.fullmatch(r"\w+:[\w-]+", short) else iri


def _plain(term: OxTerm | None) -> str:
    """A term as SPARQL 1.1 CSV results write it."""
    if term is None:
        return ""
    if isinstance(term, (ox.Literal, ox.NamedNode)):
        return term.value
    return str(term)


#: Above this many rows a terminal gets the plain aligned table too: rich lays out every cell
#: (about 0.4 ms a row), which for thousands of rows costs many times the query itself.
RICH_TABLE_MAX_ROWS = 1000


def write_table(
    result: QueryResult, out: TextIO, title: str = "", *, first: int = 1, total: int | None = None
) -> None:
    """A rich table on a terminal; aligned plain text (no colour, no wrapping) elsewhere. The rows
    of a page are rows ``first``… of ``total``."""
    if result.kind == "ask":
        print("true" if result.boolean else "false", file=out)
        return
    if result.kind == "graph":
        turtle = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        out.write(turtle.decode("utf-8"))
        return
    caption = f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    if total is not None:
        shown = f"{first:,}–{first + len(result.rows) - 1:,} of {total:,}" if result.rows else f"of {total:,}"
        caption += f" ({shown})"
    if len(result.rows) > RICH_TABLE_MAX_ROWS or not Console(file=out).is_terminal:
        cells = [[display(term) for term in row] for row in result.rows]
        write_plain_table(result.variables, cells, out, title=title, caption=caption)
        return
    table = Table(*result.variables, title=title or None, caption=caption, box=box.SIMPLE_HEAD)
    for row in result.rows:
        table.add_row(*(display(term) for term in row))
    print_table(table, out)


def write_plain_table(
    columns: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO, *, title: str = "", caption: str = ""
) -> None:
    """Columns aligned by display width (a Chinese character takes two), one space before each
    cell and two between; the title and caption centred above and below; no trailing spaces."""
    widths = [cell_len(name) for name in columns]
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], cell_len(text))
    total = sum(widths) + 2 * len(widths)

    def line(texts: Sequence[str]) -> str:
        return " " + "  ".join(t + " " * (w - cell_len(t)) for t, w in zip(texts, widths, strict=True))

    def centred(text: str) -> str:
        return " " * max(0, (total - cell_len(text)) // 2) + text

    if title:
        out.write(centred(title) + "\n")
    out.write(line(columns).rstrip() + "\n")
    out.writelines(line(row).rstrip() + "\n" for row in rows)
    if caption:
        out.write(centred(caption) + "\n")


def print_table(table: Table, out: TextIO) -> None:
    """Print a rich table as is on a terminal, as aligned plain text (no colour, no wrapping) elsewhere."""
    if Console(file=out).is_terminal:
        Console(file=out, highlight=False).print(table)
        return
    buffer = io.StringIO()
    Console(file=buffer, width=100_000, no_color=True, highlight=False).print(table)
    out.writelines(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def write_csv(result: QueryResult, out: TextIO, title: str = "") -> None:
    """SPARQL 1.1 Query Results CSV (for CONSTRUCT: subject, predicate, object columns)."""
    writer = csv.writer(out)
    if result.kind == "ask":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
    elif result.kind == "graph":
        writer.writerow(["subject", "predicate", "object"])
        writer.writerows([_plain(t.subject), _plain(t.predicate), _plain(t.object)] for t in result.triples)
    else:
        writer.writerow(result.variables)
        writer.writerows([_plain(term) for term in row] for row in result.rows)


def write_json(result: QueryResult, out: TextIO, title: str = "") -> None:
    """SPARQL 1.1 Query Results JSON (for CONSTRUCT: JSON-LD)."""
    if result.kind == "graph":
        out.write(ox.serialize(result.triples, format=ox.RdfFormat.JSON_LD).decode("utf-8"))
        out.write("\n")
        return
    if result.kind == "ask":
        json.dump({"head": {}, "boolean": bool(result.boolean)}, out, ensure_ascii=False)
        out.write("\n")
        return
    # One binding a line, each encoded by json's C encoder (an indented document would go through
    # its pure-Python one): readable, and cheap next to the query for tens of thousands of rows.
    head = json.dumps({"vars": list(result.variables)}, ensure_ascii=False)
    out.write(f'{{"head": {head}, "results": {{"bindings": [')
    separator = "\n"
    for row in result.rows:
        pairs = zip(result.variables, row, strict=True)
        binding = {var: _json_term(term) for var, term in pairs if term is not None}
        out.write(separator + json.dumps(binding, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]}}\n")


def _json_term(term: OxTerm) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        literal: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            literal["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            literal["datatype"] = term.datatype.value
        return literal
    return {"type": "triple", "value": str(term)}


WRITERS = {"table": write_table, "csv": write_csv, "json": write_json}


def write_ready_queries(out: TextIO) -> None:
    """The ready queries: name, question and parameters."""
    for query in list_ready_queries():
        params = " ".join(
            f"[--param {p.name}=…]" if not p.required else f"--param {p.name}=…" for p in query.params
        )
        print(f"{query.name} {params}".rstrip(), file=out)
        print(f"    {query.title}: {query.question}", file=out)
