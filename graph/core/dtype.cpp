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
  }
  throw InternalError("dtype_name: unknown dtype");
}

DType dtype_from_name(std::string_view name) {
  for (DType d : {DType::float32, DType::float64, DType::int32, DType::int64, DType::bool_}) {
    if (dtype_name(d) == name) return d;
  }
  throw Error(fmt::format(
      "unknown dtype '{}': expected one of float32, float64, int32, int64, bool", name));
}

std::size_t dtype_size(DType dtype) {
  return visit_dtype(dtype, [](auto tag) { return sizeof(tag); });
}

bool is_floating(DType dtype) {
  return dtype == DType::float32 || dtype == DType::float64;
}

bool is_integer(DType dtype) {
  return dtype == DType::int32 || dtype == DType::int64;
}

DType promote_types(DType a, DType b) {
  auto rank = [](DType d) {
    switch (d) {
      case DType::bool_:
        return 0;
      case DType::int32:
        return 1;
      case DType::int64:
        return 2;
      case DType::float32:
        return 3;
      case DType::float64:
        return 4;
    }
    return 0;
  };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace keras
