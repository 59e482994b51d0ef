// The flow's JSON in a plain textarea, with line numbers, the server's findings marked on their lines (and their
// message at the end of the line), completion from the schema (Ctrl+Space, or on typing a quote) and help on hover.
import { h, clear } from './dom.js';
import { contextAt, lineOfPointer, pointerOffsets, scan } from './jsonpos.js';

const LINE = 20;
const PAD = 8;

export class Editor {
  constructor(host, { schema, stateIds, onChange, readOnly }) {
    this.schema = schema;
    this.stateIds = stateIds;
    this.onChange = onChange;
    this.markers = [];
    this.numbers = h('div', { class: 'gutter-inner' });
    this.gutter = h('div', { class: 'gutter' }, this.numbers);
    this.marks = h('div', { class: 'backdrop-inner' });
    this.area = h('textarea', {
      class: 'code-area', id: 'editor', spellcheck: 'false', wrap: 'off', 'aria-label': 'flow JSON',
      autocomplete: 'off', autocapitalize: 'off'
    });
    this.area.readOnly = !!readOnly;
    this.list = h('ul', { class: 'complete', hidden: true, role: 'listbox' });
    this.tip = h('div', { class: 'hover-help', hidden: true, role: 'tooltip' });
    this.problems = h('ul', { class: 'problems', id: 'problems' });
    clear(host, h('div', { class: 'editor' }, this.gutter,
      h('div', { class: 'code' }, h('div', { class: 'backdrop' }, this.marks), this.area), this.list, this.tip),
      this.problems);
    this.area.addEventListener('scroll', () => this.sync());
    this.area.addEventListener('input', () => { this.render(); this.onChange(this.area.value); this.maybeComplete(); });
    this.area.addEventListener('keydown', e => this.key(e));
    this.area.addEventListener('mousemove', e => this.hover(e));
    this.area.addEventListener('mouseleave', () => { this.tip.hidden = true; });
    this.area.addEventListener('blur', () => setTimeout(() => { this.list.hidden = true; }, 150));
  }

  get value() { return this.area.value; }

  set value(text) {
    this.area.value = text;
    this.render();
  }

  charWidth() {
    if (!this.cw) {
      const probe = h('span', { class: 'code-probe', text: 'x'.repeat(100) });
      document.body.append(probe);
      this.cw = probe.getBoundingClientRect().width / 100 || 7.8;
      probe.remove();
    }
    return this.cw;
  }

  /** Findings from the server, each on the line of its pointer (or the line the JSON parser named). */
  setFindings(findings) {
    const text = this.area.value;
    const offsets = pointerOffsets(text);
    this.markers = findings.map(f => ({ ...f, line: f.line || lineOfPointer(text, offsets, f.pointer || '') }));
    this.render();
    clear(this.problems, this.markers.map(m => h('li', {
      class: 'problem ' + m.severity, 'data-line': m.line, 'data-state': m.state || '',
      onclick: () => this.reveal(m.line)
    }, h('span', { class: 'where', text: 'line ' + m.line }), h('span', { class: 'msg', text: m.message }),
      m.hint ? h('span', { class: 'hint', text: m.hint }) : null)));
  }

  /** Selects the line where a pointer starts. */
  revealPointer(ptr) {
    this.reveal(lineOfPointer(this.area.value, pointerOffsets(this.area.value), ptr));
  }

  reveal(line) {
    const lines = this.area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    this.area.focus({ preventScroll: true });
    this.area.setSelectionRange(start, start + (lines[line - 1] || '').length);
    this.area.scrollTop = Math.max(0, (line - 5) * LINE);
    this.sync();
  }

  render() {
    const count = this.area.value.split('\n').length;
    if (count !== this.lineCount) {
      this.lineCount = count;
      this.numbers.textContent = Array.from({ length: count }, (_, i) => i + 1).join('\n');
    }
    const lines = this.area.value.split('\n');
    const cw = this.charWidth();
    const byLine = new Map();
    for (const m of this.markers) if (!byLine.has(m.line) || m.severity === 'error') byLine.set(m.line, m);
    clear(this.marks, [...byLine.values()].map(m => h('div', {
      class: 'mark ' + m.severity, 'data-line': m.line, style: null
    }, h('span', { class: 'lens', text: (m.severity === 'error' ? '✖ ' : '⚠ ') + m.message + (m.hint ? ' — ' + m.hint : '') }))));
    // Positions set through the CSSOM (allowed by the CSP, unlike style attributes).
    [...this.marks.children].forEach(div => {
      const line = Number(div.dataset.line);
      div.style.top = (PAD + (line - 1) * LINE) + 'px';
      div.firstChild.style.left = (PAD + ((lines[line - 1] || '').length + 3) * cw) + 'px';
    });
    this.sync();
  }

  sync() {
    this.numbers.style.transform = `translateY(${-this.area.scrollTop}px)`;
    this.marks.style.transform = `translate(${-this.area.scrollLeft}px, ${-this.area.scrollTop}px)`;
  }

