/**
 * libsoxr (the system's shared library: Debian `libsoxr0`, Homebrew `libsoxr`) called through the
 * koffi FFI, exactly as the paper's preprocessing called it: `librosa.load(sr=16000)` ->
 * `librosa.resample(res_type='soxr_hq')` -> python-soxr's `resample()` -> libsoxr's HQ recipe.
 *
 * `resample` repeats python-soxr 1.x's `csoxr_divide_proc` call for call (soxr_create with
 * soxr_io_spec(FLOAT32_I, FLOAT32_I) and soxr_quality_spec(SOXR_HQ, 0); soxr_process over input
 * chunks of trunc(48000 * in / out) samples into an output buffer of trunc(n * out / in + 1); a
 * flush; soxr_delete), then librosa's `fix_length` to ceil(n * (out / in)) (zeros appended or the
 * tail cut). Same library, same calls, same float32 data: the same bits (tested against librosa).
 *
 * koffi is an optional dependency and libsoxr a system package: when either is missing,
 * `loadLibsoxr` says why and how to fix it, and the caller falls back (resampler.ts).
 */
import { createRequire } from 'node:module';

/** What the loaded library is; `core` is libsoxr's engine for the HQ recipe (e.g. `cr32s`: 32-bit float, SIMD). */
export interface LibsoxrInfo {
  /** e.g. `0.1.3` (from soxr_version(), "libsoxr-0.1.3"). */
  version: string;
  /** The name or path it was opened by. */
  path: string;
  core: string;
}

export interface Libsoxr extends LibsoxrInfo {
  /** Resample mono float32 `x` from inRate to outRate as librosa.resample(res_type='soxr_hq') does. */
  resample(x: Float32Array, inRate: number, outRate: number): Float32Array;
}

export type LibsoxrStatus = { ok: true; lib: Libsoxr } | { ok: false; reason: string; fix: string };

/** Environment variable naming the libsoxr file to open (any platform), tried alone when set. */
export const LIBSOXR_ENV = 'BIOPROBE_LIBSOXR';

/** The library's usual names; bare names go through the system loader's search path. */
export function libsoxrCandidates(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const given = env[LIBSOXR_ENV];
  if (given) return [given];
  if (platform === 'darwin') return ['libsoxr.0.dylib', '/opt/homebrew/lib/libsoxr.0.dylib', '/usr/local/lib/libsoxr.0.dylib'];
  if (platform === 'win32') return ['soxr.dll', 'libsoxr.dll'];
  return ['libsoxr.so.0', 'libsoxr.so'];
}

/** The package that provides libsoxr on this platform. */
export function libsoxrFix(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'brew install libsoxr';
  if (platform === 'win32') return `put soxr.dll on PATH, or set ${LIBSOXR_ENV}=C:\\path\\to\\soxr.dll`;
  return `apt-get install libsoxr0 (or your distribution's libsoxr package; or set ${LIBSOXR_ENV}=/path/to/libsoxr.so.0)`;
}

const SOXR_FLOAT32_I = 0;
const SOXR_HQ = 4;

/* The slice of koffi used here (its own typings are not needed at run time). */
type KoffiFn = (...args: unknown[]) => unknown;
interface KoffiLib {
  func(decl: string): KoffiFn;
  unload?(): void;
}
interface Koffi {
  load(path: string): KoffiLib;
  struct(name: string, fields: Record<string, string>): unknown;
  pointer(name: string, type: unknown): unknown;
  opaque(name?: string): unknown;
  version?: string;
}

let koffiTypes: Koffi | undefined;
/** koffi with soxr's types declared once (type names are global to koffi). */
function koffiWithTypes(): Koffi {
  if (koffiTypes) return koffiTypes;
  const koffi = createRequire(import.meta.url)('koffi') as Koffi;
  koffi.struct('soxr_io_spec_t', { itype: 'int', otype: 'int', scale: 'double', e: 'void *', flags: 'unsigned long' });
  koffi.struct('soxr_quality_spec_t', {
    precision: 'double',
    phase_response: 'double',
    passband_end: 'double',
    stopband_begin: 'double',
    e: 'void *',
    flags: 'unsigned long',
  });
  koffi.pointer('soxr_t', koffi.opaque('soxr'));
  koffiTypes = koffi;
  return koffi;
}

