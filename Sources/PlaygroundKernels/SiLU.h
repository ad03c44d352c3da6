// SiLU, x · σ(x), with an exponential of its own (so that loops over it vectorize and every
// clone rounds alike), and its derivative; shared by SiLU on its own (Resampling.c) and group
// norm followed by SiLU (GroupNorm.c), which thus give the same bits. Private to
// PlaygroundKernels' C files, which compile without contraction into fused multiply-adds.
#ifndef PLAYGROUND_SILU_H
#define PLAYGROUND_SILU_H

#include <stdint.h>
#include <string.h>

#include "VectorClones.h"

#pragma STDC FP_CONTRACT OFF

// eˣ for x in [−87, 88] (clamped outside): 2ⁿ · e^r with n = round(x / ln 2), |r| ≤ ln 2 / 2,
// e^r by Cephes' expf polynomial (relative error below 2e-7).
CLONE_HELPER float exp_approx(float x) {
  x = x > 88.0f ? 88.0f : (x < -87.0f ? -87.0f : x);
  float fn = x * 1.44269504088896341f;
  fn = fn >= 0 ? (float)(int32_t)(fn + 0.5f) : (float)(int32_t)(fn - 0.5f);
  float r = x - fn * 0.693359375f;
  r = r - fn * -2.12194440e-4f;
  float z = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * z + r + 1.0f;
  int32_t bits = ((int32_t)fn + 127) << 23;
  float scale;
  memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

// x · σ(x) = x / (1 + e⁻ˣ).
CLONE_HELPER float silu(float x) { return x / (1.0f + exp_approx(-x)); }

// g times SiLU's derivative at x: σ(x) · (1 + x · (1 − σ(x))).
CLONE_HELPER float silu_gradient(float x, float g) {
  float s = 1.0f / (1.0f + exp_approx(-x));
  return g * (s + x * s * (1.0f - s));
}

#endif
