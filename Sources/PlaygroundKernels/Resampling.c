// The U-Net's element-wise pieces over NCHW arrays: SiLU with an exponential of its own (so that
// the loop vectorizes and every clone rounds alike), 2×2 average pooling and 2× nearest
// upsampling with their adjoints, and the addition of one vector per sample and channel.
#include "PlaygroundKernels.h"
#include "VectorClones.h"

#include <stdint.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF

// eˣ for x in [−87, 88] (clamped outside): 2ⁿ · e^r with n = round(x / ln 2), |r| ≤ ln 2 / 2,
// e^r by Cephes' expf polynomial (relative error below 2e-7).
static inline float exp_approx(float x) {
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

VECTOR_CLONES
void playground_silu(const float *restrict x, float *restrict y, long count) {
  for (long i = 0; i < count; i++) y[i] = x[i] / (1.0f + exp_approx(-x[i]));
}

VECTOR_CLONES
void playground_silu_backward(const float *restrict x, const float *restrict g,
                              float *restrict dx, long count) {
  for (long i = 0; i < count; i++) {
    float s = 1.0f / (1.0f + exp_approx(-x[i]));
    dx[i] = g[i] * (s + x[i] * s * (1.0f - s));
  }
}

VECTOR_CLONES
void playground_average_pool2(const float *restrict x, float *restrict y, long planes,
                              long height, long width) {
  long oh = height / 2, ow = width / 2;
  for (long p = 0; p < planes; p++) {
    const float *xp = x + p * height * width;
    float *yp = y + p * oh * ow;
    for (long i = 0; i < oh; i++) {
      const float *a = xp + 2 * i * width, *b = a + width;
      for (long j = 0; j < ow; j++)
        yp[i * ow + j] = ((a[2 * j] + a[2 * j + 1]) + (b[2 * j] + b[2 * j + 1])) * 0.25f;
    }
  }
}

VECTOR_CLONES
void playground_average_pool2_backward(const float *restrict g, float *restrict dx, long planes,
                                       long height, long width) {
  long oh = height / 2, ow = width / 2;
  memset(dx, 0, sizeof(float) * planes * height * width);
  for (long p = 0; p < planes; p++) {
    const float *gp = g + p * oh * ow;
    float *dp = dx + p * height * width;
    for (long i = 0; i < oh; i++) {
      for (long j = 0; j < ow; j++) {
        float v = gp[i * ow + j] * 0.25f;
        dp[2 * i * width + 2 * j] = v;
        dp[2 * i * width + 2 * j + 1] = v;
        dp[(2 * i + 1) * width + 2 * j] = v;
        dp[(2 * i + 1) * width + 2 * j + 1] = v;
      }
    }
  }
}

VECTOR_CLONES
void playground_upsample2(const float *restrict x, float *restrict y, long planes, long height,
                          long width) {
  long ow = 2 * width;
  for (long p = 0; p < planes; p++) {
    const float *xp = x + p * height * width;
    float *yp = y + p * 4 * height * width;
    for (long i = 0; i < height; i++) {
      float *row = yp + 2 * i * ow;
      for (long j = 0; j < width; j++) row[2 * j] = row[2 * j + 1] = xp[i * width + j];
      memcpy(row + ow, row, sizeof(float) * ow);
    }
  }
}

VECTOR_CLONES
void playground_upsample2_backward(const float *restrict g, float *restrict dx, long planes,
                                   long height, long width) {
  long ow = 2 * width;
  for (long p = 0; p < planes; p++) {
    const float *gp = g + p * 4 * height * width;
    float *dp = dx + p * height * width;
    for (long i = 0; i < height; i++) {
      const float *a = gp + 2 * i * ow, *b = a + ow;
      for (long j = 0; j < width; j++)
        dp[i * width + j] = (a[2 * j] + a[2 * j + 1]) + (b[2 * j] + b[2 * j + 1]);
    }
  }
}

VECTOR_CLONES
void playground_add_plane_constants(float *restrict x, const float *restrict v, long planes,
                                    long plane) {
  for (long p = 0; p < planes; p++) {
    float c = v[p];
    float *xp = x + p * plane;
    for (long k = 0; k < plane; k++) xp[k] += c;
  }
}

VECTOR_CLONES
void playground_plane_sums(const float *restrict g, float *restrict sums, long planes,
                           long plane) {
  for (long p = 0; p < planes; p++) {
    const float *gp = g + p * plane;
    float acc[16] = {0};
    long k = 0;
    for (; k + 16 <= plane; k += 16)
      for (int j = 0; j < 16; j++) acc[j] += gp[k + j];
    for (int j = 0; k < plane; k++, j++) acc[j] += gp[k];
    float a[8];
    for (int j = 0; j < 8; j++) a[j] = acc[j] + acc[j + 8];
    for (int j = 0; j < 4; j++) a[j] = a[j] + a[j + 4];
    sums[p] = (a[0] + a[2]) + (a[1] + a[3]);
  }
}
