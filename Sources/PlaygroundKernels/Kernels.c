#include "LeakyReLU.h"
#include "PlaygroundKernels.h"
#include "VectorClones.h"

// A square root without errno's side effect, so that the loop vectorizes without -fno-math-errno.
#if defined(__clang__)
#define SQRT(x) __builtin_elementwise_sqrt(x)
#else
#include <math.h>
#define SQRT(x) sqrtf(x)
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

VECTOR_CLONES
void playground_leaky_relu(const float *restrict x, float *restrict y, long count, float slope) {
  for (long i = 0; i < count; i++) y[i] = leaky_relu(x[i], slope);
}

VECTOR_CLONES
void playground_leaky_relu_backward(const float *restrict x, const float *restrict g,
                                    float *restrict dx, long count, float slope) {
  if (slope == 0.0f) {
    for (long i = 0; i < count; i++) dx[i] = x[i] > 0.0f ? g[i] : 0.0f;
  } else {
    for (long i = 0; i < count; i++) dx[i] = x[i] > 0.0f ? g[i] : slope * g[i];
  }
}

VECTOR_CLONES
void playground_add(float *restrict a, const float *restrict b, long count) {
  for (long i = 0; i < count; i++) a[i] += b[i];
}

VECTOR_CLONES
void playground_add_channel_bias(float *restrict x, const float *restrict bias, long first,
                                 long last, long channels, long plane) {
  for (long p = first; p < last; p++) {
    const float b = bias[p % channels];
    float *xp = x + p * plane;
    for (long k = 0; k < plane; k++) xp[k] += b;
  }
}

VECTOR_CLONES
void playground_add_into(const float *restrict a, const float *restrict b, float *restrict y,
                         long count) {
  for (long i = 0; i < count; i++) y[i] = a[i] + b[i];
}

// Max pooling of one H×W plane: each output row starts from its windows' top-left pixels, then
// takes each other window position (i, j) in row-major order where it is strictly greater —
// branch-free selects across the row, which vectorize — so the winner is the first maximal
// pixel of its window, NaN never winning over a number already held.
VECTOR_CLONES
void playground_max_pool_plane(const float *restrict x, float *restrict y,
                               int32_t *restrict winners, long height, long width, long size,
                               long stride) {
  const long out_height = (height - size) / stride + 1, out_width = (width - size) / stride + 1;
  // Stride 1 on a small plane: every window anchored at each pixel of the rows that start one,
  // in one run of contiguous loads across rows (the anchors past a row's end are computed and
  // dropped), then the rows copied out.
  const long anchors = (out_height - 1) * width + out_width;
  if (stride == 1 && anchors <= 4096) {
    float best[4096];
    int32_t at[4096];
    for (int32_t k = 0; k < (int32_t)anchors; k++) {
      best[k] = x[k];
      at[k] = k;
    }
    for (long i = 0; i < size; i++) {
      for (long j = (i == 0 ? 1 : 0); j < size; j++) {
        const int32_t offset = (int32_t)(i * width + j);
        const float *restrict shifted = x + offset;
        for (int32_t k = 0; k < (int32_t)anchors; k++) {
          const int better = shifted[k] > best[k];
          best[k] = better ? shifted[k] : best[k];
          at[k] = better ? offset + k : at[k];
        }
      }
    }
    for (long oy = 0; oy < out_height; oy++) {
      for (long ox = 0; ox < out_width; ox++) {
        y[oy * out_width + ox] = best[oy * width + ox];
        winners[oy * out_width + ox] = at[oy * width + ox];
      }
    }
    return;
  }
  for (long oy = 0; oy < out_height; oy++) {
    float *restrict best = y + oy * out_width;
    int32_t *restrict at = winners + oy * out_width;
    const long top = oy * stride * width;
    for (long ox = 0; ox < out_width; ox++) {
      best[ox] = x[top + ox * stride];
      at[ox] = (int32_t)(top + ox * stride);
    }
    for (long i = 0; i < size; i++) {
      for (long j = (i == 0 ? 1 : 0); j < size; j++) {
        const int32_t offset = (int32_t)(top + i * width + j);
        const float *restrict row = x + offset;
        if (stride == 1) {  // contiguous loads
          for (int32_t ox = 0; ox < (int32_t)out_width; ox++) {
            const int better = row[ox] > best[ox];
            best[ox] = better ? row[ox] : best[ox];
            at[ox] = better ? offset + ox : at[ox];
          }
        } else {
          for (int32_t ox = 0; ox < (int32_t)out_width; ox++) {
            const float value = row[ox * stride];
            const int better = value > best[ox];
            best[ox] = better ? value : best[ox];
            at[ox] = better ? offset + ox * (int32_t)stride : at[ox];
          }
        }
      }
    }
  }
}

// Max pooling's gradient, each output's to its window's winner, in output order.
void playground_max_pool_backward(float *restrict dx, const int32_t *restrict winners,
                                  const float *restrict g, long planes, long plane_size,
                                  long out_plane) {
  for (long p = 0; p < planes; p++) {
    float *restrict target = dx + p * plane_size;
    for (long o = p * out_plane; o < (p + 1) * out_plane; o++) target[winners[o]] += g[o];
  }
}

