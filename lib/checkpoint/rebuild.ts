/**
 * What REDUCE and NEWOBJ produce in the restricted unpickler: the data globals of policy.ts rebuilt here
 * (OrderedDict, sets, protocol-2 bytes, torch tensors and parameters over archive storages); any other
 * allowed callable or class becomes an inert PyObject record, never called.
 */
import { CheckpointError } from '../util/errors.js';
import { DATA_GLOBALS, STORAGE_DTYPES, TORCH_DTYPES } from './policy.js';
import { PyDict, PyGlobal, PyObject, TensorRef, toKey, type PyValue, type StorageRef } from './pyvalue.js';

export function describe(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'None';
  if (v instanceof PyGlobal) return `global ${v.qualified}`;
  if (v instanceof PyObject) return `${v.cls.qualified} object`;
  if (Array.isArray(v)) return 'tuple/list';
  return typeof v === 'object' ? v.constructor.name : typeof v;
}

function asInts(v: PyValue, what: string, file: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0)) {
    throw new CheckpointError('pickle-tensor', `tensor ${what} is not a tuple of non-negative integers`, { file });
  }
  return v as number[];
}

function isStorage(v: PyValue): v is StorageRef {
  return typeof v === 'object' && v !== null && (v as StorageRef).kind === 'storage';
}

/** REDUCE: data globals are rebuilt; other (opaque) callables become inert records. */
export function reduce(fn: PyValue, args: PyValue, file: string): PyValue {
  if (!(fn instanceof PyGlobal))
    throw new CheckpointError('pickle-refused', `pickle calls a ${describe(fn)}, not a named function`, { file });
  if (!Array.isArray(args)) throw new CheckpointError('pickle-corrupt', `arguments of ${fn.qualified} are not a tuple`, { file });
  const q = fn.qualified;
  if (!DATA_GLOBALS.has(q)) {
    if (fn.module === 'torch' && (fn.name in STORAGE_DTYPES || fn.name in TORCH_DTYPES)) {
      throw new CheckpointError('pickle-refused', `pickle calls ${q} outside a persistent id`, {
        file,
        hint: 'storages are read only from the archive',
      });
    }
    if (q === 'copyreg._reconstructor' || q === 'copyreg.__newobj__') {
      const cls = args[0];
      if (!(cls instanceof PyGlobal)) throw new CheckpointError('pickle-refused', `${q} of a ${describe(cls)}`, { file });
      return new PyObject(cls, args.slice(q === 'copyreg.__newobj__' ? 1 : 2), 'newobj');
    }
    if (q === 'builtins.getattr') {
      const [cls, name] = args;
      if (!(cls instanceof PyGlobal) || typeof name !== 'string')
        throw new CheckpointError('pickle-refused', 'getattr is read only as Class.MEMBER (an enum member)', { file });
      return new PyObject(cls, [name], 'getattr');
    }
    return new PyObject(fn, args, 'reduce');
  }
  switch (q) {
    case 'collections.OrderedDict': {
      const d = new PyDict(true);
      const pairs = args[0];
      if (Array.isArray(pairs)) for (const kv of pairs) if (Array.isArray(kv) && kv.length === 2) d.map.set(toKey(kv[0]), kv[1]);
      return d;
    }
    case 'builtins.set':
    case 'builtins.frozenset':
      return new Set(Array.isArray(args[0]) ? args[0].map(toKey) : []);
    case 'builtins.bytearray':
      return args[0] instanceof Uint8Array ? args[0] : new Uint8Array(0);
    case '_codecs.encode':
      if (typeof args[0] !== 'string') throw new CheckpointError('pickle-corrupt', '_codecs.encode of a non-string', { file });
      return new Uint8Array(Buffer.from(args[0], 'latin1'));
    case 'torch.Size':
      return Array.isArray(args[0]) ? args[0] : [];
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state': {
      const t = args[0];
      if (!(t instanceof TensorRef)) throw new CheckpointError('pickle-tensor', 'a parameter without a tensor', { file });
      return new TensorRef(t.storage, t.dtype, t.offset, t.shape, t.stride, true);
    }
    default: {
      // _rebuild_tensor_v2 / _v3
      const [storage, offset, size, stride] = args;
      if (!isStorage(storage)) throw new CheckpointError('pickle-tensor', `${fn.name} without a storage from the archive`, { file });
      if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)
        throw new CheckpointError('pickle-tensor', 'tensor storage offset is not a non-negative integer', { file });
      let dtype = storage.dtype;
      if (q === 'torch._utils._rebuild_tensor_v3') {
        const dt = args[6];
        if (!(dt instanceof PyGlobal) || dt.module !== 'torch' || !(dt.name in TORCH_DTYPES))
          throw new CheckpointError('pickle-tensor', '_rebuild_tensor_v3 without a known torch dtype', { file });
        dtype = TORCH_DTYPES[dt.name];
      }
      const shape = asInts(size, 'size', file);
      const strides = asInts(stride, 'stride', file);
      if (shape.length !== strides.length)
        throw new CheckpointError('pickle-tensor', `tensor size [${shape}] and stride [${strides}] differ in rank`, { file });
      return new TensorRef(storage, dtype, offset, shape, strides);
    }
  }
}

/** NEWOBJ: cls.__new__(cls, *args) in Python; here an inert record (config parts only, checked later). */
export function newObj(cls: PyValue, args: PyValue, file: string): PyValue {
  if (!(cls instanceof PyGlobal)) throw new CheckpointError('pickle-refused', `NEWOBJ of a ${describe(cls)}`, { file });
  if (DATA_GLOBALS.has(cls.qualified)) {
    if (cls.qualified === 'collections.OrderedDict') return new PyDict(true);
    throw new CheckpointError('pickle-refused', `NEWOBJ of ${cls.qualified}`, { file });
  }
  return new PyObject(cls, Array.isArray(args) ? args : [], 'newobj');
}
