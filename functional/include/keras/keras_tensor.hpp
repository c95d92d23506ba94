#pragma once
// keras::KerasTensor: a symbolic tensor of the functional API (Keras'
// KerasTensor). It has a shape whose batch is usually unknown, a dtype, and its
// Keras history: the layer call that produced it. Nothing is computed; a
// Model traces these calls into an op graph when it runs.
//
//   auto x = keras::layers::Input({784});      // shape (None, 784)
//   auto y = keras::layers::Dense(10)(x);      // y.history().layer is the Dense
#include <memory>
#include <string>

#include "keras/graph/graph.hpp"

namespace keras {

namespace layers {
class LayerImpl;
}

struct KerasTensorState;

// Where a tensor comes from: output `tensor_index` of call `node_index` of `layer`.
struct KerasHistory {
  std::shared_ptr<layers::LayerImpl> layer;
  int node_index = 0;
  int tensor_index = 0;
};

class KerasTensor {
 public:
  KerasTensor() = default;
  KerasTensor(Shape shape, DType dtype, std::string name, KerasHistory history);
  // The learning phase (backend::learning_phase()) may stand among the
  // KerasTensors given to backend::function; any other graph value is rejected.
  KerasTensor(const graph::Value& learning_phase);  // NOLINT: implicit on purpose

  bool valid() const { return state_ != nullptr; }
  const Shape& shape() const;
  DType dtype() const;
  const std::string& name() const;
  const KerasHistory& history() const;
  bool is_learning_phase() const;
  // "<KerasTensor shape=(None, 10), dtype=float32, name=dense/BiasAdd>"
  std::string to_string() const;

  // A non-owning reference (a layer's record of its outputs).
  class Weak {
   public:
    Weak() = default;
    KerasTensor lock() const;

   private:
    friend class KerasTensor;
    std::weak_ptr<struct KerasTensorState> state_;
  };
  Weak weak() const;

  // Identity: the same symbolic tensor.
  bool operator==(const KerasTensor& other) const { return state_ == other.state_; }
  const void* id() const { return state_.get(); }

 private:
  using State = KerasTensorState;
  std::shared_ptr<State> state_;
};

struct KerasTensorState {
  Shape shape;
  DType dtype = DType::float32;
  std::string name;
  KerasHistory history;
  bool learning_phase = false;
};

struct KerasTensorHash {
  std::size_t operator()(const KerasTensor& t) const { return std::hash<const void*>()(t.id()); }
};

}  // namespace keras
