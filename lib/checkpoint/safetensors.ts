/**
 * safetensors files: an 8-byte little-endian header length, a JSON header {name: {dtype, shape,
 * data_offsets}, __metadata__?}, then the data. The header is checked as strictly as the reference
 * implementation checks it (known dtype, integer shape, offsets that tile the data exactly, sizes that
 * match dtype x shape) before any tensor is read; tensors are read by offset on demand.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CheckpointError } from '../util/errors.js';
import { DTYPE_BYTES, isDType, type DType } from './dtype.js';
import { numelOf, TensorTable } from './tensors.js';

/** The reference implementation's limit on the header size. */
const MAX_HEADER = 100_000_000;

export interface SafetensorsHeader {
  tensors: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[];
  metadata: Record<string, string>;
  /** Byte offset of the data section. */
  dataStart: number;
}

function readFully(fd: number, length: number, position: number, file: string): Buffer {
  const b = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, b, done, length - done, position + done);
    if (n === 0)
      throw new CheckpointError('safetensors-truncated', `file ends at ${position + done}, ${length - done} bytes short`, {
        file,
        hint: 'the file is truncated: download it again',
      });
    done += n;
  }
  return b;
}

/** Parse and validate the header of an open safetensors file of `size` bytes. */
export function parseSafetensorsHeader(fd: number, size: number, file: string): SafetensorsHeader {
  const bad = (msg: string) => new CheckpointError('safetensors-header', msg, { file, hint: 'the file is corrupt or not safetensors' });
  if (size < 8) throw new CheckpointError('safetensors-truncated', `only ${size} bytes: not a safetensors file`, { file });
  const n = readFully(fd, 8, 0, file).readBigUInt64LE(0);
  if (n > BigInt(MAX_HEADER)) throw bad(`header length ${n} is over ${MAX_HEADER} bytes`);
  const headerLen = Number(n);
  if (8 + headerLen > size)
    throw new CheckpointError('safetensors-truncated', `header of ${headerLen} bytes is longer than the file (${size} bytes)`, {
      file,
      hint: 'the file is truncated or not safetensors',
    });
  const text = readFully(fd, headerLen, 8, file).toString('utf8');
  if (!text.startsWith('{')) throw bad('header does not start with "{"');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad(`header is not JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('header is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = size - dataStart;
  const tensors: SafetensorsHeader['tensors'] = [];
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof v !== 'object' || v === null || Object.values(v).some((x) => typeof x !== 'string'))
        throw bad('__metadata__ is not a map of strings');
      metadata = v as Record<string, string>;
      continue;
    }
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t !== 'object' || t === null) throw bad(`entry ${name} is not an object`);
    if (typeof t.dtype !== 'string') throw bad(`tensor ${name} has no dtype`);
    if (!isDType(t.dtype))
      throw new CheckpointError(
        'safetensors-dtype',
        `tensor ${name} has dtype ${t.dtype}, which is not read (F64 F32 F16 BF16 I64 I32 I16 I8 U8 U16 U32 U64 BOOL)`,
        { file },
      );
    const isCount = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
    if (!Array.isArray(t.shape) || !t.shape.every(isCount)) throw bad(`tensor ${name} has shape ${JSON.stringify(t.shape)}`);
    const off = t.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every(isCount) || off[0] > off[1])
      throw bad(`tensor ${name} has data_offsets ${JSON.stringify(off)}`);
    const shape = t.shape as number[];
    const nbytes = numelOf(shape) * DTYPE_BYTES[t.dtype];
    if (!Number.isSafeInteger(nbytes) || off[1] - off[0] !== nbytes)
      throw bad(`tensor ${name}: [${shape}] ${t.dtype} needs ${nbytes} bytes, data_offsets span ${off[1] - off[0]}`);
    tensors.push({ name, dtype: t.dtype, shape, begin: off[0], end: off[1] });
  }
  // The data must be tiled exactly: no overlap, no hole, nothing past the end or left over.
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  for (const t of sorted) {
    if (t.begin !== pos) throw bad(`tensor ${t.name} starts at ${t.begin}, expected ${pos} (overlapping or a hole)`);
    pos = t.end;
  }
  if (pos > dataLen)
    throw new CheckpointError('safetensors-truncated', `tensors need ${pos} data bytes, the file has ${dataLen}`, {
      file,
      hint: 'the file is truncated: download it again',
    });
  if (pos !== dataLen) throw bad(`${dataLen - pos} data bytes after the last tensor`);
  tensors.sort((a, b) => a.begin - b.begin);
  return { tensors, metadata, dataStart };
}

/** Open a safetensors file as a TensorSource (the header is read now, data on demand). */
export function openSafetensors(file: string): TensorTable & { metadata: Record<string, string> } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const header = parseSafetensorsHeader(fd, size, file);
    const table = Object.assign(new TensorTable(() => closeSync(fd)), { metadata: header.metadata });
    for (const t of header.tensors) {
      table.add({ name: t.name, dtype: t.dtype, shape: t.shape, location: file }, () =>
        readFully(fd, t.end - t.begin, header.dataStart + t.begin, file),
      );
    }
    return table;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
