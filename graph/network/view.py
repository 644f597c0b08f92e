"""``python -m graph view``: the knowledge graph as one self-contained, offline HTML page.

:mod:`graph.network.page_data` chooses what the page embeds (everything, or the neighbourhood of a
focus within a byte budget); this module turns nodes and edges into tooltips and page entries,
with colours and shapes from ``styles.toml``. The page is rendered by Jinja2 from its own template,
script and stylesheet in ``page/``, with vis-network as pyvis ships it (pyvis's own pages load
bootstrap and tom-select from CDNs). Every script and style is inlined, so the file works with no
network at all.

Article text never becomes HTML: the graph travels as JSON inside a ``<script type="application/json">``
block (``<``, ``>`` and ``&`` escaped as ``\\u003c`` ...), and the page's script builds tooltips,
legend and details with ``textContent`` only. vis-network draws labels on the canvas. The search
box, the filter by class and the legend are the page's own code (pyvis's select and filter menus
need the CDN libraries).

Physics (Barnes-Hut) runs for a capped number of stabilisation iterations and is then switched off,
so a graph of thousands of nodes settles and stays still.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup

from graph.network.data import MENTION_TERM, RELATION_WORDS, kind_label, relation_word
from graph.network.page_data import breadth_first, embed, timeline
from graph.store.oxigraph import write_atomically
from ontology import GH, ORG, label

#: The page's template (Jinja2), script and stylesheet.
PAGE_DIR = Path(__file__).resolve().parent / "page"
#: The page's title when none is given.
DEFAULT_TITLE = "工会知识图谱"
#: Colours and shapes of nodes and edges, by kind and relation (a data file).
STYLES_PATH = Path(__file__).resolve().parent / "styles.toml"


@functools.cache
def styles() -> dict[str, dict[str, dict[str, object]]]:
    """``styles.toml``: ``nodes`` and ``edges`` by kind and relation, and the ``default`` node style."""
    with STYLES_PATH.open("rb") as fh:
        return tomllib.load(fh)


def node_style(kind: str) -> dict[str, object]:
    """Colour, shape and legend symbol of a node kind (the default style for a kind not listed)."""
    found = styles()
    return found["nodes"].get(kind, found["default"])  # type: ignore[return-value]


def edge_style(relation: str) -> dict[str, object]:
    return styles()["edges"].get(relation, {"colour": "#aaaaaa"})


def legend_kinds(kinds: Iterable[str] = ()) -> list[str]:
    """Kinds in legend order: as styles.toml lists them, then any other kind given."""
    listed = list(styles()["nodes"])
    return [*listed, *sorted(set(kinds) - set(listed))]


#: Tooltip sections the ontology names: 职务 (org:Membership), 上级组织 and 下级组织 (gh:parent,
#: gh:child), 活动, 数据.
POSTS, PARENTS, CHILDREN = str(label(ORG.Membership)), str(label(GH.parent)), str(label(GH.child))
CAMPAIGNS, FIGURES = kind_label("Campaign"), str(label(GH.Figure))

TIP_ITEMS = 12  # lines of one tooltip section before "… N more"
EDGE_LABELS_UP_TO = 400  # edges drawn with their words; bigger graphs show them in tooltips only
STABILIZATION_ITERATIONS = 300  # up to LARGE nodes; bigger graphs get fewer (see stabilization_iterations)
LARGE = 500

VIS_DIR = "templates/lib/vis-9.1.2"

# A script, stylesheet, image or frame fetched from elsewhere, or a CSS url() pointing elsewhere.
_EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object|image|use)\b[^>]*?"
    r"\b(?:src|href|data|srcset|xlink:href)\s*=\s*[\"']?\s*(?:https?:)?//"
    r"|url\(\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)


# -- the model: nodes, edges, tooltips -------------------------------------------------------------


def _tip_section(title: str, lines: Iterable[str]) -> list[object]:
    items = list(dict.fromkeys(line for line in lines if line))
    if len(items) > TIP_ITEMS:
        items = [*items[:TIP_ITEMS], f"… 另有 {len(items) - TIP_ITEMS} 条"]
    return [title, items]


def _ties(graph: nx.Graph, node: str) -> dict[str, list[str]]:
    """What the node's edges say, sorted into tooltip sections, plus their sentences."""
    sections: dict[str, list[str]] = defaultdict(list)
    for _, other, attrs in _incident(graph, node):
        name = graph.nodes[other].get("label", other)
        relation = attrs.get("relation", "")
        if relation == "post":
            # When the post is stated: the dates of the articles saying so (posts in time).
            dates = "、".join(str(d) for d in attrs.get("dates", []) or [])  # type: ignore[union-attr]
            stated = f"（{dates}）" if dates else ""
            sections[POSTS].append(f"{name} {attrs.get('role', '')}{stated}".strip())
        elif relation == "hierarchy":
            key = PARENTS if attrs.get("subject") == node else CHILDREN
            sections[key].append(name)
        elif relation == "campaign":
            sections["参与者" if graph.nodes[node].get("kind") == "Campaign" else CAMPAIGNS].append(name)
        else:
            sections["关联"].append(f"{name} {attrs.get('label', '')}".strip())
        sections["来源句"].extend(attrs.get("evidence", []))
    return sections


