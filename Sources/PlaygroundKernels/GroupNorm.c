// Group normalization (Wu & He, 2018) over NCHW arrays, forward and backward, for a range of
// samples at a time (the caller splits the batch across threads), optionally followed by SiLU in
// the same pass (with the bits of SiLU on its own: SiLU.h). Every sum runs over sixteen
// fixed lanes combined in a fixed order and nothing is contracted into fused multiply-adds, so
// each clone (AVX-512, AVX2, baseline) and each thread count gives the same bits.
#include "LaneSums.h"
#include "PlaygroundKernels.h"
#include "SiLU.h"
#include "VectorClones.h"

#pragma STDC FP_CONTRACT OFF

#if defined(__clang__)
#define SQRT(x) __builtin_elementwise_sqrt(x)
#else
#include <math.h>
#define SQRT(x) sqrtf(x)
#endif

// Σ g[k] · (x[k] − mean) · inverse_std and Σ g[k] over one plane.
CLONE_HELPER void plane_sums(const float *restrict g, const float *restrict x, long n,
                             float mean, float inverse_std, float *gx, float *gs) {
  float a[lanes] = {0}, b[lanes] = {0};
  long k = 0;
  for (; k + lanes <= n; k += lanes) {
    for (int j = 0; j < lanes; j++) {
      float h = (x[k + j] - mean) * inverse_std;
      a[j] += g[k + j] * h;
      b[j] += g[k + j];
    }
  }
  for (int j = 0; k < n; k++, j++) {
    float h = (x[k] - mean) * inverse_std;
    a[j] += g[k] * h;
    b[j] += g[k];
  }
  *gx = combine(a);
  *gs = combine(b);
}

VECTOR_CLONES
void playground_group_norm_forward(const float *restrict x, float *restrict y,
                                   float *restrict mean, float *restrict inverse_std,
                                   const float *restrict gamma, const float *restrict beta,
                                   long samples, long channels, long groups, long plane,
                                   float epsilon, int then_silu) {
  long per_group = channels / groups, length = per_group * plane;
  for (long s = 0; s < samples; s++) {
    for (long q = 0; q < groups; q++) {
      long chunk = s * groups + q;
      const float *xs = x + chunk * length;
      float *ys = y + chunk * length;
      float m = lane_sum(xs, length, 0, 0) / (float)length;
      float variance = lane_sum(xs, length, m, 1) / (float)length;
      float r = 1.0f / SQRT(variance + epsilon);
      mean[chunk] = m;
      inverse_std[chunk] = r;
      for (long c = 0; c < per_group; c++) {
        float scale = gamma[q * per_group + c], shift = beta[q * per_group + c];
        const float *xp = xs + c * plane;
        float *yp = ys + c * plane;
        for (long k = 0; k < plane; k++) yp[k] = (xp[k] - m) * r * scale + shift;
        if (then_silu)
          for (long k = 0; k < plane; k++) yp[k] = silu(yp[k]);
      }
    }
  }
}

// dx = inverse_std · (d·γ − mean_d − x̂ · mean_dh) over one group's planes, d being g or, when
// g is NULL, the gradient already in dx (overwritten in place). Two loops, not one over a
// pointer that may alias dx: the compiler vectorizes an aliased pair only after a runtime
// overlap check, which the in-place case fails.
CLONE_HELPER void group_input_gradient(const float *restrict xs, const float *restrict g,
                                       float *restrict dx, const float *restrict gamma,
                                       long per_group, long plane, float m, float r,
                                       float mean_d, float mean_dh) {
  for (long c = 0; c < per_group; c++) {
    float scale = gamma[c];
    const float *xp = xs + c * plane;
    float *dp = dx + c * plane;
    if (g) {
      const float *gp = g + c * plane;
      for (long k = 0; k < plane; k++) {
        float h = (xp[k] - m) * r;
        dp[k] = r * (gp[k] * scale - mean_d - h * mean_dh);
      }
    } else {
      for (long k = 0; k < plane; k++) {
        float h = (xp[k] - m) * r;
        dp[k] = r * (dp[k] * scale - mean_d - h * mean_dh);
      }
    }
  }
}

VECTOR_CLONES
void playground_group_norm_backward(const float *restrict x, const float *restrict g,
                                    const float *restrict mean,
                                    const float *restrict inverse_std,
                                    const float *restrict gamma, const float *restrict beta,
                                    float *restrict dx, float *restrict dgamma,
                                    float *restrict dbeta, long samples, long channels,
                                    long groups, long plane, int then_silu) {
  long per_group = channels / groups, length = per_group * plane;
  for (long s = 0; s < samples; s++) {
    for (long q = 0; q < groups; q++) {
      long chunk = s * groups + q;
      const float *xs = x + chunk * length, *gs = g + chunk * length;
      float m = mean[chunk], r = inverse_std[chunk];
      // mean over the group of dx̂ = d·γ and of dx̂·x̂, from each channel's plane sums; d is g,
      // or after SiLU g · SiLU'(y) with y recomputed as the forward pass computed it (into dx).
      float sum_d = 0, sum_dh = 0;
      for (long c = 0; c < per_group; c++) {
        long channel = q * per_group + c;
        const float *xp = xs + c * plane, *dp = gs + c * plane;
        if (then_silu) {
          float scale = gamma[channel], shift = beta[channel];
          float *sp = dx + chunk * length + c * plane;
          for (long k = 0; k < plane; k++)
            sp[k] = silu_gradient((xp[k] - m) * r * scale + shift, dp[k]);
          dp = sp;
        }
        float gx, gsum;
        plane_sums(dp, xp, plane, m, r, &gx, &gsum);
        dgamma[s * channels + channel] = gx;
        dbeta[s * channels + channel] = gsum;
        sum_d += gsum * gamma[channel];
        sum_dh += gx * gamma[channel];
      }
      if (!dx) continue;
      float mean_d = sum_d / (float)length, mean_dh = sum_dh / (float)length;
      float *ds = dx + chunk * length;
      group_input_gradient(xs, then_silu ? NULL : gs, ds, gamma + q * per_group, per_group,
                           plane, m, r, mean_d, mean_dh);
    }
  }
}
