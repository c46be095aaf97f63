/* okg network page: reads the JSON data element, builds tooltips as DOM nodes (textContent
   only, never innerHTML), draws the network with vis-network (positions computed in Python,
   no physics) and wires the search box. Exposes window.okgNetwork and window.okgReady. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("okg-data").textContent);
  var T = data.text;

  function el(tag, cls, txt) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (txt !== undefined && txt !== null) { e.textContent = String(txt); }
    return e;
  }

  function pairs(box, heading, rows) {
    if (!rows || !rows.length) { return; }
    if (heading) { box.appendChild(el("div", "okg-tip-head", heading)); }
    rows.forEach(function (r) {
      var line = el("div", "okg-tip-row");
      line.dir = "auto";
      line.appendChild(el("span", "okg-tip-key", r[0] + ": "));
      var v = el("span", "okg-text", r[1]);
      v.dir = "auto";
      line.appendChild(v);
      box.appendChild(line);
    });
  }

  function details(id) {
    var info = data.info[id];
    var box = el("div", "okg-tip");
    box.dir = data.dir;
    if (!info) { box.textContent = id; return box; }
    box.appendChild(el("div", "okg-tip-kind", info.kind));
    var title = el("div", "okg-tip-label okg-text", info.label);
    title.dir = "auto";
    box.appendChild(title);
    pairs(box, T.impact, info.impact);
    pairs(box, T.figures, info.figures);
    pairs(box, null, info.attrs);
    if (info.sources.length) {
      box.appendChild(el("div", "okg-tip-head", T.sources));
      info.sources.forEach(function (s) {
        var t = el("div", "okg-tip-source okg-text", s.title);
        t.dir = "auto";
        box.appendChild(t);
        if (s.meta) {
          var m = el("div", "okg-tip-meta okg-text", s.meta);
          m.dir = "auto";
          box.appendChild(m);
        }
        s.quotes.forEach(function (q) {
          var b = el("blockquote", "okg-text", q.text);
          b.dir = "auto";
          if (q.lang) { b.lang = q.lang; }
          box.appendChild(b);
        });
      });
    }
    return box;
  }

  data.nodes.forEach(function (n) { n.title = details(n.id); });
  data.edges.forEach(function (e) {
    var t = el("div", "okg-tip okg-text", e.label);
    t.dir = "auto";
    e.title = t;
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("okg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.okgNetwork = network;
  window.okgReady = false;
  network.once("afterDrawing", function () {
    network.fit({ animation: false });
    window.okgReady = true;
    document.body.setAttribute("data-ready", "1");
  });

  var panel = document.getElementById("okg-details");
  function show(id) {
    panel.replaceChildren(details(id));
  }
  network.on("click", function (p) {
    if (p.nodes && p.nodes.length) { show(p.nodes[0]); }
  });

  var form = document.getElementById("okg-search");
  var input = document.getElementById("okg-query");
  var status = document.getElementById("okg-search-status");
  var last = { query: null, hits: [], at: -1 };
  function search(query) {
    var q = query.trim().toLowerCase();
    if (!q) { status.textContent = ""; return null; }
    if (q !== last.query) {
      var hits = [];
      Object.keys(data.info).forEach(function (id) {
        if (String(data.info[id].label).toLowerCase().indexOf(q) !== -1) { hits.push(id); }
      });
      hits.sort(function (a, b) {
        return String(data.info[a].label).length - String(data.info[b].label).length;
      });
      last = { query: q, hits: hits, at: -1 };
    }
    if (!last.hits.length) { status.textContent = T.no_match; return null; }
    last.at = (last.at + 1) % last.hits.length;
    var id = last.hits[last.at];
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    show(id);
    status.textContent = (last.at + 1) + "/" + last.hits.length + " " + T.matches;
    return id;
  }
  window.okgSearch = search;
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(input.value);
  });
})();