def _incident(graph: nx.Graph, node: str) -> list[tuple[str, str, dict[str, object]]]:
    edges = graph.edges(node, data=True)
    return sorted(edges, key=lambda e: (graph.nodes[e[1]].get("label", ""), str(e[2].get("label", ""))))


def node_tip(graph: nx.Graph, node: str) -> dict[str, object]:
    """The tooltip of a node as plain data: heading, subheading and (title, lines) sections."""
    attrs = graph.nodes[node]
    ties = _ties(graph, node)
    order = [POSTS, PARENTS, CHILDREN, CAMPAIGNS, "参与者", "关联"]
    sections = [_tip_section("别名", attrs.get("alt_labels", []))]
    sections += [_tip_section(title, ties[title]) for title in order if ties.get(title)]
    sections.append(_tip_section(FIGURES, attrs.get("figures", [])))
    sections.append(_tip_section("来源句", ties.get("来源句", [])))
    return {
        "heading": str(attrs.get("label", node)),
        "sub": kind_label(str(attrs.get("kind", ""))),
        "sections": [s for s in sections if s[1]],
    }


def edge_tip(graph: nx.Graph, edges: Sequence[dict[str, object]]) -> dict[str, object]:
    def name(node: object) -> str:
        return str(graph.nodes[node].get("label", node)) if node in graph else str(node)

    statements = [f"{name(e.get('subject'))} {e.get('label', '')} {name(e.get('object'))}" for e in edges]
    sentences = [s for e in edges for s in e.get("evidence", [])]  # type: ignore[attr-defined]
    return {
        "heading": " / ".join(dict.fromkeys(statements)),
        "sub": "",
        "sections": [s for s in [_tip_section("来源句", sentences)] if s[1]],
    }


def node_entry(graph: nx.Graph, node: str) -> dict[str, object]:
    """What the page knows of a node: its names, kind, size (degree), tooltip and timeline of posts."""
    attrs = graph.nodes[node]
    entry: dict[str, object] = {
        "id": str(node),
        "label": str(attrs.get("label", node)),
        "kind": str(attrs.get("kind", "Organization")),
        "value": 1 + graph.degree(node),
        "tip": node_tip(graph, node),
    }
    if attrs.get("alt_labels"):
        entry["alt"] = [str(name) for name in attrs["alt_labels"]]
    rows = timeline(graph, node, graph.graph.get("articles") or {})
    if rows:
        entry["timeline"] = rows
    return entry


def edge_entry(
    graph: nx.Graph, pair: frozenset[str], edges: Sequence[dict[str, object]], index: dict[str, int]
) -> dict[str, object]:
    """One drawn edge for the parallel ``edges`` between the two nodes of ``pair``, oriented
    subject → object as the first of them reads; its ends are positions in the page's node list."""
    subject, obj = str(edges[0].get("subject", "")), str(edges[0].get("object", ""))
    if {subject, obj} != pair:
        subject, obj = sorted(pair) if len(pair) == 2 else (next(iter(pair)),) * 2
    relations = {str(e.get("relation", "")) for e in edges}
    return {
        "from": index[subject],
        "to": index[obj],
        "relation": relations.pop() if len(relations) == 1 else "",
        "label": " / ".join(dict.fromkeys(str(e.get("label", "")) for e in edges)),
        "tip": edge_tip(graph, edges),
    }


def stabilization_iterations(n_nodes: int) -> int:
    """Iterations of physics before it stops: 300, fewer past 500 nodes (a Barnes-Hut step costs
    ~n log n), at least 100. 1,000 nodes settle in about 2.5 s in headless Chromium, 2,000 in ~3.5 s."""
    if n_nodes <= LARGE:
        return STABILIZATION_ITERATIONS
    return max(100, STABILIZATION_ITERATIONS * LARGE // n_nodes)


def vis_options(n_nodes: int) -> dict[str, object]:
    """vis-network options: Barnes-Hut physics with capped stabilisation (the page then stops it)."""
    return {
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {
                "gravitationalConstant": -6000,
                "centralGravity": 0.3,
                "springLength": 110,
                "springConstant": 0.04,
                "damping": 0.35,
                "avoidOverlap": 0.1,
                "theta": 0.5 if n_nodes <= LARGE else 0.8,
            },
            "maxVelocity": 50,
            "minVelocity": 1,
            "stabilization": {
                "enabled": True,
                "iterations": stabilization_iterations(n_nodes),
                "updateInterval": 25,
                "fit": True,
            },
        },
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
        "nodes": {
            "scaling": {"min": 8, "max": 36},
            "font": {"size": 14, "face": "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"},
        },
        "edges": {"smooth": False, "width": 1.2, "font": {"size": 10, "align": "middle"}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 500},
    }


