#include <stddef.h>
#include <stdint.h>

#include "PlaygroundKernels.h"

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord files use it: with the
// CPU's crc32 instruction (SSE 4.2) where it has one, else eight bits at a time from a table.

static uint32_t crc32c_table[256];

static void crc32c_make_table(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    crc32c_table[n] = c;
  }
}

static uint32_t crc32c_portable(uint32_t crc, const uint8_t *data, size_t count) {
  static int ready = 0;
  if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
    crc32c_make_table();  // the same values from any thread: a race writes them twice
    __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
  }
  for (size_t i = 0; i < count; i++) crc = crc32c_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t crc32c_hardware(uint32_t crc,
                                                                   const uint8_t *data,
                                                                   size_t count) {
  uint64_t wide = crc;
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    uint64_t word;
    __builtin_memcpy(&word, data + i, 8);
    wide = __builtin_ia32_crc32di(wide, word);
  }
  uint32_t narrow = (uint32_t)wide;
  for (; i < count; i++) narrow = __builtin_ia32_crc32qi(narrow, data[i]);
  return narrow;
}
#endif

uint32_t playground_crc32c(const uint8_t *data, long count) {
  uint32_t crc = 0xFFFFFFFFu;
#if defined(__x86_64__)
  if (__builtin_cpu_supports("sse4.2")) return ~crc32c_hardware(crc, data, (size_t)count);
#endif
  return ~crc32c_portable(crc, data, (size_t)count);
}

uint32_t playground_crc32c_portable(const uint8_t *data, long count) {
  return ~crc32c_portable(0xFFFFFFFFu, data, (size_t)count);
}
