#include <catch2/catch.hpp>

#include "keras/autodiff/gradients.hpp"
#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace autodiff = keras::autodiff;
namespace backend = keras::backend;
namespace graph = keras::graph;
namespace ops = keras::ops;

namespace {
struct FreshGraph {
  std::shared_ptr<graph::Graph> g = graph::Graph::create();
  graph::GraphScope scope{g};
};

std::vector<double> eval(const std::vector<graph::Value>& inputs, const std::vector<Tensor>& feeds,
                         const graph::Value& out) {
  auto fn = backend::function(inputs, {out}, {}, {.backend = &backend::reference_backend()});
  return fn(feeds)[0].to_vector<double>();
}

Tensor vec(std::vector<double> v, Shape shape) {
  return Tensor(shape, v);
}
}  // namespace

TEST_CASE("fan-out contributions add up", "[autodiff]") {
  FreshGraph f;
  auto x = ops::placeholder({3}, DType::float64);
  auto y = ops::sum(x * x + x);
  auto dx = autodiff::gradients(y, {x})[0];
  // d/dx (x^2 + x) = 2x + 1
  CHECK(eval({x}, {vec({1, -2, 0.5}, {3})}, dx) == std::vector<double>{3, -3, 2});
}

TEST_CASE("broadcasting is undone: a bias gradient sums over the batch", "[autodiff]") {
  FreshGraph f;
  auto x = ops::placeholder({Shape::kUnknown, 3}, DType::float64);
  auto b = ops::placeholder({3}, DType::float64);
  auto loss = ops::sum((x + b) * (x + b));
  auto grads = autodiff::gradients(loss, {x, b});
  CHECK(grads[1].shape() == Shape{3});
  // d/db sum((x + b)^2) = sum over rows of 2 (x + b); x rows (1,2,3), (4,5,6), b = 0.
  Tensor xs = vec({1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor bs = vec({0, 0, 0}, {3});
  CHECK(eval({x, b}, {xs, bs}, grads[1]) == std::vector<double>{10, 14, 18});
}

TEST_CASE("a shared weight's gradient sums both branches", "[autodiff]") {
  FreshGraph f;
  keras::Variable w("shared/kernel", vec({2.0}, {1, 1}));
  auto a = ops::placeholder({1, 1}, DType::float64);
  auto b = ops::placeholder({1, 1}, DType::float64);
  auto wv = ops::read(w);
  CHECK(ops::read(w) == wv);  // one read node per variable and graph
  auto loss = ops::sum(ops::matmul(a, wv)) + ops::sum(ops::matmul(b, wv));
  auto dw = autodiff::gradients(loss, {ops::read(w)})[0];
  // d/dw (a w + b w) = a + b = 3 + 4
  CHECK(eval({a, b}, {vec({3}, {1, 1}), vec({4}, {1, 1})}, dw) == std::vector<double>{7});
}

TEST_CASE("stop_gradient, integer paths and unrelated values get no gradient", "[autodiff]") {
  FreshGraph f;
  auto x = ops::placeholder({2}, DType::float64);
  auto z = ops::placeholder({2}, DType::float64);
  auto loss =
      ops::sum(x * ops::stop_gradient(x) + ops::cast(ops::cast(x, DType::int32), DType::float64));
  auto grads = autodiff::gradients(loss, {x, z});
  // Only the first factor of x * stop_gradient(x) passes a gradient: d/dx = x.
  CHECK(eval({x}, {vec({3, 5}, {2})}, grads[0]) == std::vector<double>{3, 5});
  CHECK(eval({z}, {vec({1, 1}, {2})}, grads[1]) == std::vector<double>{0, 0});
}

TEST_CASE("gradients refuse an integer loss and foreign values", "[autodiff]") {
  FreshGraph f;
  auto x = ops::placeholder({2}, DType::int32);
  CHECK_THROWS_WITH(autodiff::gradients(ops::sum(x), {x}), Contains("float32 or float64"));
  auto other = graph::Graph::create();
  graph::GraphScope scope(other);
  auto y = ops::placeholder({2});
  auto loss = ops::sum(ops::cast(x, DType::float32));
  CHECK_THROWS_WITH(autodiff::gradients(loss, {y}), Contains("not a value of the loss' graph"));
}
