/**
 * The restricted unpickler: what torch.save'd files it refuses (made by tools/make_checkpoints_torchaudio.py
 * with pickle itself) and opcode-level cases built here byte by byte. Nothing is ever executed: a refusal
 * is a typed error naming the global and the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckpointError } from '../../lib/util/errors.js';
import { openCheckpoint, unpickle, PyDict, PyObject, PyGlobal, classifyGlobal, toPlain, type PyValue } from '../../lib/checkpoint/index.js';
import { fix } from './helpers.js';

function refused(fn: () => unknown, code: string, pattern: RegExp, file?: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CheckpointError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    if (file) assert.match(e.file ?? '', file);
    return true;
  });
}

test('os.system (pickled as posix.system) inside a state dict is refused at the GLOBAL, naming it and the file', () => {
  refused(
    () => openCheckpoint(fix('refuse', 'os_system.pt'), { config: fix('hf_wav2vec2_base', 'config.json') }),
    'pickle-refused',
    /posix\.system/,
    /os_system\.pt/,
  );
});

test('builtins.eval is refused', () => {
  refused(
    () => openCheckpoint(fix('refuse', 'builtins_eval.pt'), { config: fix('hf_wav2vec2_base', 'config.json') }),
    'pickle-refused',
    /builtins\.eval/,
    /builtins_eval\.pt/,
  );
});

test('a whole pickled nn.Module is refused with the hint to save its state_dict', () => {
  assert.throws(
    () => openCheckpoint(fix('refuse', 'whole_module.pt'), { config: fix('hf_wav2vec2_base', 'config.json') }),
    (e: unknown) => {
      assert.ok(e instanceof CheckpointError);
      assert.match(e.message, /torch\.nn\.modules\.linear\.Linear/);
      assert.match(e.hint ?? '', /state_dict/);
      return true;
    },
  );
});

test('code in a fairseq config part is refused too (only classes are read as data there)', () => {
  refused(() => openCheckpoint(fix('refuse', 'code_in_config.pt')), 'pickle-refused', /posix\.system/, /code_in_config\.pt/);
});

test('an unknown class: read as data in the config part, refused in the model part', () => {
  refused(() => openCheckpoint(fix('refuse', 'class_in_model.pt')), 'pickle-refused', /model\.x is a mylib\.models\.Custom/);
  // In the config part the same class is inert data; the file then fails only for its (meaningless) weights.
  refused(() => openCheckpoint(fix('refuse', 'class_in_config.pt')).canonical(), 'checkpoint-keys', /missing/);
});

test('the legacy (pre-1.6, non-zip) torch format is refused with a conversion hint', () => {
  assert.throws(
    () => openCheckpoint(fix('refuse', 'legacy.pt'), { config: fix('hf_wav2vec2_base', 'config.json') }),
    (e: unknown) => {
      assert.ok(e instanceof CheckpointError);
      assert.equal(e.code, 'torch-legacy');
      assert.match(e.hint ?? '', /torch >= 1\.6/);
      return true;
    },
  );
});

test('the omegaconf DictConfig, argparse.Namespace and plain-dict configs read as plain data', () => {
  const a = openCheckpoint(fix('fairseq_hubert_dictcfg'));
  const cfg = a.config.cfg as Record<string, any>;
  assert.equal(cfg.model._name, 'hubert');
  assert.equal(cfg.model.extractor_mode, 'default', 'an enum member (pickled by name) reads as its name');
  assert.deepEqual(cfg.model.latent_temp, [2, 0.5, 0.999995]);
  assert.deepEqual(cfg.task.labels, ['km']);
  a.close();
  const b = openCheckpoint(fix('fairseq_wav2vec2_args'));
  assert.equal((b.config.args as Record<string, unknown>).conv_feature_layers, '[(16, 10, 5)] + [(16, 3, 2)] * 4 + [(16, 2, 2)] * 2');
  assert.equal(b.config.cfg, null);
  b.close();
  const c = openCheckpoint(fix('fairseq_w2v_ctc_plaincfg'));
  assert.equal(((c.config.cfg as any).model.w2v_args.model as Record<string, unknown>).extractor_mode, 'layer_norm');
  c.close();
});

// ---- opcode-level cases ---------------------------------------------------------------------------------
const P = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const load = (b: Uint8Array): PyValue => unpickle(b, { file: 'x.pkl' });

test('GLOBAL/STACK_GLOBAL of code-running names is refused before anything else happens', () => {
  refused(() => load(P([0x80, 2], 'cbuiltins\neval\n', [0x29, 0x52, 0x2e])), 'pickle-refused', /builtins\.eval/, /x\.pkl/);
  refused(() => load(P([0x80, 4], [0x8c, 2], 'os', [0x94, 0x8c, 6], 'system', [0x94, 0x93], [0x2e])), 'pickle-refused', /os\.system/);
  refused(() => load(P('csubprocess\nPopen\n.')), 'pickle-refused', /subprocess\.Popen/);
  assert.equal(classifyGlobal('__builtin__', 'getattr'), 'opaque', 'getattr is kept inert (enums by name), never called');
  for (const [m, n] of [
    ['torch', 'load'],
    ['torch.jit', 'load'],
    ['numpy', 'load'],
    ['numpy.testing._private.utils', 'runstring'],
    ['builtins', 'exec'],
    ['builtins', '__import__'],
    ['functools', 'partial'],
    ['pickle', 'loads'],
    ['nt', 'system'],
  ]) {
    assert.equal(classifyGlobal(m, n), 'denied', `${m}.${n}`);
  }
});

test('plain data: protocol 2-5 opcodes, memo, big ints, floats, bytes, sets, OrderedDict', () => {
  const v = load(
    P(
      [0x80, 2],
      'ccollections\nOrderedDict\n',
      [0x71, 0],
      [0x29, 0x52, 0x71, 1, 0x28],
      [0x58, 1, 0, 0, 0],
      'a',
      [0x4a, 0xfe, 0xff, 0xff, 0xff], // 'a': -2
      [0x58, 1, 0, 0, 0],
      'b',
      [0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1], // 'b': 2**64
      [0x58, 1, 0, 0, 0],
      'c',
      [0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0], // 'c': 1.5
      [0x58, 1, 0, 0, 0],
      'd',
      [0x43, 2, 0xff, 0x00], // 'd': b'\xff\x00'
      [0x58, 1, 0, 0, 0],
      'e',
      [0x5d, 0x71, 2, 0x28, 0x88, 0x89, 0x4e, 0x68, 2, 0x65], // 'e': [True, False, None, <self-ref>]
      [0x58, 1, 0, 0, 0],
      'f',
      [0x8f, 0x28, 0x4b, 7, 0x4b, 8, 0x90], // 'f': {7, 8}
      [0x75, 0x2e],
    ),
  );
  assert.ok(v instanceof PyDict && v.ordered);
  assert.equal(v.get('a'), -2);
  assert.equal(v.get('b'), 2n ** 64n);
  assert.equal(v.get('c'), 1.5);
  assert.deepEqual([...(v.get('d') as Uint8Array)], [255, 0]);
  const e = v.get('e') as PyValue[];
  assert.deepEqual(e.slice(0, 3), [true, false, null]);
  assert.equal(e[3], e, 'memo shares the object');
  assert.deepEqual([...(v.get('f') as Set<number>)], [7, 8]);
});

test('protocol-0 text opcodes (INT as bool, LONG, FLOAT, STRING-free) and protocol-2 bytes via _codecs.encode', () => {
  assert.deepEqual(load(P('(I01\nI00\nI42\nL123L\nF0.25\nt.')), [true, false, 42, 123, 0.25]);
  assert.deepEqual(
    [
      ...(load(
        P('c_codecs\nencode\n', [0x58, 3, 0, 0, 0, 0x68, 0xc3, 0xbf], [0x58, 6, 0, 0, 0], 'latin1', [0x86, 0x52, 0x2e]),
      ) as Uint8Array),
    ],
    [104, 255],
  );
});

test('an unknown class is an inert record; getattr(Enum, name) reads as the name; toPlain breaks cycles', () => {
  const obj = load(P([0x80, 2], 'cmylib\nThing\n', [0x29, 0x81, 0x71, 0, 0x7d, 0x58, 4, 0, 0, 0], 'self', [0x68, 0, 0x73, 0x62, 0x2e]));
  assert.ok(obj instanceof PyObject);
  assert.ok(obj.cls instanceof PyGlobal && obj.cls.qualified === 'mylib.Thing');
  assert.deepEqual(toPlain(obj), { self: '<cycle>' });
  const en = load(P('c__builtin__\ngetattr\n', 'cmylib\nMode\n', [0x58, 4, 0, 0, 0], 'fast', [0x86, 0x52, 0x2e]));
  assert.equal(toPlain(en), 'fast');
});

test('malformed pickles give typed errors, never a crash or a hang', () => {
  refused(() => load(P([0x80, 2, 0x58, 9, 0, 0, 0], 'abc')), 'pickle-truncated', /ends inside an opcode/);
  refused(() => load(P([0x80, 2, 0x68, 5, 0x2e])), 'pickle-corrupt', /memo key 5/);
  refused(() => load(P([0x80, 2, 0xff])), 'pickle-opcode', /0xff/);
  refused(() => load(P([0x80, 2, 0x2e])), 'pickle-corrupt', /underflow/);
  refused(() => load(P("(cmylib\nA\nS'x'\ni.")), 'pickle-opcode', /0x53/); // STRING opcode is not read
  refused(() => load(P([0x80, 2, 0x82, 1, 0x2e])), 'pickle-refused', /EXT/);
  refused(() => load(P([0x80, 2, 0x4b, 1, 0x4b, 2, 0x52, 0x2e])), 'pickle-refused', /not a named function/);
  refused(() => load(P([0x80, 2, 0x4b, 1, 0x51, 0x2e])), 'pickle-persid', /persistent id/);
  refused(() => load(P('ctorch._utils\n_rebuild_tensor_v2\n', [0x28, 0x4b, 0, 0x5d, 0x5d])), 'pickle-truncated', /ends inside an opcode/); // cut without STOP
  refused(() => load(P('cos\nsys')), 'pickle-truncated', /unterminated/);
});
