#pragma once
// The one loop behind the reference data-movement kernels (transpose, slice,
// tile, broadcast_like): walk the output in row-major order and read each
// element from the input through arbitrary strides.
#include <cstdint>
#include <vector>

#include "indexing.hpp"
#include "keras/tensor.hpp"

namespace keras::backend::reference {

// out[flat] = in[base + offset(flat)] for every position of `shape`, whose
// element count and row-major order are the output's; offset(flat) follows
// `input_strides` (one per axis of `shape`). Works for every dtype.
inline void strided_copy(const Tensor& in, Tensor& out, const Shape& shape,
                         const std::vector<std::int64_t>& input_strides, std::int64_t base = 0) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* source = in.data<T>() + base;
    T* target = out.data<T>();
    for_each_element(
        shape, [&](std::int64_t o, std::int64_t i) { target[o] = source[i]; }, input_strides);
  });
}

}  // namespace keras::backend::reference
