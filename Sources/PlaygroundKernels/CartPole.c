// CartPole-v1's step over arrays of cart-poles (PlaygroundKernels.h), and the sine and cosine it
// uses. No contraction into fused multiply-adds: every clone (and every lane of a vector) rounds
// each operation alike, so a cart-pole steps to the same bits alone or in a vector of 1,024.
#include "PlaygroundKernels.h"
#include "VectorClones.h"

#include <math.h>

#pragma STDC FP_CONTRACT OFF

static const double quarter_pi = 0x1.921fb54442d18p-1;

// Minimax coefficients of sin x = x + x³·S(x²) and cos x = 1 − x²/2 + x⁴·C(x²) on |x| ≤ π/4,
// as published with fdlibm's kernels (|error| < 2⁻⁵⁸ for the polynomials).
static const double s1 = -1.66666666666666324348e-01, s2 = 8.33333333332248946124e-03,
                    s3 = -1.98412698298579493134e-04, s4 = 2.75573137070700676789e-06,
                    s5 = -2.50507602534068634195e-08, s6 = 1.58969099521155010221e-10;
static const double c1 = 4.16666666666666019037e-02, c2 = -1.38888888888741095749e-03,
                    c3 = 2.48015872894767294178e-05, c4 = -2.75573143513906633035e-07,
                    c5 = 2.08757232129817482790e-09, c6 = -1.13596475577881948265e-11;

static inline double sin_small(double x) {
  double z = x * x;
  double r = s2 + z * (s3 + z * (s4 + z * (s5 + z * s6)));
  return x + (z * x) * (s1 + z * r);
}

static inline double cos_small(double x) {
  double z = x * x;
  double r = z * (c1 + z * (c2 + z * (c3 + z * (c4 + z * (c5 + z * c6)))));
  double half = 0.5 * z;
  double w = 1.0 - half;
  // (1 − w) − z/2 is the rounding error of w, exactly (Sterbenz: w ≥ 1/2).
  return w + (((1.0 - w) - half) + z * r);
}

double playground_sin(double x) { return fabs(x) <= quarter_pi ? sin_small(x) : sin(x); }

double playground_cos(double x) { return fabs(x) <= quarter_pi ? cos_small(x) : cos(x); }

/// The step's constants, loaded once (so that no store to the arrays can seem to change them).
typedef struct {
  double total_mass, pole_mass_length, pole_mass, gravity, half_length, force, tau, x_limit,
      theta_limit;
} Constants;

static inline Constants constants_of(const PlaygroundCartPolePhysics *p) {
  Constants c = {p->pole_mass + p->cart_mass, p->pole_mass * p->half_length, p->pole_mass,
                 p->gravity, p->half_length, p->force_magnitude, p->tau, p->x_threshold,
                 p->theta_threshold};
  return c;
}

/// One cart-pole's step given sin θ and cos θ: Gymnasium's equations (Florian, 2007), term for
/// term and in its order.
static inline void step_one(Constants k, double sine, double cosine, long i, double *restrict x,
                            double *restrict x_dot, double *restrict theta,
                            double *restrict theta_dot, const uint8_t *restrict actions,
                            const uint8_t *restrict frozen, float *restrict observations,
                            uint8_t *restrict terminated) {
  double force = actions[i] == 1 ? k.force : -k.force;
  double w = theta_dot[i];
  double temp = (force + k.pole_mass_length * (w * w) * sine) / k.total_mass;
  double theta_acc = (k.gravity * sine - cosine * temp) /
                     (k.half_length * (4.0 / 3.0 - k.pole_mass * (cosine * cosine) / k.total_mass));
  double x_acc = temp - k.pole_mass_length * theta_acc * cosine / k.total_mass;
  int keep = frozen[i] != 0;
  double nx = keep ? x[i] : x[i] + k.tau * x_dot[i];
  double nv = keep ? x_dot[i] : x_dot[i] + k.tau * x_acc;
  double nt = keep ? theta[i] : theta[i] + k.tau * w;
  double nw = keep ? w : w + k.tau * theta_acc;
  x[i] = nx;
  x_dot[i] = nv;
  theta[i] = nt;
  theta_dot[i] = nw;
  observations[4 * i] = (float)nx;
  observations[4 * i + 1] = (float)nv;
  observations[4 * i + 2] = (float)nt;
  observations[4 * i + 3] = (float)nw;
  int outside = (nx < -k.x_limit) | (nx > k.x_limit) | (nt < -k.theta_limit) | (nt > k.theta_limit);
  terminated[i] = (uint8_t)(outside & !keep);
}

VECTOR_CLONES void playground_cartpole_step(const PlaygroundCartPolePhysics *p,
                                            double *restrict x, double *restrict x_dot,
                                            double *restrict theta, double *restrict theta_dot,
                                            const uint8_t *restrict actions,
                                            const uint8_t *restrict frozen,
                                            float *restrict observations,
                                            uint8_t *restrict terminated, long count) {
  const Constants k = constants_of(p);
  int beyond = 0;
  for (long i = 0; i < count; i++) beyond |= !(fabs(theta[i]) <= quarter_pi);
  if (!beyond) {  // every pole within π/4 of upright: the polynomials, vectorized
    for (long i = 0; i < count; i++)
      step_one(k, sin_small(theta[i]), cos_small(theta[i]), i, x, x_dot, theta, theta_dot,
               actions, frozen, observations, terminated);
  } else {
    for (long i = 0; i < count; i++)
      step_one(k, playground_sin(theta[i]), playground_cos(theta[i]), i, x, x_dot, theta,
               theta_dot, actions, frozen, observations, terminated);
  }
}

VECTOR_CLONES void playground_episode_clock(int64_t *restrict elapsed, uint8_t *restrict resetting,
                                            double *restrict rewards, uint8_t *restrict terminated,
                                            uint8_t *restrict truncated,
                                            const uint8_t *restrict ended,
                                            const double *restrict step_rewards,
                                            int64_t step_limit, long count) {
  for (long i = 0; i < count; i++) {
    int fresh = resetting[i] != 0;
    int done = (ended[i] != 0) & !fresh;
    int64_t steps = fresh ? 0 : elapsed[i] + 1;
    int cut = !done & !fresh & (steps >= step_limit);
    elapsed[i] = steps;
    rewards[i] = fresh ? 0.0 : step_rewards[i];
    terminated[i] = (uint8_t)done;
    truncated[i] = (uint8_t)cut;
    resetting[i] = (uint8_t)(done | cut);
  }
}
