/**
 * The kaiser engine (bioprobe's own resampler, the fallback where libsoxr is missing): its quality,
 * measured (figures also in docs/AUDIO.md). Defaults: soxr HQ's nominal edges, pass band to 0.913 x
 * the lower Nyquist, stop band from the lower Nyquist, 130 dB Kaiser design. Asserted here:
 *   - pass-band ripple <= 0.0001 dB for tones from 20 Hz to 0.9 x Nyquist (measured 1.1e-6 dB);
 *   - aliasing: tones between the new Nyquist and the old one come out >= 120 dB down (measured >= 129 dB),
 *     a 8 -> 22 kHz sweep through 44.1k -> 16k <= -120 dB (measured -140 dB);
 *   - residual after removing the fitted tone (imaging, aliasing, numerical noise) <= -120 dB (measured -138 dB);
 *   - a 50 Hz -> 7 kHz sweep equals the ideal 16 kHz sweep to -110 dB (measured -130 dB: zero delay, linear phase);
 *   - agreement with SoX `rate -v` (committed fixture) within 5e-6 away from the edges (measured 6.0e-7).
 * How far it is from libsoxr HQ (the exact engine, librosa's): test/audio/soxr.test.ts.
 * Rates: common ones, the odd ones of real collections (11127, 22000, 22255), 5 kHz and 192 kHz.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeAudio, Resampler, ResamplerCache } from '../../lib/audio/index.js';
import { fitTone, sine } from './wavbytes.js';

const OUT = 16000;
const RATES = [5000, 8000, 11025, 11127, 22000, 22050, 22255, 32000, 44100, 48000, 96000, 192000];

const db = (x: number) => 20 * Math.log10(x);

test('pass band: ripple <= 0.0001 dB up to 0.9 x Nyquist and residual <= -120 dB, every rate -> 16 kHz', (t) => {
  let worstRipple = 0,
    worstResidual = -Infinity;
  for (const rate of RATES) {
    const r = new Resampler(rate, OUT);
    const nyq = Math.min(rate, OUT) / 2;
    const n = Math.round(rate * 0.5);
    const edge = r.taps + 10; // output samples near the ends see the zeros outside the signal
    for (let k = 0; k <= 12; k++) {
      const f = 20 + (k / 12) * (0.9 * nyq - 20);
      const y = r.process(sine(f, rate, n, 0.5, 0.3));
      const e = Math.ceil((edge * OUT) / rate) + 2;
      const fit = fitTone(y, OUT, f, e, y.length - e);
      const ripple = Math.abs(db(fit.amplitude / 0.5));
      const residual = db(fit.residualRms / (0.5 / Math.SQRT2));
      worstRipple = Math.max(worstRipple, ripple);
      worstResidual = Math.max(worstResidual, residual);
      assert.ok(ripple <= 0.0001, `${rate} Hz, tone ${f.toFixed(0)} Hz: gain off by ${ripple.toExponential(2)} dB`);
      assert.ok(residual <= -120, `${rate} Hz, tone ${f.toFixed(0)} Hz: residual ${residual.toFixed(1)} dB`);
    }
  }
  t.diagnostic(`worst pass-band ripple ${worstRipple.toExponential(2)} dB, worst residual ${worstResidual.toFixed(1)} dB`);
});

test('stop band: tones above the new Nyquist are rejected by >= 120 dB (no aliasing)', (t) => {
  let weakest = Infinity;
  for (const rate of RATES.filter((r) => r > OUT)) {
    const r = new Resampler(rate, OUT);
    const n = Math.round(rate * 0.5);
    const e = Math.ceil(((r.taps + 10) * OUT) / rate) + 2;
    for (const f of [8000, 8100, 9000, 10000, 12000, 15000, 0.49 * rate, 0.45 * rate, 0.3 * rate]) {
      if (f >= rate / 2 || f < OUT / 2) continue;
      const y = r.process(sine(f, rate, n, 1, 0.7));
      let s = 0;
      for (let i = e; i < y.length - e; i++) s += y[i] * y[i];
      const rejection = -db(Math.sqrt(s / (y.length - 2 * e)) / Math.SQRT1_2);
      weakest = Math.min(weakest, rejection);
      assert.ok(rejection >= 120, `${rate} Hz, tone ${f.toFixed(0)} Hz: only ${rejection.toFixed(1)} dB down`);
    }
  }
  t.diagnostic(`weakest stop-band rejection ${weakest.toFixed(1)} dB`);
});

test('sweeps: a stop-band sweep vanishes, a pass-band sweep equals the ideal 16 kHz sweep (zero delay)', (t) => {
  const rate = 44100,
    seconds = 1;
  const r = new Resampler(rate, OUT);
  const sweep = (f0: number, f1: number, fs: number, n: number) => {
    const x = new Float32Array(n);
    const k = (f1 - f0) / seconds;
    for (let i = 0; i < n; i++) {
      const tt = i / fs;
      x[i] = 0.5 * Math.sin(2 * Math.PI * (f0 * tt + (k * tt * tt) / 2));
    }
    return x;
  };
  const e = 300;
  const stop = r.process(sweep(8000, 22000, rate, rate * seconds));
  let s = 0;
  for (let i = e; i < stop.length - e; i++) s += stop[i] * stop[i];
  const stopDb = db(Math.sqrt(s / (stop.length - 2 * e)) / (0.5 / Math.SQRT2));
  assert.ok(stopDb <= -120, `stop-band sweep leaks at ${stopDb.toFixed(1)} dB`);
  const pass = r.process(sweep(50, 7000, rate, rate * seconds));
  const ideal = sweep(50, 7000, OUT, pass.length);
  let m = 0;
  for (let i = e; i < pass.length - e; i++) m = Math.max(m, Math.abs(pass[i] - ideal[i]));
  const passDb = db(m / 0.5);
  assert.ok(passDb <= -110, `pass-band sweep deviates by ${passDb.toFixed(1)} dB`);
  t.diagnostic(`44.1k->16k sweeps: stop band ${stopDb.toFixed(1)} dB, pass band max error ${passDb.toFixed(1)} dB`);
});

test('exact rational ratios, output length ceil(n*out/in), identity, both engines and the interpolated kernel agree', () => {
  const r = new Resampler(44100, 16000);
  assert.deepEqual([r.up, r.down, r.mode], [160, 441, 'table']);
  assert.deepEqual([new Resampler(11127, 16000).up, new Resampler(22000, 16000).down], [16000, 11]);
  for (const n of [1, 2, 440, 441, 442, 44100, 100003]) assert.equal(r.outputLength(n), Math.ceil((n * 160) / 441));
  const x = sine(997, 44100, 30011, 0.8);
  const wasm = r.process(x);
  const js = new Resampler(44100, 16000, { engine: 'js' }).process(x);
  const interp = new Resampler(44100, 16000, { maxTable: 1000 });
  assert.equal(interp.mode, 'interpolated');
  const viaInterp = interp.process(x);
  let dJs = 0,
    dInterp = 0;
  for (let i = 0; i < wasm.length; i++) {
    dJs = Math.max(dJs, Math.abs(wasm[i] - js[i]));
    dInterp = Math.max(dInterp, Math.abs(wasm[i] - viaInterp[i]));
  }
  assert.ok(dJs < 2e-6, `wasm vs js ${dJs}`);
  assert.ok(dInterp < 2e-6, `table vs interpolated kernel ${dInterp}`);
  const same = new Resampler(16000, 16000).process(x);
  assert.deepEqual(same, x);
  assert.notEqual(same, x, 'identity returns a copy');
  // Blocked processing (the SIMD kernel works in blocks of 2^18 outputs) is seamless.
  const long = sine(440, 48000, 48000 * 12 + 5, 0.5);
  const y = new Resampler(48000, 16000).process(long);
  const yJs = new Resampler(48000, 16000, { engine: 'js' }).process(long);
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(y[i] - yJs[i]));
  assert.ok(d < 2e-6, `blocked vs plain ${d}`);
});

test('extreme rates (1 MHz, prime): interpolated kernel with a small table, still exact in the pass band', () => {
  const r = new Resampler(1_000_003, OUT);
  assert.equal(r.mode, 'interpolated');
  assert.ok((r as unknown as { table: Float32Array }).table.length < 1 << 20, 'table stays small for wide kernels');
  const y = r.process(sine(1000, 1_000_003, 50_000, 0.5));
  const e = Math.ceil((r.taps * OUT) / 1_000_003) + 2;
  const fit = fitTone(y, OUT, 1000, e, y.length - e);
  assert.ok(Math.abs(db(fit.amplitude / 0.5)) < 0.001 && db(fit.residualRms / (0.5 / Math.SQRT2)) < -100);
});

test('parity with SoX rate -v (very high quality) on a committed 44.1 kHz sweep', async () => {
  const dir = new URL('../fixtures/audio/', import.meta.url);
  const x = await decodeAudio(readFileSync(new URL('sweep-44100.wav', dir)), 'sweep-44100.wav');
  const ref = await decodeAudio(readFileSync(new URL('sweep-16000-sox.wav', dir)), 'sweep-16000-sox.wav');
  const y = new Resampler(44100, 16000).process(x.samples);
  assert.equal(y.length, ref.samples.length);
  let m = 0;
  for (let i = 200; i < y.length - 200; i++) m = Math.max(m, Math.abs(y[i] - ref.samples[i]));
  assert.ok(m < 5e-6, `max |bioprobe - sox| = ${m} away from the edges`);
});

test('ResamplerCache reuses tables and drops the least recently used beyond its byte budget', () => {
  const c = new ResamplerCache({ resampler: 'kaiser' }, 2_000_000); // 44.1k (160 x 544 x 4 B = 348 kB) and 11.025k (640 x 200 x 4 B = 512 kB) fit; 11127 (12.8 MB) does not
  const a = c.get(44100, 16000);
  assert.equal(c.get(44100, 16000), a, 'same instance');
  c.get(11025, 16000);
  c.get(44100, 16000); // now most recent
  assert.deepEqual(c.keys(), ['11025:16000', '44100:16000']);
  c.get(11127, 16000);
  assert.deepEqual(c.keys(), ['11127:16000'], 'over budget: older ones dropped, the new one kept');
  assert.ok(c.get(11127, 16000).tableBytes > 2_000_000);
});
