// Element-wise kernels of the optimizers and the hottest operations, in C so that `restrict` lets the compiler vectorize
// them (Swift cannot promise that buffers do not overlap), with one clone per x86 vector width
// chosen at load time.
#ifndef PLAYGROUND_KERNELS_H
#define PLAYGROUND_KERNELS_H

#include <stdint.h>

/// One Adam step over `count` elements: m += (g − m)(1 − β₁); v += (g² − v)(1 − β₂);
/// p −= rate · m / (√v · scale + ε). The two Adam conventions differ only in `rate` and `scale`.
void playground_adam_update(float *restrict p, float *restrict m, float *restrict v,
                            const float *restrict g, long count, float beta1, float beta2,
                            float rate, float scale, float epsilon);

/// y = x for x > 0, slope · x otherwise (0 when the slope is 0).
void playground_leaky_relu(const float *restrict x, float *restrict y, long count, float slope);

/// dx = g for x > 0, slope · g otherwise (0 when the slope is 0).
void playground_leaky_relu_backward(const float *restrict x, const float *restrict g,
                                    float *restrict dx, long count, float slope);

/// Max pooling of one H×W plane of floats, windows of `size` moved by `stride`, no padding:
/// `y` gets each window's maximum and `winners` its offset in the plane (the first maximal
/// pixel in row-major window order).
void playground_max_pool_plane(const float *restrict x, float *restrict y,
                               int32_t *restrict winners, long height, long width, long size,
                               long stride);

/// Max pooling's gradient: for each of `planes` planes, dx[plane][winners[o]] += g[o] over its
/// `out_plane` outputs, in order (`dx` holds `plane_size` values per plane).
void playground_max_pool_backward(float *restrict dx, const int32_t *restrict winners,
                                  const float *restrict g, long planes, long plane_size,
                                  long out_plane);

/// Σ x², Σ x: in 16 interleaved partial sums added pairwise (one fixed order, vectorized).
float playground_sum_of_squares(const float *restrict x, long count);
float playground_sum(const float *restrict x, long count);

/// One image plane's part of one im2col row (ConvolutionGeometry.swift): each output position's
/// pixel at kernel offset (i, j), 0 outside rows row_lo..<row_hi and columns col_lo..<col_hi.
void playground_im2col_plane(float *restrict out, const float *restrict plane, long width,
                             long out_height, long out_width, long stride, long padding, long i,
                             long j, long row_lo, long row_hi, long col_lo, long col_hi);

/// One image's convolution patches, [outHeight·outWidth, channels·kh·kw] (im2col transposed).
void playground_image_patches(float *restrict out, const float *restrict image, long channels,
                              long height, long width, long kernel_height, long kernel_width,
                              long stride, long padding, long out_height, long out_width);

/// g = delta · patches: [outputs, positions] · [positions, patch], summed over positions in order.
void playground_patch_gradient(float *restrict g, const float *restrict delta,
                               const float *restrict patches, long outputs, long positions,
                               long patch);

/// y += a · x.
void playground_axpy(float *restrict y, const float *restrict x, float a, long count);

/// q = clamp(round(x / scale), 0, 255), rounding half to even, NaN to 0 (ONNX's
/// QuantizeLinear to uint8 with zero point 0).
void playground_quantize_u8(const float *restrict x, unsigned char *restrict q, long count,
                            float scale);

/// x = q · scale for bytes q (pixels to floats, or dequantisation with zero point 0).
void playground_scale_bytes(const unsigned char *restrict q, float *restrict x, long count,
                            float scale);

/// Max pooling of `planes` H×W planes of bytes, windows of `size` moved by `stride`, no padding.
void playground_max_pool_u8(const unsigned char *restrict x, unsigned char *restrict y,
                            long planes, long height, long width, long size, long stride);

/// y = tanh x, relative error below 2e-7 (Tanh.c).
void playground_tanh(const float *restrict x, float *restrict y, long count);
/// dx = g · (1 − y²), the derivative of y = tanh x.
void playground_tanh_backward(const float *restrict y, const float *restrict g,
                              float *restrict dx, long count);

/// a += b.
void playground_add(float *restrict a, const float *restrict b, long count);
/// x[p, k] += bias[p mod channels] for the planes first..<last of an NCHW array (planes of
/// `plane` = H·W elements): a convolution's bias.
void playground_add_channel_bias(float *restrict x, const float *restrict bias, long first,
                                 long last, long channels, long plane);
/// y = a + b.
void playground_add_into(const float *restrict a, const float *restrict b, float *restrict y,
                         long count);

// Batch normalization over NCHW arrays (plane = H·W) or NC arrays (plane = 1), for the channels
// first..<last of `channels` (BatchNorm.c): a call may be split across threads by channels.

/// Per-channel sums of x (centre = NULL) or of (x − centre)², added to `sums`.
void playground_channel_sums(const float *restrict x, const float *restrict centre,
                             float *restrict sums, long batch, long channels, long plane,
                             long first, long last);

