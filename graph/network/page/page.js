(function () {
  "use strict";
  // The view's page. data (graph/network/view.py page_payload): nodes, edges between them (ends and
  // articles by position), articles (entities by position), what to open on (shown: positions, or
  // null for all), legend and edge styles. Article text only ever goes into the page through
  // textContent; vis-network draws labels on its canvas.
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var t0 = performance.now();
  var state = window.gkg = { stabilized: false, stabilizationMs: null, data: data, layouts: 0 };
  document.title = data.title;
  document.getElementById("title").textContent = data.title;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function tipElement(tip) {
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

  // -- the embedded data, indexed ------------------------------------------------------------------
  var N = data.nodes, E = data.edges, A = data.articles;
  var styleOf = {};
  data.legend.forEach(function (item) { styleOf[item.kind] = item; });
  var byId = {};
  N.forEach(function (n, i) {
    n.index = i; n.names = [n.label].concat(n.alt || []); n.adj = []; n.stated = [];
    byId[n.id] = n;
  });
  E.forEach(function (e, i) { e.id = "e" + i; N[e.from].adj.push(i); N[e.to].adj.push(i); });
  var articleById = {};
  A.forEach(function (a, i) {
    a.index = i; articleById[a.id] = a;
    a.entities.forEach(function (k) { N[k].stated.push(i); });
  });
  function other(e, i) { return e.from === i ? e.to : e.from; }

  var drawn = {};       // positions of the entities in the view
  var pinned = {};      // focus and selected nodes: shown even when unlinked
  var hiddenKinds = {};
  var articlesOn = false, hideUnlinked = true;
  var filter = { from: "", to: "", undated: false, publisher: "" };
  if (data.shown) { data.shown.forEach(function (i) { drawn[i] = true; }); }
  else { N.forEach(function (n, i) { drawn[i] = true; }); }
  data.focus.forEach(function (id) { if (byId[id]) { pinned[id] = true; } });

  // -- vis items -----------------------------------------------------------------------------------
  function colour(c) { return { background: c, border: c, highlight: { background: c, border: "#222222" } }; }
  function entityItem(n) {
    var style = styleOf[n.kind] || styleOf.Organization;
    return { id: n.id, label: n.label, kind: n.kind, names: n.names, shape: style.shape,
             color: colour(style.colour), value: n.value, title: tipElement(n.tip) };
  }
  function edgeItem(e) {
    var style = data.edgeStyles[e.relation] || { colour: "#aaaaaa" };
    return { id: e.id, from: N[e.from].id, to: N[e.to].id, relation: e.relation,
             label: data.edgeWords ? e.label : undefined, arrows: style.arrows || "",
             dashes: !!style.dashes, color: style.colour, title: tipElement(e.tip) };
  }
  function short(text) { return text.length > 14 ? text.slice(0, 13) + "…" : text; }
  function articleTip(a) {
    var lines = [a.date || "（无日期）"];
    if (a.publisher) { lines.push("来源：" + a.publisher); }
    return { heading: a.title, sub: styleOf.NewsArticle.label, sections: [
      ["文章", lines], [data.mentionWord, a.entities.map(function (k) { return N[k].label; }).slice(0, 12)]] };
  }
  function articleItem(a) {
    var style = styleOf.NewsArticle;
    return { id: a.id, label: short(a.title), kind: "NewsArticle", names: [a.title], shape: style.shape,
             color: colour(style.colour), font: { color: "#ffffff" }, value: 1 + a.entities.length,
             title: tipElement(articleTip(a)), article: true };
  }
  function mentionItem(a, k) {
    var style = data.edgeStyles.mention;
    return { id: "m" + a.index + "-" + k, from: a.id, to: N[k].id, relation: "mention",
             dashes: !!style.dashes, color: style.colour, article: a.index, title: data.mentionWord };
  }

  var nodes = new vis.DataSet(), edges = new vis.DataSet();
  state.nodes = nodes; state.edges = edges;
  var network = new vis.Network(document.getElementById("mynetwork"), { nodes: [], edges: [] }, data.options);
  state.network = network;
  var status = document.getElementById("status");

  // Bring the DataSets in line with what is drawn: the drawn entities, the edges between them and,
  // with articles on, the articles stating them. New nodes start next to a drawn neighbour.
  function sync(anchor) {
    var wantNodes = {}, wantEdges = {};
    Object.keys(drawn).forEach(function (i) {
      var n = N[i];
      wantNodes[n.id] = n;
      n.adj.forEach(function (j) { if (drawn[other(E[j], n.index)]) { wantEdges[E[j].id] = E[j]; } });
      if (articlesOn) {
        n.stated.forEach(function (a) { wantNodes[A[a].id] = A[a]; wantEdges["m" + a + "-" + i] = [A[a], n.index]; });
      }
    });
    var at = anchor && network.getPositions([anchor])[anchor];
    var addNodes = [];
    Object.keys(wantNodes).forEach(function (id) {
      if (nodes.get(id)) { return; }
      var thing = wantNodes[id];
      var item = articleById[id] === thing ? articleItem(thing) : entityItem(thing);
      if (at) { item.x = at.x + 80 * Math.cos(addNodes.length); item.y = at.y + 80 * Math.sin(addNodes.length); }
      addNodes.push(item);
    });
    var gone = nodes.getIds({ filter: function (n) { return !wantNodes[n.id]; } });
    nodes.remove(gone);
    nodes.add(addNodes);
    edges.remove(edges.getIds({ filter: function (e) { return !wantEdges[e.id]; } }));
    var addEdges = [];
    Object.keys(wantEdges).forEach(function (id) {
      if (edges.get(id)) { return; }
      var w = wantEdges[id];
      addEdges.push(Array.isArray(w) ? mentionItem(w[0], w[1]) : edgeItem(w));
    });
    edges.add(addEdges);
    apply();
    return addNodes.length + gone.length;
  }

  // -- filters: kind, articles, date range, source, unlinked ---------------------------------------
  function filtering() { return !!(filter.from || filter.to || filter.publisher); }
  function articleOk(i) {
    var a = A[i];
    if (filter.from || filter.to) {
      if (!a.date) { if (!filter.undated) { return false; } }
      else if ((filter.from && a.date < filter.from) || (filter.to && a.date > filter.to)) { return false; }
    }
    return !filter.publisher || a.publisher === filter.publisher;
  }
  function edgeOk(e) {
    if (!filtering()) { return true; }
    if (!e.articles.length) { return !filter.publisher && filter.undated; }
    return e.articles.some(articleOk);
  }
  function apply() {
    var linked = {}, edgeUpdates = [], nodeUpdates = [];
    edges.forEach(function (item) {
      var visible;
      if (item.relation === "mention") {
        var to = byId[item.to];
        visible = articlesOn && articleOk(item.article) && !hiddenKinds.NewsArticle && !hiddenKinds[to.kind];
      } else {
        var e = E[+item.id.slice(1)];
        visible = edgeOk(e) && !hiddenKinds[N[e.from].kind] && !hiddenKinds[N[e.to].kind];
      }
      if (visible) { linked[item.from] = true; linked[item.to] = true; }
      if (!!item.hidden !== !visible) { edgeUpdates.push({ id: item.id, hidden: !visible }); }
    });
    nodes.forEach(function (item) {
      var visible = !hiddenKinds[item.kind] && (!item.article || articleOk(articleById[item.id].index)) &&
        (linked[item.id] || pinned[item.id] || !hideUnlinked);
      if (!!item.hidden !== !visible) { nodeUpdates.push({ id: item.id, hidden: !visible }); }
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    var shownNodes = nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    var shownEdges = edges.get({ filter: function (e) { return !e.hidden; } }).length;
    state.shownNodes = shownNodes;
    if (state.stabilized) { status.textContent = shownNodes + " 个节点，" + shownEdges + " 条边"; }
  }
  state.apply = apply;

  // -- layout: physics until stable, then still -----------------------------------------------------
  network.on("stabilizationProgress", function (p) {
    status.textContent = "布局中… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });
    if (state.stabilizationMs === null) { state.stabilizationMs = performance.now() - t0; }
    state.stabilized = true; state.layouts += 1;
    apply();
  });
  function relayout() {
    state.stabilized = false;
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(Math.min(200, data.options.physics.stabilization.iterations));
  }
  sync();
  state.setupMs = performance.now() - t0;  // the page's own work before the layout starts
  network.setData({ nodes: nodes, edges: edges });
  if (nodes.length === 0) {
    network.setOptions({ physics: { enabled: false } });
    state.stabilized = true; state.stabilizationMs = 0; status.textContent = "空图";
  }

  // -- details: tooltip, timeline of posts, articles, neighbourhood ---------------------------------
  var info = document.getElementById("info");
  function table(title, rows) {
    var box = el("div");
    box.appendChild(el("div", "section", title));
    rows.forEach(function (row) { box.appendChild(el("div", "line", row)); });
    return box;
  }
  function articleLine(i) {
    var a = A[i];
    return (a.date || "无日期") + " · " + a.title + (a.publisher ? " · " + a.publisher : "");
  }
  function showInfo(id) {
    var n = byId[id], a = articleById[id];
    if (a) { info.replaceChildren(tipElement(articleTip(a))); return; }
    if (!n) { return; }
    var parts = [tipElement(n.tip)];
    if (n.timeline) {
      var timeline = table("任职时间线", n.timeline.map(function (r) {
        return (r[0] || "无日期") + " · " + r[1] + " " + r[2] + " · " + r[3] + (r[4] ? " · 《" + r[4] + "》" : "");
      }));
      timeline.id = "timeline";
      parts.push(timeline);
    }
    if (n.stated.length) {
      var lines = n.stated.slice().sort(function (x, y) { return (A[y].date || "") < (A[x].date || "") ? -1 : 1; })
        .map(articleLine);
      if (n.articles_total) { lines.push("… 共 " + n.articles_total + " 篇"); }
      var list = table("来源文章", lines);
      list.id = "articles";
      parts.push(list);
    }
    if (n.more) { parts.push(el("div", "more", "另有 " + n.more + " 个关联未收入本页（以 --focus 打开该节点可见）")); }
    var button = el("button", "", "显示邻域");
    button.id = "neighbourhood";
    button.addEventListener("click", function () { showNeighbourhood(id); });
    parts.push(button);
    info.replaceChildren.apply(info, parts);
  }

  function expand(id) {
    var n = byId[id], a = articleById[id], added = 0;
    var around = n ? n.adj.map(function (j) { return other(E[j], n.index); }) : a ? a.entities : [];
    around.forEach(function (k) { if (!drawn[k]) { drawn[k] = true; added += 1; } });
    if (added) { sync(id); relayout(); }
    return added;
  }
  state.expand = expand;
  function neighbourhood(i, depth) {
    var seen = {}, layer = [i];
    seen[i] = true;
    for (var d = 0; d < depth; d++) {
      var next = [];
      layer.forEach(function (k) {
        N[k].adj.forEach(function (j) { var o = other(E[j], k); if (!seen[o]) { seen[o] = true; next.push(o); } });
      });
      layer = next;
    }
    return seen;
  }
  function showNeighbourhood(id) {
    var n = byId[id];
    if (!n) { return; }
    drawn = neighbourhood(n.index, data.depth);
    pinned = {}; pinned[id] = true;
    sync(id);
    relayout();
    network.once("stabilizationIterationsDone", function () { network.fit(); select(id); });
  }
  state.showNeighbourhood = showNeighbourhood;
  network.on("selectNode", function (p) {
    var id = p.nodes[0];
    pinned[id] = true;
    showInfo(id);
    var added = expand(id);
    if (added) { status.textContent = "展开：" + (nodes.get(id).label) + "（+" + added + "）"; }
  });

  // -- legend: kinds, articles, unlinked -----------------------------------------------------------
  var counts = {};
  N.forEach(function (n) { counts[n.kind] = (counts[n.kind] || 0) + 1; });
  counts.NewsArticle = A.length;
  var legend = document.getElementById("legend");
  function checkbox(key, text, checked, symbol, onChange) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = checked; box.dataset.kind = key;
    label.appendChild(box);
    if (symbol) { label.appendChild(symbol); }
    label.appendChild(document.createTextNode(text));
    li.appendChild(label); legend.appendChild(li);
    box.addEventListener("change", function () { onChange(box.checked); });
    return box;
  }
  data.legend.forEach(function (item) {
    if (!counts[item.kind]) { return; }
    var symbol = el("span", "symbol", item.symbol); symbol.style.color = item.colour;
    var on = item.kind !== "NewsArticle";
    checkbox(item.kind, item.label + " (" + counts[item.kind] + ")", on, symbol, function (checked) {
      if (item.kind === "NewsArticle") { setArticles(checked); } else { setKindVisible(item.kind, checked); }
    });
  });
  checkbox("unlinked", "隐藏无连接节点", true, null, function (checked) { hideUnlinked = checked; apply(); })
    .id = "hide-unlinked";
  function setKindVisible(kind, visible) {
    hiddenKinds[kind] = !visible;
    var box = legend.querySelector('input[data-kind="' + kind + '"]');
    if (box) { box.checked = visible; }
    apply();
  }
  state.setKindVisible = setKindVisible;
  function setArticles(on) {
    articlesOn = on;
    var box = legend.querySelector('input[data-kind="NewsArticle"]');
    if (box) { box.checked = on; }
    if (sync() && on) { relayout(); }
  }
  state.setArticles = setArticles;

  // -- filters: dates and sources ------------------------------------------------------------------
  var publishers = {};
  A.forEach(function (a) { if (a.publisher) { publishers[a.publisher] = (publishers[a.publisher] || 0) + 1; } });
  var select_ = document.getElementById("publisher");
  Object.keys(publishers).sort().forEach(function (name) {
    var option = el("option", "", name + " (" + publishers[name] + ")"); option.value = name;
    select_.appendChild(option);
  });
  var dates = A.map(function (a) { return a.date; }).filter(Boolean).sort();
  ["date-from", "date-to"].forEach(function (key) {
    var input = document.getElementById(key);
    if (dates.length) { input.min = dates[0]; input.max = dates[dates.length - 1]; }
  });
  function readFilters() {
    filter.from = document.getElementById("date-from").value;
    filter.to = document.getElementById("date-to").value;
    filter.undated = document.getElementById("undated").checked;
    filter.publisher = select_.value;
    apply();
  }
  ["date-from", "date-to", "undated", "publisher"].forEach(function (key) {
    document.getElementById(key).addEventListener("change", readFilters);
  });
  state.filter = filter;

  // -- search --------------------------------------------------------------------------------------
  var names = document.getElementById("names");
  var seen = {};
  N.forEach(function (n) {
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
      var found = N.filter(tests[i]);
      if (found.length) { return found[0].id; }
    }
    return null;
  }
  function select(id) {
    var n = byId[id];
    if (!n && !articleById[id]) { return false; }
    pinned[id] = true;
    if (n && !drawn[n.index]) { drawn[n.index] = true; sync(); }
    if (n && hiddenKinds[n.kind]) { setKindVisible(n.kind, true); }
    apply();
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: false });
    showInfo(id);
    return true;
  }
  state.select = select;
  network.once("stabilizationIterationsDone", function () { if (data.focus.length) { select(data.focus[0]); } });
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("search").value;
    var id = find(query);
    var missing = "未找到：" + query + (data.shown ? "（本页只收入焦点附近的节点）" : "");
    status.textContent = id !== null && select(id) ? "找到：" + byId[id].label : missing;
  });
})();
