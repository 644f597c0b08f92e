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
