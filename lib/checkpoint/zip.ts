/**
 * A read-only zip reader for torch.save files (and any zip with stored or deflated entries): reads the
 * central directory (zip64 included: files over 4 GB, over 65535 entries), then entries by offset
 * without loading the archive. torch writes storages uncompressed, so a tensor is one positioned read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { CheckpointError } from '../util/errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  headerOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** A u64 read as a JS number; refuses values past 2^53 (no real file is that large). */
function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('zip64 value out of range');
  return Number(v);
}

export class ZipReader {
  readonly file: string;
  readonly size: number;
  readonly entries = new Map<string, ZipEntry>();
  private fd: number;
  private dataStarts = new Map<string, number>();

  constructor(file: string) {
    this.file = file;
    this.fd = openSync(file, 'r');
    try {
      this.size = fstatSync(this.fd).size;
      this.readDirectory();
    } catch (e) {
      closeSync(this.fd);
      if (e instanceof CheckpointError) throw e;
      throw this.fail('zip-corrupt', `unreadable zip directory: ${(e as Error).message}`);
    }
  }

  private fail(code: string, message: string): CheckpointError {
    return new CheckpointError(code, message, { file: this.file, hint: 'the file is truncated or corrupt: download it again' });
  }

  /** Read exactly `length` bytes at `position` (throws on a short read: the file is truncated). */
  readAt(position: number, length: number): Buffer {
    if (position < 0 || length < 0 || position + length > this.size)
      throw this.fail('zip-truncated', `read of ${length} bytes at ${position} is past the end of the file (${this.size} bytes)`);
    const buf = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, position + done);
      if (n === 0) throw this.fail('zip-truncated', `file ended at ${position + done} while reading ${length} bytes at ${position}`);
      done += n;
    }
    return buf;
  }

  private readDirectory(): void {
    const tailLen = Math.min(this.size, 22 + 65535 + 20);
    if (this.size < 22) throw this.fail('zip-corrupt', 'too short to be a zip archive');
    const tail = this.readAt(this.size - tailLen, tailLen);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--)
      if (tail.readUInt32LE(i) === EOCD) {
        at = i;
        break;
      }
    if (at < 0) throw this.fail('zip-corrupt', 'no end-of-central-directory record (truncated or not a zip archive)');
    let count = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      if (at < 20 || tail.readUInt32LE(at - 20) !== ZIP64_LOCATOR) throw this.fail('zip-corrupt', 'zip64 end-of-directory locator missing');
      const z = this.readAt(u64(tail, at - 20 + 8), 56);
      if (z.readUInt32LE(0) !== ZIP64_EOCD) throw this.fail('zip-corrupt', 'zip64 end-of-directory record missing');
      count = u64(z, 32);
      cdSize = u64(z, 40);
      cdOffset = u64(z, 48);
    }
    if (cdOffset + cdSize > this.size)
      throw this.fail('zip-truncated', `central directory (${cdSize} bytes at ${cdOffset}) is past the end of the file`);
    const cd = this.readAt(cdOffset, cdSize);
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw this.fail('zip-corrupt', `central directory entry ${i} is damaged`);
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let compressedSize = cd.readUInt32LE(p + 20);
      let size = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let headerOffset = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
      // zip64 extended information: only the fields whose 32-bit value is saturated, in this order.
      let e = p + 46 + nameLen;
      const end = e + extraLen;
      while (e + 4 <= end) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (size === 0xffffffff) {
            size = u64(cd, q);
            q += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = u64(cd, q);
            q += 8;
          }
          if (headerOffset === 0xffffffff) {
            headerOffset = u64(cd, q);
            q += 8;
          }
        }
        e += 4 + len;
      }
      if (flags & 1) throw new CheckpointError('zip-encrypted', `zip entry ${name} is encrypted`, { file: this.file });
      if (method !== 0 && method !== 8)
        throw new CheckpointError('zip-method', `zip entry ${name} uses compression method ${method} (only stored and deflate are read)`, {
          file: this.file,
        });
      if (headerOffset + 30 + compressedSize > this.size)
        throw this.fail('zip-truncated', `entry ${name} (${compressedSize} bytes at ${headerOffset}) is past the end of the file`);
      this.entries.set(name, { name, method, crc, compressedSize, size, headerOffset });
      p = end + commentLen;
    }
  }

  /** Where an entry's bytes start (after its local header, whose extra field torch uses for alignment). */
  private dataStart(entry: ZipEntry): number {
    let s = this.dataStarts.get(entry.name);
    if (s === undefined) {
      const h = this.readAt(entry.headerOffset, 30);
      if (h.readUInt32LE(0) !== LOCAL) throw this.fail('zip-corrupt', `local header of ${entry.name} is damaged`);
      s = entry.headerOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
      if (s + entry.compressedSize > this.size) throw this.fail('zip-truncated', `entry ${entry.name} is past the end of the file`);
      this.dataStarts.set(entry.name, s);
    }
    return s;
  }

  get(name: string): ZipEntry {
    const e = this.entries.get(name);
    if (!e)
      throw new CheckpointError('zip-missing', `zip entry ${name} is missing`, { file: this.file, hint: 'the archive is incomplete' });
    return e;
  }

  /** An entry's whole content, CRC-checked. */
  read(name: string): Buffer {
    const e = this.get(name);
    const raw = this.readAt(this.dataStart(e), e.compressedSize);
    const data = e.method === 8 ? inflateRawSync(raw) : raw;
    if (data.length !== e.size) throw this.fail('zip-corrupt', `entry ${name} has ${data.length} bytes, its directory says ${e.size}`);
    if (crc32(data) !== e.crc) throw this.fail('zip-crc', `entry ${name} fails its CRC check`);
    return data;
  }

  /** `length` bytes of a stored entry from `offset` (a whole-entry read is CRC-checked). */
  readRange(name: string, offset: number, length: number): Buffer {
    const e = this.get(name);
    if (offset === 0 && length === e.size) return this.read(name);
    if (e.method !== 0) return this.read(name).subarray(offset, offset + length);
    if (offset < 0 || offset + length > e.size)
      throw this.fail('zip-range', `bytes ${offset}..${offset + length} are outside entry ${name} (${e.size} bytes)`);
    return this.readAt(this.dataStart(e) + offset, length);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** True when the file starts like a zip archive (local header magic). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}
