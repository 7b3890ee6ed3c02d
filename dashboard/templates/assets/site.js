// The published edition's one script, loaded deferred: every map, legend and ranking is
// drawn without it. It adds a hover label that shows at once (an SVG <title> alone waits
// a second) and /compare's choice of provinces, kept in the address's #.
(function () {
  "use strict";

  // --- hover: the <title> of a province or circle, beside the pointer --------------------
  var tip = null;
  function tipText(target) {
    var node = target.closest && target.closest("[data-tip]");
    if (node) return node.getAttribute("data-tip");
    return null;
  }
  document.querySelectorAll("svg path[data-adcode], svg circle.place, svg .mark path").forEach(function (el) {
    var title = el.querySelector("title");
    if (!title) return;
    el.setAttribute("data-tip", title.textContent);
    el.setAttribute("aria-label", title.textContent.split("\n")[0]);
    title.remove(); // one label, not two
  });
  function move(event) {
    var text = tipText(event.target);
    if (!text) { if (tip) tip.hidden = true; return; }
    if (!tip) { tip = document.createElement("div"); tip.id = "tip"; tip.setAttribute("role", "tooltip"); document.body.appendChild(tip); }
    tip.textContent = text;
    tip.hidden = false;
    var x = event.clientX + 14, y = event.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, event.clientX - w - 10);
    if (y + h > window.innerHeight - 4) y = Math.max(4, event.clientY - h - 10);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  document.addEventListener("pointermove", move);
  document.addEventListener("pointerleave", function () { if (tip) tip.hidden = true; });

  // --- compare ---------------------------------------------------------------------------
  var source = document.getElementById("compare-data");
  if (!source) return;
  var data = JSON.parse(source.textContent);
  var form = document.getElementById("compare-form");
  var out = document.getElementById("compare-out");
  var MAX = 4, COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"];

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var chosen = (params.get("provinces") || "").split(",").filter(function (a) {
      return Object.prototype.hasOwnProperty.call(data.names, a);
    });
    chosen = chosen.filter(function (a, i) { return chosen.indexOf(a) === i; }).slice(0, MAX);
    var per = params.get("per");
    if (!Object.prototype.hasOwnProperty.call(data.panels, per)) per = "none";
    return { chosen: chosen, per: per };
  }
  function writeHash(chosen, per) {
    var hash = "#provinces=" + chosen.join(",") + (per !== "none" ? "&per=" + per : "");
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // The largest group of chosen provinces whose figures count the same thing for the same
  // year (basis|year); on a tie the group seen first in the reader's order. The same rule
  // as dashboard.comparison.split_like, over keys it computed.
  function split(panel, chosen) {
    var known = chosen.filter(function (a) { return panel.figures[a]; });
    var sizes = {}, order = [];
    known.forEach(function (a) {
      var key = panel.figures[a].key;
      if (!(key in sizes)) { sizes[key] = 0; order.push(key); }
      sizes[key] += 1;
    });
    var best = null;
    order.forEach(function (key) { if (best === null || sizes[key] > sizes[best]) best = key; });
    return known.filter(function (a) { return panel.figures[a].key === best; });
  }
  function render() {
    var state = readHash();
    form.querySelectorAll("input[name=province]").forEach(function (box) {
      box.checked = state.chosen.indexOf(box.value) >= 0;
      box.disabled = !box.checked && state.chosen.length >= MAX;
    });
    form.querySelectorAll("input[name=per]").forEach(function (r) { r.checked = r.value === state.per; });
    out.textContent = "";
    if (state.chosen.length < 2) { out.appendChild(el("p", { "class": "muted" }, data.text.compare_need)); return; }
    var panels = el("div", { "class": "panels" });
    var empty = [], apart = false;
    data.panels[state.per].forEach(function (panel) {
      var onAxis = split(panel, state.chosen);
      if (!state.chosen.some(function (a) { return panel.figures[a]; })) { empty.push(panel.title); return; }
      var box = el("section", { "class": "panel", "data-metric": panel.id });
      box.appendChild(el("h3", {}, panel.title));
      var top = Math.max.apply(null, onAxis.map(function (a) { return Math.abs(panel.figures[a].v); }).concat([0]));
      var list = el("ul", { "class": "bars" });
      state.chosen.forEach(function (a, i) {
        var f = panel.figures[a];
        var li = el("li", { "data-adcode": a });
        var name = el("span", { "class": "name" });
        name.appendChild(el("a", { href: "province/" + a + ".html" }, data.names[a]));
        if (f && f.tag) { name.appendChild(el("br")); name.appendChild(el("small", {}, f.tag)); }
        li.appendChild(name);
        var track = el("span", { "class": "track" });
        if (f && onAxis.indexOf(a) >= 0) {
          li.setAttribute("data-slot", "axis");
          var width = top ? (Math.abs(f.v) / top) * 62 : 0;
          track.appendChild(el("span", { "class": "bar", style: "width:" + width.toFixed(1) + "%;background:" + COLOURS[i % COLOURS.length] }));
          track.appendChild(el("span", { "class": "val" }, f.text));
        } else if (f) {
          apart = true;
          li.setAttribute("data-slot", "apart");
          track.appendChild(el("span", { "class": "val muted" }, data.text.not_on_axis.replace("{value}", (f.text + " " + panel.unit).trim())));
        } else {
          li.setAttribute("data-slot", "missing");
          track.appendChild(el("span", { "class": "val missing" }, data.text.no_figure));
        }
        li.appendChild(track);
        list.appendChild(li);
      });
      box.appendChild(list);
      if (panel.unit) box.appendChild(el("p", { "class": "muted" }, panel.unit));
      panels.appendChild(box);
    });
    out.appendChild(panels);
    var notes = [];
    if (apart) notes.push(data.text.apart_note);
    if (empty.length) notes.push(data.text.none_published_for.replace("{figures}", empty.join(data.text.list_sep)));
    if (notes.length) out.appendChild(el("p", { "class": "note" }, notes.join(" ")));
    var sets = state.chosen.map(function (a) { return data.tracks[a] || []; });
    var shared = sets[0].filter(function (tr) { return sets.every(function (s) { return s.indexOf(tr) >= 0; }); });
    var p = el("p");
    p.appendChild(el("b", {}, data.text.shared_tracks + ": "));
    p.appendChild(document.createTextNode(shared.join(" · ") || "—"));
    out.appendChild(p);
    state.chosen.forEach(function (a, i) {
      var others = sets.filter(function (_, j) { return j !== i; });
      var only = sets[i].filter(function (tr) { return others.every(function (s) { return s.indexOf(tr) < 0; }); });
      var q = el("p");
      q.appendChild(el("b", {}, data.names[a] + " · " + data.text.distinct_tracks + ": "));
      q.appendChild(document.createTextNode(only.join(" · ") || "—"));
      out.appendChild(q);
    });
  }
  form.addEventListener("change", function (event) {
    var state = readHash();
    var chosen = state.chosen.slice();
    if (event.target.name === "province") {
      var a = event.target.value;
      if (event.target.checked && chosen.indexOf(a) < 0) chosen.push(a);
      if (!event.target.checked) chosen = chosen.filter(function (b) { return b !== a; });
    }
    var per = form.querySelector("input[name=per]:checked").value;
    writeHash(chosen.slice(0, MAX), per);
    render();
  });
  window.addEventListener("hashchange", render);
  // No choice in the link: /compare's default pair. One province (a province page's
  // link): it and the first default that is not itself.
  var initial = readHash();
  if (initial.chosen.length === 0) writeHash(data.defaults, initial.per);
  else if (initial.chosen.length === 1) {
    var other = data.defaults.filter(function (a) { return a !== initial.chosen[0]; })[0];
    writeHash([initial.chosen[0], other], initial.per);
  }
  render();
})();