/// x̂ = (x − mean)·inverse_std and y = x̂·γ + β, per channel; with `rectify`, y is followed by a
/// leaky ReLU of `slope` (0: ReLU) with the bits of playground_leaky_relu.
void playground_batch_norm_forward(const float *restrict x, float *restrict xhat,
                                   float *restrict y, const float *restrict mean,
                                   const float *restrict inverse_std, const float *restrict gamma,
                                   const float *restrict beta, long batch, long channels,
                                   long plane, long first, long last, int rectify, float slope);

/// dγ += Σ g·x̂, dβ += Σ g, per channel.
void playground_batch_norm_parameter_gradients(const float *restrict g, const float *restrict xhat,
                                               float *restrict d_gamma, float *restrict d_beta,
                                               long batch, long channels, long plane, long first,
                                               long last);

/// dx = scale·(g − mean_g − x̂·mean_gx), or scale·g when mean_g is NULL, per channel.
void playground_batch_norm_input_gradient(const float *restrict g, const float *restrict xhat,
                                          float *restrict dx, const float *restrict scale,
                                          const float *restrict mean_g,
                                          const float *restrict mean_gx, long batch,
                                          long channels, long plane, long first, long last);


// Recurrent cells, one step for a batch (Recurrent.c). The RNN's and LSTM's forward steps read
// their pre-activations summed (both projections, both biases); the GRU's keeps them apart.
void playground_rnn_forward(const float *restrict pre, float *restrict h_next, long batch,
                            long hidden);
void playground_rnn_backward(const float *restrict h_next, const float *restrict dh,
                             float *restrict dgates, long batch, long hidden);
void playground_lstm_forward(const float *restrict pre, float *restrict gates,
                             const float *restrict c_prev, float *restrict c_next,
                             float *restrict h_next, long batch, long hidden);
void playground_lstm_backward(const float *restrict gates, const float *restrict c_prev,
                              const float *restrict c_next, const float *restrict dh,
                              float *restrict dc, float *restrict dgates, long batch, long hidden);
void playground_gru_forward(const float *restrict gx, const float *restrict gh,
                            float *restrict gates, float *restrict hn_out,
                            const float *restrict h_prev, float *restrict h_next, long batch,
                            long hidden);
void playground_gru_backward(const float *restrict gates, const float *restrict hn_in,
                             const float *restrict h_prev, float *restrict dh,
                             float *restrict dgx, float *restrict dgh, long batch, long hidden);

/// CRC-32C (Castagnoli) of `count` bytes, as TFRecord files check their records: the CPU's
/// crc32 instruction where it has one (SSE 4.2), else a table.
uint32_t playground_crc32c(const uint8_t *data, long count);
/// The same from the table alone (to check the instruction against it).
uint32_t playground_crc32c_portable(const uint8_t *data, long count);

/// CartPole-v1's constants (Gymnasium's names in CartPoleSettings.swift), in float64.
typedef struct {
  double gravity, cart_mass, pole_mass, half_length, force_magnitude, tau, x_threshold,
      theta_threshold;
} PlaygroundCartPolePhysics;

/// One Euler step of `count` cart-poles kept as four arrays of float64 (x, ẋ, θ, θ̇), in
/// Gymnasium's equations term for term. `actions[i]` is 0 (push left) or 1 (push right); a
/// cart-pole with `frozen[i] != 0` keeps its state (a vector environment resetting it) and
/// reports not terminated. `observations` gets the new state as float32, four per cart-pole;
/// `terminated[i]` whether it left the thresholds. sin θ and cos θ are the playground's own
/// (playground_sin, playground_cos), so that one cart-pole and a vector of them step alike.
void playground_cartpole_step(const PlaygroundCartPolePhysics *physics, double *restrict x,
                              double *restrict x_dot, double *restrict theta,
                              double *restrict theta_dot, const uint8_t *restrict actions,
                              const uint8_t *restrict frozen, float *restrict observations,
                              uint8_t *restrict terminated, long count);

/// A vector environment's bookkeeping after a step of `count` copies (VectorEnvironment.swift):
/// a copy that was `resetting` gets reward 0, step count 0 and neither flag; copy i otherwise
/// gets `step_rewards[i]`, one more step, `terminated` = `ended[i]`, `truncated` when it did
/// not terminate but reached `step_limit` steps; `resetting` then marks the copies whose
/// episode ended.
void playground_episode_clock(int64_t *restrict elapsed, uint8_t *restrict resetting,
                              double *restrict rewards, uint8_t *restrict terminated,
                              uint8_t *restrict truncated, const uint8_t *restrict ended,
                              const double *restrict step_rewards, int64_t step_limit,
                              long count);

/// sin x and cos x: minimax polynomials on |x| ≤ π/4 (fdlibm's coefficients), the C library
/// beyond; the same bits whichever vector width computes them. Measured against long double:
/// within 0.54 ulp for |x| ≤ 0.25 (a cart-pole's angles), 0.76 ulp up to π/4.
double playground_sin(double x);
double playground_cos(double x);

