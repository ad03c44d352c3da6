// Dense layers of many small networks at once (PlaygroundKernels.h): the products of a DQN
// trained on 32 seeds in one process. Each seed's sums run in the same order whatever the number
// of seeds, so a seed's numbers do not depend on the others in its batch.
#include "PlaygroundKernels.h"
#include "VectorClones.h"

enum { TILE_ROWS = 4, TILE_COLS = 32 };

/// C[rows, cols] = C + A[rows, inner] · B[inner, cols] (row-major, leading dimensions lda, ldb,
/// ldc), each element summed over `inner` in order. Tiles of 4 × 32 stay in registers.
CLONE_HELPER void product(const float *restrict a, long lda, const float *restrict b, long ldb,
                          float *restrict c, long ldc, long rows, long inner, long cols) {
  long r0 = 0;
  for (; r0 + TILE_ROWS <= rows; r0 += TILE_ROWS) {
    long c0 = 0;
    for (; c0 + TILE_COLS <= cols; c0 += TILE_COLS) {
      float acc[TILE_ROWS][TILE_COLS];
      for (int r = 0; r < TILE_ROWS; r++)
        for (int j = 0; j < TILE_COLS; j++) acc[r][j] = c[(r0 + r) * ldc + c0 + j];
      for (long k = 0; k < inner; k++) {
        const float *bk = b + k * ldb + c0;
        for (int r = 0; r < TILE_ROWS; r++) {
          float x = a[(r0 + r) * lda + k];
          for (int j = 0; j < TILE_COLS; j++) acc[r][j] += x * bk[j];
        }
      }
      for (int r = 0; r < TILE_ROWS; r++)
        for (int j = 0; j < TILE_COLS; j++) c[(r0 + r) * ldc + c0 + j] = acc[r][j];
    }
    for (long r = r0; r < r0 + TILE_ROWS; r++)
      for (long k = 0; k < inner; k++) {
        float x = a[r * lda + k];
        for (long j = c0; j < cols; j++) c[r * ldc + j] += x * b[k * ldb + j];
      }
  }
  for (long r = r0; r < rows; r++)
    for (long k = 0; k < inner; k++) {
      float x = a[r * lda + k];
      for (long j = 0; j < cols; j++) c[r * ldc + j] += x * b[k * ldb + j];
    }
}

/// `product` for a narrow C (fewer than 16 columns, e.g. two actions' Q-values) with many rows:
/// Cᵀ += Bᵀ · Aᵀ, so that the rows are the vectorized dimension. `scratch` holds
/// (inner + cols) · rows + cols · inner floats.
CLONE_HELPER void narrow_product(
    const float *restrict a, long lda, const float *restrict b, long ldb, float *restrict c,
    long ldc, long rows, long inner, long cols, float *restrict scratch) {
  if (cols >= 16 || rows < 16) {
    product(a, lda, b, ldb, c, ldc, rows, inner, cols);
    return;
  }
  float *at = scratch, *bt = at + inner * rows, *ct = bt + cols * inner;
  for (long r = 0; r < rows; r++)
    for (long k = 0; k < inner; k++) at[k * rows + r] = a[r * lda + k];
  for (long k = 0; k < inner; k++)
    for (long j = 0; j < cols; j++) bt[j * inner + k] = b[k * ldb + j];
  for (long r = 0; r < rows; r++)
    for (long j = 0; j < cols; j++) ct[j * rows + r] = c[r * ldc + j];
  product(bt, inner, at, rows, ct, rows, cols, inner, rows);
  for (long r = 0; r < rows; r++)
    for (long j = 0; j < cols; j++) c[r * ldc + j] = ct[j * rows + r];
}

VECTOR_CLONES void playground_stacked_dense_forward(const float *restrict x,
                                                    const float *restrict w,
                                                    const float *restrict b, float *restrict y,
                                                    float *restrict scratch, long seeds,
                                                    long rows, long in, long out, int relu) {
  for (long s = 0; s < seeds; s++) {
    const float *xs = x + s * rows * in, *ws = w + s * in * out, *bs = b + s * out;
    float *ys = y + s * rows * out;
    for (long i = 0; i < rows; i++)
      for (long o = 0; o < out; o++) ys[i * out + o] = bs[o];
    narrow_product(xs, in, ws, out, ys, out, rows, in, out, scratch);
    if (relu)
      for (long j = 0; j < rows * out; j++) ys[j] = ys[j] > 0 ? ys[j] : 0;
  }
}

VECTOR_CLONES void playground_stacked_dense_backward(const float *restrict x,
                                                     const float *restrict w,
                                                     const float *restrict dy,
                                                     float *restrict dx, float *restrict dw,
                                                     float *restrict db,
                                                     float *restrict scratch, long seeds,
                                                     long rows, long in, long out) {
  for (long s = 0; s < seeds; s++) {
    const float *xs = x + s * rows * in, *ws = w + s * in * out, *dys = dy + s * rows * out;
    float *dws = dw + s * in * out, *dbs = db + s * out;
    for (long o = 0; o < out; o++) dbs[o] = 0;
    for (long i = 0; i < rows; i++)
      for (long o = 0; o < out; o++) dbs[o] += dys[i * out + o];
    // dw = xᵀ · dy, with xᵀ in the scratch (past it, narrow_product's).
    for (long i = 0; i < rows; i++)
      for (long k = 0; k < in; k++) scratch[k * rows + i] = xs[i * in + k];
    for (long j = 0; j < in * out; j++) dws[j] = 0;
    narrow_product(scratch, rows, dys, out, dws, out, in, rows, out, scratch + in * rows);
    if (!dx) continue;
    // dx = dy · wᵀ, with wᵀ in the scratch.
    for (long k = 0; k < in; k++)
      for (long o = 0; o < out; o++) scratch[o * in + k] = ws[k * out + o];
    float *dxs = dx + s * rows * in;
    for (long j = 0; j < rows * in; j++) dxs[j] = 0;
    product(dys, out, scratch, in, dxs, in, rows, out, in);
  }
}
