#pragma once
// A user's own layer, as the docs show one: subclass LayerImpl (build, call,
// get_config) and register the class by name. y = x * scale * factor, with
// one trainable scale per feature.
#include <keras.hpp>

namespace keras::testing {

class ScaleImpl : public layers::LayerImpl {
 public:
  ScaleImpl(double factor, const layers::LayerOptions& options)
      : LayerImpl("Scale", options), factor_(factor) {}

  void build(const std::vector<Shape>& input_shapes) override {
    scale_ = add_weight("scale", Shape{input_shapes.at(0).dim(-1)}, *initializers::Ones());
  }
  std::vector<graph::Value> call(const std::vector<graph::Value>& inputs,
                                 const graph::Value&) override {
    return {inputs.at(0) * ops::read(*scale_) * factor_};
  }
  serialize::Config get_config() const override {
    serialize::Config config = LayerImpl::get_config();
    config["factor"] = factor_;
    return config;
  }

 private:
  double factor_;
  std::optional<Variable> scale_;
};

inline void register_scale_layer() {
  layers::register_layer("Scale", [](const serialize::Config& c) {
    return layers::Layer(
        std::make_shared<ScaleImpl>(c.at("factor").as_number(), layers::options_from_config(c)));
  });
}

}  // namespace keras::testing
