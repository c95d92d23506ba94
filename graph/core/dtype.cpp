#include "keras/dtype.hpp"

namespace keras {

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return "float32";
    case DType::float64:
      return "float64";
    case DType::int32:
      return "int32";
    case DType::int64:
      return "int64";
    case DType::bool_:
      return "bool";
    case DType::int8:
      return "int8";
    case DType::uint8:
      return "uint8";
    case DType::int16:
      return "int16";
    case DType::uint16:
      return "uint16";
  }
  throw InternalError("dtype_name: unknown dtype");
}

DType dtype_from_name(std::string_view name) {
  for (DType d : {DType::float32, DType::float64, DType::int32, DType::int64, DType::bool_,
                  DType::int8, DType::uint8, DType::int16, DType::uint16}) {
    if (dtype_name(d) == name) return d;
  }
  throw Error(fmt::format(
      "unknown dtype '{}': expected one of float32, float64, int8, int16, int32, int64, uint8, "
      "uint16, bool",
      name));
}

std::size_t dtype_size(DType dtype) {
  return visit_dtype(dtype, [](auto tag) { return sizeof(tag); });
}

bool is_floating(DType dtype) {
  return dtype == DType::float32 || dtype == DType::float64;
}

bool is_integer(DType dtype) {
  return dtype == DType::int32 || dtype == DType::int64 || dtype == DType::int8 ||
         dtype == DType::uint8 || dtype == DType::int16 || dtype == DType::uint16;
}

DType promote_types(DType a, DType b) {
  auto rank = [](DType d) {
    switch (d) {
      case DType::bool_:
        return 0;
      case DType::int8:
        return 1;
      case DType::uint8:
        return 2;
      case DType::int16:
        return 3;
      case DType::uint16:
        return 4;
      case DType::int32:
        return 5;
      case DType::int64:
        return 6;
      case DType::float32:
        return 7;
      case DType::float64:
        return 8;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace keras
