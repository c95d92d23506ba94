#pragma once
// An optional layer argument that Keras lets users give as a name or as an
// object, as in Dense(..., kernel_regularizer="l2") or
// kernel_constraint=MaxNorm(3): unset means none.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace keras {

template <class Object, std::shared_ptr<const Object> (*by_name)(std::string_view)>
class OptionalObjectArg {
 public:
  using Ptr = std::shared_ptr<const Object>;

  OptionalObjectArg() = default;
  OptionalObjectArg(std::nullptr_t) {}                  // NOLINT: implicit, like None
  OptionalObjectArg(const char* name) : name_(name) {}  // NOLINT: implicit, like Keras' strings
  OptionalObjectArg(std::string name) : name_(std::move(name)) {}  // NOLINT
  OptionalObjectArg(Ptr object) : object_(std::move(object)) {}    // NOLINT

  // The object, looked up by name when given one (a keras::Error for an
  // unknown name); null when unset.
  Ptr resolve() const {
    if (object_) return object_;
    if (name_.empty()) return nullptr;
    return by_name(name_);
  }

 private:
  std::string name_;
  Ptr object_;
};

}  // namespace keras
