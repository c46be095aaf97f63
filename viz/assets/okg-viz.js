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
    var t = el("div", "okg-tip okg-text", e.text || e.label);
    t.dir = "auto";
    e.title = t;
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("okg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.okgNetwork = network;
  window.okgReady = false;
  // --event: zoom to what the event reaches (the rest is faded by its colours).
  function fitView() {
    var reached = data.reached.filter(function (id) {
      var n = nodes.get(id);
      return n && !n.hidden;
    });
    if (reached.length) {
      network.fit({ nodes: reached, animation: false });
    } else {
      network.fit({ animation: false });
    }
  }
  window.okgFit = fitView;
  network.once("afterDrawing", function () {
    fitView();
    window.okgReady = true;
    document.body.setAttribute("data-ready", "1");
  });

  // Facets: reference nodes (countries, sectors, activities, languages) are hidden until
  // their box is ticked; the ones an event reaches stay shown. The text list follows.
  var list = document.getElementById("okg-node-list");
  var listCount = document.getElementById("okg-list-count");
  function syncList() {
    if (!list) { return; }
    var shown = 0;
    Array.prototype.forEach.call(list.children, function (li) {
      var n = nodes.get(li.getAttribute("data-id"));
      li.hidden = !n || !!n.hidden;
      if (!li.hidden) { shown += 1; }
    });
    if (listCount) { listCount.textContent = String(shown); }
  }
  function setFacet(key, on) {
    var changes = nodes.get({ filter: function (n) { return n.category === key && !n.reached; } })
      .map(function (n) { return { id: n.id, hidden: !on }; });
    nodes.update(changes);
    syncList();
  }
  window.okgFacet = setFacet;
  Array.prototype.forEach.call(document.querySelectorAll("input[data-facet]"), function (box) {
    box.checked = false;
    box.addEventListener("change", function () {
      setFacet(box.getAttribute("data-facet"), box.checked);
    });
  });
  syncList();

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
        if (String(data.info[id].plain).toLowerCase().indexOf(q) !== -1) { hits.push(id); }
      });
      hits.sort(function (a, b) {
        return String(data.info[a].plain).length - String(data.info[b].plain).length;
      });
      last = { query: q, hits: hits, at: -1 };
    }
    if (!last.hits.length) { status.textContent = T.no_match; return null; }
    last.at = (last.at + 1) % last.hits.length;
    var id = last.hits[last.at];
    var hit = nodes.get(id);
    if (hit && hit.hidden) {  // a hidden reference node: tick its facet first
      var box = document.querySelector('input[data-facet="' + hit.category + '"]');
      if (box) { box.checked = true; }
      setFacet(hit.category, true);
    }
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
