/**
 * The values the restricted unpickler produces: plain data, dicts, tensors (references into storages,
 * not yet read), and inert records for classes and calls it was allowed to keep but never runs.
 */
import type { DType } from './dtype.js';

/** A module-level name a pickle referred to (`GLOBAL 'module name'`); never resolved to code. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/**
 * An instance the pickle described but that was not built: the class (or callable) with its arguments,
 * the state BUILD gave it, and the items SETITEMS/APPENDS added. Only allowed in a checkpoint's config part.
 */
export class PyObject {
  state: PyValue = null;
  readonly dictItems = new Map<PyKey, PyValue>();
  readonly listItems: PyValue[] = [];
  constructor(
    readonly cls: PyGlobal,
    readonly args: PyValue[],
    readonly via: 'newobj' | 'reduce' | 'getattr',
  ) {}
}

export type PyKey = string | number | bigint | boolean | null;

/** dict / OrderedDict (insertion-ordered). `attrs` holds state set by BUILD (OrderedDict `_metadata`). */
export class PyDict {
  readonly map = new Map<PyKey, PyValue>();
  attrs: PyValue = null;
  constructor(readonly ordered = false) {}
  get(key: PyKey): PyValue | undefined {
    return this.map.get(key);
  }
}

/** A storage named by a persistent id: `('storage', torch.XStorage, key, location, numel)`. */
export interface StorageRef {
  kind: 'storage';
  key: string;
  /** Element type of the storage (UntypedStorage: 'U8', the tensor carries its own dtype). */
  dtype: DType;
  /** Elements (bytes for an untyped storage). */
  numel: number;
  location: string;
}

/** A tensor as torch rebuilds it: a strided view of a storage, in elements. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly dtype: DType,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
    readonly parameter = false,
  ) {}
  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyDict
  | PyGlobal
  | PyObject
  | TensorRef
  | StorageRef
  | Set<PyKey>;

/** A dict key from a value: primitives as they are, anything else by a readable description. */
export function toKey(v: PyValue): PyKey {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return `(${v.map((x) => String(toKey(x))).join(', ')})`;
  if (v instanceof PyGlobal) return v.qualified;
  return `<${v.constructor.name}>`;
}
