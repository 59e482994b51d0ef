// A tolerant JSON scanner: where each JSON pointer starts in the text (to put markers on lines), and what is being
// typed at the caret (to complete keys and values), also in a half-written document.
export const pointer = path => path.map(s => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');

export function scan(text, stopAt = text.length, visit = () => {}, onValue = () => {}) {
  const stack = [];
  const top = () => stack[stack.length - 1];
  const value = (f, v, at) => {
    if (!f) return;
    if (f.kind === 'obj') { f.strings[f.key] = v; onValue(f.path, f.key, v); }
    else visit([...f.path, String(f.index)], at);
    f.expect = 'comma';
  };
  let i = 0;
  while (i < stopAt) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      let j = i + 1, s = '';
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') {
        if (text[j] === '\\') j++;
        s += text[j] ?? '';
        j++;
      }
      if (j >= stopAt) return { stack, string: { start, value: text.slice(start + 1, stopAt) } };
      i = j + 1;
      const f = top();
      if (f && f.kind === 'obj' && f.expect === 'key') {
        f.key = s;
        f.expect = 'colon';
        visit([...f.path, s], start);
      } else value(f, s, start);
    } else if (c === '{' || c === '[') {
      const f = top();
      let path = [];
      if (f) {
        path = f.kind === 'obj' ? [...f.path, f.key] : [...f.path, String(f.index)];
        if (f.kind === 'arr') visit(path, i);
        f.expect = 'comma';
      }
      stack.push({ kind: c === '{' ? 'obj' : 'arr', path, key: null, index: 0, expect: c === '{' ? 'key' : 'value', strings: {} });
      i++;
    } else if (c === '}' || c === ']') {
      stack.pop();
      i++;
    } else if (c === ':') {
      if (top()) top().expect = 'value';
      i++;
    } else if (c === ',') {
      const f = top();
      if (f && f.kind === 'obj') f.expect = 'key';
      else if (f) { f.index++; f.expect = 'value'; }
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      let j = i;
      while (j < stopAt && /[^\s,\]}:"]/.test(text[j])) j++;
      value(top(), text.slice(i, j), i);
      i = Math.max(j, i + 1);
    }
  }
  return { stack };
}

/** Offsets of every pointer's key (or array element) in the text. */
export function pointerOffsets(text) {
  const offsets = new Map([['', 0]]);
  scan(text, text.length, (path, at) => offsets.set(pointer(path), at));
  return offsets;
}

/** The line (1-based) a pointer starts on; an unknown pointer falls back to its nearest known parent. */
export function lineOfPointer(text, offsets, ptr) {
  let p = ptr === '/' ? '' : ptr;
  while (!offsets.has(p) && p) p = p.slice(0, p.lastIndexOf('/'));
  return lineOfOffset(text, offsets.get(p) ?? 0);
}

export function lineOfOffset(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** What is typed at {@code offset}: a key or a value, of which object, with what prefix. */
export function contextAt(text, offset) {
  const { stack, string } = scan(text, offset);
  const f = stack[stack.length - 1];
  if (!f) return null;
  // The whole text tells each object's type and keys, also those written after the caret.
  const types = new Map(), keys = new Map();
  scan(text, text.length, path => {
    const parent = pointer(path.slice(0, -1));
    if (!keys.has(parent)) keys.set(parent, new Set());
    keys.get(parent).add(path[path.length - 1]);
  }, (path, key, v) => { if (key === 'type') types.set(pointer(path), v); });
  const typeAt = depth => types.get(pointer(f.path.slice(0, depth)));
  const kind = f.kind === 'obj' ? (f.expect === 'key' ? 'key' : f.expect === 'value' ? 'value' : null)
    : (f.expect === 'value' ? 'value' : null);
  return {
    path: f.path, kind, key: f.kind === 'obj' ? f.key : String(f.index), inString: !!string,
    prefix: string ? string.value : '', typeAt, present: keys.get(pointer(f.path)) || new Set()
  };
}