/// One dense layer of `seeds` independent networks of the same shape (StackedMLP.swift), for
/// each seed s: y[s] = x[s] · w[s] + b[s], then ReLU when `relu` is nonzero. x is
/// [seeds][rows][in], w [seeds][in][out] (the weight transposed), b [seeds][out], y
/// [seeds][rows][out]. Each seed's numbers are summed in one fixed order, whatever `seeds` is.
/// `scratch` holds 3 · max(rows, in, out)² floats.
void playground_stacked_dense_forward(const float *restrict x, const float *restrict w,
                                      const float *restrict b, float *restrict y,
                                      float *restrict scratch, long seeds, long rows, long in,
                                      long out, int relu);

/// The gradients of that layer for each seed, from `dy` (the gradient at its output before the
/// ReLU, [seeds][rows][out]): dw[s] = x[s]ᵀ · dy[s], db[s] = Σ rows dy[s], and — when `dx` is
/// not NULL — dx[s] = dy[s] · w[s]ᵀ, using `scratch` (4 · max(rows, in, out)² floats) for the
/// transposes.
void playground_stacked_dense_backward(const float *restrict x, const float *restrict w,
                                       const float *restrict dy, float *restrict dx,
                                       float *restrict dw, float *restrict db,
                                       float *restrict scratch, long seeds, long rows, long in,
                                       long out);

/// Group normalization of `samples` NCHW samples (GroupNorm.c): per sample and group of
/// channels / groups channels, x̂ = (x − mean) · inverse_std over the group's channels and
/// pixels (biased variance, + epsilon), y = x̂ · γ[c] + β[c], and with `then_silu` SiLU(y)
/// instead (the same bits as playground_silu after it); writes each group's mean and inverse
/// standard deviation ([samples][groups]).
void playground_group_norm_forward(const float *restrict x, float *restrict y,
                                   float *restrict mean, float *restrict inverse_std,
                                   const float *restrict gamma, const float *restrict beta,
                                   long samples, long channels, long groups, long plane,
                                   float epsilon, int then_silu);

/// Its backward pass from the output gradient g (with `then_silu`: d = g · SiLU'(y), y
/// recomputed, else d = g): each sample's Σ d·x̂ and Σ d per channel into dgamma and dbeta
/// ([samples][channels], to be summed over samples by the caller in a fixed order), and — when
/// dx is not NULL — dx = inverse_std · (d·γ − mean(d·γ) − x̂ · mean(d·γ·x̂)). With `then_silu`,
/// dx must not be NULL (it holds d in between); β is read only then.
void playground_group_norm_backward(const float *restrict x, const float *restrict g,
                                    const float *restrict mean,
                                    const float *restrict inverse_std,
                                    const float *restrict gamma, const float *restrict beta,
                                    float *restrict dx, float *restrict dgamma,
                                    float *restrict dbeta, long samples, long channels,
                                    long groups, long plane, int then_silu);

/// SiLU, x · σ(x) (Resampling.c), and its derivative times g: σ(x) · (1 + x · (1 − σ(x))).
void playground_silu(const float *restrict x, float *restrict y, long count);
void playground_silu_backward(const float *restrict x, const float *restrict g,
                              float *restrict dx, long count);

/// 2×2 average pooling, stride 2, of `planes` planes of height × width (even), and its adjoint.
void playground_average_pool2(const float *restrict x, float *restrict y, long planes,
                              long height, long width);
void playground_average_pool2_backward(const float *restrict g, float *restrict dx, long planes,
                                       long height, long width);

/// 2× nearest-neighbour upsampling of `planes` planes of height × width, and its adjoint (the sum
/// of each 2×2 block of the gradient).
void playground_upsample2(const float *restrict x, float *restrict y, long planes, long height,
                          long width);
void playground_upsample2_backward(const float *restrict g, float *restrict dx, long planes,
                                   long height, long width);

/// y[p][k] = x[p][k] + v[p] for each of `planes` planes of `plane` values, and the adjoint's
/// sums[p] = Σ g[p][k] (sixteen lanes in a fixed order).
void playground_add_plane_constants(const float *restrict x, const float *restrict v,
                                    float *restrict y, long planes, long plane);
void playground_plane_sums(const float *restrict g, float *restrict sums, long planes,
                           long plane);

/// A stride-1 convolution of NCHW `x` to one output channel (kernel × kernel taps, `padding`
/// zeros around), y = bias + Σ taps, summed channel by channel and tap by tap; its input
/// gradient; and its weight gradient for channels [first, first + count) using `columns`
/// (output-width floats) as scratch. Output size (height + 2·padding − kernel + 1) × (width + …).
void playground_conv_one_output(const float *restrict x, const float *restrict w, float bias,
                                float *restrict y, long samples, long channels, long height,
                                long width, long kernel, long padding);
void playground_conv_one_output_backward_data(const float *restrict g, const float *restrict w,
                                              float *restrict dx, long samples, long channels,
                                              long height, long width, long kernel,
                                              long padding);
void playground_conv_one_output_backward_weights(const float *restrict g,
                                                 const float *restrict x, float *restrict dw,
                                                 float *restrict columns, long samples,
                                                 long channels, long first, long count,
                                                 long height, long width, long kernel,
                                                 long padding);

#endif
