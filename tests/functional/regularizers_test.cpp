// Regularizers and constraints (keras::regularizers, keras::constraints):
// hand-worked values, real Keras 3's configs and values
// (fixtures/regularizers.json, constraints.json), gradients against finite
// differences, and how layers carry them: penalties of trainable weights,
// activity penalties per call divided by the batch, constraints listed for
// the optimizer.
#include <catch2/catch.hpp>

#include <cmath>

#include <keras.hpp>

#include "core/tracer.hpp"
#include "fixture_files.hpp"
#include "fixture_layer_cases.hpp"
#include "graph_checks.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::KerasTensor;
using keras::Shape;
using keras::Tensor;
using keras::serialize::Config;
using keras::testing::apply;
using keras::testing::check_gradient;
namespace layers = keras::layers;
namespace ops = keras::ops;
namespace regularizers = keras::regularizers;
namespace constraints = keras::constraints;

namespace {

Tensor doubles(const Shape& shape, std::vector<double> values) {
  return Tensor(shape, values);
}

Tensor fixture_input(const Config& entry) {
  return keras::testing::fixture_tensor(entry.at("input_shape").as_ints(), entry.at("input"));
}

}  // namespace

TEST_CASE("Regularizers compute Keras' penalties by hand", "[regularizers]") {
  const Tensor x = doubles({2, 2}, {1, -2, 0.5, 0});
  // sum|x| = 3.5, sum x² = 5.25
  CHECK(apply(*regularizers::L1(0.5), x).item() == Approx(1.75));
  CHECK(apply(*regularizers::L2(0.1), x).item() == Approx(0.525));
  CHECK(apply(*regularizers::L1L2(0.5, 0.25), x).item() == Approx(1.75 + 1.3125));
  CHECK(apply(*regularizers::L1L2(), x).item() == 0.0);
  // Rows (1, 0), (0, 1), (1, 1)/√2: |cos| of the pairs 0, 1/√2, 1/√2; their
  // mean times the factor.
  const Tensor rows = doubles({3, 2}, {1, 0, 0, 1, 1, 1});
  CHECK(apply(*regularizers::OrthogonalRegularizer(0.3), rows).item() ==
        Approx(0.3 * (2 / std::sqrt(2.0)) / 3));
  // Columns of the same matrix: (1, 0, 1) and (0, 1, 1) have cos 1/2.
  CHECK(apply(*regularizers::OrthogonalRegularizer(0.3, "columns"), rows).item() ==
        Approx(0.3 * 0.5));
  // The penalty keeps the weight's dtype.
  CHECK(apply(*regularizers::L2(), x.astype(DType::float32)).dtype() == DType::float32);
}

TEST_CASE("Regularizer gradients match finite differences in float64", "[regularizers]") {
  const Tensor x = doubles({3, 2}, {0.3, -1.2, 0.7, 0.4, -0.9, 1.5});
  check_gradient(*regularizers::L1L2(0.01, 0.02), x);
  check_gradient(*regularizers::OrthogonalRegularizer(0.2), x);
  check_gradient(*regularizers::OrthogonalRegularizer(0.2, "columns"), x);
}

TEST_CASE("Regularizers match real Keras 3 on its fixtures", "[regularizers][fixtures]") {
  const Config entries = keras::testing::read_json_fixture("regularizers.json");
  REQUIRE(entries.size() >= 9);
  for (const Config& entry : entries.as_list()) {
    const std::string& name = entry.at("name").as_string();
    INFO("fixture " << name);
    const Config& serialized = entry.at("serialized");
    const regularizers::RegularizerPtr regularizer = regularizers::from_config(serialized);
    CHECK(regularizers::serialize(regularizer) == serialized);
    keras::testing::require_close_to_fixture(apply(*regularizer, fixture_input(entry)),
                                             entry.at("output"), name);
  }
  // Names resolve as Keras' get() does, with Keras 3's defaults.
  CHECK(regularizers::serialize(regularizers::get("l1")) == entries.as_list()[0].at("serialized"));
  CHECK(regularizers::get("L1L2")->get_config().to_json() == R"({"l1": 0.0, "l2": 0.0})");
}

TEST_CASE("Bad regularizers are refused with what is wrong", "[regularizers][errors]") {
  CHECK_THROWS_WITH(regularizers::get("l1_l2"),
                    Contains("unknown regularizer 'l1_l2'") && Contains("l1l2"));
  CHECK_THROWS_WITH(regularizers::L2(-0.1), Contains("l2") && Contains("non-negative"));
  CHECK_THROWS_WITH(regularizers::L1(NAN), Contains("l1"));
  CHECK_THROWS_WITH(regularizers::OrthogonalRegularizer(0.1, "diagonal"), Contains("diagonal"));
  CHECK_THROWS_WITH(apply(*regularizers::OrthogonalRegularizer(), doubles({3}, {1, 2, 3})),
                    Contains("rank-2") && Contains("(3,)"));
  CHECK_THROWS_WITH(regularizers::from_config(Config::dict()), Contains("class_name"));
  CHECK(regularizers::from_config(Config()) == nullptr);
  CHECK(regularizers::serialize(nullptr).is_null());
  CHECK_THROWS_WITH(layers::Dense(2, {.kernel_regularizer = "l3"}),
                    Contains("unknown regularizer 'l3'"));
}

