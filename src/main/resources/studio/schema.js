// Walks flow.schema.json along a JSON path: the keys allowed in an object, their help text, the values of a key.
export class Schema {
  constructor(root) { this.root = root; }

  resolve(node) {
    let description = node && node.description;
    while (node && node.$ref) {
      node = node.$ref.slice(2).split('/').reduce((n, s) => n && n[s], this.root);
      description = description || (node && node.description);
    }
    return node ? { ...node, description: description || node.description } : node;
  }

  /** The object schema (properties merged from a oneOf, the state's own by type). */
  object(node, type) {
    node = this.resolve(node);
    if (!node) return null;
    if (node.allOf && type) {
      const branch = node.allOf.find(a => a.if?.properties?.type?.const === type);
      if (branch) return this.resolve(branch.then);
    }
    if (node.oneOf) {
      const obj = node.oneOf.map(o => this.resolve(o)).find(o => o.properties);
      if (obj) return { ...obj, description: node.description || obj.description };
    }
    return node;
  }

  /** The schema at a path; typeAt(depth) tells the type of the state object at that depth. */
  at(path, typeAt = () => undefined) {
    let node = this.object(this.root, typeAt(0));
    for (let i = 0; i < path.length && node; i++) {
      const seg = path[i];
      let next;
      if (/^\d+$/.test(seg) && (node.items || node.oneOf)) {
        next = node.items || node.oneOf.map(o => this.resolve(o)).find(o => o.items)?.items;
      } else if (node.properties && node.properties[seg]) {
        next = node.properties[seg];
      } else if (node.additionalProperties && typeof node.additionalProperties === 'object') {
        next = node.additionalProperties;
      } else if (node.oneOf) {
        const arr = node.oneOf.map(o => this.resolve(o)).find(o => o.items);
        next = arr && /^\d+$/.test(seg) ? arr.items : null;
      }
      node = next ? this.object(next, typeAt(i + 1)) : null;
    }
    return node;
  }

  keys(path, typeAt) {
    const node = this.at(path, typeAt);
    if (!node || !node.properties) return [];
    return Object.entries(node.properties).map(([name, s]) => ({ name, help: this.resolve(s)?.description || '' }));
  }

  help(path, typeAt) {
    const node = this.at(path, typeAt);
    return node ? node.description || '' : '';
  }

  /** Values worth offering for a key: an enum, booleans, or state ids for a target. */
  values(path, typeAt, stateIds) {
    const raw = this.at(path.slice(0, -1), typeAt);
    const own = raw && raw.properties && raw.properties[path[path.length - 1]];
    const isTarget = own && (own.$ref === '#/$defs/target' || (raw.additionalProperties?.$ref === '#/$defs/target'));
    const viaAdditional = raw && !own && raw.additionalProperties?.$ref === '#/$defs/target';
    if (isTarget || viaAdditional) return [...stateIds, 'failsafe'];
    const node = this.at(path, typeAt);
    if (!node) return [];
    if (node.enum) return node.enum.map(String);
    if (node.const) return [String(node.const)];
    if (node.type === 'boolean') return ['true', 'false'];
    return [];
  }
}
