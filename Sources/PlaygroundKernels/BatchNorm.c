#include "LaneSums.h"
#include "LeakyReLU.h"
#include "PlaygroundKernels.h"
#include "VectorClones.h"

// Batch normalization over NCHW (plane = H·W) or NC (plane = 1) arrays, for the channels
// first..<last: threads split a call by channels. A channel's sum over one image's plane runs
// over sixteen lanes (LaneSums.h), then the images' sums are added in batch order; over NC
// arrays the batch is summed in order, the channels side by side. So results depend neither on
// the split nor on the vector width, and nothing is contracted into fused multiply-adds.

VECTOR_CLONES
void playground_channel_sums(const float *restrict x, const float *restrict centre,
                             float *restrict sums, long batch, long channels, long plane,
                             long first, long last) {
  for (long b = 0; b < batch; b++) {
    const float *image = x + b * channels * plane;
    if (plane == 1) {
      if (centre) {
        for (long c = first; c < last; c++) {
          float d = image[c] - centre[c];
          sums[c] += d * d;
        }
      } else {
        for (long c = first; c < last; c++) sums[c] += image[c];
      }
      continue;
    }
    for (long c = first; c < last; c++)
      sums[c] += lane_sum(image + c * plane, plane, centre ? centre[c] : 0, centre != 0);
  }
}

// y itself, or, with `rectify`, its leaky ReLU of `slope` (LeakyReLU.h).
CLONE_HELPER float rectified(float y, int rectify, float slope) {
  return rectify ? leaky_relu(y, slope) : y;
}

VECTOR_CLONES
void playground_batch_norm_forward(const float *restrict x, float *restrict xhat,
                                   float *restrict y, const float *restrict mean,
                                   const float *restrict inverse_std, const float *restrict gamma,
                                   const float *restrict beta, long batch, long channels,
                                   long plane, long first, long last, int rectify, float slope) {
  for (long b = 0; b < batch; b++) {
    if (plane == 1) {
      const float *xr = x + b * channels;
      float *hr = xhat + b * channels, *yr = y + b * channels;
      for (long c = first; c < last; c++) {
        float h = (xr[c] - mean[c]) * inverse_std[c];
        hr[c] = h;
        yr[c] = rectified(h * gamma[c] + beta[c], rectify, slope);
      }
      continue;
    }
    for (long c = first; c < last; c++) {
      long start = (b * channels + c) * plane;
      float m = mean[c], s = inverse_std[c], g = gamma[c], bb = beta[c];
      for (long k = start; k < start + plane; k++) {
        float h = (x[k] - m) * s;
        xhat[k] = h;
        y[k] = rectified(h * g + bb, rectify, slope);
      }
    }
  }
}

// dγ += Σ g·x̂ and dβ += Σ g per channel.
VECTOR_CLONES
void playground_batch_norm_parameter_gradients(const float *restrict g, const float *restrict xhat,
                                               float *restrict d_gamma, float *restrict d_beta,
                                               long batch, long channels, long plane, long first,
                                               long last) {
  for (long b = 0; b < batch; b++) {
    const long offset = b * channels * plane;
    if (plane == 1) {
      for (long c = first; c < last; c++) {
        d_gamma[c] += g[offset + c] * xhat[offset + c];
        d_beta[c] += g[offset + c];
      }
      continue;
    }
    for (long c = first; c < last; c++) {
      float dg, db;
      lane_dot(g + offset + c * plane, xhat + offset + c * plane, plane, &dg, &db);
      d_gamma[c] += dg;
      d_beta[c] += db;
    }
  }
}

// dx = scale·(g − mean_g − x̂·mean_gx) per channel (training) or scale·g (mean_g = NULL).
VECTOR_CLONES
void playground_batch_norm_input_gradient(const float *restrict g, const float *restrict xhat,
                                          float *restrict dx, const float *restrict scale,
                                          const float *restrict mean_g,
                                          const float *restrict mean_gx, long batch,
                                          long channels, long plane, long first, long last) {
  for (long b = 0; b < batch; b++) {
    if (plane == 1) {
      const float *gr = g + b * channels, *hr = xhat + b * channels;
      float *dr = dx + b * channels;
      if (mean_g) {
        for (long c = first; c < last; c++)
          dr[c] = scale[c] * (gr[c] - mean_g[c] - hr[c] * mean_gx[c]);
      } else {
        for (long c = first; c < last; c++) dr[c] = scale[c] * gr[c];
      }
      continue;
    }
    for (long c = first; c < last; c++) {
      long start = (b * channels + c) * plane;
      float s = scale[c];
      if (mean_g) {
        float mg = mean_g[c], mgx = mean_gx[c];
        for (long k = start; k < start + plane; k++) dx[k] = s * (g[k] - mg - xhat[k] * mgx);
      } else {
        for (long k = start; k < start + plane; k++) dx[k] = s * g[k];
      }
    }
  }
}
