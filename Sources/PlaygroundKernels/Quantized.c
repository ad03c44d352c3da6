#include <stdint.h>

#include "PlaygroundKernels.h"
#include "VectorClones.h"

// The element-wise steps of int8 inference on 8-bit activations.

VECTOR_CLONES
void playground_quantize_u8(const float *restrict x, uint8_t *restrict q, long count,
                            float scale) {
  for (long i = 0; i < count; i++) {
    float v = x[i] / scale;
    v = v > 0.0f ? v : 0.0f;  // NaN goes to 0 too
    v = v < 255.0f ? v : 255.0f;
    // Adding 2^23 leaves no fraction bits: the sum is rounded to an integer, half to even.
    v = (v + 8388608.0f) - 8388608.0f;
    q[i] = (uint8_t)v;
  }
}

void playground_max_pool_u8(const uint8_t *restrict x, uint8_t *restrict y, long planes,
                            long height, long width, long size, long stride) {
  const long out_height = (height - size) / stride + 1, out_width = (width - size) / stride + 1;
  for (long p = 0; p < planes; p++) {
    const uint8_t *source = x + p * height * width;
    for (long oy = 0; oy < out_height; oy++) {
      for (long ox = 0; ox < out_width; ox++) {
        uint8_t best = 0;
        for (long i = 0; i < size; i++) {
          const uint8_t *row = source + (oy * stride + i) * width + ox * stride;
          for (long j = 0; j < size; j++) best = row[j] > best ? row[j] : best;
        }
        *y++ = best;
      }
    }
  }
}

VECTOR_CLONES
void playground_scale_bytes(const uint8_t *restrict q, float *restrict x, long count,
                            float scale) {
  for (long i = 0; i < count; i++) x[i] = (float)q[i] * scale;
}
