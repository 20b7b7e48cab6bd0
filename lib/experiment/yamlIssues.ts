/**
 * Point validation problems at lines: a zod issue's path (`models`, 2, `id`) is looked up in the YAML
 * document's node tree, and the node's source range gives `file:line`. Where the path leads past what
 * the file has (a missing field, a shorthand string), the deepest node that exists is used.
 */
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface LocatedIssue {
  line: number;
  col: number;
  /** Dotted path as a user reads it: `models[2].id`; empty for the whole file. */
  path: string;
  message: string;
}

/** `models[2].id` from ['models', 2, 'id']. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** The deepest node along `path` (the key node itself when `atKey` names a key of the last map). */
export function nodeAt(doc: Document, path: readonly PropertyKey[], atKey?: string): Node | null {
  let node: unknown = doc.contents;
  let found: Node | null = (doc.contents as Node | null) ?? null;
  const segs = atKey === undefined ? path : [...path, atKey];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) break;
      const last = i === segs.length - 1;
      node = last && atKey !== undefined ? pair.key : (pair.value ?? pair.key);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (node === undefined) break;
    } else {
      break;
    }
    if (node && typeof node === 'object' && 'range' in node) found = node as Node;
  }
  return found;
}

/** Line and column (1-based) of a node, or of the file's start. */
export function positionOf(node: Node | null, lc: LineCounter): { line: number; col: number } {
  const offset = node?.range?.[0] ?? 0;
  return lc.linePos(offset);
}

interface ZodLikeIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
}

/** Locate each zod issue; unknown keys point at the key itself and say what is allowed. */
export function locateIssues(
  issues: readonly ZodLikeIssue[],
  doc: Document,
  lc: LineCounter,
  allowedKeys: (path: readonly PropertyKey[]) => string[] | undefined,
): LocatedIssue[] {
  const out: LocatedIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const allowed = allowedKeys(issue.path);
      for (const key of issue.keys) {
        const pos = positionOf(nodeAt(doc, issue.path, key), lc);
        const hint = allowed ? ` (known fields: ${allowed.join(', ')})` : '';
        out.push({ ...pos, path: formatPath([...issue.path, key]), message: `unknown field${hint}` });
      }
      continue;
    }
    const pos = positionOf(nodeAt(doc, issue.path), lc);
    out.push({ ...pos, path: formatPath(issue.path), message: issue.message });
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}
