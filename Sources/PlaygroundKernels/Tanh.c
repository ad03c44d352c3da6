// The hyperbolic tangent, vectorizable (glibc's tanhf is a scalar call per element, a fifth of a
// DCGAN generator's output layer), and its derivative from the output.
#include "PlaygroundKernels.h"
#include "SiLU.h"
#include "VectorClones.h"

// tanh x = sign(x) · (1 − 2 / (e^{2|x|} + 1)) for |x| ≥ 0.625, else Cephes' tanhf polynomial
// x + x³·P(x²) (relative error below 2e-7 on both sides, Moshier, 1992). Both branches are
// computed and one is kept, so the loop vectorizes; NaN takes the polynomial and stays NaN.
CLONE_HELPER float tanh_approx(float x) {
  float a = x < 0 ? -x : x;
  float far = 1.0f - 2.0f / (exp_approx(2.0f * a) + 1.0f);
  far = x < 0 ? -far : far;
  float z = x * x;
  float p = (((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z +
             1.33314422036e-1f) * z - 3.33332819422e-1f;
  float near = x + x * z * p;
  near = z == 0 ? x : near;  // ±0 keeps its sign
  return a >= 0.625f ? far : near;
}

VECTOR_CLONES
void playground_tanh(const float *restrict x, float *restrict y, long count) {
  for (long i = 0; i < count; i++) y[i] = tanh_approx(x[i]);
}

VECTOR_CLONES
void playground_tanh_backward(const float *restrict y, const float *restrict g,
                              float *restrict dx, long count) {
  for (long i = 0; i < count; i++) dx[i] = g[i] * (1 - y[i] * y[i]);
}
