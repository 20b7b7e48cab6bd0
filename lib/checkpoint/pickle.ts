/**
 * A restricted unpickler for checkpoint pickles (protocols 0-5 as torch.save and fairseq write them):
 * a stack machine that only builds data. Globals are classified by policy.ts at the moment they are named;
 * denied ones stop the load with an error naming them. Tensors come only from torch's rebuild functions,
 * over storages the caller resolves from persistent ids. No opcode ever imports or calls anything.
 */
import { CheckpointError } from '../util/errors.js';
import { classifyGlobal, normalizeModule, refusalHint } from './policy.js';
import { PyDict, PyGlobal, PyObject, TensorRef, toKey, type PyValue, type StorageRef } from './pyvalue.js';
import { describe, newObj, reduce } from './rebuild.js';

export interface UnpickleOptions {
  /** For error messages (the checkpoint file, and the entry inside it). */
  file: string;
  /** Resolves a persistent id (BINPERSID) to a storage; without it persistent ids are refused. */
  persistentLoad?: (pid: PyValue) => StorageRef;
}

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

export function unpickle(data: Uint8Array, opts: UnpickleOptions): PyValue {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const stack: Slot[] = [];
  const memo = new Map<number, PyValue>();
  let p = 0;
  const fail = (code: string, msg: string, hint?: string) => new CheckpointError(code, `pickle: ${msg}`, { file: opts.file, hint });
  const need = (n: number) => {
    if (n < 0 || p + n > buf.length)
      throw fail('pickle-truncated', `data ends inside an opcode at byte ${p}`, 'the file is truncated or corrupt');
  };
  const u8 = () => {
    need(1);
    return buf[p++];
  };
  const take = (n: number) => {
    need(n);
    const b = buf.subarray(p, p + n);
    p += n;
    return b;
  };
  const line = () => {
    const end = buf.indexOf(0x0a, p);
    if (end < 0) throw fail('pickle-truncated', `unterminated text opcode at byte ${p}`);
    const s = buf.toString('latin1', p, end);
    p = end + 1;
    return s;
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw fail('pickle-corrupt', `stack underflow at byte ${p}`);
    return v;
  };
  const popMark = (): PyValue[] => {
    let i = stack.length - 1;
    while (i >= 0 && stack[i] !== MARK) i--;
    if (i < 0) throw fail('pickle-corrupt', `no MARK on the stack at byte ${p}`);
    const items = stack.splice(i + 1) as PyValue[];
    stack.pop();
    return items;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw fail('pickle-corrupt', `empty stack at byte ${p}`);
    return v;
  };
  const int = (b: Buffer): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const len = (b: number | bigint) => {
    const n = Number(b);
    need(n);
    return n;
  };
  const global = (module: string, name: string): PyGlobal => {
    if (classifyGlobal(module, name) === 'denied') {
      const as = normalizeModule(module) === module ? '' : ` (written ${module}.${name})`;
      throw new CheckpointError('pickle-refused', `refuses global ${normalizeModule(module)}.${name}${as}`, {
        file: opts.file,
        hint: refusalHint(module, name),
      });
    }
    return new PyGlobal(normalizeModule(module), name);
  };
  const setItems = (target: PyValue, kv: PyValue[]) => {
    if (kv.length % 2) throw fail('pickle-corrupt', 'odd number of items for SETITEMS');
    const map = target instanceof PyDict ? target.map : target instanceof PyObject ? target.dictItems : undefined;
    if (!map) throw fail('pickle-corrupt', `SETITEM on a ${describe(target)}`);
    for (let i = 0; i < kv.length; i += 2) map.set(toKey(kv[i]), kv[i + 1]);
  };
  const append = (target: PyValue, items: PyValue[]) => {
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof PyObject) target.listItems.push(...items);
    else throw fail('pickle-corrupt', `APPEND on a ${describe(target)}`);
  };

  while (true) {
    const at = p;
    const op = u8();
    switch (op) {
      case 0x80:
        u8();
        break; // PROTO
      case 0x95:
        take(8);
        break; // FRAME
      case 0x2e: {
        // STOP
        const v = pop();
        return v;
      }
      case 0x28:
        stack.push(MARK);
        break;
      case 0x30:
        pop();
        break; // POP
      case 0x31:
        popMark();
        break; // POP_MARK
      case 0x32:
        stack.push(top());
        break; // DUP
      case 0x4a:
        stack.push(take(4).readInt32LE(0));
        break; // BININT
      case 0x4b:
        stack.push(u8());
        break; // BININT1
      case 0x4d:
        stack.push(take(2).readUInt16LE(0));
        break; // BININT2
      case 0x8a:
        stack.push(int(take(u8())));
        break; // LONG1
      case 0x8b:
        stack.push(int(take(len(take(4).readInt32LE(0)))));
        break; // LONG4
      case 0x49: {
        // INT (protocol 0; "00"/"01" are False/True)
        const s = line();
        stack.push(s === '00' ? false : s === '01' ? true : Number(s));
        break;
      }
      case 0x4c: {
        const s = line().replace(/L$/, '');
        const b = BigInt(s);
        stack.push(b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b);
        break;
      } // LONG
      case 0x47:
        stack.push(take(8).readDoubleBE(0));
        break; // BINFLOAT
      case 0x46:
        stack.push(Number(line()));
        break; // FLOAT
      case 0x58:
        stack.push(take(len(take(4).readUInt32LE(0))).toString('utf8'));
        break; // BINUNICODE
      case 0x8c:
        stack.push(take(u8()).toString('utf8'));
        break; // SHORT_BINUNICODE
      case 0x8d:
        stack.push(take(len(take(8).readBigUInt64LE(0))).toString('utf8'));
        break; // BINUNICODE8
      case 0x54:
        stack.push(take(len(take(4).readInt32LE(0))).toString('latin1'));
        break; // BINSTRING (py2 str)
      case 0x55:
        stack.push(take(u8()).toString('latin1'));
        break; // SHORT_BINSTRING
      case 0x42:
        stack.push(new Uint8Array(take(len(take(4).readUInt32LE(0)))));
        break; // BINBYTES
      case 0x43:
        stack.push(new Uint8Array(take(u8())));
        break; // SHORT_BINBYTES
      case 0x8e:
        stack.push(new Uint8Array(take(len(take(8).readBigUInt64LE(0)))));
        break; // BINBYTES8
      case 0x96:
        stack.push(new Uint8Array(take(len(take(8).readBigUInt64LE(0)))));
        break; // BYTEARRAY8
      case 0x4e:
        stack.push(null);
        break; // NONE
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x29:
        stack.push([]);
        break; // EMPTY_TUPLE
      case 0x74:
        stack.push(popMark());
        break; // TUPLE
      case 0x85:
        stack.push([pop()]);
        break;
      case 0x86: {
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x5d:
        stack.push([]);
        break; // EMPTY_LIST
      case 0x6c:
        stack.push(popMark());
        break; // LIST
      case 0x61: {
        const v = pop();
        append(top(), [v]);
        break;
      } // APPEND
      case 0x65: {
        const items = popMark();
        append(top(), items);
        break;
      } // APPENDS
      case 0x7d:
        stack.push(new PyDict());
        break; // EMPTY_DICT
      case 0x64: {
        const d = new PyDict();
        setItems(d, popMark());
        stack.push(d);
        break;
      } // DICT
      case 0x73: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      } // SETITEM
      case 0x75: {
        const kv = popMark();
        setItems(top(), kv);
        break;
      } // SETITEMS
      case 0x8f:
        stack.push(new Set());
        break; // EMPTY_SET
      case 0x90: {
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) throw fail('pickle-corrupt', 'ADDITEMS on a non-set');
        for (const x of items) s.add(toKey(x));
        break;
      }
      case 0x91:
        stack.push(new Set(popMark().map(toKey)));
        break; // FROZENSET
      case 0x63: {
        const m = line();
        const n = line();
        stack.push(global(m, n));
        break;
      } // GLOBAL
      case 0x93: {
        // STACK_GLOBAL
        const n = pop();
        const m = pop();
        if (typeof m !== 'string' || typeof n !== 'string') throw fail('pickle-corrupt', 'STACK_GLOBAL without two names');
        stack.push(global(m, n));
        break;
      }
      case 0x52: {
        const args = pop();
        const fn = pop();
        stack.push(reduce(fn, args, opts.file));
        break;
      } // REDUCE
      case 0x81: {
        const args = pop();
        const cls = pop();
        stack.push(newObj(cls, args, opts.file));
        break;
      } // NEWOBJ
      case 0x92: {
        pop();
        const args = pop();
        const cls = pop();
        stack.push(newObj(cls, args, opts.file));
        break;
      } // NEWOBJ_EX
      case 0x62: {
        // BUILD
        const state = pop();
        const obj = top();
        if (obj instanceof PyObject) obj.state = state;
        else if (obj instanceof PyDict) obj.attrs = state;
        else if (!(obj instanceof TensorRef)) throw fail('pickle-corrupt', `BUILD on a ${describe(obj)}`);
        break;
      }
      case 0x70:
        memo.set(Number(line()), top());
        break; // PUT
      case 0x71:
        memo.set(u8(), top());
        break; // BINPUT
      case 0x72:
        memo.set(take(4).readUInt32LE(0), top());
        break; // LONG_BINPUT
      case 0x94:
        memo.set(memo.size, top());
        break; // MEMOIZE
      case 0x67:
        stack.push(memoGet(memo, Number(line())));
        break; // GET
      case 0x68:
        stack.push(memoGet(memo, u8()));
        break; // BINGET
      case 0x6a:
        stack.push(memoGet(memo, take(4).readUInt32LE(0)));
        break; // LONG_BINGET
      case 0x51:
      case 0x50: {
        // BINPERSID, PERSID
        const pid = op === 0x51 ? pop() : line();
        if (!opts.persistentLoad) throw fail('pickle-persid', 'persistent id outside a torch archive');
        stack.push(opts.persistentLoad(pid));
        break;
      }
      case 0x69:
      case 0x6f:
        throw fail(
          'pickle-refused',
          `protocol-0/1 object construction (${op === 0x69 ? 'INST' : 'OBJ'}) is not read`,
          're-save the checkpoint with torch.save (protocol 2)',
        );
      case 0x82:
      case 0x83:
      case 0x84:
        throw fail('pickle-refused', 'copyreg extension codes (EXT1/2/4) are not read');
      case 0x97:
      case 0x98:
        throw fail('pickle-refused', 'out-of-band buffers (protocol 5) are not read');
      default:
        throw fail('pickle-opcode', `unknown opcode 0x${op.toString(16)} at byte ${at}`, 'the file is corrupt or not a pickle');
    }
    if (p > buf.length) throw fail('pickle-truncated', 'data ended early');
  }

  function memoGet(m: Map<number, PyValue>, k: number): PyValue {
    const v = m.get(k);
    if (v === undefined) throw fail('pickle-corrupt', `memo key ${k} was never stored`);
    return v;
  }
}
