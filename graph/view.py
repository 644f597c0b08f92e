"""``python -m graph view``: the knowledge graph as one self-contained, offline HTML page.

pyvis collects the nodes, edges and vis-network options; the page is rendered from this module's
own template rather than pyvis's, whose pages load bootstrap (and, for its menus, tom-select) from
CDNs. Every script and style is inlined, so the file works with no network at all.

Article text never becomes HTML: the graph travels as JSON inside a ``<script type="application/json">``
block (``<``, ``>`` and ``&`` escaped as ``\\u003c`` ...), and the page's script builds tooltips,
legend and details with ``textContent`` only. vis-network draws labels on the canvas. The search
box, the filter by class and the legend are the page's own code (pyvis's select and filter menus
need the CDN libraries).

Physics (Barnes-Hut) runs for a capped number of stabilisation iterations and is then switched off,
so a graph of thousands of nodes settles and stays still.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import networkx as nx

from graph.network import KINDS, RELATION_WORDS, combined_graph, kind_label, read_network
from graph.store import add_graph_argument, write_atomically

#: Colour and vis-network shape of each node kind.
STYLES: dict[str, tuple[str, str]] = {
    "Person": ("#e15759", "dot"),
    "TradeUnion": ("#4e79a7", "diamond"),
    "GovernmentBody": ("#59a14f", "square"),
    "Enterprise": ("#f28e2b", "triangle"),
    "Cooperative": ("#edc948", "triangleDown"),
    "Group": ("#b07aa1", "hexagon"),
    "Organization": ("#9c755f", "square"),
    "Campaign": ("#76b7b2", "star"),
}
#: The legend's symbol for each shape (text, so the legend needs no images).
SYMBOLS = {"dot": "●", "diamond": "◆", "square": "■", "triangle": "▲", "triangleDown": "▼",
           "hexagon": "⬢", "star": "★"}
EDGE_COLOURS = {"post": "#8c8c8c", "hierarchy": "#4e79a7", "campaign": "#76b7b2"}

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
            sections["职务"].append(f"{name} {attrs.get('role', '')}".strip())
        elif relation == "hierarchy":
            key = "上级组织" if attrs.get("subject") == node else "下级组织"
            sections[key].append(name)
        elif relation == "campaign":
            sections["参与者" if graph.nodes[node].get("kind") == "Campaign" else "活动"].append(name)
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
    order = ["职务", "上级组织", "下级组织", "活动", "参与者", "关联"]
    sections = [_tip_section("别名", attrs.get("alt_labels", []))]
    sections += [_tip_section(title, ties[title]) for title in order if ties.get(title)]
    sections.append(_tip_section("数据", attrs.get("figures", [])))
    sections.append(_tip_section("来源句", ties.get("来源句", [])))
    return {
        "heading": str(attrs.get("label", node)),
        "sub": kind_label(str(attrs.get("kind", ""))),
        "sections": [s for s in sections if s[1]],
    }


def _merged_edges(graph: nx.Graph) -> dict[tuple[str, str], list[dict[str, object]]]:
    """The edges between each pair of nodes (a multigraph's parallel edges together), oriented
    subject → object as the first of them reads."""
    oriented: dict[frozenset[str], tuple[str, str]] = {}
    groups: dict[frozenset[str], list[dict[str, object]]] = defaultdict(list)
    for u, v, attrs in graph.edges(data=True):
        subject, obj = str(attrs.get("subject", u)), str(attrs.get("object", v))
        if {subject, obj} != {str(u), str(v)}:
            subject, obj = str(u), str(v)
        key = frozenset((subject, obj))
        oriented.setdefault(key, (subject, obj))
        groups[key].append(attrs)
    return {oriented[key]: edges for key, edges in groups.items()}


def edge_tip(graph: nx.Graph, edges: Sequence[dict[str, object]]) -> dict[str, object]:
    def name(node: object) -> str:
        return str(graph.nodes[node].get("label", node)) if node in graph else str(node)

    statements = [f"{name(e.get('subject'))} {e.get('label', '')} {name(e.get('object'))}" for e in edges]
    sentences = [s for e in edges for s in e.get("evidence", [])]  # type: ignore[attr-defined]
    return {"heading": " / ".join(dict.fromkeys(statements)), "sub": "",
            "sections": [s for s in [_tip_section("来源句", sentences)] if s[1]]}


def build_network(graph: nx.Graph, title: str = "") -> object:
    """A pyvis Network holding the nodes, edges (tooltips as data) and options for ``graph``."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line", heading=title)
    degree = dict(graph.degree())
    for node in sorted(graph.nodes, key=str):
        attrs = graph.nodes[node]
        kind = str(attrs.get("kind", "Organization"))
        colour, shape = STYLES.get(kind, STYLES["Organization"])
        net.add_node(
            str(node), label=str(attrs.get("label", node)), shape=shape, value=1 + degree.get(node, 0),
            color={"background": colour, "border": colour, "highlight": {"background": colour,
                                                                         "border": "#222222"}},
            kind=kind, names=[str(attrs.get("label", node)), *attrs.get("alt_labels", [])],
            tip=node_tip(graph, node),
        )
    merged = _merged_edges(graph)
    show_words = len(merged) <= EDGE_LABELS_UP_TO
    for (a, b), edges in sorted(merged.items()):
        relations = {str(e.get("relation", "")) for e in edges}
        relation = relations.pop() if len(relations) == 1 else ""
        words = " / ".join(dict.fromkeys(str(e.get("label", "")) for e in edges))
        net.add_edge(
            str(a), str(b), arrows="to" if relation == "hierarchy" else "",
            label=words if show_words else "", dashes=relation == "campaign",
            color=EDGE_COLOURS.get(relation, "#aaaaaa"), tip=edge_tip(graph, edges),
        )
    net.options = vis_options(graph.number_of_nodes())
    return net


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
            "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.3, "springLength": 110,
                          "springConstant": 0.04, "damping": 0.35, "avoidOverlap": 0.1,
                          "theta": 0.5 if n_nodes <= LARGE else 0.8},
            "maxVelocity": 50,
            "minVelocity": 1,
            "stabilization": {"enabled": True, "iterations": stabilization_iterations(n_nodes),
                              "updateInterval": 25, "fit": True},
        },
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
        "nodes": {"scaling": {"min": 8, "max": 36},
                  "font": {"size": 14, "face": "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"}},
        "edges": {"smooth": False, "width": 1.2, "font": {"size": 10, "align": "middle"}},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 500},
    }


