/** The catalog's stylesheet, inlined into the page: system fonts only, nothing to fetch. */
export const HTML_STYLES = `
:root {
  --bg: #f6f7f9; --panel: #ffffff; --ink: #1d2430; --muted: #5b6472; --line: #dde1e7;
  --accent: #2563eb; --code-bg: #f1f3f6; --req: #2563eb; --sub: #7c3aed; --pub: #0f766e;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 14px/1.5 var(--sans); }
code, pre { font-family: var(--mono); font-size: 12.5px; }
code { background: var(--code-bg); padding: 1px 5px; border-radius: 4px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 24px;
  padding: 14px 28px; background: #111827; color: #f9fafb; box-shadow: 0 1px 3px rgba(0,0,0,.25); }
header.top h1 { margin: 0; font-size: 19px; font-weight: 650; letter-spacing: .2px; }
header.top .summary { color: #9ca3af; font-size: 13px; }
header.top .search { margin-left: auto; display: flex; align-items: center; gap: 10px; }
header.top input { width: 320px; padding: 8px 12px; border-radius: 8px; border: 1px solid #374151;
  background: #1f2937; color: #f9fafb; font: inherit; outline: none; }
header.top input:focus { border-color: #60a5fa; box-shadow: 0 0 0 3px rgba(96,165,250,.3); }
header.top .count { color: #9ca3af; font-size: 12.5px; min-width: 92px; text-align: right; }
.layout { display: grid; grid-template-columns: 280px minmax(0, 1fr); gap: 24px; padding: 24px 28px; max-width: 1500px; margin: 0 auto; }
nav.catalog { position: sticky; top: 84px; align-self: start; max-height: calc(100vh - 100px); overflow: auto; }
nav.catalog h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 0 0 8px; }
nav.catalog ul { list-style: none; margin: 0; padding: 0; }
nav.catalog li a { display: block; padding: 9px 12px; margin-bottom: 6px; border-radius: 8px; background: var(--panel);
  border: 1px solid var(--line); border-left: 4px solid var(--c); color: var(--ink); }
nav.catalog li a:hover { text-decoration: none; border-color: var(--c); }
nav.catalog .name { font-weight: 600; }
nav.catalog .version { color: var(--muted); font-size: 12px; margin-left: 6px; }
nav.catalog .counts { display: block; color: var(--muted); font-size: 12px; }
main { min-width: 0; }
section.panel, section.service { background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 20px 24px; margin-bottom: 24px; }
section.panel h2 { margin: 0 0 4px; font-size: 17px; }
section.panel p.lead { margin: 0 0 14px; color: var(--muted); }
.graph-wrap { overflow-x: auto; }
svg.graph { display: block; max-width: 100%; height: auto; margin: 0 auto; }
svg.graph .heading { font: 600 11px var(--sans); fill: var(--muted); text-transform: uppercase; letter-spacing: .08em; }
svg.graph .edge { fill: none; stroke-width: 1.8; opacity: .55; transition: opacity .15s; }
svg.graph .edge.queue { stroke-dasharray: 6 4; }
svg.graph .node { cursor: pointer; transition: opacity .15s; }
svg.graph .node text { font: 12px var(--mono); fill: var(--ink); }
svg.graph .node.service text { font: 600 13px var(--sans); fill: #fff; }
svg.graph .node.subject rect { fill: #fff; stroke: #b8c0cc; stroke-width: 1.2; }
svg.graph.focus .edge { opacity: .08; }
svg.graph.focus .node { opacity: .3; }
svg.graph.focus .edge.on { opacity: 1; stroke-width: 2.4; }
svg.graph.focus .node.on { opacity: 1; }
svg.graph .node.dim { opacity: .25; }
.legend { display: flex; gap: 22px; justify-content: center; color: var(--muted); font-size: 12.5px; margin-top: 10px; }
.legend svg { vertical-align: middle; margin-right: 6px; }
section.service { border-top: 4px solid var(--c); scroll-margin-top: 84px; }
section.service > h2 { margin: 0; font-size: 20px; display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.chip { display: inline-block; font: 600 11.5px var(--sans); padding: 2px 8px; border-radius: 999px; background: var(--code-bg); color: var(--muted); }
section.service > p.description { margin: 6px 0 12px; color: #374151; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 8px; font-size: 13px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
section.service h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 22px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 6px; }
article.op { border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; margin-bottom: 12px; }
article.op > header { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
article.op > header code.subject { font-size: 13.5px; font-weight: 600; background: none; padding: 0; }
article.op > header .meta { color: var(--muted); font-size: 12.5px; margin-left: auto; }
article.op p { margin: 6px 0; }
.badge { font: 700 10.5px var(--sans); letter-spacing: .06em; color: #fff; padding: 3px 7px; border-radius: 5px; }
.badge.req { background: var(--req); } .badge.sub { background: var(--sub); } .badge.pub { background: var(--pub); }
.io { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; margin-top: 10px; }
.io h4 { margin: 0 0 6px; font-size: 12.5px; color: var(--muted); font-weight: 600; }
table.fields { width: 100%; border-collapse: collapse; font-size: 12.5px; }
table.fields th { text-align: left; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 4px 8px 4px 0; }
table.fields td { border-bottom: 1px solid #eef0f3; padding: 5px 8px 5px 0; vertical-align: top; }
table.fields td.req { color: #b45309; font-weight: 600; }
table.fields .c { color: var(--muted); }
pre.json { margin: 0; padding: 10px 12px; background: #0f172a; color: #e2e8f0; border-radius: 8px; overflow: auto; max-height: 320px; }
details { margin-top: 8px; }
details summary { cursor: pointer; color: var(--accent); font-size: 12.5px; }
details pre.json { margin-top: 6px; }
.links, .middleware, .slo { font-size: 12.5px; color: var(--muted); }
.none { color: var(--muted); font-style: italic; }
#no-results { text-align: center; color: var(--muted); padding: 40px; }
footer { text-align: center; color: var(--muted); font-size: 12px; padding: 8px 0 32px; }
[hidden] { display: none !important; }
@media (prefers-reduced-motion: no-preference) { html { scroll-behavior: smooth; } }
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } nav.catalog { position: static; max-height: none; } .io { grid-template-columns: 1fr; } header.top input { width: 200px; } }
`;
