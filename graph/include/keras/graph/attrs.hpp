#pragma once
// A node's attributes: named values whose names are Keras' argument names
// (axis, keepdims, rate, seed, ...). The op registry fills in defaults and
// rejects unknown names, so a kernel can read any declared attribute.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras::graph {

using AttrValue = std::variant<bool, std::int64_t, double, std::string, std::vector<std::int64_t>,
                               DType, Shape, Tensor, Variable>;

enum class AttrKind {
  boolean,
  integer,
  floating,
  string,
  integers,
  dtype,
  shape,
  tensor,
  variable
};

std::string_view attr_kind_name(AttrKind kind);
AttrKind attr_kind_of(const AttrValue& value);
std::string attr_value_to_string(const AttrValue& value);
// Structural equality: tensors by contents, variables by identity.
bool attr_values_equal(const AttrValue& a, const AttrValue& b);

class Attrs {
 public:
  Attrs() = default;
  Attrs(std::initializer_list<std::pair<const std::string, AttrValue>> values) : values_(values) {}

  void set(const std::string& name, AttrValue value) { values_[name] = std::move(value); }
  bool has(std::string_view name) const { return values_.find(name) != values_.end(); }
  const AttrValue& get(std::string_view name) const;

  bool get_bool(std::string_view name) const { return as<bool>(name); }
  std::int64_t get_int(std::string_view name) const { return as<std::int64_t>(name); }
  // Integers are accepted where a float is declared.
  double get_float(std::string_view name) const;
  const std::string& get_string(std::string_view name) const { return as<std::string>(name); }
  const std::vector<std::int64_t>& get_ints(std::string_view name) const {
    return as<std::vector<std::int64_t>>(name);
  }
  DType get_dtype(std::string_view name) const { return as<DType>(name); }
  const Shape& get_shape(std::string_view name) const { return as<Shape>(name); }
  const Tensor& get_tensor(std::string_view name) const { return as<Tensor>(name); }
  const Variable& get_variable(std::string_view name) const { return as<Variable>(name); }

  const std::map<std::string, AttrValue, std::less<>>& items() const { return values_; }
  bool operator==(const Attrs& other) const;
  // "axis=-1, keepdims=false"
  std::string to_string() const;

 private:
  template <class T>
  const T& as(std::string_view name) const;

  std::map<std::string, AttrValue, std::less<>> values_;
};

template <class T>
const T& Attrs::as(std::string_view name) const {
  const AttrValue& value = get(name);
  const T* typed = std::get_if<T>(&value);
  KERAS_INTERNAL_CHECK(typed != nullptr, "attribute '{}' has kind {}", name,
                       attr_kind_name(attr_kind_of(value)));
  return *typed;
}

}  // namespace keras::graph
