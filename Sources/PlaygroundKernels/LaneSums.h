// Sums over sixteen fixed lanes combined in a fixed order, without contraction into fused
// multiply-adds: they vectorize, and every clone (AVX-512, AVX2, the baseline) and every thread
// count gives the same bits. Shared by group norm (GroupNorm.c) and batch norm (BatchNorm.c);
// private to PlaygroundKernels' C files.
#ifndef PLAYGROUND_LANE_SUMS_H
#define PLAYGROUND_LANE_SUMS_H

#include "VectorClones.h"

#pragma STDC FP_CONTRACT OFF

enum { lanes = 16 };

CLONE_HELPER float combine(const float *acc) {
  float a[8];
  for (int j = 0; j < 8; j++) a[j] = acc[j] + acc[j + 8];
  for (int j = 0; j < 4; j++) a[j] = a[j] + a[j + 4];
  return (a[0] + a[2]) + (a[1] + a[3]);
}

// Σ x[k] and Σ (x[k] − centre)², each over sixteen lanes.
CLONE_HELPER float lane_sum(const float *restrict x, long n, float centre, int squared) {
  float acc[lanes] = {0};
  long k = 0;
  for (; k + lanes <= n; k += lanes) {
    if (squared) {
      for (int j = 0; j < lanes; j++) {
        float d = x[k + j] - centre;
        acc[j] += d * d;
      }
    } else {
      for (int j = 0; j < lanes; j++) acc[j] += x[k + j];
    }
  }
  for (int j = 0; k < n; k++, j++) {
    float d = x[k] - centre;
    acc[j] += squared ? d * d : x[k];
  }
  return combine(acc);
}

// Σ a[k] · b[k] and Σ a[k], each over sixteen lanes.
CLONE_HELPER void lane_dot(const float *restrict a, const float *restrict b, long n,
                           float *restrict dot, float *restrict sum) {
  float p[lanes] = {0}, q[lanes] = {0};
  long k = 0;
  for (; k + lanes <= n; k += lanes) {
    for (int j = 0; j < lanes; j++) {
      p[j] += a[k + j] * b[k + j];
      q[j] += a[k + j];
    }
  }
  for (int j = 0; k < n; k++, j++) {
    p[j] += a[k] * b[k];
    q[j] += a[k];
  }
  *dot = combine(p);
  *sum = combine(q);
}

#endif