TEST_CASE("Constraints project weights as Keras' do, by hand", "[constraints]") {
  // Columns (3, 4) and (0, 0.5): norms 5 and 0.5.
  const Tensor w = doubles({2, 2}, {3, 0, 4, 0.5});
  const double eps = 1e-7;
  std::vector<double> max_norm = apply(*constraints::MaxNorm(1), w).to_vector<double>();
  CHECK(max_norm[0] == Approx(3 / (5 + eps)));
  CHECK(max_norm[2] == Approx(4 / (5 + eps)));
  CHECK(max_norm[3] == Approx(0.5 * 0.5 / (0.5 + eps)));  // within the bound: kept
  std::vector<double> unit = apply(*constraints::UnitNorm(), w).to_vector<double>();
  CHECK(unit[3] == Approx(0.5 / (0.5 + eps)));
  // Rows (3, 0) and (4, 0.5) along axis 1.
  std::vector<double> rows = apply(*constraints::UnitNorm({1}), w).to_vector<double>();
  CHECK(rows[0] == Approx(1.0));
  CHECK(rows[3] == Approx(0.5 / std::sqrt(16.25)));
  // MinMaxNorm(2, 3, rate 0.5): norm 5 -> 0.5 * 3 + 0.5 * 5 = 4; norm 0.5 -> 1.25.
  std::vector<double> min_max = apply(*constraints::MinMaxNorm(2, 3, 0.5), w).to_vector<double>();
  CHECK(min_max[0] == Approx(3 * 4 / (5 + eps)));
  CHECK(min_max[3] == Approx(0.5 * 1.25 / (0.5 + eps)));
  // No axis (Keras' axis=None): the norm of the whole weight, sqrt(9 + 16 + 0.25).
  const auto whole = constraints::UnitNorm({});
  CHECK(apply(*whole, w).to_vector<double>()[2] == Approx(4 / (std::sqrt(25.25) + eps)));
  CHECK(whole->get_config().to_json() == R"({"axis": null})");
  CHECK(constraints::serialize(constraints::from_config(constraints::serialize(whole))) ==
        constraints::serialize(whole));
  CHECK(apply(*constraints::NonNeg(), doubles({3}, {-1, 0, 2})).to_vector<double>() ==
        std::vector<double>{0, 0, 2});
}

TEST_CASE("Constraints match real Keras 3 on its fixtures", "[constraints][fixtures]") {
  const Config entries = keras::testing::read_json_fixture("constraints.json");
  REQUIRE(entries.size() >= 8);
  for (const Config& entry : entries.as_list()) {
    const std::string& name = entry.at("name").as_string();
    INFO("fixture " << name);
    const Config& serialized = entry.at("serialized");
    const constraints::ConstraintPtr constraint = constraints::from_config(serialized);
    CHECK(constraints::serialize(constraint) == serialized);
    keras::testing::require_close_to_fixture(apply(*constraint, fixture_input(entry)),
                                             entry.at("output"), name);
  }
  // Keras' defaults, with MaxNorm's int max_value, come from the C++ defaults too.
  CHECK(constraints::serialize(constraints::MaxNorm()) == entries.as_list()[0].at("serialized"));
  CHECK(constraints::MinMaxNorm()->get_config().to_json() ==
        R"({"min_value": 0.0, "max_value": 1.0, "rate": 1.0, "axis": 0})");
  CHECK(constraints::MaxNorm(1.0, {0, 1})->get_config().to_json() ==
        R"({"max_value": 1, "axis": [0, 1]})");
}

TEST_CASE("Bad constraints are refused with what is wrong", "[constraints][errors]") {
  CHECK_THROWS_WITH(constraints::get("maxnorm"),
                    Contains("unknown constraint 'maxnorm'") && Contains("max_norm"));
  CHECK_THROWS_WITH(constraints::MinMaxNorm(2, 1),
                    Contains("min_value 2") && Contains("max_value 1"));
  CHECK_THROWS_WITH(apply(*constraints::MaxNorm(2, {2}), doubles({2, 2}, {1, 2, 3, 4})),
                    Contains("axis 2") && Contains("(2, 2)"));
  CHECK_THROWS_WITH(layers::Dense(2, {.bias_constraint = "positive"}),
                    Contains("unknown constraint 'positive'"));
}

