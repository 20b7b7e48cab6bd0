;; The polyphase resampler's inner loops in WebAssembly SIMD (f32x4), assembled by
;; tools/make_audio_wasm.sh into lib/audio/polyphase.wasm.ts (base64). No imports, one memory.
;;
;; run: starting from phase p = p0 and n0 = 0, for j in [0, nOut): y[j] = sum_k xp[n0 + 1 + k] * tab[p * stride + k], k < stride,
;;      then advance (n0, p) by (stepInt, stepFrac) modulo L. stride is a multiple of 8 (rows zero-padded).
;; All pointers are byte offsets into the exported memory; x is the zero-padded input.
(module
  (memory (export "memory") 1)
  (func (export "run")
    (param $tab i32) (param $x i32) (param $y i32) (param $nOut i32) (param $stride i32)
    (param $L i32) (param $stepInt i32) (param $stepFrac i32) (param $p0 i32)
    (local $j i32) (local $n0 i32) (local $p i32) (local $xa i32) (local $ha i32) (local $end i32)
    (local $acc0 v128) (local $acc1 v128) (local $s v128) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $p (local.get $p0))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $j) (local.get $nOut)))
        (local.set $xa (i32.add (local.get $x) (i32.shl (i32.add (local.get $n0) (i32.const 1)) (i32.const 2))))
        (local.set $ha (i32.add (local.get $tab) (i32.mul (local.get $p) (local.get $rowBytes))))
        (local.set $end (i32.add (local.get $ha) (local.get $rowBytes)))
        (local.set $acc0 (v128.const f32x4 0 0 0 0))
        (local.set $acc1 (v128.const f32x4 0 0 0 0))
        (block $innerDone
          (loop $inner
            (br_if $innerDone (i32.ge_u (local.get $ha) (local.get $end)))
            (local.set $acc0 (f32x4.add (local.get $acc0)
              (f32x4.mul (v128.load align=4 (local.get $xa)) (v128.load align=4 (local.get $ha)))))
            (local.set $acc1 (f32x4.add (local.get $acc1)
              (f32x4.mul (v128.load offset=16 align=4 (local.get $xa)) (v128.load offset=16 align=4 (local.get $ha)))))
            (local.set $xa (i32.add (local.get $xa) (i32.const 32)))
            (local.set $ha (i32.add (local.get $ha) (i32.const 32)))
            (br $inner)))
        (local.set $s (f32x4.add (local.get $acc0) (local.get $acc1)))
        (f32.store
          (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2)))
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
            (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))
        (local.set $n0 (i32.add (local.get $n0) (local.get $stepInt)))
        (local.set $p (i32.add (local.get $p) (local.get $stepFrac)))
        (if (i32.ge_u (local.get $p) (local.get $L))
          (then
            (local.set $p (i32.sub (local.get $p) (local.get $L)))
            (local.set $n0 (i32.add (local.get $n0) (i32.const 1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $outer)))))
