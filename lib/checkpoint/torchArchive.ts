/**
 * torch.save files (the zip format torch writes since 1.6: `pytorch_model.bin`, `*.pt`): `<prefix>/data.pkl`
 * unpickled by the restricted unpickler, storages `<prefix>/data/<key>` read by offset when a tensor is
 * asked for. The legacy pre-1.6 format (a bare pickle stream) is detected and refused with a hint.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CheckpointError } from '../util/errors.js';
import { DTYPE_BYTES } from './dtype.js';
import { unpickle } from './pickle.js';
import { STORAGE_DTYPES } from './policy.js';
import { PyGlobal, type TensorRef, type PyValue, type StorageRef } from './pyvalue.js';
import { contiguousStrides, gatherStrided, numelOf, TensorTable } from './tensors.js';
import { looksLikeZip, ZipReader } from './zip.js';

export interface TorchArchive {
  file: string;
  /** The unpickled object (state dict, or a fairseq checkpoint dict). */
  root: PyValue;
  /** Contiguous bytes of a tensor of this archive. */
  readTensor(t: TensorRef): Uint8Array;
  close(): void;
}

/** The magic number torch's legacy (pre-1.6) serialization pickles first. */
const LEGACY_MAGIC = Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]);

function head(file: string, n: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(n);
    return b.subarray(0, readSync(fd, b, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

export function openTorchArchive(file: string): TorchArchive {
  const h = head(file, 512);
  if (!looksLikeZip(h)) {
    if (h.subarray(0, LEGACY_MAGIC.length).equals(LEGACY_MAGIC)) {
      throw new CheckpointError('torch-legacy', 'legacy PyTorch serialization (torch < 1.6, not a zip archive) is not read', {
        file,
        hint: 'convert it once with torch >= 1.6: torch.save(torch.load(f, weights_only=True), "new.pt")',
      });
    }
    if (h.length >= 262 && h.toString('latin1', 257, 262) === 'ustar') {
      throw new CheckpointError('torch-legacy', 'tar-format PyTorch checkpoint (torch <= 0.1.10) is not read', {
        file,
        hint: 're-save it with a recent torch',
      });
    }
    throw new CheckpointError('torch-format', 'not a PyTorch checkpoint (neither a torch.save zip archive nor safetensors)', { file });
  }
  const zip = new ZipReader(file);
  try {
    const pkls = [...zip.entries.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
    if (pkls.length !== 1) {
      throw new CheckpointError(
        'torch-format',
        pkls.length ? `${pkls.length} data.pkl records in one archive` : 'a zip archive without <name>/data.pkl: not a torch.save file',
        { file },
      );
    }
    const prefix = pkls[0].slice(0, -'data.pkl'.length);
    if (zip.entries.has(`${prefix}byteorder`)) {
      const order = zip.read(`${prefix}byteorder`).toString('latin1').trim();
      if (order !== 'little')
        throw new CheckpointError('torch-byteorder', `storages are ${order}-endian; only little-endian is read`, { file });
    }
    const storages = new Map<string, StorageRef>();
    const persistentLoad = (pid: PyValue): StorageRef => {
      if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5)
        throw new CheckpointError('pickle-persid', 'a persistent id that is not a storage', { file });
      const [, type, key, location, numel] = pid;
      if (
        !(type instanceof PyGlobal) ||
        (type.module !== 'torch' && type.qualified !== 'torch.storage.UntypedStorage') ||
        !(type.name in STORAGE_DTYPES)
      ) {
        throw new CheckpointError('pickle-persid', `unknown storage type ${type instanceof PyGlobal ? type.qualified : String(type)}`, {
          file,
        });
      }
      if (typeof key !== 'string' || typeof numel !== 'number')
        throw new CheckpointError('pickle-persid', 'storage without a key and size', { file });
      const dtype = STORAGE_DTYPES[type.name];
      const seen = storages.get(key);
      if (seen) {
        if (seen.dtype !== dtype)
          throw new CheckpointError('pickle-persid', `storage ${key} is read as ${seen.dtype} and ${dtype}`, { file });
        return seen;
      }
      const entry = zip.get(`${prefix}data/${key}`);
      if (entry.size < numel * DTYPE_BYTES[dtype]) {
        throw new CheckpointError(
          'torch-storage',
          `storage ${key} holds ${entry.size} bytes, ${numel} x ${dtype} need ${numel * DTYPE_BYTES[dtype]}`,
          { file },
        );
      }
      const ref: StorageRef = { kind: 'storage', key, dtype, numel, location: typeof location === 'string' ? location : 'cpu' };
      storages.set(key, ref);
      return ref;
    };
    const root = unpickle(zip.read(pkls[0]), { file: `${file}:${pkls[0]}`, persistentLoad });
    const readTensor = (t: TensorRef): Uint8Array => {
      const es = DTYPE_BYTES[t.dtype];
      const name = `${prefix}data/${t.storage.key}`;
      const storageBytes = t.storage.numel * DTYPE_BYTES[t.storage.dtype];
      if (numelOf(t.shape) === 0) return new Uint8Array(0);
      const last = t.offset + t.shape.reduce((a, s, i) => a + (s - 1) * t.stride[i], 0);
      if ((last + 1) * es > storageBytes) {
        throw new CheckpointError(
          'torch-storage',
          `tensor view [${t.shape}] stride [${t.stride}] offset ${t.offset} reaches past its storage ${t.storage.key} (${storageBytes} bytes)`,
          { file },
        );
      }
      const span = zip.readRange(name, t.offset * es, (last + 1 - t.offset) * es);
      const c = contiguousStrides(t.shape);
      const contiguous = t.shape.every((s, i) => s === 1 || t.stride[i] === c[i]);
      return contiguous ? new Uint8Array(span.buffer, span.byteOffset, numelOf(t.shape) * es) : gatherStrided(span, es, t.shape, t.stride);
    };
    return { file, root, readTensor, close: () => zip.close() };
  } catch (e) {
    zip.close();
    throw e;
  }
}

/** A TensorSource over the tensors of one dict of an archive (a state dict), with `prefix`-free names. */
export function tableFromStateDict(archive: TorchArchive, entries: Iterable<[string, TensorRef]>): TensorTable {
  const table = new TensorTable(() => archive.close());
  for (const [name, t] of entries) {
    table.add({ name, dtype: t.dtype, shape: t.shape, location: archive.file }, () => archive.readTensor(t));
  }
  return table;
}