  caretXY(offset) {
    const before = this.area.value.slice(0, offset).split('\n');
    const r = this.area.getBoundingClientRect();
    const host = this.area.closest('.editor').getBoundingClientRect();
    return {
      x: r.left - host.left + PAD + before[before.length - 1].length * this.charWidth() - this.area.scrollLeft,
      y: r.top - host.top + PAD + before.length * LINE - this.area.scrollTop
    };
  }

  options(ctx) {
    if (!ctx || !ctx.kind) return [];
    const ids = this.stateIds();
    if (ctx.kind === 'key') {
      return this.schema.keys(ctx.path, ctx.typeAt).filter(k => !ctx.present.has(k.name) || k.name === ctx.prefix)
        .map(k => ({ label: k.name, help: k.help, insert: k.name, key: true }));
    }
    return this.schema.values([...ctx.path, ctx.key], ctx.typeAt, ids)
      .map(v => ({ label: v, help: '', insert: v, key: false }));
  }

  maybeComplete() {
    const at = this.area.selectionStart;
    if (this.area.value[at - 1] === '"' || !this.list.hidden) this.complete(false);
  }

  complete(explicit) {
    if (this.area.readOnly) return;
    const at = this.area.selectionStart;
    const ctx = contextAt(this.area.value, at);
    if (!ctx || (!ctx.inString && !explicit)) { this.list.hidden = true; return; }
    const prefix = ctx.prefix.toLowerCase();
    const items = this.options(ctx).filter(o => o.label.toLowerCase().startsWith(prefix)).slice(0, 40);
    if (!items.length) { this.list.hidden = true; return; }
    this.items = items;
    this.ctx = ctx;
    this.active = 0;
    clear(this.list, items.map((o, i) => h('li', {
      class: i === 0 ? 'active' : '', role: 'option', 'data-value': o.label,
      onmousedown: e => { e.preventDefault(); this.accept(i); }
    }, h('b', { text: o.label }), o.help ? h('small', { text: o.help }) : null)));
    const xy = this.caretXY(at);
    this.list.style.left = Math.max(0, xy.x) + 'px';
    this.list.style.top = xy.y + 'px';
    this.list.hidden = false;
  }

  accept(i) {
    const item = this.items[i];
    const at = this.area.selectionStart;
    const start = this.ctx.inString ? at - this.ctx.prefix.length : at;
    const after = this.area.value.slice(at);
    const closing = this.ctx.inString && after.startsWith('"') ? 1 : 0;
    let text = (this.ctx.inString ? '' : '"') + item.insert + '"';
    if (item.key && !after.slice(closing).trimStart().startsWith(':')) text += ': ';
    this.area.setRangeText(text, start, at + closing, 'end');
    this.list.hidden = true;
    this.render();
    this.onChange(this.area.value);
  }

  key(e) {
    if (e.key === ' ' && e.ctrlKey) { e.preventDefault(); this.complete(true); return; }
    if (this.list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.items.length) % this.items.length;
      [...this.list.children].forEach((li, i) => li.classList.toggle('active', i === this.active));
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      this.accept(this.active);
    } else if (e.key === 'Escape') {
      this.list.hidden = true;
    }
  }

  /** Help for the key under the mouse, from the schema's descriptions. */
  hover(e) {
    const r = this.area.getBoundingClientRect();
    const line = Math.floor((e.clientY - r.top - PAD + this.area.scrollTop) / LINE);
    const col = Math.floor((e.clientX - r.left - PAD + this.area.scrollLeft) / this.charWidth());
    const lines = this.area.value.split('\n');
    const text = lines[line];
    if (text === undefined || col < 0 || col >= text.length) { this.tip.hidden = true; return; }
    const open = text.lastIndexOf('"', col - (text[col] === '"' ? 1 : 0));
    const close = text.indexOf('"', open + 1);
    if (open < 0 || close < col || !/^\s*:/.test(text.slice(close + 1))) { this.tip.hidden = true; return; }
    const offset = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + open;
    const ctx = contextAt(this.area.value, offset);
    if (!ctx || ctx.kind !== 'key') { this.tip.hidden = true; return; }
    const key = text.slice(open + 1, close);
    const help = this.schema.help([...ctx.path, key], ctx.typeAt) || (key === 'type' ? 'The state type.' : '');
    if (!help) { this.tip.hidden = true; return; }
    this.tip.textContent = key + ': ' + help;
    const host = this.area.closest('.editor').getBoundingClientRect();
    this.tip.style.left = (e.clientX - host.left + 12) + 'px';
    this.tip.style.top = (e.clientY - host.top + 16) + 'px';
    this.tip.hidden = false;
  }
}

/** The state ids a half-written flow declares, from its text. */
export function declaredStates(text) {
  const ids = [];
  scan(text, text.length, path => { if (path.length === 2 && path[0] === 'states') ids.push(path[1]); });
  return ids;
}
