/**
 * The catalog's script, inlined into the page: the search box filters the service list and the
 * service sections (every word must appear), and hovering a graph node highlights the paths
 * through it. It fetches nothing.
 */
export const HTML_SCRIPT = `
(function () {
  'use strict';
  var input = document.getElementById('search');
  var count = document.getElementById('count');
  var none = document.getElementById('no-results');
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-search]'));
  var sections = items.filter(function (el) { return el.tagName === 'SECTION'; });
  var graphNodes = Array.prototype.slice.call(document.querySelectorAll('svg.graph .node[data-service]'));

  function filter() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = {};
    var visible = 0;
    items.forEach(function (el) {
      var text = el.getAttribute('data-search');
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      el.hidden = !ok;
      if (ok) shown[el.getAttribute('data-service')] = true;
    });
    sections.forEach(function (el) { if (!el.hidden) visible++; });
    graphNodes.forEach(function (n) {
      n.classList.toggle('dim', words.length > 0 && !shown[n.getAttribute('data-service')]);
    });
    count.textContent = visible + ' of ' + sections.length + (sections.length === 1 ? ' service' : ' services');
    none.hidden = visible > 0;
  }
  input.addEventListener('input', filter);
  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && document.activeElement !== input) { e.preventDefault(); input.focus(); }
    if (e.key === 'Escape' && document.activeElement === input) { input.value = ''; filter(); }
  });
  filter();

  var svg = document.querySelector('svg.graph');
  if (!svg) return;
  var edges = Array.prototype.slice.call(svg.querySelectorAll('.edge'));
  function walk(start, from, to) {
    var seen = {}; var todo = [start]; var hit = [];
    seen[start] = true;
    while (todo.length) {
      var id = todo.pop();
      edges.forEach(function (e) {
        if (e.getAttribute(from) === id) {
          hit.push(e);
          var next = e.getAttribute(to);
          if (!seen[next]) { seen[next] = true; todo.push(next); }
        }
      });
    }
    return { nodes: Object.keys(seen), edges: hit };
  }
  function focus(id) {
    var down = walk(id, 'data-from', 'data-to');
    var up = walk(id, 'data-to', 'data-from');
    svg.classList.add('focus');
    down.edges.concat(up.edges).forEach(function (e) { e.classList.add('on'); });
    down.nodes.concat(up.nodes).forEach(function (n) {
      var el = svg.querySelector('[data-node="' + n + '"]');
      if (el) el.classList.add('on');
    });
  }
  function blur() {
    svg.classList.remove('focus');
    Array.prototype.forEach.call(svg.querySelectorAll('.on'), function (el) { el.classList.remove('on'); });
  }
  Array.prototype.forEach.call(svg.querySelectorAll('.node'), function (n) {
    var id = n.getAttribute('data-node');
    n.addEventListener('mouseenter', function () { focus(id); });
    n.addEventListener('mouseleave', blur);
    n.addEventListener('focus', function () { focus(id); });
    n.addEventListener('blur', blur);
    n.addEventListener('click', function () {
      var service = n.getAttribute('data-service');
      var target = service && document.querySelector('section.service[data-service="' + service + '"]');
      if (target) target.scrollIntoView();
    });
  });
})();
`;
