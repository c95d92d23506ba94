#include "keras/graph/attrs.hpp"

#include <cstring>
#include <type_traits>

namespace keras::graph {

std::string_view attr_kind_name(AttrKind kind) {
  switch (kind) {
    case AttrKind::boolean:
      return "bool";
    case AttrKind::integer:
      return "int";
    case AttrKind::floating:
      return "float";
    case AttrKind::string:
      return "string";
    case AttrKind::integers:
      return "list of ints";
    case AttrKind::dtype:
      return "dtype";
    case AttrKind::shape:
      return "shape";
    case AttrKind::tensor:
      return "tensor";
    case AttrKind::variable:
      return "variable";
  }
  return "?";
}

AttrKind attr_kind_of(const AttrValue& value) {
  // The variant's alternatives are declared in AttrKind's order.
  return static_cast<AttrKind>(value.index());
}

std::string attr_value_to_string(const AttrValue& value) {
  struct Printer {
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return fmt::format("{:g}", v); }
    std::string operator()(const std::string& v) const { return "'" + v + "'"; }
    std::string operator()(const std::vector<std::int64_t>& v) const {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::to_string(v[i]);
      return out + "]";
    }
    std::string operator()(DType v) const { return std::string(dtype_name(v)); }
    std::string operator()(const Shape& v) const { return v.to_string(); }
    std::string operator()(const Tensor& v) const { return v.to_string(8); }
    std::string operator()(const Variable& v) const { return "<variable " + v.name() + ">"; }
  };
  return std::visit(Printer{}, value);
}

bool attr_values_equal(const AttrValue& a, const AttrValue& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) -> bool {
        using T = std::decay_t<decltype(x)>;
        const T& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, Tensor>) {
          return x.dtype() == y.dtype() && x.shape() == y.shape() &&
                 std::memcmp(x.raw_data(), y.raw_data(), x.nbytes()) == 0;
        } else {
          return x == y;
        }
      },
      a);
}

const AttrValue& Attrs::get(std::string_view name) const {
  auto it = values_.find(name);
  KERAS_INTERNAL_CHECK(it != values_.end(), "attribute '{}' is not set", name);
  return it->second;
}

double Attrs::get_float(std::string_view name) const {
  const AttrValue& value = get(name);
  if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  return as<double>(name);
}

bool Attrs::operator==(const Attrs& other) const {
  if (values_.size() != other.values_.size()) return false;
  for (auto a = values_.begin(), b = other.values_.begin(); a != values_.end(); ++a, ++b) {
    if (a->first != b->first || !attr_values_equal(a->second, b->second)) return false;
  }
  return true;
}

std::string Attrs::to_string() const {
  std::string out;
  for (const auto& [name, value] : values_) {
    if (!out.empty()) out += ", ";
    out += name + "=" + attr_value_to_string(value);
  }
  return out;
}

}  // namespace keras::graph