TEST_CASE("Layers report Keras' losses for their regularizers", "[regularizers][fixtures]") {
  for (const char* case_name :
       {"dense_regularized", "dense_regularizer_names", "batchnorm_regularized",
        "prelu_regularized", "activity_regularization"}) {
    INFO("fixture case " << case_name);
    const Config& c = keras::testing::layer_case(case_name);
    layers::Layer layer = layers::from_config(c.at("class_name").as_string(), c.at("config"));
    CHECK(layer.get_config() == c.at("config"));
    const KerasTensor input = layers::Input(keras::testing::fixture_input_shapes(c).at(0));
    const KerasTensor output = layer(input);
    layer.set_weights(keras::testing::fixture_weights(c));

    // Keras' layer.losses: the activity penalties of the call, then the
    // weight penalties in trainable_weights order.
    layers::TracedGraph traced =
        layers::trace_graph({input, keras::backend::learning_phase()}, {output});
    std::vector<keras::graph::Value> losses = traced.effects.losses;
    {
      keras::graph::GraphScope scope(traced.graph);
      for (const auto& loss : layer.impl().regularization_losses()) losses.push_back(loss);
    }
    auto f = keras::backend::function(traced.inputs, losses);
    for (const char* phase : {"test", "train"}) {
      const std::vector<Tensor> got =
          f({keras::testing::fixture_inputs(c).at(0), Tensor::scalar(phase[1] == 'r' ? 1 : 0)});
      const Config::List& want = c.at("losses").at(phase).as_list();
      REQUIRE(got.size() == want.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        INFO(phase << " loss " << i);
        CHECK(got[i].item() == Approx(want[i].as_number()).epsilon(1e-5));
      }
    }
  }
}

TEST_CASE("Activity penalties are divided by the batch, per call", "[regularizers]") {
  auto x = layers::Input({3});
  auto reg = layers::ActivityRegularization({.l1 = 1.0});
  auto shared = layers::Dense(3, {.use_bias = false, .kernel_initializer = "identity"});
  // Two calls of one regularized layer: one penalty each.
  auto y = reg(shared(x));
  auto z = reg(layers::Dense(3, {.use_bias = false, .kernel_initializer = "ones"})(x));
  layers::TracedGraph traced = layers::trace_graph({x, keras::backend::learning_phase()}, {y, z});
  REQUIRE(traced.effects.losses.size() == 2);
  auto f = keras::backend::function(traced.inputs, traced.effects.losses);
  for (std::int64_t batch : {1, 2, 4}) {
    // Rows of ones: sum|x| = 3 per row through the identity kernel, 9 through ones.
    const std::vector<Tensor> got = f({Tensor::full({batch, 3}, 1.0), Tensor::scalar(0)});
    CHECK(got[0].item() == Approx(3.0));
    CHECK(got[1].item() == Approx(9.0));
  }
  // An empty batch gives no penalty rather than 0/0.
  CHECK(f({Tensor::zeros({0, 3}), Tensor::scalar(1)})[0].item() == 0.0);
  CHECK(reg.get_config().to_json().find("activity_regularizer") == std::string::npos);
}

TEST_CASE("Weight penalties follow trainable, and constraints are listed once",
          "[regularizers][constraints]") {
  auto x = layers::Input({4});
  auto dense = layers::Dense(2, {.kernel_regularizer = regularizers::L2(0.5),
                                 .bias_regularizer = "l1",
                                 .kernel_constraint = constraints::MaxNorm(3),
                                 .bias_constraint = "non_neg"});
  auto inner = keras::models::Model(x, dense(x), "inner");
  // The outer model holds dense twice: inside `inner` and called directly.
  auto x2 = layers::Input({4});
  auto outer = keras::models::Model(x2, layers::Add()({inner(x2), dense(x2)}), "outer");
  CHECK(outer.weights().size() == 2);
  CHECK(outer.count_params() == 4 * 2 + 2);

  dense.set_weights({Tensor::full({4, 2}, 0.5), Tensor(Shape{2}, std::vector<float>{-1, 2})});
  auto penalties = [&](const layers::Layer& layer) {
    auto graph = keras::graph::Graph::create();
    keras::graph::GraphScope scope(graph);
    const std::vector<keras::graph::Value> losses = layer.impl().regularization_losses();
    std::vector<double> values;
    if (losses.empty()) return values;
    for (const Tensor& t : keras::backend::function(std::vector<keras::graph::Value>{}, losses)({}))
      values.push_back(t.item());
    return values;
  };
  // 0.5 * 8 * 0.25 = 1 for the kernel, 0.01 * 3 for the bias; once each.
  const std::vector<double> both = penalties(outer);
  REQUIRE(both.size() == 2);
  CHECK(both[0] == Approx(1.0));
  CHECK(both[1] == Approx(0.03));
  CHECK(penalties(dense).size() == 2);
  const auto listed = outer.impl().weight_constraints();
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].first == dense.weights()[0]);
  CHECK(listed[0].second->class_name() == "MaxNorm");
  CHECK(listed[1].second->class_name() == "NonNeg");

  // Keras penalizes only trainable weights.
  dense.set_trainable(false);
  CHECK(penalties(outer).empty());
  dense.set_trainable(true);
  // Freezing a model freezes its layers, as Keras 3's trainable setter does.
  inner.set_trainable(false);
  CHECK_FALSE(dense.trainable());
  CHECK(penalties(outer).empty());
  outer.set_trainable(true);
  CHECK(dense.trainable());
  CHECK(penalties(outer).size() == 2);
}
