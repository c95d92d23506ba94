#pragma once
// Index arithmetic shared by the reference kernels: row-major strides and the
// NumPy broadcasting map from an output position to an input position.
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "keras/shape.hpp"

namespace keras::backend::reference {

// Row-major element strides of a fully known shape.
inline std::vector<std::int64_t> strides_of(const Shape& shape) {
  std::vector<std::int64_t> strides(static_cast<std::size_t>(shape.rank()), 1);
  for (std::int64_t axis = shape.rank() - 2; axis >= 0; --axis) {
    auto a = static_cast<std::size_t>(axis);
    strides[a] = strides[a + 1] * shape[a + 1];
  }
  return strides;
}

// Strides of `input` seen through NumPy broadcasting to `output` (aligned on
// the right): 0 along axes that `input` lacks or has of size 1.
inline std::vector<std::int64_t> broadcast_strides(const Shape& input, const Shape& output) {
  std::vector<std::int64_t> result(static_cast<std::size_t>(output.rank()), 0);
  const std::vector<std::int64_t> strides = strides_of(input);
  const std::int64_t offset = output.rank() - input.rank();
  for (std::int64_t axis = 0; axis < input.rank(); ++axis) {
    auto a = static_cast<std::size_t>(axis);
    if (input[a] != 1) result[static_cast<std::size_t>(axis + offset)] = strides[a];
  }
  return result;
}

// Calls f(flat_output_index, flat_input_index...) for every element of
// `shape`, where each input index follows its own strides (for example from
// broadcast_strides). Axes merge where every input's strides run on from the
// next axis (row-major and broadcast inputs alike; size-1 axes always), so a
// same-shape or scalar operand is one flat loop; the last merged axis runs as
// a plain loop and an odometer turns only between those rows.
template <class F, class... Strides>
void for_each_element(const Shape& shape, F&& f, const Strides&... strides) {
  constexpr std::size_t kInputs = sizeof...(Strides);
  const std::array<const std::vector<std::int64_t>*, kInputs> all{&strides...};
  const std::int64_t total = shape.num_elements();
  if (total == 0) return;
  // Merged axes, innermost first.
  std::vector<std::int64_t> dims;
  std::array<std::vector<std::int64_t>, kInputs> merged;
  for (std::int64_t axis = shape.rank() - 1; axis >= 0; --axis) {
    const auto a = static_cast<std::size_t>(axis);
    if (shape[a] == 1) continue;
    bool runs_on = !dims.empty();
    for (std::size_t s = 0; s < kInputs && runs_on; ++s) {
      runs_on = (*all[s])[a] == merged[s].back() * dims.back();
    }
    if (runs_on) {
      dims.back() *= shape[a];
      continue;
    }
    dims.push_back(shape[a]);
    for (std::size_t s = 0; s < kInputs; ++s) merged[s].push_back((*all[s])[a]);
  }
  // A scalar (or all size-1 axes) is one row of one element.
  const std::int64_t row = dims.empty() ? 1 : dims.front();
  std::array<std::int64_t, kInputs> row_strides{};
  for (std::size_t s = 0; s < kInputs && !dims.empty(); ++s) row_strides[s] = merged[s].front();
  std::array<std::int64_t, kInputs> offsets{};
  std::vector<std::int64_t> index(dims.empty() ? 0 : dims.size() - 1, 0);
  for (std::int64_t flat = 0; flat < total; flat += row) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      for (std::int64_t k = 0; k < row; ++k) f(flat + k, (offsets[I] + k * row_strides[I])...);
    }
    (std::make_index_sequence<kInputs>{});
    // Advance the outer (merged) axes like an odometer, innermost first,
    // keeping every offset in step.
    for (std::size_t d = 0; d < index.size(); ++d) {
      ++index[d];
      for (std::size_t s = 0; s < kInputs; ++s) offsets[s] += merged[s][d + 1];
      if (index[d] < dims[d + 1]) break;
      for (std::size_t s = 0; s < kInputs; ++s) offsets[s] -= merged[s][d + 1] * index[d];
      index[d] = 0;
    }
  }
}

}  // namespace keras::backend::reference
