#pragma once
// keras::Variable: a named, persistent tensor (a layer's kernel, a moving mean,
// an optimizer slot). It is a handle: copies refer to the same variable.
// assign() writes into the existing storage, so compiled plans that hold its
// address see the new value.
//
//   keras::Variable kernel("dense/kernel", keras::Tensor::zeros({784, 10}));
//   kernel.assign(new_value);
#include <cstdint>
#include <memory>
#include <string>

#include "keras/tensor.hpp"

namespace keras {

class Variable {
 public:
  Variable(std::string name, Tensor initial_value, bool trainable = true);

  const std::string& name() const { return state_->name; }
  // The live value: it shares the variable's storage.
  const Tensor& value() const { return state_->value; }
  // Copies `value` in; its dtype and shape must equal the variable's.
  void assign(const Tensor& value);
  DType dtype() const { return state_->value.dtype(); }
  const Shape& shape() const { return state_->value.shape(); }
  bool trainable() const { return state_->trainable; }
  void set_trainable(bool trainable) { state_->trainable = trainable; }
  // Unique for the process' lifetime; equal ids mean the same variable.
  std::uint64_t id() const { return state_->id; }

  bool operator==(const Variable& other) const { return state_ == other.state_; }

 private:
  struct State {
    std::string name;
    Tensor value;
    bool trainable;
    std::uint64_t id;
  };
  std::shared_ptr<State> state_;
};

}  // namespace keras
