// A compiled plan allocates nothing to run: the only allocations of a run are
// the tensors it returns, so their count does not grow with the graph.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "keras/backend/function.hpp"
#include "keras/graph/ops.hpp"
#include "onednn/small_steps.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// The nothrow forms too (std::stable_sort's temporary buffer uses them): every
// form must pair with malloc/free, or ASan reports a new/free mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace backend = keras::backend;
namespace graph = keras::graph;
namespace ops = keras::ops;

namespace {

struct Run {
  long allocations;
  std::size_t steps;
};

// The second run of a plan computing `depth` chained layers, each one fused
// matmul+bias+tanh primitive.
Run second_run(int depth) {
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({64, 64});
  auto w = ops::constant(Tensor::full({64, 64}, 0.01));
  auto b = ops::constant(Tensor::full({64}, 0.1));
  graph::Value h = x;
  for (int i = 0; i < depth; ++i) h = ops::tanh(ops::matmul(h, w) + b);
  auto y = ops::sum(ops::softmax(h));
  auto plan =
      backend::compile({x}, {{DType::float32, Shape{64, 64}}}, {y}, {}, backend::onednn_backend());
  const std::string text = plan->to_string();
  REQUIRE(text.find("reference") == std::string::npos);
  std::vector<Tensor> feeds{Tensor::full({64, 64}, 1.0)};
  plan->run(feeds, {});
  const long before = allocations.load();
  std::vector<Tensor> out = plan->run(feeds, {});
  return {allocations.load() - before, static_cast<std::size_t>(depth) + 2};
}

}  // namespace

// oneDNN 2.6 builds a small argument map inside every primitive execution
// (libdnnl's exec_ctx_t): a fixed cost per primitive, outside our control.
// What the plan itself allocates per run is only what it returns.
TEST_CASE("a plan's run allocates only the tensors it returns", "[backend][onednn]") {
  // Every step on its oneDNN lowering, however small (small_steps.hpp).
  const backend::onednn::SmallStepBytes all_lowered(0);
  const Run shallow = second_run(1);
  const Run deep = second_run(12);
  const long added = deep.allocations - shallow.allocations;
  const long layers = static_cast<long>(deep.steps - shallow.steps);
  INFO("allocations: " << shallow.allocations << " for 3 primitives, " << deep.allocations
                       << " for 14");
  // Each added primitive costs the same few allocations, all inside oneDNN.
  CHECK(added % layers == 0);
  CHECK(added / layers <= 8);

  // A plan without primitives shows the plan's own cost: the result vector
  // and the returned tensor's storage handle.
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({4, 4});
  auto plan =
      backend::compile({x}, {{DType::float32, Shape{4, 4}}}, {x}, {}, backend::onednn_backend());
  std::vector<Tensor> feeds{Tensor::full({4, 4}, 1.0)};
  plan->run(feeds, {});
  const long before = allocations.load();
  std::vector<Tensor> out = plan->run(feeds, {});
  CHECK(allocations.load() - before <= 3);
}
