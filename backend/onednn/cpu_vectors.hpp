#pragma once
// What keras-cpp's own kernels vectorize with: GCC's vector extension, and
// one build per instruction set chosen at load time.

// Kernels compiled for AVX-512, AVX2 and plain x86-64, chosen at load time;
// other processors get the compiler's default code.
#if defined(__x86_64__)
#define KERAS_CPU_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define KERAS_CPU_CLONES
#endif

namespace keras::backend::onednn {

// One register of 16 floats on AVX-512, two on AVX2. Unaligned (may_alias,
// 4-byte aligned) so any column offset works.
typedef float Floats16 __attribute__((vector_size(64), aligned(4), may_alias));

inline const Floats16& floats16_at(const float* p) {
  return *reinterpret_cast<const Floats16*>(p);
}

inline Floats16& floats16_at(float* p) {
  return *reinterpret_cast<Floats16*>(p);
}

}  // namespace keras::backend::onednn
