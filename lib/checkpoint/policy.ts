/**
 * What a checkpoint pickle may name (SECURITY: nothing here is ever executed; this decides what is
 * understood and what is refused, and makes the refusal say which global and which file).
 *
 * - `data`: rebuilt by the unpickler itself, anywhere in the file: OrderedDict, set/frozenset/bytearray,
 *   protocol-2 bytes (`_codecs.encode`), torch's tensor/parameter rebuild functions, storage types,
 *   dtypes and torch.Size.
 * - `denied`: refused the moment the pickle names it, wherever it is: modules and builtins that run code
 *   or touch the system (os/posix/subprocess/sys/builtins.eval/exec/__import__/getattr outside configs...),
 *   and every other torch or numpy name (a pickled nn.Module, torch.load, numpy.load...).
 * - `opaque`: any other class (omegaconf DictConfig and its nodes, argparse.Namespace, enums, dataclasses,
 *   typing names, numpy scalars): kept as an inert PyObject/PyGlobal record. Allowed only in a fairseq
 *   checkpoint's config/training-state part (checkpoint.ts); a state dict holding one is refused.
 */
export type GlobalClass = 'data' | 'opaque' | 'denied';

const ALIASES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg', _operator: 'operator' };

export function normalizeModule(module: string): string {
  return ALIASES[module] ?? module;
}

/** Globals the unpickler rebuilds itself. */
export const DATA_GLOBALS = new Set([
  'collections.OrderedDict',
  'builtins.set',
  'builtins.frozenset',
  'builtins.bytearray',
  '_codecs.encode',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor_v3',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch.Size',
]);

/** torch storage classes in persistent ids -> element dtype. */
export const STORAGE_DTYPES: Record<string, import('./dtype.js').DType> = {
  FloatStorage: 'F32',
  DoubleStorage: 'F64',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
  UntypedStorage: 'U8',
};

/** torch dtype globals (`torch.float32`...) -> dtype. */
export const TORCH_DTYPES: Record<string, import('./dtype.js').DType> = {
  float32: 'F32',
  float: 'F32',
  float64: 'F64',
  double: 'F64',
  float16: 'F16',
  half: 'F16',
  bfloat16: 'BF16',
  int64: 'I64',
  long: 'I64',
  int32: 'I32',
  int: 'I32',
  int16: 'I16',
  short: 'I16',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
  uint16: 'U16',
  uint32: 'U32',
  uint64: 'U64',
};

/** Builtins that are plain data types (as type references or constructors): kept inert in configs. */
const BUILTIN_TYPES = new Set([
  'dict',
  'list',
  'tuple',
  'str',
  'unicode',
  'bytes',
  'int',
  'long',
  'float',
  'bool',
  'complex',
  'object',
  'slice',
  'range',
  'NoneType',
  'basestring',
]);

/** Modules whose every name is refused: they execute code, import, or reach the system. */
const DENIED_MODULES = [
  'os',
  'posix',
  'nt',
  'subprocess',
  'sys',
  'shutil',
  'socket',
  'importlib',
  'runpy',
  'pickle',
  '_pickle',
  'marshal',
  'ctypes',
  'code',
  'codeop',
  'pty',
  'webbrowser',
  'pdb',
  'io',
  '_io',
  'tempfile',
  'multiprocessing',
  'threading',
  '_thread',
  'signal',
  'types',
  'functools',
  'inspect',
  'pydoc',
  'timeit',
  'platform',
  'asyncio',
  'ssl',
  'http',
  'urllib',
  'ftplib',
  'smtplib',
  'glob',
  'zipimport',
  'pkgutil',
  'ast',
  'dill',
  'cloudpickle',
  'joblib',
];

/** numpy names that describe data (scalars, dtypes, arrays); every other numpy name is refused. */
const NUMPY_DATA = new Set([
  'numpy.dtype',
  'numpy.ndarray',
  'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar',
  'numpy.core.multiarray._reconstruct',
  'numpy._core.multiarray._reconstruct',
]);

/** Names allowed only as inert records in a config part (they would call code in Python). */
const CONFIG_CALLS = new Set([
  'builtins.getattr',
  'operator.getitem',
  'copyreg._reconstructor',
  'copyreg.__newobj__',
  'collections.defaultdict',
]);

export function classifyGlobal(module: string, name: string): GlobalClass {
  const m = normalizeModule(module);
  const q = `${m}.${name}`;
  if (DATA_GLOBALS.has(q)) return 'data';
  if (m === 'torch') return name in STORAGE_DTYPES || name in TORCH_DTYPES ? 'data' : 'denied';
  if (q === 'torch.storage.UntypedStorage') return 'data';
  if (m.startsWith('torch.')) return 'denied';
  if (m === 'numpy' || m.startsWith('numpy.')) return NUMPY_DATA.has(q) ? 'opaque' : 'denied';
  if (CONFIG_CALLS.has(q)) return 'opaque';
  if (m === 'builtins') return BUILTIN_TYPES.has(name) ? 'opaque' : 'denied';
  if (m === 'operator' || m === 'copyreg') return 'denied';
  if (DENIED_MODULES.some((d) => m === d || m.startsWith(`${d}.`))) return 'denied';
  return 'opaque';
}

/** Why a denied global is refused, for the error message's hint. */
export function refusalHint(module: string, _name: string): string {
  const m = normalizeModule(module);
  if (m.startsWith('torch.nn')) return 'the file holds a whole pickled model object, not a state dict: save model.state_dict() instead';
  if (m === 'torch' || m.startsWith('torch.')) return 'only tensors, storages and dtypes of torch are read';
  return 'checkpoints hold tensors and plain data; this pickle would run code when loaded by Python: do not load it anywhere';
}
