// The state graph, laid out by a small layered (Sugiyama-style) layout: back edges found by a depth-first walk from
// the start, layers by longest path, order within a layer by barycentres, x pulled towards the parents. Exits that
// lead to the failsafe are listed inside the node (dashed when implicit) rather than drawn across the page.
import { h, clear } from './dom.js';

const W = 200, GX = 44, GY = 84, TOP = 36;

export function layout(graph) {
  const ids = graph.nodes.map(n => n.id);
  const out = new Map(ids.map(id => [id, []]));
  for (const e of graph.edges) if (out.has(e.to) && e.to !== e.from && !out.get(e.from).includes(e.to)) out.get(e.from).push(e.to);
  // Back edges: those that close a cycle in a walk from the start, then from every node not reached.
  const state = new Map(), order = [], back = new Set();
  const walk = id => {
    state.set(id, 1);
    order.push(id);
    for (const to of out.get(id)) {
      if (state.get(to) === 1) back.add(id + '>' + to);
      else if (!state.has(to)) walk(to);
    }
    state.set(id, 2);
  };
  if (out.has(graph.start)) walk(graph.start);
  ids.forEach(id => { if (!state.has(id)) walk(id); });
  // Layers: longest path over the forward edges, in topological order.
  const layer = new Map(ids.map(id => [id, 0]));
  const forward = id => out.get(id).filter(to => !back.has(id + '>' + to));
  const topo = [], seen = new Set();
  const visit = id => { if (seen.has(id)) return; seen.add(id); forward(id).forEach(visit); topo.unshift(id); };
  order.forEach(visit);
  for (const id of topo) for (const to of forward(id)) layer.set(to, Math.max(layer.get(to), layer.get(id) + 1));
  // Edges longer than one layer pass through a chain of virtual nodes, one per layer they cross.
  const succ = new Map(ids.map(id => [id, []])), pred = new Map(ids.map(id => [id, []]));
  const chains = new Map();
  const link = (u, v) => { succ.get(u).push(v); pred.get(v).push(u); };
  for (const u of order) for (const v of forward(u)) {
    const chain = [];
    let prev = u;
    for (let l = layer.get(u) + 1; l < layer.get(v); l++) {
      const d = `~${u}>${v}~${l}`;
      succ.set(d, []); pred.set(d, []); layer.set(d, l);
      link(prev, d);
      chain.push(d);
      prev = d;
    }
    link(prev, v);
    chains.set(u + '>' + v, chain);
  }
  const virtual = id => id.startsWith('~');
  const layers = [];
  for (const id of [...order, ...[...layer.keys()].filter(virtual)]) (layers[layer.get(id)] ||= []).push(id);
  // Order within layers: barycentre sweeps down and up.
  const pos = new Map();
  const index = () => layers.forEach(l => l.forEach((id, i) => pos.set(id, i)));
  index();
  const bary = (id, near) => {
    const ns = near.get(id);
    return ns.length ? ns.reduce((s, n) => s + pos.get(n), 0) / ns.length : pos.get(id);
  };
  for (let sweep = 0; sweep < 8; sweep++) {
    const down = sweep % 2 === 0;
    const seq = down ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const l of seq) {
      const keyed = l.map((id, i) => [bary(id, down ? pred : succ), i, id]);
      keyed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      keyed.forEach(([, , id], i) => { l[i] = id; });
      index();
    }
  }
  // A node is taller when it lists failsafe exits.
  const nodeById = new Map(graph.nodes.map(n => [n.id, n]));
  const failsafeExits = new Map(ids.map(id => [id, graph.edges.filter(e => e.from === id && e.to === 'failsafe')]));
  const height = id => virtual(id) ? 0 : 58 + (failsafeExits.get(id).length ? 16 : 0);
  const width = id => virtual(id) ? 16 : W;
  // Centres: each node wants the mean centre of its parents; overlaps are then pushed apart and the row re-centred.
  const cx = new Map(), top = new Map(), band = new Map();
  let rowY = TOP;
  layers.forEach((l, li) => {
    const want = l.map((id, i) => {
      const ps = pred.get(id).filter(p => cx.has(p));
      return li && ps.length ? ps.reduce((s, p) => s + cx.get(p), 0) / ps.length : i * (W + GX);
    });
    const got = [];
    want.forEach((w, i) => {
      got[i] = i === 0 ? w : Math.max(w, got[i - 1] + (width(l[i - 1]) + width(l[i])) / 2 + (virtual(l[i]) || virtual(l[i - 1]) ? 14 : GX));
    });
    const shift = want.reduce((s, w, i) => s + w - got[i], 0) / l.length;
    const rowH = Math.max(58, ...l.map(height));
    l.forEach((id, i) => { cx.set(id, got[i] + shift); top.set(id, rowY); band.set(id, rowH); });
    rowY += rowH + GY;
  });
  const minX = Math.min(...[...cx.keys()].map(id => cx.get(id) - width(id) / 2));
  const left = id => cx.get(id) - width(id) / 2 - minX + 24;
  const totalWidth = Math.max(...[...cx.keys()].map(id => left(id) + width(id))) + 90;
  const nodes = ids.map(id => ({ ...nodeById.get(id), x: left(id), y: top.get(id), w: W, h: height(id), layer: layer.get(id), failsafe: failsafeExits.get(id) }));
  const hops = new Map([...chains].map(([k, chain]) => [k, chain.map(d => ({ x: left(d) + 8, top: top.get(d), bottom: top.get(d) + band.get(d) }))]));
  return { nodes, byId: new Map(nodes.map(n => [n.id, n])), width: totalWidth, height: rowY, back, hops };
}

