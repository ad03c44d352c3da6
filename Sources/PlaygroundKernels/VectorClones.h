// One clone of a function per x86 vector width (AVX-512, AVX2, the baseline), chosen when the
// library loads; elsewhere the function as it is. Private to PlaygroundKernels' C files.
#ifndef PLAYGROUND_VECTOR_CLONES_H
#define PLAYGROUND_VECTOR_CLONES_H

#if defined(__x86_64__) && defined(__linux__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

// A helper of a cloned function: inlined into each clone, so that it is compiled for that
// clone's vector width (a helper left out of line is compiled once, for the baseline).
#define CLONE_HELPER static inline __attribute__((always_inline))

#endif
