#include "keras/shape.hpp"

#include <fmt/core.h>

#include "keras/error.hpp"

namespace keras {

namespace {
void check_dims(const std::vector<std::int64_t>& dims) {
  for (std::int64_t d : dims) {
    if (d < 0 && d != Shape::kUnknown) {
      throw Error(
          fmt::format("a shape cannot hold the dimension {}: dimensions are sizes >= 0, "
                      "or unknown (None)",
                      d));
    }
  }
}
}  // namespace

Shape::Shape(std::initializer_list<std::int64_t> dims) : dims_(dims) {
  check_dims(dims_);
}

Shape::Shape(std::vector<std::int64_t> dims) : dims_(std::move(dims)) {
  check_dims(dims_);
}

std::int64_t Shape::dim(std::int64_t axis) const {
  return dims_[static_cast<std::size_t>(normalize_axis(axis, rank(), "Shape::dim"))];
}

bool Shape::is_fully_known() const {
  for (std::int64_t d : dims_) {
    if (d == kUnknown) return false;
  }
  return true;
}

std::int64_t Shape::num_elements() const {
  std::int64_t n = 1;
  for (std::int64_t d : dims_) {
    if (d == kUnknown) {
      throw Error(
          fmt::format("shape {} has an unknown dimension, so its element count is not "
                      "known until a concrete tensor is given",
                      to_string()));
    }
    n *= d;
  }
  return n;
}

bool Shape::is_compatible_with(const Shape& other) const {
  if (rank() != other.rank()) return false;
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    if (dims_[i] != kUnknown && other.dims_[i] != kUnknown && dims_[i] != other.dims_[i]) {
      return false;
    }
  }
  return true;
}

Shape Shape::with_unknown_from(const Shape& concrete) const {
  KERAS_INTERNAL_CHECK(rank() == concrete.rank(), "{} vs {}", to_string(), concrete.to_string());
  std::vector<std::int64_t> dims = dims_;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == kUnknown) dims[i] = concrete.dims_[i];
  }
  return Shape(std::move(dims));
}

std::string Shape::to_string() const {
  std::string out = "(";
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    if (i > 0) out += ", ";
    out += dims_[i] == kUnknown ? std::string("None") : std::to_string(dims_[i]);
  }
  if (dims_.size() == 1) out += ",";
  return out + ")";
}

std::int64_t normalize_axis(std::int64_t axis, std::int64_t rank, std::string_view what) {
  if (axis < -rank || axis >= rank) {
    throw Error(
        fmt::format("{}: axis {} is out of range for a tensor of rank {} (valid axes are "
                    "{} to {})",
                    what, axis, rank, -rank, rank - 1));
  }
  return axis < 0 ? axis + rank : axis;
}

}  // namespace keras
