// Element-wise kernels of the optimizers, in C so that `restrict` lets the compiler vectorize
// them (Swift cannot promise that buffers do not overlap), with one clone per x86 vector width
// chosen at load time.
#ifndef PLAYGROUND_KERNELS_H
#define PLAYGROUND_KERNELS_H

/// One Adam step over `count` elements: m += (g − m)(1 − β₁); v += (g² − v)(1 − β₂);
/// p −= rate · m / (√v · scale + ε). The two Adam conventions differ only in `rate` and `scale`.
void playground_adam_update(float *restrict p, float *restrict m, float *restrict v,
                            const float *restrict g, long count, float beta1, float beta2,
                            float rate, float scale, float epsilon);

#endif
