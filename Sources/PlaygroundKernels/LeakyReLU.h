// The leaky ReLU of one value, shared by the activation on its own (Kernels.c) and batch norm
// followed by it (BatchNorm.c), which thus give the same bits. Private to PlaygroundKernels' C
// files.
#ifndef PLAYGROUND_LEAKY_RELU_H
#define PLAYGROUND_LEAKY_RELU_H

#include "VectorClones.h"

// x for x > 0, slope · x otherwise; a zero slope writes 0 (not −0, nor NaN for −∞).
CLONE_HELPER float leaky_relu(float x, float slope) {
  return x > 0.0f ? x : (slope == 0.0f ? 0.0f : slope * x);
}

#endif
