/**
 * Unpickled values -> plain JSON-like data, for the config part of a checkpoint (omegaconf DictConfig /
 * ListConfig and their nodes, argparse.Namespace, enums, numpy scalars are read as the data they hold),
 * and the check that a state dict holds nothing but tensors and plain data.
 */
import { PyDict, PyGlobal, PyObject, TensorRef, type PyValue } from './pyvalue.js';

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };
export type PlainObject = { [key: string]: Plain };

const NUMPY_SCALAR = new Set(['numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar']);

/** A numpy scalar's value from its (dtype, bytes) reduce arguments. */
function numpyScalar(o: PyObject): Plain {
  const [dt, raw] = o.args;
  const code = dt instanceof PyObject && typeof dt.args[0] === 'string' ? dt.args[0] : '';
  if (!(raw instanceof Uint8Array)) return null;
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (code) {
    case 'f8':
      return v.getFloat64(0, true);
    case 'f4':
      return v.getFloat32(0, true);
    case 'i8':
      return Number(v.getBigInt64(0, true));
    case 'i4':
      return v.getInt32(0, true);
    case 'b1':
      return raw[0] !== 0;
    default:
      return `<numpy ${code}>`;
  }
}

function stateOf(o: PyObject): PyDict | undefined {
  const s = o.state;
  if (s instanceof PyDict) return s;
  // (state, slotstate) pairs from objects with __slots__
  if (Array.isArray(s) && s.length === 2 && (s[0] instanceof PyDict || s[0] === null) && s[1] instanceof PyDict) {
    const merged = new PyDict();
    for (const part of s) if (part instanceof PyDict) for (const [k, v] of part.map) merged.map.set(k, v);
    return merged;
  }
  return undefined;
}

/** Convert a value of a config part to plain data. Never calls anything; cycles become '<cycle>'. */
export function toPlain(v: PyValue, path: Set<object> = new Set()): Plain {
  if (v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('latin1');
  if (v instanceof PyGlobal) return v.qualified;
  if (v instanceof TensorRef) return `<tensor ${v.dtype} [${v.shape.join(', ')}]>`;
  if (typeof v === 'object' && (v as { kind?: string }).kind === 'storage') return '<storage>';
  if (path.has(v as object)) return '<cycle>';
  path.add(v as object);
  try {
    if (Array.isArray(v)) return v.map((x) => toPlain(x, path));
    if (v instanceof Set) return [...v].map((x) => (typeof x === 'bigint' ? x.toString() : x));
    if (v instanceof PyDict) return dictToPlain(v.map, path);
    if (v instanceof PyObject) return objectToPlain(v, path);
    return String(v);
  } finally {
    path.delete(v as object);
  }
}

function dictToPlain(map: Map<unknown, PyValue>, path: Set<object>): PlainObject {
  const out: PlainObject = {};
  for (const [k, x] of map) out[String(k)] = toPlain(x, path);
  return out;
}

function objectToPlain(o: PyObject, path: Set<object>): Plain {
  const q = o.cls.qualified;
  const state = stateOf(o);
  if (q.startsWith('omegaconf.')) {
    // DictConfig/ListConfig keep their data in _content, value nodes in _val; _parent/_metadata are structure.
    if (state?.map.has('_content')) return toPlain(state.map.get('_content') ?? null, path);
    if (state?.map.has('_val')) return toPlain(state.map.get('_val') ?? null, path);
  }
  if (o.via === 'getattr') return String(o.args[0]); // Enum member by name (Python >= 3.11 pickles)
  if (NUMPY_SCALAR.has(q)) return numpyScalar(o);
  if (o.via === 'reduce' && o.args.length === 1 && !state && o.dictItems.size === 0) return toPlain(o.args[0], path); // Enum by value, Path('x')...
  if (o.dictItems.size > 0 || (state && o.listItems.length === 0)) {
    const out = state ? dictToPlain(state.map, path) : {};
    return Object.assign(out, dictToPlain(o.dictItems, path));
  }
  if (o.listItems.length > 0) return o.listItems.map((x) => toPlain(x, path));
  return { __class__: q };
}

export interface Foreign {
  /** Dotted path of the offending value inside the checkpoint. */
  path: string;
  /** The class or global found there. */
  name: string;
}

/** The first class instance or global inside `v` (a state dict must hold tensors and plain data only). */
export function findForeign(v: PyValue, path = '', seen: Set<object> = new Set()): Foreign | undefined {
  if (v instanceof PyObject) return { path, name: v.cls.qualified };
  if (v instanceof PyGlobal) return { path, name: v.qualified };
  if (v === null || typeof v !== 'object' || v instanceof TensorRef || v instanceof Uint8Array || v instanceof Set) return undefined;
  if (seen.has(v)) return undefined;
  seen.add(v);
  const join = (k: unknown) => (path ? `${path}.${String(k)}` : String(k));
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const f = findForeign(v[i], join(i), seen);
      if (f) return f;
    }
  } else if (v instanceof PyDict) {
    for (const [k, x] of v.map) {
      const f = findForeign(x, join(k), seen);
      if (f) return f;
    }
    return findForeign(v.attrs, join('<attrs>'), seen);
  }
  return undefined;
}