// Σ x[i]·x[i] in 16 interleaved partial sums added pairwise at the end: a fixed order, so the
// same on every machine, and one that vectorizes without reassociating.
VECTOR_CLONES
float playground_sum_of_squares(const float *restrict x, long count) {
  float partial[16] = {0};
  long i = 0;
  for (; i + 16 <= count; i += 16)
    for (int k = 0; k < 16; k++) partial[k] += x[i + k] * x[i + k];
  for (; i < count; i++) partial[i % 16] += x[i] * x[i];
  for (int width = 8; width >= 1; width /= 2)
    for (int k = 0; k < width; k++) partial[k] += partial[k + width];
  return partial[0];
}

// Σ x[i], in the same order as playground_sum_of_squares.
VECTOR_CLONES
float playground_sum(const float *restrict x, long count) {
  float partial[16] = {0};
  long i = 0;
  for (; i + 16 <= count; i += 16)
    for (int k = 0; k < 16; k++) partial[k] += x[i + k];
  for (; i < count; i++) partial[i % 16] += x[i];
  for (int width = 8; width >= 1; width /= 2)
    for (int k = 0; k < width; k++) partial[k] += partial[k + width];
  return partial[0];
}

// y += a · x.
VECTOR_CLONES
void playground_axpy(float *restrict y, const float *restrict x, float a, long count) {
  for (long i = 0; i < count; i++) y[i] += a * x[i];
}

// One image plane's entries of one im2col row: for each output position (y, x), the pixel
// (y·stride − padding + i, x·stride − padding + j) of `plane`, or 0 in the padding. Rows
// row_lo..<row_hi and columns col_lo..<col_hi are those that fall inside the image.
VECTOR_CLONES
void playground_im2col_plane(float *restrict out, const float *restrict plane, long width,
                             long out_height, long out_width, long stride, long padding, long i,
                             long j, long row_lo, long row_hi, long col_lo, long col_hi) {
  for (long y = 0; y < out_height; y++) {
    float *restrict target = out + y * out_width;
    if (y < row_lo || y >= row_hi) {
      for (long x = 0; x < out_width; x++) target[x] = 0.0f;
      continue;
    }
    const float *restrict line = plane + (y * stride - padding + i) * width - padding + j;
    for (long x = 0; x < col_lo; x++) target[x] = 0.0f;
    if (stride == 1) {
      for (long x = col_lo; x < col_hi; x++) target[x] = line[x];
    } else if (stride == 2) {
      for (long x = col_lo; x < col_hi; x++) target[x] = line[2 * x];
    } else {
      for (long x = col_lo; x < col_hi; x++) target[x] = line[x * stride];
    }
    for (long x = col_hi; x < out_width; x++) target[x] = 0.0f;
  }
}

// One image's patches, a row per output position: row (y, x) holds, for each channel c and
// kernel offset (i, j), the pixel (c, y·stride − padding + i, x·stride − padding + j) or 0 in
// the padding — im2col transposed, for one image, so each kernel row is a contiguous copy.
// Those rows are a few floats long: copied with the width known to the compiler (see
// playground_image_patches), they are a move or two each, not a call to memcpy (what the
// compiler makes of a copy of unknown length: 10% of a private step).
CLONE_HELPER void copy_kernel_row(float *restrict target, const float *restrict line,
                                  long width) {
  for (long j = 0; j < width; j++) target[j] = line[j];
}

// playground_image_patches reads a padded image from a zero-padded copy on the stack, up to this
// many floats, so that every kernel row is one whole, branch-free copy; larger ones are clipped.
enum { PADDED_IMAGE_ON_STACK = 8192 };

// Patches read straight from the image: rows and columns outside it become zeros.
CLONE_HELPER void image_patches_clipped(float *restrict out, const float *restrict image,
                                        long channels, long height, long width,
                                        long kernel_height, long kernel_width, long stride,
                                        long padding, long out_height, long out_width) {
  const long patch = channels * kernel_height * kernel_width;
  for (long y = 0; y < out_height; y++) {
    for (long x = 0; x < out_width; x++) {
      float *restrict row = out + (y * out_width + x) * patch;
      const long top = y * stride - padding, left = x * stride - padding;
      // The kernel columns j_lo..<j_hi fall inside the image.
      const long j_lo = left < 0 ? -left : 0;
      const long j_hi = width - left < kernel_width ? width - left : kernel_width;
      for (long c = 0; c < channels; c++) {
        for (long i = 0; i < kernel_height; i++) {
          float *restrict target = row + (c * kernel_height + i) * kernel_width;
          const long source_row = top + i;
          if (source_row < 0 || source_row >= height || j_hi <= j_lo) {
            for (long j = 0; j < kernel_width; j++) target[j] = 0.0f;
            continue;
          }
          const float *restrict line = image + (c * height + source_row) * width + left;
          if (j_lo == 0 && j_hi == kernel_width) {
            copy_kernel_row(target, line, kernel_width);
            continue;
          }
          for (long j = 0; j < j_lo; j++) target[j] = 0.0f;
          for (long j = j_lo; j < j_hi; j++) target[j] = line[j];
          for (long j = j_hi; j < kernel_width; j++) target[j] = 0.0f;
        }
      }
    }
  }
}

