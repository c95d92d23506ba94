#pragma once
// A tensor shape whose dimensions may be unknown (Keras' None, usually the
// batch). Unknown is its own value: num_elements() and friends refuse it
// rather than computing with a sentinel.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace keras {

class Shape {
 public:
  static constexpr std::int64_t kUnknown = -1;

  Shape() = default;  // a scalar: ()
  Shape(std::initializer_list<std::int64_t> dims);
  explicit Shape(std::vector<std::int64_t> dims);

  std::int64_t rank() const { return static_cast<std::int64_t>(dims_.size()); }
  // The size along `axis`; a negative axis counts from the end, as in Keras.
  std::int64_t dim(std::int64_t axis) const;
  std::int64_t operator[](std::size_t axis) const { return dims_[axis]; }
  bool is_known(std::int64_t axis) const { return dim(axis) != kUnknown; }
  bool is_fully_known() const;
  // The number of elements; throws keras::Error when a dimension is unknown.
  std::int64_t num_elements() const;
  const std::vector<std::int64_t>& dims() const { return dims_; }

  // True when the two could describe the same tensor (unknown matches any size).
  bool is_compatible_with(const Shape& other) const;
  // This shape with its unknown dimensions filled from `concrete`.
  Shape with_unknown_from(const Shape& concrete) const;

  // Keras' notation: (None, 28, 28, 1), (5,) and ().
  std::string to_string() const;

  bool operator==(const Shape& other) const = default;

 private:
  std::vector<std::int64_t> dims_;
};

// Maps a possibly negative `axis` into [0, rank); throws keras::Error naming
// `what` when it is out of range.
std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank, std::string_view what);

}  // namespace keras
