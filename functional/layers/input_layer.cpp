#include "keras/layers/input_layer.hpp"

#include "keras/serialize/shape_config.hpp"

namespace keras::layers {

InputLayerImpl::InputLayerImpl(Shape batch_shape, DType dtype, std::string name)
    : LayerImpl("InputLayer", {.name = std::move(name), .trainable = true, .dtype = dtype}),
      batch_shape_(std::move(batch_shape)) {}

std::vector<graph::Value> InputLayerImpl::call(const std::vector<graph::Value>&,
                                               const graph::Value&) {
  throw Error(fmt::format("{} is not fed: feed its tensor, or include it in the model's inputs",
                          describe()));
}

serialize::Config InputLayerImpl::get_config() const {
  serialize::Config config = serialize::Config::dict();
  config["batch_shape"] = serialize::shape_to_config(batch_shape_);
  config["dtype"] = std::string(dtype_name(dtype()));
  config["sparse"] = false;
  config["ragged"] = false;
  config["name"] = name();
  config["optional"] = false;
  return config;
}

KerasTensor InputLayerImpl::tensor() {
  const std::vector<KerasTensor> outputs = inbound_nodes().at(0).outputs();
  if (outputs.at(0).valid()) return outputs[0];
  KerasTensor remade(batch_shape_, dtype(), name(), KerasHistory{shared_from_this(), 0, 0});
  rebind_source_output(remade);
  return remade;
}

InputLayer::InputLayer(Shape batch_shape, DType dtype, std::string name)
    : LayerHandle(std::make_shared<InputLayerImpl>(std::move(batch_shape), dtype, std::move(name))),
      tensor_(impl().make_tensor()) {}

KerasTensor Input(const Shape& shape, InputOptions options) {
  std::vector<std::int64_t> dims{options.batch_size.value_or(Shape::kUnknown)};
  dims.insert(dims.end(), shape.dims().begin(), shape.dims().end());
  return InputLayer(Shape(dims), options.dtype, options.name).tensor();
}

}  // namespace keras::layers
