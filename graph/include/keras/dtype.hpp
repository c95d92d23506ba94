#pragma once
// Element types, with Keras' names ("float32", ..., "bool").
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "keras/error.hpp"

namespace keras {

// The integer widths Keras' datasets use (uint8 images and labels) are
// storage and cast types: compute casts them to int32/int64 or a float.
enum class DType : std::uint8_t {
  float32,
  float64,
  int32,
  int64,
  bool_,
  int8,
  uint8,
  int16,
  uint16
};

std::string_view dtype_name(DType dtype);
// Parses a Keras dtype name; throws keras::Error for an unknown one.
DType dtype_from_name(std::string_view name);
std::size_t dtype_size(DType dtype);
bool is_floating(DType dtype);
bool is_integer(DType dtype);

// The dtype both operands of a binary op are cast to: the wider of the two in
// the order bool < int8 < uint8 < int16 < uint16 < int32 < int64 < float32 <
// float64 (NumPy's order for these, simplified: mixed signed and unsigned
// widths take the wider).
DType promote_types(DType a, DType b);

// bool is stored as one byte per element (C++ bool).
template <class T>
constexpr DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return DType::float32;
  if constexpr (std::is_same_v<T, double>) return DType::float64;
  if constexpr (std::is_same_v<T, std::int32_t>) return DType::int32;
  if constexpr (std::is_same_v<T, std::int64_t>) return DType::int64;
  if constexpr (std::is_same_v<T, bool>) return DType::bool_;
  if constexpr (std::is_same_v<T, std::int8_t>) return DType::int8;
  if constexpr (std::is_same_v<T, std::uint8_t>) return DType::uint8;
  if constexpr (std::is_same_v<T, std::int16_t>) return DType::int16;
  if constexpr (std::is_same_v<T, std::uint16_t>) return DType::uint16;
}

// Calls f(T{}) with the C++ element type of `dtype`.
template <class F>
decltype(auto) visit_dtype(DType dtype, F&& f) {
  switch (dtype) {
    case DType::float32:
      return f(float{});
    case DType::float64:
      return f(double{});
    case DType::int32:
      return f(std::int32_t{});
    case DType::int64:
      return f(std::int64_t{});
    case DType::bool_:
      return f(bool{});
    case DType::int8:
      return f(std::int8_t{});
    case DType::uint8:
      return f(std::uint8_t{});
    case DType::int16:
      return f(std::int16_t{});
    case DType::uint16:
      return f(std::uint16_t{});
  }
  throw InternalError("visit_dtype: unknown dtype");
}

// Calls f(T{}) for float32 and float64 only; throws keras::Error naming `what`
// for any other dtype.
template <class F>
decltype(auto) visit_floating(DType dtype, std::string_view what, F&& f) {
  switch (dtype) {
    case DType::float32:
      return f(float{});
    case DType::float64:
      return f(double{});
    default:
      throw Error(
          fmt::format("{} needs float32 or float64 values, got {}", what, dtype_name(dtype)));
  }
}

}  // namespace keras