# -- the page ---------------------------------------------------------------------------------------


def script_json(value: object) -> str:
    """JSON that can sit inside a ``<script>`` element: no ``<``, ``>`` or ``&`` in the text at all."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _vis_assets() -> tuple[str, str]:
    import pyvis

    folder = Path(pyvis.__file__).parent / VIS_DIR
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in js.lower() or "<!--" in js or "</style" in css.lower():
        raise ValueError(f"{folder}: vis-network cannot be inlined safely")
    return js, css


def render_html(graph: nx.Graph, title: str = "工会知识图谱", focus: Sequence[str] = ()) -> str:
    """The whole page for ``graph`` as a string, with nothing to fetch from the network."""
    net = build_network(graph, title)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()  # type: ignore[attr-defined]
    legend = [
        {"kind": kind, "label": kind_label(kind), "colour": colour, "symbol": SYMBOLS[shape]}
        for kind, (colour, shape) in ((k, STYLES[k]) for k in KINDS)
    ]
    payload = {
        "title": title, "nodes": nodes, "edges": edges, "options": json.loads(options),
        "legend": legend, "focus": [str(f) for f in focus],
        "relations": [f"{verb}（{rel}）" for rel, verb in RELATION_WORDS.items()],
    }
    js, css = _vis_assets()
    page = (
        _PAGE.replace("{{TITLE}}", html.escape(title))
        .replace("{{VIS_CSS}}", css)
        .replace("{{PAGE_CSS}}", _PAGE_CSS)
        .replace("{{DATA}}", script_json(payload))
        .replace("{{PAGE_JS}}", _PAGE_JS)
        .replace("{{VIS_JS}}", js)  # last: the library's text is not searched for placeholders
    )
    check_offline(page)
    return page


def check_offline(page: str) -> None:
    """Raise ``ValueError`` if the page would fetch a script, style, image or frame from elsewhere."""
    found = _EXTERNAL.search(page)
    if found:
        raise ValueError(f"the view would load {found.group(0)!r} from the network")


def write_view(graph: nx.Graph, out: Path, title: str = "工会知识图谱", focus: Sequence[str] = ()) -> Path:
    """Write the page for ``graph`` to ``out`` atomically (a temporary file renamed over it)."""
    page = render_html(graph, title, focus).encode("utf-8")
    write_atomically(out, lambda fh: fh.write(page))
    return out


def run_view(args: argparse.Namespace) -> int:
    try:
        graph = combined_graph(read_network(args.graph))
    except (FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.hide_isolated:
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    write_view(graph, Path(args.out), args.title)
    print(f"wrote {args.out} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)")
    return 0


def add_view_arguments(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("view", help="write an interactive HTML view that works offline")
    add_graph_argument(parser)
    parser.add_argument("--out", required=True, metavar="FILE.html")
    parser.add_argument("--title", default="工会知识图谱", help="the page's title")
    parser.add_argument("--hide-isolated", action="store_true", help="leave out nodes with no edge")
    parser.set_defaults(func=run_view)


_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}}</title>
<style>{{VIS_CSS}}</style>
<style>{{PAGE_CSS}}</style>
</head>
<body>
<header>
  <h1 id="title"></h1>
  <form id="search-form" autocomplete="off">
    <input id="search" type="search" list="names" placeholder="搜索名称 / search" aria-label="搜索">
    <datalist id="names"></datalist>
    <button type="submit">查找</button>
  </form>
  <span id="status">布局中…</span>
</header>
<main>
  <aside>
    <section><h2>图例 · 筛选</h2><ul id="legend"></ul></section>
    <section><h2>详情</h2><div id="info" class="tip">点击节点查看职务、数据和来源句。</div></section>
  </aside>
  <div id="mynetwork"></div>
</main>
<script id="graph-data" type="application/json">{{DATA}}</script>
<script>{{VIS_JS}}</script>
<script>{{PAGE_JS}}</script>
</body>
</html>
"""