// Patches of an image whose padding is already in it (`width` counts it): whole rows only.
CLONE_HELPER void image_patches_inside(
    float *restrict out, const float *restrict image, long channels, long height, long width,
    long kernel_height, long kernel_width, long stride, long out_height, long out_width) {
  const long patch = channels * kernel_height * kernel_width;
  for (long y = 0; y < out_height; y++) {
    for (long x = 0; x < out_width; x++) {
      float *restrict row = out + (y * out_width + x) * patch;
      const float *restrict corner = image + y * stride * width + x * stride;
      for (long c = 0; c < channels; c++) {
        for (long i = 0; i < kernel_height; i++) {
          copy_kernel_row(row + (c * kernel_height + i) * kernel_width,
                          corner + (c * height + i) * width, kernel_width);
        }
      }
    }
  }
}

// image_patches_inside with the usual kernel widths made constants, so that each row copy is a
// fixed-size move.
CLONE_HELPER void image_patches_of_width(
    float *restrict out, const float *restrict image, long channels, long height, long width,
    long kernel_height, long kernel_width, long stride, long out_height, long out_width) {
#define PATCHES_OF_WIDTH(w)                                                                        \
  image_patches_inside(out, image, channels, height, width, kernel_height, w, stride, out_height,  \
                       out_width)
  switch (kernel_width) {
  case 3: PATCHES_OF_WIDTH(3); return;
  case 4: PATCHES_OF_WIDTH(4); return;
  case 5: PATCHES_OF_WIDTH(5); return;
  case 8: PATCHES_OF_WIDTH(8); return;
  default: PATCHES_OF_WIDTH(kernel_width); return;
  }
#undef PATCHES_OF_WIDTH
}

VECTOR_CLONES
void playground_image_patches(float *restrict out, const float *restrict image, long channels,
                              long height, long width, long kernel_height, long kernel_width,
                              long stride, long padding, long out_height, long out_width) {
  if (padding == 0) {
    image_patches_of_width(out, image, channels, height, width, kernel_height, kernel_width, stride,
                           out_height, out_width);
    return;
  }
  const long padded_height = height + 2 * padding, padded_width = width + 2 * padding;
  if (channels * padded_height * padded_width > PADDED_IMAGE_ON_STACK) {
    image_patches_clipped(out, image, channels, height, width, kernel_height, kernel_width, stride,
                          padding, out_height, out_width);
    return;
  }
  float padded[PADDED_IMAGE_ON_STACK];
  for (long k = 0; k < channels * padded_height * padded_width; k++) padded[k] = 0.0f;
  for (long c = 0; c < channels; c++) {
    for (long y = 0; y < height; y++) {
      __builtin_memcpy(padded + (c * padded_height + y + padding) * padded_width + padding,
                       image + (c * height + y) * width, width * sizeof(float));
    }
  }
  image_patches_of_width(out, padded, channels, padded_height, padded_width, kernel_height,
                         kernel_width, stride, out_height, out_width);
}

// g[o][·] = Σ_l delta[o][l] · patches[l][·] for o < outputs, l < positions (in order): one
// image's weight gradient of a convolution, from its output gradient [outputs, positions] and
// its patches [positions, patch]. Blocks of two outputs × 64 columns stay in registers while
// the positions stream past; every element is summed over l in order whatever the blocking.
VECTOR_CLONES
void playground_patch_gradient(float *restrict g, const float *restrict delta,
                               const float *restrict patches, long outputs, long positions,
                               long patch) {
  long o = 0;
  for (; o + 2 <= outputs; o += 2) {
    const float *restrict d0 = delta + o * positions, *restrict d1 = d0 + positions;
    long p0 = 0;
    for (; p0 + 64 <= patch; p0 += 64) {
      float a0[64] = {0}, a1[64] = {0};
      for (long l = 0; l < positions; l++) {
        const float *restrict source = patches + l * patch + p0;
        const float x0 = d0[l], x1 = d1[l];
        for (int k = 0; k < 64; k++) {
          a0[k] += x0 * source[k];
          a1[k] += x1 * source[k];
        }
      }
      for (int k = 0; k < 64; k++) {
        g[o * patch + p0 + k] = a0[k];
        g[(o + 1) * patch + p0 + k] = a1[k];
      }
    }
    for (; p0 < patch; p0++) {
      float a0 = 0.0f, a1 = 0.0f;
      for (long l = 0; l < positions; l++) {
        a0 += d0[l] * patches[l * patch + p0];
        a1 += d1[l] * patches[l * patch + p0];
      }
      g[o * patch + p0] = a0;
      g[(o + 1) * patch + p0] = a1;
    }
  }
  for (; o < outputs; o++) {
    for (long p = 0; p < patch; p++) {
      float a = 0.0f;
      for (long l = 0; l < positions; l++) a += delta[o * positions + l] * patches[l * patch + p];
      g[o * patch + p] = a;
    }
  }
}