/** Bind the functions of one opened library. */
function bind(koffi: Koffi, path: string): Libsoxr {
  const lib = koffi.load(path);
  const version = lib.func('const char *soxr_version()');
  const ioSpec = lib.func('soxr_io_spec_t soxr_io_spec(int itype, int otype)');
  const qualitySpec = lib.func('soxr_quality_spec_t soxr_quality_spec(unsigned long recipe, unsigned long flags)');
  const create = lib.func(
    'soxr_t soxr_create(double irate, double orate, unsigned int nch, _Out_ const char **err, const soxr_io_spec_t *io, const soxr_quality_spec_t *q, void *rt)',
  );
  const process = lib.func(
    'const char *soxr_process(soxr_t s, const float *in, size_t ilen, void *idone, float *out, size_t olen, _Out_ size_t *odone)',
  );
  const engine = lib.func('const char *soxr_engine(soxr_t s)');
  const del = lib.func('void soxr_delete(soxr_t s)');
  const io = ioSpec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const q = qualitySpec(SOXR_HQ, 0);

  const open = (inRate: number, outRate: number): unknown => {
    const err: (string | null)[] = [null];
    const s = create(inRate, outRate, 1, err, io, q, null);
    if (err[0] || !s) throw new Error(`soxr_create(${inRate}, ${outRate}) failed: ${err[0] ?? 'no resampler'}`);
    return s;
  };

  const resample = (x: Float32Array, inRate: number, outRate: number): Float32Array => {
    const n = x.length;
    if (inRate === outRate) return x.slice(); // librosa.resample returns its input unchanged
    const want = Math.ceil(n * (outRate / inRate)); // librosa: int(np.ceil(n * ratio))
    const olen = Math.trunc((n * outRate) / inRate + 1); // python-soxr's output buffer
    const y = new Float32Array(Math.max(want, olen));
    const chunk = Math.trunc((48000 * inRate) / outRate); // python-soxr's input chunk
    const s = open(inRate, outRate);
    let done = 0;
    let err: unknown = null;
    try {
      const odone = [0];
      for (let i = 0; i < n; i += chunk) {
        err = process(s, x.subarray(i, Math.min(n, i + chunk)), Math.min(chunk, n - i), null, y.subarray(done), olen - done, odone) ?? err;
        done += Number(odone[0]);
      }
      err = process(s, null, 0, null, y.subarray(done), olen - done, odone) ?? err;
      done += Number(odone[0]);
    } finally {
      del(s);
    }
    if (err) throw new Error(`soxr_process(${inRate} -> ${outRate}) failed: ${String(err)}`);
    // fix_length: zeros after the resampler's output (y is zero-filled), or its tail cut
    return y.length === want ? y : y.slice(0, want);
  };

  const probe = open(44100, 16000);
  const core = String(engine(probe));
  del(probe);
  const v = String(version());
  return { version: v.replace(/^libsoxr-/, ''), path, core, resample };
}

const loaded = new Map<string, LibsoxrStatus>();

/**
 * Open libsoxr (first of `libsoxrCandidates` that loads) through koffi; the result, good or bad,
 * is kept for the process. Never throws: a missing koffi or library is `{ok: false, reason, fix}`.
 */
export function loadLibsoxr(env: NodeJS.ProcessEnv = process.env): LibsoxrStatus {
  const names = libsoxrCandidates(env);
  const key = names.join('\n');
  const hit = loaded.get(key);
  if (hit) return hit;
  let status: LibsoxrStatus;
  let koffi: Koffi | undefined;
  try {
    koffi = koffiWithTypes();
  } catch (err) {
    status = {
      ok: false,
      reason: `the koffi FFI package cannot be loaded (${firstLine(err)})`,
      fix: 'npm ci in the bioprobe folder (koffi is an optional dependency with prebuilt binaries for Linux, macOS and Windows)',
    };
  }
  if (koffi) {
    const errors: string[] = [];
    status = { ok: false, reason: '', fix: libsoxrFix() };
    for (const name of names) {
      try {
        status = { ok: true, lib: bind(koffi, name) };
        break;
      } catch (err) {
        errors.push(`${name}: ${firstLine(err)}`);
      }
    }
    if (!status.ok && env[LIBSOXR_ENV]) {
      status = {
        ok: false,
        reason: `${LIBSOXR_ENV}=${env[LIBSOXR_ENV]} cannot be opened (${errors.join('; ')})`,
        fix: `point ${LIBSOXR_ENV} at libsoxr or unset it; ${libsoxrFix()}`,
      };
    } else if (!status.ok) status.reason = `libsoxr not found (${errors.join('; ')})`;
  }
  loaded.set(key, status!);
  return status!;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
