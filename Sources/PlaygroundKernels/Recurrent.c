#include <stdint.h>
#include <string.h>

#include "PlaygroundKernels.h"
#include "VectorClones.h"

// The cells of recurrent layers (tanh RNN, LSTM, GRU), forward and backward, one step for a
// whole batch. Gate rows are [batch, gates·hidden] in PyTorch's order (LSTM i, f, g, o; GRU
// r, z, n). exp and tanh are branch-free approximations (Cephes' polynomials, about 2 ulp) so
// that the loops vectorize; libm's tanhf alone took a quarter of an LSTM step.

static inline float bits_to_float(int32_t bits) {
  float value;
  memcpy(&value, &bits, sizeof value);
  return value;
}

// e^x for x in [−87.3, 88.7] (clamped outside): x = n·ln2 + r, e^r by a degree-6 polynomial.
static inline float exp_approx(float x) {
  x = x < -87.3f ? -87.3f : (x > 88.7f ? 88.7f : x);
  float n = __builtin_roundevenf(x * 1.44269504088896341f);
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  return p * bits_to_float(((int32_t)n + 127) << 23);
}

static inline float sigmoid_approx(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

// tanh: an odd polynomial below |x| = 0.625, 1 − 2/(e^{2|x|} + 1) above (with x's sign).
static inline float tanh_approx(float x) {
  float a = x < 0 ? -x : x;
  float z = x * x;
  float small = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z +
                  1.33314422036e-1f) * z - 3.33332819422e-1f) * z * x + x;
  float large = 1.0f - 2.0f / (exp_approx(2.0f * a) + 1.0f);
  large = x < 0 ? -large : large;
  return a < 0.625f ? small : large;
}

// pre: the step's pre-activations, both projections and both biases already summed.
VECTOR_CLONES
void playground_rnn_forward(const float *restrict pre, float *restrict h_next, long batch,
                            long hidden) {
  for (long i = 0; i < batch * hidden; i++) h_next[i] = tanh_approx(pre[i]);
}

VECTOR_CLONES
void playground_rnn_backward(const float *restrict h_next, const float *restrict dh,
                             float *restrict dgates, long batch, long hidden) {
  for (long i = 0; i < batch * hidden; i++) dgates[i] = dh[i] * (1.0f - h_next[i] * h_next[i]);
}

// pre: the step's gate pre-activations, both projections and both biases already summed.
VECTOR_CLONES
void playground_lstm_forward(const float *restrict pre, float *restrict gates,
                             const float *restrict c_prev, float *restrict c_next,
                             float *restrict h_next, long batch, long hidden) {
  const long h = hidden, g = 4 * hidden;
  for (long b = 0; b < batch; b++) {
    const float *x = pre + b * g;
    float *a = gates + b * g;
    const float *cp = c_prev + b * h;
    float *cn = c_next + b * h, *hn = h_next + b * h;
    for (long j = 0; j < h; j++) {
      float i = sigmoid_approx(x[j]);
      float f = sigmoid_approx(x[h + j]);
      float cand = tanh_approx(x[2 * h + j]);
      float o = sigmoid_approx(x[3 * h + j]);
      a[j] = i;
      a[h + j] = f;
      a[2 * h + j] = cand;
      a[3 * h + j] = o;
      float c = f * cp[j] + i * cand;
      cn[j] = c;
      hn[j] = o * tanh_approx(c);
    }
  }
}

// dh: the gradient of this step's hidden state; dc: of its cell state, replaced by the previous
// cell state's. dgates: the gradient of the gates' pre-activations.
VECTOR_CLONES
void playground_lstm_backward(const float *restrict gates, const float *restrict c_prev,
                              const float *restrict c_next, const float *restrict dh,
                              float *restrict dc, float *restrict dgates, long batch,
                              long hidden) {
  const long h = hidden, g = 4 * hidden;
  for (long b = 0; b < batch; b++) {
    const float *a = gates + b * g, *cp = c_prev + b * h, *cn = c_next + b * h;
    const float *d = dh + b * h;
    float *dcb = dc + b * h, *dx = dgates + b * g;
    for (long j = 0; j < h; j++) {
      float i = a[j], f = a[h + j], cand = a[2 * h + j], o = a[3 * h + j];
      float tc = tanh_approx(cn[j]);
      float total = dcb[j] + d[j] * o * (1.0f - tc * tc);
      dx[j] = total * cand * i * (1.0f - i);
      dx[h + j] = total * cp[j] * f * (1.0f - f);
      dx[2 * h + j] = total * i * (1.0f - cand * cand);
      dx[3 * h + j] = d[j] * tc * o * (1.0f - o);
      dcb[j] = total * f;
    }
  }
}

// hn_out: W_hn·h + b_hn, kept for the backward pass.
VECTOR_CLONES
void playground_gru_forward(const float *restrict gx, const float *restrict gh,
                            float *restrict gates, float *restrict hn_out,
                            const float *restrict h_prev, float *restrict h_next, long batch,
                            long hidden) {
  const long h = hidden, g = 3 * hidden;
  for (long b = 0; b < batch; b++) {
    const float *x = gx + b * g, *r = gh + b * g, *hp = h_prev + b * h;
    float *a = gates + b * g, *hn = hn_out + b * h, *out = h_next + b * h;
    for (long j = 0; j < h; j++) {
      float reset = sigmoid_approx(x[j] + r[j]);
      float z = sigmoid_approx(x[h + j] + r[h + j]);
      float n = tanh_approx(x[2 * h + j] + reset * r[2 * h + j]);
      a[j] = reset;
      a[h + j] = z;
      a[2 * h + j] = n;
      hn[j] = r[2 * h + j];
      out[j] = (1.0f - z) * n + z * hp[j];
    }
  }
}

// dh: in, the gradient of this step's hidden state; out, its direct part of the previous one's
// (z ⊙ dh). dgx, dgh: the gradients of the input and recurrent projections.
VECTOR_CLONES
void playground_gru_backward(const float *restrict gates, const float *restrict hn_in,
                             const float *restrict h_prev, float *restrict dh,
                             float *restrict dgx, float *restrict dgh, long batch, long hidden) {
  const long h = hidden, g = 3 * hidden;
  for (long b = 0; b < batch; b++) {
    const float *a = gates + b * g, *hn = hn_in + b * h, *hp = h_prev + b * h;
    float *d = dh + b * h, *dx = dgx + b * g, *dr = dgh + b * g;
    for (long j = 0; j < h; j++) {
      float reset = a[j], z = a[h + j], n = a[2 * h + j], dj = d[j];
      float dn = dj * (1.0f - z) * (1.0f - n * n);
      float dreset = dn * hn[j] * reset * (1.0f - reset);
      float dz = dj * (hp[j] - n) * z * (1.0f - z);
      dx[j] = dreset;
      dx[h + j] = dz;
      dx[2 * h + j] = dn;
      dr[j] = dreset;
      dr[h + j] = dz;
      dr[2 * h + j] = dn * reset;
      d[j] = dj * z;
    }
  }
}