_PAGE_CSS = """
html, body { margin: 0; height: 100%; font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; }
body { display: flex; flex-direction: column; }
header { display: flex; gap: 1em; align-items: center; padding: .4em 1em; border-bottom: 1px solid #ddd; }
header h1 { font-size: 1.1em; margin: 0; }
#search { width: 16em; }
#status { color: #666; font-size: .9em; }
main { flex: 1; display: flex; min-height: 0; }
aside { width: 19em; overflow-y: auto; padding: .5em 1em; border-right: 1px solid #ddd; font-size: .9em; }
aside h2 { font-size: 1em; margin: .6em 0 .3em; }
#legend { list-style: none; padding: 0; margin: 0; }
#legend label { cursor: pointer; }
#legend .symbol { display: inline-block; width: 1.3em; text-align: center; }
#mynetwork { flex: 1; position: relative; }
.tip { max-width: 34em; white-space: normal; font-size: 13px; line-height: 1.4; }
.tip .heading { font-weight: bold; }
.tip .sub { color: #666; margin-left: .5em; }
.tip .section { font-weight: bold; margin-top: .4em; }
.tip .line { margin-left: .8em; }
div.vis-tooltip { white-space: normal; max-width: 36em; }
"""

_PAGE_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var t0 = performance.now();
  var state = window.gkg = { stabilized: false, stabilizationMs: null, data: data };
  document.title = data.title;
  document.getElementById("title").textContent = data.title;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function tipElement(tip) {  // article text only ever goes in through textContent
    var box = el("div", "tip");
    var head = el("div", "heading", tip.heading);
    if (tip.sub) { head.appendChild(el("span", "sub", tip.sub)); }
    box.appendChild(head);
    tip.sections.forEach(function (section) {
      box.appendChild(el("div", "section", section[0]));
      section[1].forEach(function (line) { box.appendChild(el("div", "line", line)); });
    });
    return box;
  }

  data.nodes.forEach(function (n) { n.title = tipElement(n.tip); });
  data.edges.forEach(function (e) { e.title = tipElement(e.tip); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("mynetwork"), { nodes: [], edges: [] }, data.options);
  state.network = network; state.nodes = nodes; state.edges = edges;
  var status = document.getElementById("status");

  network.on("stabilizationProgress", function (p) {
    status.textContent = "布局中… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    state.stabilizationMs = performance.now() - t0;
    state.stabilized = true;
    status.textContent = nodes.length + " 个节点，" + edges.length + " 条边";
    if (data.focus.length) { select(data.focus[0]); }
  });
  network.setData({ nodes: nodes, edges: edges });
  if (nodes.length === 0) {
    network.setOptions({ physics: { enabled: false } });
    state.stabilized = true; state.stabilizationMs = 0; status.textContent = "空图";
  }

  var info = document.getElementById("info");
  function showInfo(id) {
    var node = nodes.get(id);
    if (!node) { return; }
    info.replaceChildren(tipElement(node.tip));
  }
  network.on("selectNode", function (p) { showInfo(p.nodes[0]); });

  // legend and filter by class
  var counts = {};
  nodes.forEach(function (n) { counts[n.kind] = (counts[n.kind] || 0) + 1; });
  var hidden = {};
  var legend = document.getElementById("legend");
  data.legend.forEach(function (item) {
    if (!counts[item.kind]) { return; }
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.dataset.kind = item.kind;
    var symbol = el("span", "symbol", item.symbol); symbol.style.color = item.colour;
    label.append(box, symbol, document.createTextNode(item.label + " (" + counts[item.kind] + ")"));
    li.appendChild(label); legend.appendChild(li);
    box.addEventListener("change", function () { setKindVisible(item.kind, box.checked); });
  });
  function setKindVisible(kind, visible) {
    hidden[kind] = !visible;
    var box = legend.querySelector('input[data-kind="' + kind + '"]');
    if (box) { box.checked = visible; }
    nodes.update(nodes.getIds({ filter: function (n) { return n.kind === kind; } })
      .map(function (id) { return { id: id, hidden: !visible }; }));
  }
  state.setKindVisible = setKindVisible;

  // search
  var names = document.getElementById("names");
  var seen = {};
  nodes.forEach(function (n) {
    n.names.forEach(function (name) {
      if (seen[name]) { return; }
      seen[name] = true;
      var option = document.createElement("option"); option.value = name; names.appendChild(option);
    });
  });
  function find(query) {
    query = query.trim();
    if (!query) { return null; }
    var tests = [
      function (n) { return n.label === query; },
      function (n) { return n.names.indexOf(query) >= 0; },
      function (n) { return n.names.some(function (x) { return x.indexOf(query) === 0; }); },
      function (n) { return n.names.some(function (x) { return x.indexOf(query) >= 0; }); }
    ];
    for (var i = 0; i < tests.length; i++) {
      var found = nodes.get({ filter: tests[i] });
      if (found.length) { return found[0].id; }
    }
    return null;
  }
  function select(id) {
    var node = nodes.get(id);
    if (!node) { return false; }
    if (hidden[node.kind]) { setKindVisible(node.kind, true); }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: false });
    showInfo(id);
    return true;
  }
  state.select = select;
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("search").value;
    var id = find(query);
    status.textContent = id !== null && select(id) ? "找到：" + nodes.get(id).label : "未找到：" + query;
  });
})();
"""
