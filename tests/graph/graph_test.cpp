#include <catch2/catch.hpp>

#include "keras/graph/op_def.hpp"
#include "keras/graph/ops.hpp"
#include "keras/graph/passes.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace graph = keras::graph;
namespace ops = keras::ops;

namespace {
struct FreshGraph {
  std::shared_ptr<graph::Graph> g = graph::Graph::create();
  graph::GraphScope scope{g};
};

int count_op(const graph::Graph& g, const std::string& op) {
  int n = 0;
  for (const auto& node : g.nodes()) n += node->op() == op;
  return n;
}
}  // namespace

TEST_CASE("an ill-typed graph is rejected when it is built, naming the op and the shapes",
          "[graph]") {
  FreshGraph f;
  auto x = ops::placeholder({Shape::kUnknown, 32}, DType::float32, "x");
  auto w = ops::constant(Tensor::zeros({64, 10}));
  CHECK_THROWS_WITH(ops::matmul(x, w),
                    Contains("matmul") && Contains("(None, 32)") && Contains("(64, 10)"));
  CHECK_THROWS_WITH(
      f.g->add("softmax", {x}, {{"axes", std::int64_t{1}}}),
      Contains("op 'softmax'") && Contains("no attribute 'axes'") && Contains("axis"));
  CHECK_THROWS_WITH(f.g->add("softmax", {x}, {{"axis", std::string("last")}}),
                    Contains("attribute 'axis' must be a int"));
  CHECK_THROWS_WITH(f.g->add("no_such_op", {x}), Contains("unknown op 'no_such_op'"));
  CHECK_THROWS_WITH(f.g->add("relu", {x, x}), Contains("takes 1 inputs, got 2"));
  CHECK_THROWS_WITH(ops::softmax(x, 2), Contains("axis 2 is out of range for rank 2"));
}

TEST_CASE("nodes get Keras-style unique, scoped names", "[graph]") {
  FreshGraph f;
  auto x = ops::placeholder({2}, DType::float32, "x");
  auto a = ops::relu(x);
  auto b = ops::relu(x);
  CHECK(a.node()->name() == "relu");
  CHECK(b.node()->name() == "relu_1");
  {
    graph::NameScope scope(*f.g, "dense_1");
    CHECK(ops::relu(x).node()->name() == "dense_1/relu");
  }
  CHECK(f.g->learning_phase() == f.g->learning_phase());
  CHECK(f.g->learning_phase().shape() == Shape());
  CHECK(f.g->learning_phase().dtype() == DType::bool_);
}

TEST_CASE("specialize makes every shape concrete and drops what the fetches do not need",
          "[graph][passes]") {
  FreshGraph f;
  auto x = ops::placeholder({Shape::kUnknown, 4});
  auto flat = ops::reshape(ops::relu(x), {-1});
  auto unused = ops::exp(x);
  (void)unused;
  graph::Program p = graph::specialize({x}, {{DType::float32, Shape{3, 4}}}, {flat}, {});
  CHECK(p.fetches[0].shape() == Shape{12});
  CHECK(count_op(*p.graph, "exp") == 0);
  CHECK(count_op(*p.graph, "relu") == 1);
  CHECK_THROWS_WITH(graph::specialize({}, {}, {flat}, {}),
                    Contains("need the placeholder") && Contains("(None, 4)"));
}

TEST_CASE("a bound learning phase folds away the untaken branch", "[graph][passes]") {
  FreshGraph f;
  auto x = ops::placeholder({2, 3});
  auto phase = f.g->learning_phase();
  auto y = ops::where(phase, ops::exp(x), ops::negative(x));
  for (bool train : {false, true}) {
    graph::Program p = graph::specialize({x}, {{DType::float32, Shape{2, 3}}}, {y},
                                         {{phase, Tensor::scalar(train, DType::bool_)}});
    p = graph::fold_constants(
        p, [](const graph::Node&, const std::vector<Tensor>&) -> std::vector<Tensor> {
          FAIL("nothing to evaluate");
          return {};
        });
    CHECK(count_op(*p.graph, "where") == 0);
    CHECK(count_op(*p.graph, "exp") == (train ? 1 : 0));
    CHECK(count_op(*p.graph, "negative") == (train ? 0 : 1));
  }
}

TEST_CASE("constant folding evaluates stateless nodes whose inputs are constants",
          "[graph][passes]") {
  FreshGraph f;
  auto x = ops::placeholder({2});
  auto c = ops::constant(Tensor(Shape{2}, std::vector<float>{1, 2})) * 3.0;
  auto y = x + c;
  graph::Program p = graph::specialize({x}, {{DType::float32, Shape{2}}}, {y}, {});
  int evaluated = 0;
  p = graph::fold_constants(p, [&](const graph::Node& node, const std::vector<Tensor>& in) {
    ++evaluated;
    CHECK(node.op() == "multiply");
    Tensor out(DType::float32, Shape{2});
    for (int i = 0; i < 2; ++i) {
      out.data<float>()[i] = in[0].data<float>()[i] * in[1].to_vector<float>()[0];
    }
    return std::vector<Tensor>{out};
  });
  CHECK(evaluated == 1);
  CHECK(count_op(*p.graph, "multiply") == 0);
  CHECK(count_op(*p.graph, "add") == 1);
}

TEST_CASE("common subexpressions are merged, random ops are not", "[graph][passes]") {
  FreshGraph f;
  auto x = ops::placeholder({2});
  auto y = ops::exp(x) + ops::exp(x);
  auto r = ops::random_uniform({2}, 0, 1, DType::float32, 7);
  auto s = ops::random_uniform({2}, 0, 1, DType::float32, 7);
  graph::Program p = graph::specialize({x}, {{DType::float32, Shape{2}}}, {y, r + s}, {});
  p = graph::eliminate_common_subexpressions(p);
  CHECK(count_op(*p.graph, "exp") == 1);
  CHECK(count_op(*p.graph, "random_uniform") == 2);
}
