// The studio: the list of flows, and a flow's page (graph, state, editor, simulator, history, live calls).
import { h, clear, when, debounce } from './dom.js';
import { api, get } from './api.js';
import { Schema } from './schema.js';
import { Editor, declaredStates } from './editor.js';
import { draw } from './graph.js';
import { pointerOffsets, lineOfPointer } from './jsonpos.js';

const main = document.getElementById('main');
let me, schema;
let stop = () => {};

async function boot() {
  me = await get('/studio/me');
  schema = new Schema(await get('/studio/flow.schema.json'));
  const who = document.getElementById('who');
  who.textContent = me.writer ? me.name : me.name + ' · view only';
  who.classList.toggle('readonly', !me.writer);
  document.body.classList.toggle('readonly', !me.writer);
  document.getElementById('logout').addEventListener('click', async () => {
    await api('POST', '/studio/logout', {});
    location.assign('/studio/');
  });
  addEventListener('hashchange', route);
  route();
}

function route() {
  stop();
  stop = () => {};
  const m = location.hash.match(/^#\/flow\/([a-z0-9-]+)$/);
  (m ? flowPage(m[1]) : listPage()).catch(e => toast(e.message, true));
}

export function toast(message, error = false) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.className = 'toast ' + (error ? 'error' : 'ok');
  t.hidden = false;
  clearTimeout(t.timer);
  t.timer = setTimeout(() => { t.hidden = true; }, error ? 8000 : 4000);
}

// ---- the list of flows ----

async function listPage() {
  const search = h('input', { type: 'search', id: 'search', placeholder: 'Search id, name, number…', 'aria-label': 'search' });
  const filter = h('select', { id: 'filter', 'aria-label': 'filter' },
    h('option', { value: 'all', text: 'All flows' }), h('option', { value: 'live', text: 'With live calls' }),
    h('option', { value: 'draft', text: 'With a draft' }));
  const body = h('tbody', { id: 'flows' });
  const count = h('span', { class: 'muted' });
  clear(main, h('section', { class: 'list-page' },
    h('div', { class: 'list-head' }, h('h1', { text: 'Flows' }), count, h('span', { class: 'spacer' }), search, filter),
    h('table', { class: 'flows' },
      h('thead', {}, h('tr', {}, ['Flow', 'Numbers', 'Version', 'Live calls', 'Last change', ''].map(t => h('th', { text: t })))),
      body)));
  let items = [];
  const render = () => {
    const q = search.value.trim().toLowerCase();
    const shown = items.filter(f => (!q || [f.id, f.name, f.description, ...f.numbers].join(' ').toLowerCase().includes(q))
      && (filter.value !== 'live' || f.liveCalls > 0) && (filter.value !== 'draft' || f.draft));
    count.textContent = `${shown.length} of ${items.length}`;
    clear(body, shown.map(f => h('tr', { class: 'flow-row', 'data-flow': f.id, tabindex: 0, onclick: () => { location.hash = '#/flow/' + f.id; }, onkeydown: e => { if (e.key === 'Enter') location.hash = '#/flow/' + f.id; } },
      h('td', {}, h('div', { class: 'flow-name', text: f.name || f.id }), h('div', { class: 'muted mono', text: f.id })),
      h('td', { class: 'mono', text: f.numbers.join(', ') || '—' }),
      h('td', {}, h('span', { class: 'chip', text: (f.number ? '#' + f.number + ' · ' : '') + f.version })),
      h('td', {}, h('span', { class: 'live-count' + (f.liveCalls ? ' on' : ''), text: String(f.liveCalls) })),
      h('td', {}, h('div', { text: when(f.lastChange) }), h('div', { class: 'muted', text: f.lastAuthor ? 'by ' + f.lastAuthor : '' })),
      h('td', {}, f.draft ? h('span', { class: 'chip draft', text: 'draft' }) : null))));
  };
  search.addEventListener('input', render);
  filter.addEventListener('change', render);
  const load = async () => { items = (await get('/api/studio/flows')).items; render(); };
  await load();
  const timer = setInterval(() => load().catch(() => {}), 5000);
  stop = () => clearInterval(timer);
}

// ---- a flow ----

