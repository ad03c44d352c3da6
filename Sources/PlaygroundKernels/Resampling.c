// The U-Net's element-wise pieces over NCHW arrays: SiLU (SiLU.h), 2×2 average pooling and 2×
// nearest upsampling with their adjoints, and the addition of one vector per sample and channel.
#include "PlaygroundKernels.h"
#include "SiLU.h"
#include "VectorClones.h"

#include <stdint.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF

VECTOR_CLONES
void playground_silu(const float *restrict x, float *restrict y, long count) {
  for (long i = 0; i < count; i++) y[i] = silu(x[i]);
}

VECTOR_CLONES
void playground_silu_backward(const float *restrict x, const float *restrict g,
                              float *restrict dx, long count) {
  for (long i = 0; i < count; i++) dx[i] = silu_gradient(x[i], g[i]);
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
  long oh = height / 2, ow = width / 2;  // even height and width: every dx is written
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
void playground_add_plane_constants(const float *restrict x, const float *restrict v,
                                    float *restrict y, long planes, long plane) {
  for (long p = 0; p < planes; p++) {
    float c = v[p];
    const float *xp = x + p * plane;
    float *yp = y + p * plane;
    for (long k = 0; k < plane; k++) yp[k] = xp[k] + c;
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

// A stride-1 convolution to one output channel (a U-Net's last layer), where oneDNN falls back to
// a slow GEMM: for each input channel and kernel tap, a shifted row of the input times the tap's
// weight is added to the output row (vectorized along the row), in a fixed order.

static inline void tap_range(long shift, long in, long out, long *from, long *to) {
  *from = shift < 0 ? -shift : 0;
  *to = out < in - shift ? out : in - shift;
}

VECTOR_CLONES
void playground_conv_one_output(const float *restrict x, const float *restrict w, float bias,
                                float *restrict y, long samples, long channels, long height,
                                long width, long kernel, long padding) {
  long oh = height + 2 * padding - kernel + 1, ow = width + 2 * padding - kernel + 1;
  for (long n = 0; n < samples; n++) {
    float *yn = y + n * oh * ow;
    for (long k = 0; k < oh * ow; k++) yn[k] = bias;
    for (long c = 0; c < channels; c++) {
      const float *xc = x + (n * channels + c) * height * width;
      for (long ky = 0; ky < kernel; ky++) {
        long i0, i1;
        tap_range(ky - padding, height, oh, &i0, &i1);
        for (long kx = 0; kx < kernel; kx++) {
          float wv = w[(c * kernel + ky) * kernel + kx];
          long j0, j1;
          tap_range(kx - padding, width, ow, &j0, &j1);
          for (long i = i0; i < i1; i++) {
            const float *xr = xc + (i + ky - padding) * width + (kx - padding);
            float *yr = yn + i * ow;
            for (long j = j0; j < j1; j++) yr[j] += wv * xr[j];
          }
        }
      }
    }
  }
}

VECTOR_CLONES
void playground_conv_one_output_backward_data(const float *restrict g, const float *restrict w,
                                              float *restrict dx, long samples, long channels,
                                              long height, long width, long kernel,
                                              long padding) {
  long oh = height + 2 * padding - kernel + 1, ow = width + 2 * padding - kernel + 1;
  memset(dx, 0, sizeof(float) * samples * channels * height * width);
  for (long n = 0; n < samples; n++) {
    const float *gn = g + n * oh * ow;
    for (long c = 0; c < channels; c++) {
      float *dc = dx + (n * channels + c) * height * width;
      for (long ky = 0; ky < kernel; ky++) {
        long i0, i1;
        tap_range(ky - padding, height, oh, &i0, &i1);
        for (long kx = 0; kx < kernel; kx++) {
          float wv = w[(c * kernel + ky) * kernel + kx];
          long j0, j1;
          tap_range(kx - padding, width, ow, &j0, &j1);
          for (long i = i0; i < i1; i++) {
            float *dr = dc + (i + ky - padding) * width + (kx - padding);
            const float *gr = gn + i * ow;
            for (long j = j0; j < j1; j++) dr[j] += wv * gr[j];
          }
        }
      }
    }
  }
}

// dw[c][ky][kx] for channels [first, first + count): per tap, column partial sums over every
// sample and row (`columns` holds ow floats), then summed across the columns in order.
VECTOR_CLONES
void playground_conv_one_output_backward_weights(const float *restrict g,
                                                 const float *restrict x, float *restrict dw,
                                                 float *restrict columns, long samples,
                                                 long channels, long first, long count,
                                                 long height, long width, long kernel,
                                                 long padding) {
  long oh = height + 2 * padding - kernel + 1, ow = width + 2 * padding - kernel + 1;
  for (long c = first; c < first + count; c++) {
    for (long ky = 0; ky < kernel; ky++) {
      long i0, i1;
      tap_range(ky - padding, height, oh, &i0, &i1);
      for (long kx = 0; kx < kernel; kx++) {
        long j0, j1;
        tap_range(kx - padding, width, ow, &j0, &j1);
        for (long j = 0; j < ow; j++) columns[j] = 0;
        for (long n = 0; n < samples; n++) {
          const float *xc = x + (n * channels + c) * height * width;
          const float *gn = g + n * oh * ow;
          for (long i = i0; i < i1; i++) {
            const float *xr = xc + (i + ky - padding) * width + (kx - padding);
            const float *gr = gn + i * ow;
            for (long j = j0; j < j1; j++) columns[j] += gr[j] * xr[j];
          }
        }
        float total = 0;
        for (long j = 0; j < ow; j++) total += columns[j];
        dw[(c * kernel + ky) * kernel + kx] = total;
      }
    }
  }
}
