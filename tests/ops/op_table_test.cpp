// The driver of the op test table: every row of tests/ops/*_cases.cpp is run
// four ways (see op_case.hpp), and a completeness test fails when an op lacks
// inference, a VJP entry, a reference kernel, a oneDNN entry or a test row.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <random>
#include <set>

#include "keras/autodiff/gradients.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/op_def.hpp"
#include "onednn/lowering.hpp"
#include "onednn/small_steps.hpp"
#include "op_case.hpp"
#include "reference/kernel.hpp"
#include "vjp.hpp"

namespace keras::testing {

std::vector<OpCase>& op_cases() {
  static std::vector<OpCase> cases;
  return cases;
}

RegisterCases::RegisterCases(std::vector<OpCase> cases) {
  for (OpCase& c : cases) op_cases().push_back(std::move(c));
}

namespace {

using graph::Value;

DType run_dtype(const InputSpec& spec, DType floating) {
  return is_floating(spec.dtype) ? floating : spec.dtype;
}

std::vector<Tensor> make_inputs(const OpCase& c, DType floating) {
  std::mt19937_64 rng(std::hash<std::string>()(c.name));
  std::vector<Tensor> inputs;
  for (const InputSpec& spec : c.inputs) {
    const std::int64_t n = spec.shape.num_elements();
    std::vector<double> values = spec.values;
    if (values.empty()) {
      std::uniform_real_distribution<double> uniform(spec.low, spec.high);
      for (std::int64_t i = 0; i < n; ++i) {
        double v = uniform(rng);
        values.push_back(is_floating(spec.dtype) ? v : std::floor(v));
      }
    }
    REQUIRE(static_cast<std::int64_t>(values.size()) == n);
    inputs.push_back(Tensor(spec.shape, values).astype(run_dtype(spec, floating)));
  }
  return inputs;
}

// A case built on fresh placeholders in its own graph.
struct Built {
  std::shared_ptr<graph::Graph> graph;
  std::vector<Value> inputs;
  std::vector<Value> outputs;
};

Built build(const OpCase& c, DType floating, bool unknown_batch) {
  Built b{graph::Graph::create(), {}, {}};
  graph::GraphScope scope(b.graph);
  for (const InputSpec& spec : c.inputs) {
    std::vector<std::int64_t> dims = spec.shape.dims();
    if (unknown_batch && !dims.empty()) dims[0] = Shape::kUnknown;
    b.inputs.push_back(ops::placeholder(Shape(dims), run_dtype(spec, floating)));
  }
  b.outputs = c.build(b.inputs);
  return b;
}

std::vector<graph::TensorType> types_of(const std::vector<Tensor>& tensors) {
  std::vector<graph::TensorType> types;
  for (const Tensor& t : tensors) types.push_back({t.dtype(), t.shape()});
  return types;
}

std::vector<Tensor> run(const Built& b, const std::vector<Tensor>& inputs,
                        backend::Backend& backend) {
  auto plan = backend::compile(b.inputs, types_of(inputs), b.outputs, {}, backend);
  return plan->run(inputs, backend::RunOptions{0});
}

void require_close(const Tensor& actual, const std::vector<double>& expected, double rtol,
                   double atol, const std::string& what) {
  std::vector<double> a = actual.to_vector<double>();
  REQUIRE(a.size() == expected.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    bool both_nan = std::isnan(a[i]) && std::isnan(expected[i]);
    bool ok = both_nan || a[i] == expected[i] ||
              std::abs(a[i] - expected[i]) <= atol + rtol * std::abs(expected[i]);
    if (!ok) {
      FAIL(what << ": element " << i << " is " << a[i] << ", expected " << expected[i] << " (rtol "
                << rtol << ", atol " << atol << ")");
    }
  }
}

void check_expected(const OpCase& c) {
  for (DType floating : {DType::float64, DType::float32}) {
    Built b = build(c, floating, false);
    std::vector<Tensor> results = run(b, make_inputs(c, floating), backend::reference_backend());
    REQUIRE(results.size() == c.expected.size());
    for (std::size_t k = 0; k < results.size(); ++k) {
      const bool f64 = floating == DType::float64;
      require_close(results[k], c.expected[k], f64 ? 1e-6 : c.rtol32, f64 ? 1e-7 : c.atol32,
                    fmt::format("{} output {} ({}) against hand-worked values", c.name, k,
                                dtype_name(floating)));
    }
  }
}

void check_backends(const OpCase& c) {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  Built b = build(c, DType::float32, false);
  std::vector<Tensor> inputs = make_inputs(c, DType::float32);
  std::vector<Tensor> ref = run(b, inputs, backend::reference_backend());
  std::vector<Tensor> dnn = run(b, inputs, backend::onednn_backend());
  REQUIRE(ref.size() == dnn.size());
  for (std::size_t k = 0; k < ref.size(); ++k) {
    REQUIRE(dnn[k].shape() == ref[k].shape());
    REQUIRE(dnn[k].dtype() == ref[k].dtype());
    require_close(dnn[k], ref[k].to_vector<double>(), c.rtol32, c.atol32,
                  fmt::format("{} output {}: oneDNN against reference", c.name, k));
  }
}

// Inferred shapes against actual ones; with the batch unknown, the values
// must also equal those of the fully known build.
void check_shapes(const OpCase& c) {
  std::vector<Tensor> known;
  for (bool unknown_batch : {false, true}) {
    if (unknown_batch && !c.check_unknown_batch) continue;
    Built b = build(c, DType::float32, unknown_batch);
    std::vector<Tensor> results =
        run(b, make_inputs(c, DType::float32), backend::reference_backend());
    if (!unknown_batch) known = results;
    for (std::size_t k = 0; k < results.size(); ++k) {
      if (unknown_batch) {
        // squeeze() without axes may keep an axis it cannot know is 1, so
        // only the elements must agree, not the shape.
        REQUIRE(results[k].size() == known[k].size());
        require_close(results[k], known[k].to_vector<double>(), c.rtol32, c.atol32,
                      fmt::format("{} output {} with the batch unknown", c.name, k));
      }
      const Shape& inferred = b.outputs[k].shape();
      INFO(c.name << " output " << k << ": inferred " << inferred.to_string() << ", actual "
                  << results[k].shape().to_string() << (unknown_batch ? " (batch unknown)" : ""));
      if (unknown_batch) {
        CHECK(inferred.is_compatible_with(results[k].shape()));
      } else {
        CHECK(inferred == results[k].shape());
      }
      CHECK(b.outputs[k].dtype() == results[k].dtype());
    }
  }
}

// Central differences in float64 on the reference backend against the
// analytic gradient of loss = sum_k sum(output_k * weights_k).
void check_gradients(const OpCase& c) {
  Built b = build(c, DType::float64, false);
  std::vector<Tensor> inputs = make_inputs(c, DType::float64);
  std::vector<Value> wrt;
  std::vector<std::size_t> wrt_index;
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    if (is_floating(c.inputs[i].dtype) && c.inputs[i].differentiable) {
      wrt.push_back(b.inputs[i]);
      wrt_index.push_back(i);
    }
  }
  if (wrt.empty()) return;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(0.5, 1.5);
  Value loss;
  {
    graph::GraphScope scope(b.graph);
    for (std::size_t k = 0; k < b.outputs.size(); ++k) {
      const Value& out = b.outputs[k];
      if (!is_floating(out.dtype())) continue;
      const Shape& shape = out.shape();
      std::vector<double> w(static_cast<std::size_t>(shape.num_elements()));
      for (double& x : w) x = uniform(rng);
      Value term = ops::sum(out * ops::constant(Tensor(shape, w)));
      loss = loss.valid() ? loss + term : term;
    }
  }
  if (!loss.valid()) return;
  std::vector<Value> grads = autodiff::gradients(loss, wrt);
  auto plan =
      backend::compile(b.inputs, types_of(inputs), {loss}, {}, backend::reference_backend());
  auto grad_plan =
      backend::compile(b.inputs, types_of(inputs), grads, {}, backend::reference_backend());
  std::vector<Tensor> analytic = grad_plan->run(inputs, backend::RunOptions{0});
  auto loss_at = [&](std::vector<Tensor>& at) {
    return plan->run(at, backend::RunOptions{0})[0].item();
  };
  for (std::size_t g = 0; g < wrt.size(); ++g) {
    const std::size_t i = wrt_index[g];
    REQUIRE(analytic[g].shape() == inputs[i].shape());
    std::vector<double> ana = analytic[g].to_vector<double>();
    const std::int64_t n = inputs[i].size();
    // Every element of small inputs; a fixed sample of 64 of larger ones.
    std::vector<std::int64_t> elements;
    for (std::int64_t e = 0; e < n; ++e) elements.push_back(e);
    if (n > 64) {
      std::shuffle(elements.begin(), elements.end(), rng);
      elements.resize(64);
    }
    for (std::int64_t e : elements) {
      std::vector<Tensor> at = inputs;
      at[i] = inputs[i].clone();
      double* x = at[i].data<double>();
      const double x0 = x[e];
      const double h = 1e-6 * std::max(1.0, std::abs(x0));
      x[e] = x0 + h;
      const double up = loss_at(at);
      x[e] = x0 - h;
      const double down = loss_at(at);
      const double num = (up - down) / (2 * h);
      const double a = ana[static_cast<std::size_t>(e)];
      if (!(std::abs(num - a) <= 1e-5 + 1e-3 * std::abs(num))) {
        FAIL(c.name << ": d loss / d input " << i << "[" << e << "] is " << a
                    << " analytically but " << num << " by finite differences");
      }
    }
  }
}

std::set<std::string> ops_in(const OpCase& c) {
  Built b = build(c, DType::float32, false);
  std::set<std::string> names;
  for (const auto& node : b.graph->nodes()) names.insert(node->op());
  return names;
}

}  // namespace

TEST_CASE("op table", "[ops]") {
  REQUIRE(!op_cases().empty());
  for (const OpCase& c : op_cases()) {
    DYNAMIC_SECTION(c.name) {
      check_shapes(c);
      if (!c.expected.empty()) check_expected(c);
      if (c.compare_backends) check_backends(c);
      if (c.check_gradients) check_gradients(c);
    }
  }
}

TEST_CASE("every op has inference, a VJP entry, kernels and test rows", "[ops][completeness]") {
  std::set<std::string> tested;
  for (const OpCase& c : op_cases()) {
    std::set<std::string> names = ops_in(c);
    tested.insert(names.begin(), names.end());
  }
  for (const graph::OpDef* def : graph::all_op_defs()) {
    INFO("op '" << def->name << "'");
    CHECK(def->infer != nullptr);
    CHECK(autodiff::find_vjp(def->name) != nullptr);
    CHECK(backend::reference::find_kernel(def->name) != nullptr);
    CHECK(backend::onednn::has_entry(def->name));
    CHECK(tested.count(def->name) == 1);
  }
}

}  // namespace keras::testing