async function flowPage(id) {
  const current = await get(`/api/flows/${id}/graph`);
  let draft = null;
  try { draft = await get(`/api/flows/${id}/draft`); } catch (e) { if (e.status !== 404) throw e; }
  const s = {
    id, current, text: draft ? draft.source : current.source, graph: current.graph, findings: current.findings,
    selected: null, path: [], missed: [], funnel: null, moves: {}, zoom: 1, dirty: false, draftAt: draft && draft.savedAt, valid: true
  };
  const svg = h('svg:svg', { id: 'graph', class: 'graph', role: 'img', 'aria-label': 'state graph' });
  const redraw = () => draw(svg, s.graph, {
    findings: s.findings, path: s.path, missed: s.missed, funnel: s.funnel, selected: s.selected, zoom: s.zoom,
    onSelect: sid => select(sid)
  });

  // Head: name, version, status, actions.
  const status = h('span', { id: 'status', class: 'status' });
  const comment = h('input', { id: 'publish-comment', placeholder: 'What changed (for the history)', 'aria-label': 'publish comment' });
  const head = h('div', { class: 'flow-head' },
    h('a', { href: '#/', class: 'back', text: '← Flows' }),
    h('h1', { id: 'flow-title', text: current.id }),
    h('span', { class: 'chip mono', id: 'flow-version', text: 'serving ' + current.version }),
    status, h('span', { class: 'spacer' }),
    me.writer ? [
      h('button', { id: 'discard-draft', type: 'button', class: 'ghost', onclick: () => discard() , text: 'Discard draft' }),
      h('button', { id: 'save-draft', type: 'button', onclick: () => save(), text: 'Save draft' }),
      comment,
      h('button', { id: 'publish', type: 'button', class: 'primary', onclick: () => publish(), text: 'Publish' })
    ] : h('span', { class: 'chip readonly', text: 'read-only: viewing only' }));

  // Tabs on the side.
  const panels = {
    state: h('div', { class: 'panel', id: 'panel-state' }),
    edit: h('div', { class: 'panel', id: 'panel-edit' }),
    try: h('div', { class: 'panel', id: 'panel-try' }),
    history: h('div', { class: 'panel', id: 'panel-history' }),
    live: h('div', { class: 'panel', id: 'panel-live' })
  };
  const names = { state: 'State', edit: 'Edit', try: 'Try it', history: 'History', live: 'Live calls' };
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, Object.keys(panels).map(k =>
    h('button', { type: 'button', role: 'tab', class: 'tab', id: 'tab-' + k, 'data-tab': k, onclick: () => show(k), text: names[k] })));
  const show = k => {
    Object.entries(panels).forEach(([n, p]) => { p.hidden = n !== k; });
    [...tabs.children].forEach(b => b.classList.toggle('active', b.dataset.tab === k));
    if (k === 'history') loadHistory();
    if (k === 'live') loadLive();
  };

  const funnelToggle = h('input', { type: 'checkbox', id: 'funnel-toggle' });
  const toolbar = h('div', { class: 'graph-tools' },
    h('button', { type: 'button', class: 'ghost small', id: 'zoom-out', onclick: () => { s.zoom = Math.max(0.3, s.zoom / 1.2); redraw(); }, text: '−' }),
    h('button', { type: 'button', class: 'ghost small', id: 'zoom-in', onclick: () => { s.zoom = Math.min(2.5, s.zoom * 1.2); redraw(); }, text: '+' }),
    h('button', { type: 'button', class: 'ghost small', id: 'zoom-fit', onclick: () => fit(), text: 'Fit' }),
    h('label', { class: 'toggle' }, funnelToggle, ' Funnel'),
    h('span', { class: 'spacer' }),
    h('span', { class: 'legend' },
      h('span', { class: 'key hot', text: 'path' }), h('span', { class: 'key implicit', text: 'implicit exit' }),
      h('span', { class: 'key bad', text: 'finding' }), h('span', { class: 'key missed', text: 'never reached' })),
    h('span', { id: 'failsafe-note', class: 'muted failsafe-note' }));
  funnelToggle.addEventListener('change', () => { if (funnelToggle.checked) loadFunnel(); else { s.funnel = null; redraw(); } });
  const scroller = h('div', { class: 'graph-scroll' }, svg);
  const funnelLegend = h('div', { class: 'funnel-legend muted', text: 'Funnel since start: ↓ entered · ✆ hung up here · ∅ timed out (no input) · ✗ invalid key · ↪ transferred' });

  clear(main, h('section', { class: 'flow-page' }, head,
    h('div', { class: 'flow-body' },
      h('div', { class: 'graph-pane' }, toolbar, scroller, funnelLegend),
      h('aside', { class: 'side' }, tabs, Object.values(panels)))));
  const fit = () => {
    const lay = draw(svg, s.graph, {});
    s.zoom = Math.min(1, Math.max(0.3, (scroller.clientWidth - 24) / lay.width));
    redraw();
  };
  const note = () => {
    const fs = s.graph.failsafe || {};
    document.getElementById('failsafe-note').textContent = fs.used ? 'failsafe → ' + (fs.destination || 'apology and hang-up') : '';
  };

  // ---- state panel ----
  function select(sid) {
    s.selected = sid;
    redraw();
    renderState();
    show('state');
  }
  function renderState() {
    const p = panels.state;
    if (!s.selected) {
      const errors = s.findings.filter(f => f.severity === 'error').length;
      clear(p, h('p', { class: 'muted', text: 'Click a state in the graph to see its JSON and its findings.' }),
        h('h3', { text: `Findings (${s.findings.length}${errors ? ', ' + errors + ' errors' : ''})` }),
        findingList(s.findings));
      return;
    }
    let obj;
    try { obj = JSON.parse(s.text).states[s.selected]; } catch (e) { obj = undefined; }
    const node = s.graph.nodes.find(n => n.id === s.selected);
    const mine = s.findings.filter(f => f.state === s.selected);
    const pretty = obj === undefined ? '(the flow does not parse right now)' : JSON.stringify(obj, null, 2);
    const offsets = pointerOffsets(pretty);
    const bad = new Map();
    mine.forEach(f => {
      const rel = (f.pointer || '').split('/').slice(3).map(x => '/' + x).join('');
      const line = lineOfPointer(pretty, offsets, rel);
      if (rel) bad.set(line, f);
    });
    const exits = s.graph.edges.filter(e => e.from === s.selected);
    clear(p,
      h('div', { class: 'state-head' }, h('h2', { id: 'state-title', text: s.selected }), h('span', { class: 'chip type-' + (node ? node.type : ''), text: node ? node.type : '' }),
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'ghost small', id: 'show-in-editor', onclick: () => { show('edit'); editor.revealPointer('/states/' + s.selected); }, text: 'Show in editor' })),
      mine.length ? findingList(mine) : h('p', { class: 'ok-note', text: '✓ no findings for this state' }),
      h('h3', { text: 'Ways out' }),
      h('ul', { class: 'exits' }, exits.map(e => h('li', { class: e.implicit ? 'implicit' : '' },
        h('span', { class: 'exit-label', text: e.label || 'next' }), ' → ',
        h('a', { href: '#', class: 'mono', text: e.to, onclick: ev => { ev.preventDefault(); if (e.to !== 'failsafe') select(e.to); } }),
        e.implicit ? h('span', { class: 'muted', text: '  (implicit: no exit named)' }) : null))),
      h('h3', { text: 'JSON' }),
      h('pre', { class: 'state-json', id: 'state-json' }, pretty.split('\n').map((line, i) => {
        const f = bad.get(i + 1);
        return h('div', { class: f ? 'json-line ' + f.severity : 'json-line' }, line, f ? h('span', { class: 'inline-finding', text: '  ← ' + f.message + (f.hint ? ' (' + f.hint + ')' : '') }) : null);
      })));
  }
  function findingList(list) {
    return h('ul', { class: 'findings' }, list.map(f => h('li', { class: 'finding ' + f.severity, 'data-state': f.state || '' },
      h('span', { class: 'sev', text: f.severity }), h('span', { class: 'mono ptr', text: f.pointer || '/' }),
      h('div', { text: f.message }), f.hint ? h('div', { class: 'hint', text: 'hint: ' + f.hint }) : null,
      f.state ? h('a', { href: '#', text: 'show', onclick: ev => { ev.preventDefault(); select(f.state); } }) : null)));
  }

  // ---- editor ----
  const editor = new Editor(panels.edit, {
    schema, readOnly: !me.writer, stateIds: () => declaredStates(editor.value),
    onChange: text => { s.text = text; s.dirty = true; setStatus(); check(); }
  });
  editor.value = s.text;
  editor.setFindings(s.findings);
  const check = debounce(async () => {
    const text = editor.value;
    const r = await api('POST', '/api/flows/check', text, true);
    if (text !== editor.value) return;
    applyCheck(r);
  }, 350);
  function applyCheck(r) {
    s.findings = r.findings;
    s.valid = r.valid;
    if (r.graph) s.graph = r.graph;
    editor.setFindings(s.findings);
    redraw();
    note();
    setStatus();
    renderState();
  }
  function setStatus() {
    const errors = s.findings.filter(f => f.severity === 'error').length;
    const parts = [];
    if (s.dirty) parts.push(['unsaved changes', 'warn']);
    else if (s.draftAt) parts.push(['draft saved ' + when(s.draftAt) + ' · serves no call', 'draft']);
    parts.push(errors ? [errors + (errors === 1 ? ' error' : ' errors'), 'bad'] : ['valid', 'good']);
    clear(status, parts.map(([t, c]) => h('span', { class: 'chip ' + c, text: t })));
  }

  async function save() {
    const r = await api('PUT', `/api/flows/${id}/draft`, editor.value, true);
    s.dirty = false;
    s.draftAt = r.savedAt;
    applyCheck(r);
    toast('Draft saved. It serves no call until you publish it.');
  }
  async function discard() {
    try { await api('DELETE', `/api/flows/${id}/draft`); } catch (e) { if (e.status !== 404) return toast(e.message, true); }
    toast('Draft discarded');
    route();
  }
  async function publish() {
    try {
      if (s.dirty || !s.draftAt) await save();
      const r = await api('POST', `/api/flows/${id}/publish`, { comment: comment.value || undefined });
      toast(`Published #${r.number} (${r.version}): new calls use it now`);
      route();
    } catch (e) { toast(e.message, true); }
  }

  // ---- try it ----
  const now = new Date();
  const offset = -now.getTimezoneOffset();
  const local = new Date(now.getTime() + offset * 60000).toISOString().slice(0, 19)
    + (offset >= 0 ? '+' : '-') + String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0') + ':' + String(Math.abs(offset) % 60).padStart(2, '0');
  const numbers = (s.graph && current.source && (JSON.parse(current.source).numbers || [])) || [];
  const f = {
    from: h('input', { id: 'sim-from', value: '+46701234567' }),
    to: h('input', { id: 'sim-to', value: numbers[0] || '' }),
    at: h('input', { id: 'sim-at', value: local }),
    dtmf: h('input', { id: 'sim-dtmf', placeholder: 'e.g. 2,12#,timeout' }),
    callee: h('select', { id: 'sim-callee' }, ['answer', 'busy', 'noanswer', 'fail'].map(v => h('option', { value: v, text: v })))
  };
  const transcript = h('ol', { id: 'transcript', class: 'transcript' });
  const coverageOut = h('div', { id: 'coverage-out' });
  const trial = () => ({ source: editor.value, from: f.from.value, to: f.to.value, at: f.at.value, dtmf: f.dtmf.value, callee: f.callee.value });
  clear(panels.try,
    h('p', { class: 'muted', text: 'Runs the real engine offline on the server, with a virtual clock: the flow as it is in the editor, published or not.' }),
    h('div', { class: 'form-grid' },
      h('label', { for: 'sim-from', text: 'Caller' }), f.from,
      h('label', { for: 'sim-to', text: 'Called number' }), f.to,
      h('label', { for: 'sim-at', text: 'Time' }), f.at,
      h('label', { for: 'sim-dtmf', text: 'Keys' }), f.dtmf,
      h('label', { for: 'sim-callee', text: 'Forwards' }), f.callee),
    me.writer ? h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'simulate', class: 'primary', text: 'Simulate call', onclick: async () => {
        try {
          const r = await api('POST', '/api/flows/simulate', trial());
          s.path = r.path;
          s.missed = [];
          clear(transcript, r.transcript.map(line => h('li', { class: line.startsWith('→') ? 'enter' : line.startsWith('failsafe') ? 'fs' : '', text: line })));
          redraw();
        } catch (e) { toast(e.message, true); }
      } }),
      h('button', { type: 'button', id: 'coverage', text: 'Coverage', onclick: async () => {
        try {
          const r = await api('POST', '/api/flows/coverage', trial());
          s.missed = r.missed;
          s.path = [];
          clear(coverageOut, h('p', { id: 'coverage-summary', text: `${r.runs} simulated calls reached ${r.items - r.missed.length} of ${r.items} states, options and exits.` }),
            h('ul', { class: 'missed-list' }, r.missed.map(m => h('li', { text: 'never reached: ' + m }))));
          redraw();
        } catch (e) { toast(e.message, true); }
      } }),
      h('button', { type: 'button', class: 'ghost', text: 'Clear', onclick: () => { s.path = []; s.missed = []; clear(transcript); clear(coverageOut); redraw(); } }))
      : h('p', { class: 'muted', text: 'The read-only token cannot run the simulator (it runs on the server).' }),
    coverageOut, transcript);

  // ---- history ----
  async function loadHistory() {
    const r = await get(`/api/flows/${id}/history`);
    clear(panels.history, h('p', { class: 'muted', text: 'Every published version, newest first. Rolling back publishes an earlier one again.' }),
      h('ol', { class: 'history', id: 'history' }, r.items.map(v => h('li', { class: 'version' + (v.current ? ' current' : ''), 'data-number': v.number },
        h('div', { class: 'version-head' }, h('b', { text: '#' + v.number }), h('span', { class: 'mono muted', text: v.version }),
          v.current ? h('span', { class: 'chip good', text: 'serving' }) : null, h('span', { class: 'spacer' }),
          h('span', { class: 'muted', text: when(v.publishedAt) })),
        h('div', {}, h('span', { class: 'author', text: v.author }), ': ', h('span', { text: v.comment || '' })),
        h('div', { class: 'buttons' },
          h('button', { type: 'button', class: 'ghost small', text: 'Open in editor', onclick: async () => {
            const src = await api('GET', `/api/flows/${id}/history/${v.number}`);
            editor.value = JSON.stringify(src, null, 2);
            s.text = editor.value;
            s.dirty = true;
            setStatus();
            check();
            show('edit');
          } }),
          me.writer && !v.current ? h('button', { type: 'button', class: 'small rollback', 'data-number': v.number, text: 'Roll back to #' + v.number, onclick: async () => {
            try {
              const p = await api('POST', `/api/flows/${id}/rollback`, { to: v.number });
              toast(`Rolled back: #${p.number} serves now (${p.comment})`);
              route();
            } catch (e) { toast(e.message, true); }
          } }) : null)))));
  }

  // ---- live calls ----
  async function loadLive() {
    const r = await get('/api/calls');
    const calls = r.items.filter(c => c.flow === id);
    // Redrawn only when a call came, went or moved, so that its buttons stay put under the operator's pointer.
    const signature = JSON.stringify(calls.map(c => [c.callId, c.state, c.phase, c.version]));
    if (signature === s.liveSignature && panels.live.querySelector('#calls')) {
      calls.forEach(c => {
        const cell = panels.live.querySelector(`tr[data-call="${CSS.escape(c.callId)}"] .duration`);
        if (cell) cell.textContent = c.durationSeconds + ' s';
      });
      return;
    }
    s.liveSignature = signature;
    const states = s.graph.nodes.map(n => n.id);
    clear(panels.live, h('p', { class: 'muted', text: `${calls.length} live call${calls.length === 1 ? '' : 's'} on this flow (all versions). Each stays on the version it started with.` }),
      h('table', { class: 'calls', id: 'calls' },
        h('thead', {}, h('tr', {}, ['Call', 'From', 'State', 'Time', 'Version', ''].map(t => h('th', { text: t })))),
        h('tbody', {}, calls.map(c => {
          const move = h('select', { class: 'move-target', 'aria-label': 'move to state' }, states.map(st => h('option', { value: st, text: st })));
          move.value = s.moves[c.callId] || c.state;
          move.addEventListener('change', () => { s.moves[c.callId] = move.value; });
          return h('tr', { class: 'call-row', 'data-call': c.callId },
            h('td', { class: 'mono', text: c.callId.slice(0, 8) }), h('td', { class: 'mono', text: c.from || '' }),
            h('td', {}, h('span', { text: c.state }), h('div', { class: 'muted', text: c.phase })),
            h('td', { class: 'duration', text: c.durationSeconds + ' s' }), h('td', { class: 'mono', text: c.version + (c.version === current.version ? '' : ' (older)') }),
            h('td', {}, me.writer ? h('div', { class: 'call-actions' },
              h('button', { type: 'button', class: 'small danger hangup', text: 'Hang up', onclick: async () => {
                try { await api('DELETE', '/api/calls/' + c.callId); toast('Hang-up requested'); s.liveSignature = null; loadLive(); } catch (e) { toast(e.message, true); }
              } }),
              move,
              h('button', { type: 'button', class: 'small move', text: 'Move', onclick: async () => {
                try { await api('POST', `/api/calls/${c.callId}/interrupt`, { goto: move.value }); toast('Moved to ' + move.value); s.liveSignature = null; loadLive(); } catch (e) { toast(e.message, true); }
              } })) : null));
        }))));
  }

  async function loadFunnel() {
    const r = await get(`/api/flows/${id}/funnel`);
    s.funnel = r.states;
    redraw();
  }

  fit();
  note();
  setStatus();
  renderState();
  show(draft ? 'edit' : 'state');
  if (draft) toast('This flow has a draft saved ' + when(draft.savedAt) + '; the editor shows it.');
  const timer = setInterval(() => {
    if (!panels.live.hidden) loadLive().catch(() => {});
    if (funnelToggle.checked) loadFunnel().catch(() => {});
  }, 2000);
  stop = () => clearInterval(timer);
}

boot().catch(e => toast(e.message, true));