const TYPE_ICON = { menu: '☰', collect: '#', play: '▶', forward: '↪', hours: '◷', branch: '◇', set: '=', hangup: '✕', record: '●', http: '⇄', language: 'A' };

/**
 * Draws the graph into {@code svg}. Overlays: findings (badges on nodes, red edges for keys they name), the path of
 * a simulated call, coverage misses, the funnel, the selected node.
 */
export function draw(svg, graph, o = {}) {
  const lay = layout(graph);
  const zoom = o.zoom || 1;
  svg.setAttribute('viewBox', `0 0 ${lay.width} ${lay.height}`);
  svg.setAttribute('width', Math.round(lay.width * zoom));
  svg.setAttribute('height', Math.round(lay.height * zoom));
  const findings = o.findings || [];
  const path = o.path || [];
  const onPath = new Set(path);
  const pathEdges = new Set(path.slice(1).map((to, i) => path[i] + '>' + to));
  const missed = new Set((o.missed || []).filter(m => m.startsWith('state ')).map(m => m.slice(6)));
  const missedKeys = new Set((o.missed || []).filter(m => !m.startsWith('state ')).map(m => {
    const [, rest] = m.split(' ');
    const [state, what] = rest.split('/');
    return state + '>' + (m.startsWith('option') ? 'options/' + what : what);
  }));
  const keyOf = f => f.state + '>' + (f.pointer || '').split('/').slice(3).join('/');
  const badKeys = new Set(findings.filter(f => f.state && f.severity === 'error').map(keyOf));
  const warnKeys = new Set(findings.filter(f => f.state && f.severity !== 'error').map(keyOf));
  const defs = h('svg:defs', {},
    ['arrow', 'arrow-hot', 'arrow-bad'].map(id => h('svg:marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      h('svg:path', { d: 'M0,0 L10,5 L0,10 z', class: id }))));
  const edgeLayer = h('svg:g', { class: 'edges' });
  const labelLayer = h('svg:g', { class: 'labels' });
  const nodeLayer = h('svg:g', { class: 'nodes' });
  clear(svg, defs, edgeLayer, nodeLayer, labelLayer);

  // Edges, grouped per pair of states so parallel ways out share one line and one label.
  const groups = new Map();
  for (const e of graph.edges) {
    if (e.to === 'failsafe' || !lay.byId.has(e.to)) continue;
    const k = e.from + '>' + e.to;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(e);
  }
  const outs = new Map(), ins = new Map();
  for (const [k, es] of groups) {
    const [from, to] = [es[0].from, es[0].to];
    const a = lay.byId.get(from), b = lay.byId.get(to);
    if (b.y > a.y) {
      (outs.get(from) || outs.set(from, []).get(from)).push(k);
      (ins.get(to) || ins.set(to, []).get(to)).push(k);
    }
  }
  // Where an edge leaves or enters a node: spread along its side, in the order of the other ends.
  const otherEnd = (k, end) => {
    const hops = lay.hops.get(k) || [];
    if (hops.length) return end === 1 ? hops[0].x : hops[hops.length - 1].x;
    const n = lay.byId.get(k.split('>')[end]);
    return n.x + n.w / 2;
  };
  const port = (list, k, node, end) => {
    const sorted = list.slice().sort((p, q) => otherEnd(p, end) - otherEnd(q, end));
    return node.x + node.w * (sorted.indexOf(k) + 1) / (sorted.length + 1);
  };
  for (const [k, es] of groups) {
    const a = lay.byId.get(es[0].from), b = lay.byId.get(es[0].to);
    let d, mid;
    if (b.y > a.y) {
      const sx = port(outs.get(a.id), k, a, 1), sy = a.y + a.h + (o.funnel ? 16 : 0);
      const tx = port(ins.get(b.id), k, b, 0), ty = b.y;
      // Through the virtual nodes of a long edge: a curve between layers, a straight line through each layer.
      const points = [{ x: sx, y: sy }];
      for (const hop of lay.hops.get(k) || []) points.push({ x: hop.x, y: hop.top, line: hop.bottom });
      points.push({ x: tx, y: ty });
      d = `M${sx},${sy}`;
      let from = points[0];
      for (let i = 1; i < points.length; i++) {
        const p = points[i], dy = Math.max(24, (p.y - from.y) / 2);
        d += ` C${from.x},${from.y + dy} ${p.x},${p.y - dy} ${p.x},${p.y}`;
        if (p.line !== undefined) d += ` L${p.x},${p.line}`;
        if (i === 1) mid = { x: (from.x + p.x) / 2, y: (from.y + p.y) / 2 };
        from = p.line !== undefined ? { x: p.x, y: p.line } : p;
      }
    } else if (a.id === b.id) {
      const sx = a.x + a.w, sy = a.y + 18;
      d = `M${sx},${sy} C${sx + 46},${sy - 10} ${sx + 46},${sy + 34} ${sx},${sy + 26}`;
      mid = { x: sx + 38, y: sy + 12 };
    } else {
      // Back (or sideways) edges go round on the right.
      const sx = a.x + a.w, sy = a.y + a.h / 2, tx = b.x + b.w, ty = b.y + b.h / 2;
      const bend = Math.max(sx, tx) + 40 + Math.abs(sy - ty) * 0.08;
      d = `M${sx},${sy} C${bend},${sy} ${bend},${ty} ${tx},${ty}`;
      mid = { x: (sx + 3 * bend + 3 * bend + tx) / 8, y: (sy + 3 * sy + 3 * ty + ty) / 8 };
    }
    const hot = pathEdges.has(k);
    const bad = es.some(e => badKeys.has(e.from + '>' + e.key));
    const warn = !bad && es.some(e => warnKeys.has(e.from + '>' + e.key));
    const miss = es.some(e => missedKeys.has(e.from + '>' + e.key));
    const implicit = es.every(e => e.implicit);
    const cls = ['edge', hot && 'hot', bad && 'bad', warn && 'warn', miss && 'missed', implicit && 'implicit'].filter(Boolean).join(' ');
    edgeLayer.append(h('svg:path', { d, class: cls, 'data-edge': k, 'marker-end': `url(#${bad ? 'arrow-bad' : hot ? 'arrow-hot' : 'arrow'})` }));
    const label = es.map(e => e.label).filter(Boolean).join(' · ');
    if (label) {
      const text = h('svg:text', { x: mid.x, y: mid.y + 4, class: 'edge-label' + (hot ? ' hot' : '') + (bad ? ' bad' : '') + (warn ? ' warn' : ''), 'text-anchor': 'middle' });
      text.textContent = label.length > 34 ? label.slice(0, 33) + '…' : label;
      text.append(h('svg:title', { text: label }));
      labelLayer.append(text);
      const box = text.getBBox();
      labelLayer.insertBefore(h('svg:rect', { x: box.x - 4, y: box.y - 1, width: box.width + 8, height: box.height + 2, rx: 4, class: 'label-bg' + (hot ? ' hot' : '') }), text);
    }
  }

  // The start marker.
  const start = lay.byId.get(graph.start);
  if (start) {
    nodeLayer.append(h('svg:text', { x: start.x + start.w / 2, y: start.y - 12, class: 'start-label', 'text-anchor': 'middle', text: '▼ start' }));
  }

  for (const n of lay.nodes) {
    const mine = findings.filter(f => f.state === n.id);
    const errors = mine.filter(f => f.severity === 'error').length;
    const cls = ['node', 'type-' + n.type, onPath.has(n.id) && 'hot', missed.has(n.id) && 'missed',
      o.selected === n.id && 'selected', errors && 'has-error', !errors && mine.length && 'has-warning'].filter(Boolean).join(' ');
    const g = h('svg:g', { class: cls, 'data-state': n.id, transform: `translate(${n.x},${n.y})`, tabindex: 0, role: 'button', 'aria-label': 'state ' + n.id });
    g.addEventListener('click', () => o.onSelect && o.onSelect(n.id));
    g.addEventListener('keydown', e => { if (e.key === 'Enter') o.onSelect && o.onSelect(n.id); });
    g.append(h('svg:rect', { width: n.w, height: n.h, rx: 9, class: 'box' }));
    g.append(h('svg:rect', { width: 5, height: n.h, rx: 2, class: 'stripe' }));
    g.append(h('svg:text', { x: 14, y: 20, class: 'icon', text: TYPE_ICON[n.type] || '•' }));
    g.append(h('svg:text', { x: 32, y: 20, class: 'title', text: clip(n.id, 21) }));
    if (n.id.length * 7.6 + n.type.length * 7.2 + 10 < n.w - 42) {
      g.append(h('svg:text', { x: n.w - 10, y: 20, class: 'type', 'text-anchor': 'end', text: n.type }));
    }
    g.append(h('svg:title', { text: n.id + ' (' + n.type + ')' }));
    const summary = h('svg:text', { x: 14, y: 40, class: 'summary', text: clip(n.summary || '', 31) });
    summary.append(h('svg:title', { text: n.summary || '' }));
    g.append(summary);
    if (n.failsafe.length) {
      const names = n.failsafe.map(e => e.label || e.key).join(', ');
      const all = n.failsafe.every(e => e.implicit);
      g.append(h('svg:text', { x: 14, y: 58, class: 'failsafe-exit' + (all ? ' implicit' : ''), text: clip('⤷ failsafe: ' + names, 34) },
        h('svg:title', { text: (all ? 'no exit named, so the engine takes the failsafe: ' : 'to the failsafe: ') + names })));
    }
    if (o.funnel) {
      const f = o.funnel[n.id] || {};
      const line = `↓${f.entered || 0}  ✆${f.hungUp || 0}  ∅${f.noInput || 0}  ✗${f.invalid || 0}  ↪${f.transferred || 0}`;
      g.append(h('svg:rect', { x: 8, y: n.h - 2, width: n.w - 16, height: 18, rx: 5, class: 'funnel-bg' }));
      g.append(h('svg:text', { x: n.w / 2, y: n.h + 11, class: 'funnel', 'text-anchor': 'middle', text: line },
        h('svg:title', { text: `entered ${f.entered || 0}, hung up here ${f.hungUp || 0}, timed out ${f.noInput || 0}, invalid keys ${f.invalid || 0}, transferred ${f.transferred || 0}` })));
    }
    if (mine.length) {
      g.append(h('svg:circle', { cx: n.w - 2, cy: 2, r: 10, class: 'badge ' + (errors ? 'error' : 'warning') }));
      g.append(h('svg:text', { x: n.w - 2, y: 6, class: 'badge-text', 'text-anchor': 'middle', text: String(mine.length) },
        h('svg:title', { text: mine.map(f => f.message).join('\n') })));
    }
    if (missed.has(n.id)) g.append(h('svg:text', { x: n.w - 10, y: 40, class: 'missed-tag', 'text-anchor': 'end', text: 'never reached' }));
    nodeLayer.append(g);
  }
  return lay;
}

function clip(text, n) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}
