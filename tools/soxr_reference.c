/*
 * soxr "HQ" reference for test/audio (librosa.resample's default, res_type='soxr_hq', which the
 * paper's code used): mono float32 raw on stdin -> float32 raw on stdout, ceil(n * out / in) samples
 * like librosa (which pads or cuts soxr's output to that length). Build and use via
 * tools/make_audio_fixtures.sh (needs Debian's libsoxr-dev and gcc). Never used at run or test time.
 */
#include <math.h>
#include <soxr.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: soxr_reference IN_RATE OUT_RATE < in.f32 > out.f32\n"); return 2; }
  double in_rate = atof(argv[1]), out_rate = atof(argv[2]);
  size_t cap = 1 << 20, n = 0;
  float *x = malloc(cap * sizeof(float));
  size_t got;
  while ((got = fread(x + n, sizeof(float), cap - n, stdin)) > 0) {
    n += got;
    if (n == cap) x = realloc(x, (cap *= 2) * sizeof(float));
  }
  size_t olen = (size_t)ceil((double)n * out_rate / in_rate);
  float *y = calloc(olen, sizeof(float));
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
  size_t idone = 0, odone = 0;
  soxr_error_t err = soxr_oneshot(in_rate, out_rate, 1, x, n, &idone, y, olen, &odone, &io, &q, NULL);
  if (err) { fprintf(stderr, "soxr: %s\n", err); return 1; }
  fwrite(y, sizeof(float), olen, stdout);
  fprintf(stderr, "soxr HQ %g -> %g: %zu in, %zu out (%zu written by soxr)\n", in_rate, out_rate, n, olen, odone);
  return 0;
}
