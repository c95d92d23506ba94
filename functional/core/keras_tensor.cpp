#include "keras/keras_tensor.hpp"

#include "keras/layers/layer.hpp"

namespace keras {

KerasTensor::KerasTensor(Shape shape, DType dtype, std::string name, KerasHistory history)
    : state_(std::make_shared<State>(
          State{std::move(shape), dtype, std::move(name), std::move(history), false})) {}

KerasTensor::KerasTensor(const graph::Value& learning_phase) {
  auto phase = learning_phase.valid() ? learning_phase.graph().find_learning_phase()
                                      : std::optional<graph::Value>();
  if (!phase || *phase != learning_phase) {
    throw Error(
        fmt::format("only the learning phase (backend::learning_phase()) can stand among "
                    "KerasTensors; got the graph value {}",
                    learning_phase.valid() ? learning_phase.to_string() : "<empty>"));
  }
  state_ = std::make_shared<State>(State{Shape{}, DType::bool_, "keras_learning_phase", {}, true});
}

namespace {
const KerasTensorState& checked(const std::shared_ptr<KerasTensorState>& state) {
  if (!state) throw Error("this KerasTensor is empty: it was default-constructed");
  return *state;
}
}  // namespace

const Shape& KerasTensor::shape() const {
  return checked(state_).shape;
}
DType KerasTensor::dtype() const {
  return checked(state_).dtype;
}
const std::string& KerasTensor::name() const {
  return checked(state_).name;
}
const KerasHistory& KerasTensor::history() const {
  return checked(state_).history;
}
bool KerasTensor::is_learning_phase() const {
  return checked(state_).learning_phase;
}

std::string KerasTensor::to_string() const {
  return fmt::format("<KerasTensor shape={}, dtype={}, name={}>", shape().to_string(),
                     dtype_name(dtype()), name());
}

KerasTensor KerasTensor::Weak::lock() const {
  KerasTensor t;
  t.state_ = state_.lock();
  return t;
}

KerasTensor::Weak KerasTensor::weak() const {
  Weak w;
  w.state_ = state_;
  return w;
}

}  // namespace keras
