#include "keras/layers/merge.hpp"

#include "keras/graph/ops.hpp"

namespace keras::layers {

namespace {

void require_inputs(const std::string& what, const std::vector<graph::Value>& inputs,
                    std::size_t min, std::size_t max) {
  if (inputs.size() < min || inputs.size() > max) {
    std::string shapes;
    for (const graph::Value& v : inputs)
      shapes += (shapes.empty() ? "" : ", ") + v.shape().to_string();
    throw Error(fmt::format("{} takes {} inputs, got {} ({})", what,
                            min == max ? std::to_string(min) : fmt::format("at least {}", min),
                            inputs.size(), shapes));
  }
}

}  // namespace

MergeImpl::MergeImpl(std::string class_name, MergeOptions options)
    : LayerImpl(std::move(class_name), common_options(options)) {}

std::vector<graph::Value> MergeImpl::call(const std::vector<graph::Value>& inputs,
                                          const graph::Value&) {
  const std::string& kind = class_name();
  require_inputs(describe(), inputs, 2, kind == "Subtract" ? 2 : inputs.size() + 2);
  graph::Value result = inputs[0];
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    const graph::Value& x = inputs[i];
    if (kind == "Add" || kind == "Average") result = result + x;
    if (kind == "Subtract") result = result - x;
    if (kind == "Multiply") result = result * x;
    if (kind == "Maximum") result = ops::maximum(result, x);
    if (kind == "Minimum") result = ops::minimum(result, x);
  }
  if (kind == "Average") result = result / static_cast<double>(inputs.size());
  return {result};
}

ConcatenateImpl::ConcatenateImpl(std::int64_t axis, MergeOptions options)
    : LayerImpl("Concatenate", common_options(options)), axis_(axis) {}

std::vector<graph::Value> ConcatenateImpl::call(const std::vector<graph::Value>& inputs,
                                                const graph::Value&) {
  require_inputs(describe(), inputs, 1, inputs.size() + 1);
  return {ops::concatenate(inputs, axis_)};
}

serialize::Config ConcatenateImpl::get_config() const {
  serialize::Config config = LayerImpl::get_config();
  config["axis"] = axis_;
  return config;
}

Add::Add(MergeOptions options)
    : LayerHandle(std::make_shared<MergeImpl>("Add", std::move(options))) {}
Subtract::Subtract(MergeOptions options)
    : LayerHandle(std::make_shared<MergeImpl>("Subtract", std::move(options))) {}
Multiply::Multiply(MergeOptions options)
    : LayerHandle(std::make_shared<MergeImpl>("Multiply", std::move(options))) {}
Average::Average(MergeOptions options)
    : LayerHandle(std::make_shared<MergeImpl>("Average", std::move(options))) {}
Maximum::Maximum(MergeOptions options)
    : LayerHandle(std::make_shared<MergeImpl>("Maximum", std::move(options))) {}
Minimum::Minimum(MergeOptions options)
    : LayerHandle(std::make_shared<MergeImpl>("Minimum", std::move(options))) {}
Concatenate::Concatenate(std::int64_t axis, MergeOptions options)
    : LayerHandle(std::make_shared<ConcatenateImpl>(axis, std::move(options))) {}

KerasTensor add(const std::vector<KerasTensor>& inputs) {
  return Add()(inputs);
}
KerasTensor subtract(const std::vector<KerasTensor>& inputs) {
  return Subtract()(inputs);
}
KerasTensor multiply(const std::vector<KerasTensor>& inputs) {
  return Multiply()(inputs);
}
KerasTensor average(const std::vector<KerasTensor>& inputs) {
  return Average()(inputs);
}
KerasTensor maximum(const std::vector<KerasTensor>& inputs) {
  return Maximum()(inputs);
}
KerasTensor minimum(const std::vector<KerasTensor>& inputs) {
  return Minimum()(inputs);
}
KerasTensor concatenate(const std::vector<KerasTensor>& inputs, std::int64_t axis) {
  return Concatenate(axis)(inputs);
}

}  // namespace keras::layers