# -- the page ---------------------------------------------------------------------------------------


def script_json(value: object) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``<``, ``>`` or ``&`` in the text at all."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline(path: Path) -> Markup:
    """A script or stylesheet to inline verbatim (trusted: ours or vis-network's), once checked
    that it cannot end its element early."""
    return _inline_text(path, path.read_text(encoding="utf-8"))


def _inline_text(path: Path, text: str) -> Markup:
    if "</script" in text.lower() or "<!--" in text or "</style" in text.lower():
        raise ValueError(f"{path} cannot be inlined safely")
    return Markup(text)


@functools.cache
def _page_template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGE_DIR), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return environment.get_template("page.html")


def _vis_css(path: Path) -> Markup:
    """The rules of vis-network's stylesheet the page uses (its tooltip): the rest styles the
    navigation and editing tools the page does not show and is mostly images (220 KB)."""
    text = path.read_text(encoding="utf-8")
    rules = [m.group(0) for m in re.finditer(r"[^{}]+\{[^{}]*\}", text) if "vis-tooltip" in m.group(0)]
    return _inline_text(path, "".join(rule.strip() for rule in rules))


def page_payload(
    graph: nx.Graph,
    title: str = DEFAULT_TITLE,
    focus: Sequence[str] = (),
    depth: int | None = None,
    budget: int | None = None,
) -> dict[str, object]:
    """The page's data: every node (or, with ``budget``, those nearest ``focus`` that fit), the
    edges and articles among them, and what the page opens on: the focus and its neighbours within
    ``depth`` steps, or every node when ``depth`` is None."""
    found = embed(graph, node_entry, edge_entry, focus=focus if budget is not None else (), budget=budget)
    shown = None
    if depth is not None and focus:
        near = itertools.takewhile(lambda found_at: found_at[1] <= depth, breadth_first(graph, focus))
        shown = [found.index[n] for n, _ in near if n in found.index]
    relations = [*RELATION_WORDS, "mention"]
    return {
        "title": title,
        "nodes": found.nodes,
        "edges": found.edges,
        "articles": found.article_rows,
        "focus": [str(f) for f in focus],
        "depth": depth or 1,
        "shown": shown,
        "options": vis_options(len(shown) if shown is not None else len(found.nodes)),
        "edgeWords": len(found.edges) <= EDGE_LABELS_UP_TO,
        "legend": [
            {"kind": kind, "label": kind_label(kind), **node_style(kind)}
            for kind in legend_kinds({str(n["kind"]) for n in found.nodes})
        ],
        "edgeStyles": {relation: edge_style(relation) for relation in relations},
        "mentionWord": relation_word(MENTION_TERM),
        "relations": [f"{verb}（{rel}）" for rel, verb in RELATION_WORDS.items()],
    }


def render_html(
    graph: nx.Graph,
    title: str = DEFAULT_TITLE,
    focus: Sequence[str] = (),
    depth: int | None = None,
    budget: int | None = None,
) -> str:
    """The whole page for ``graph`` as a string, with nothing to fetch from the network (see
    :func:`page_payload` for ``focus``, ``depth`` and ``budget``)."""
    payload = page_payload(graph, title, focus, depth, budget)
    import pyvis

    vis = Path(pyvis.__file__).parent / VIS_DIR
    # The template engine puts each value in once and never reads a value as template text, so
    # an article that contains "{{ page_js }}" or "</script>" stays a string in the data.
    page = _page_template().render(
        title=title,  # autoescaped
        data=Markup(script_json(payload)),  # JSON with < > & escaped: cannot close its <script>
        vis_css=_vis_css(vis / "vis-network.css"),
        page_css=_inline(PAGE_DIR / "page.css"),
        vis_js=_inline(vis / "vis-network.min.js"),
        page_js=_inline(PAGE_DIR / "page.js"),
    )
    check_offline(page)
    return page


def check_offline(page: str) -> None:
    """Raise ``ValueError`` if the page would fetch a script, style, image or frame from elsewhere."""
    found = _EXTERNAL.search(page)
    if found:
        raise ValueError(f"the view would load {found.group(0)!r} from the network")


def write_view(
    graph: nx.Graph,
    out: Path,
    title: str = DEFAULT_TITLE,
    focus: Sequence[str] = (),
    depth: int | None = None,
    budget: int | None = None,
) -> Path:
    """Write the page for ``graph`` to ``out`` atomically (a temporary file renamed over it)."""
    page = render_html(graph, title, focus, depth, budget).encode("utf-8")
    write_atomically(out, lambda fh: fh.write(page))
    return out
