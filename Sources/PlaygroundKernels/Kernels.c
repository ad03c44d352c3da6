#include "PlaygroundKernels.h"

// A square root without errno's side effect, so that the loop vectorizes without -fno-math-errno.
#if defined(__clang__)
#define SQRT(x) __builtin_elementwise_sqrt(x)
#else
#include <math.h>
#define SQRT(x) sqrtf(x)
#endif

#if defined(__x86_64__) && defined(__linux__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

VECTOR_CLONES
void playground_adam_update(float *restrict p, float *restrict m, float *restrict v,
                            const float *restrict g, long count, float beta1, float beta2,
                            float rate, float scale, float epsilon) {
  const float keep1 = 1.0f - beta1, keep2 = 1.0f - beta2;
  for (long i = 0; i < count; i++) {
    float mi = m[i] + (g[i] - m[i]) * keep1;
    float vi = v[i] + (g[i] * g[i] - v[i]) * keep2;
    m[i] = mi;
    v[i] = vi;
    p[i] -= rate * mi / (SQRT(vi) * scale + epsilon);
  }
}
