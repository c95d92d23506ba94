// Rows of the activations family and of activation_grad, whose rows check
// the activations' second derivatives through its own VJP.
#include "elementwise_case_helpers.hpp"
#include "keras/graph/gradient_ops.hpp"
#include "keras/graph/ops.hpp"

namespace keras::testing {

namespace {

using namespace elementwise;

struct Activation {
  std::string name;  // with its parameters: "elu(alpha=0.5)"
  std::function<Value(const Value&)> op;
  // Random inputs avoid the kinks only by chance (0 for relu and its kin,
  // +-3 for hard_sigmoid), which a continuous draw never hits.
  double low = -2.0, high = 2.0;
};

std::vector<Activation> activations() {
  return {
      {"relu", [](const Value& x) { return ops::relu(x); }},
      {"elu", [](const Value& x) { return ops::elu(x); }},
      {"elu(alpha=0.5)", [](const Value& x) { return ops::elu(x, 0.5); }},
      {"selu", [](const Value& x) { return ops::selu(x); }},
      {"sigmoid", [](const Value& x) { return ops::sigmoid(x); }, -6.0, 6.0},
      {"hard_sigmoid", [](const Value& x) { return ops::hard_sigmoid(x); }, -4.0, 4.0},
      {"hard_sigmoid(slope=0.2, offset=0.4)",
       [](const Value& x) { return ops::hard_sigmoid(x, 0.2, 0.4); }, -4.0, 4.0},
      {"tanh", [](const Value& x) { return ops::tanh(x); }},
      {"softplus", [](const Value& x) { return ops::softplus(x); }, -6.0, 6.0},
      {"softsign", [](const Value& x) { return ops::softsign(x); }},
      {"gelu", [](const Value& x) { return ops::gelu(x); }, -3.0, 3.0},
      {"gelu(approximate=false)", [](const Value& x) { return ops::gelu(x, false); }, -3.0, 3.0},
      {"swish", [](const Value& x) { return ops::swish(x); }, -4.0, 4.0},
      {"leaky_relu", [](const Value& x) { return ops::leaky_relu(x); }},
      {"leaky_relu(negative_slope=0.1)", [](const Value& x) { return ops::leaky_relu(x, 0.1); }},
  };
}

std::vector<OpCase> random_cases() {
  std::vector<OpCase> cases;
  for (const Activation& activation : activations()) {
    for (const Shape& shape : unary_shapes()) {
      cases.push_back(OpCase{.name = fmt::format("{} {}", activation.name, shape.to_string()),
                             .inputs = {random_input(shape, activation.low, activation.high)},
                             .build = unary(activation.op),
                             .expected = {}});
    }
  }
  return cases;
}

// activation_grad(x, f(x), dy) built from the forward node, as the
// activation's VJP does.
Build activation_grad_of(std::function<Value(const Value&)> activation) {
  return [activation](const std::vector<Value>& in) {
    const Value y = activation(in[0]);
    return std::vector<Value>{ops::activation_grad(*y.node(), in[0], y, in[1])};
  };
}

std::vector<OpCase> activation_grad_cases() {
  std::vector<OpCase> cases;
  for (const Activation& activation : activations()) {
    for (const Shape& shape : {Shape{2, 3}, Shape{1, 5}}) {
      cases.push_back(OpCase{
          .name = fmt::format("activation_grad of {} {}", activation.name, shape.to_string()),
          .inputs = {random_input(shape, activation.low, activation.high), random_input(shape)},
          .build = activation_grad_of(activation.op),
          .expected = {}});
    }
  }
  // relu: dy where x > 0, [0, 4].
  cases.push_back({.name = "activation_grad of relu (2,) hand-worked",
                   .inputs = {given_input({2}, {-1, 2}), given_input({2}, {3, 4})},
                   .build = activation_grad_of([](const Value& x) { return ops::relu(x); }),
                   .expected = {{0, 4}}});
  // sigmoid: dy * y (1 - y) with y = 0.5: [2 / 4, -1 / 4].
  cases.push_back({.name = "activation_grad of sigmoid (2,) hand-worked",
                   .inputs = {given_input({2}, {0, 0}), given_input({2}, {2, -1})},
                   .build = activation_grad_of([](const Value& x) { return ops::sigmoid(x); }),
                   .expected = {{0.5, -0.25}}});
  // elu(alpha=0.5): dy * (y + alpha) = 0.5 e^-2 for x = -2; dy for x = 1.
  cases.push_back({.name = "activation_grad of elu(alpha=0.5) (2,) hand-worked",
                   .inputs = {given_input({2}, {-2, 1}), given_input({2}, {1, 3})},
                   .build = activation_grad_of([](const Value& x) { return ops::elu(x, 0.5); }),
                   .expected = {{0.06766764161830635, 3}}});
  return cases;
}

std::vector<OpCase> hand_worked_cases() {
  return {
      {.name = "relu (3,) hand-worked",
       .inputs = {given_input({3}, {-1, 0.5, 2})},
       .build = unary([](const Value& x) { return ops::relu(x); }),
       .expected = {{0, 0.5, 2}}},
      // [e^-1 - 1, 2]
      {.name = "elu (2,) hand-worked",
       .inputs = {given_input({2}, {-1, 2})},
       .build = unary([](const Value& x) { return ops::elu(x); }),
       .expected = {{-0.6321205588285577, 2}}},
      // [0.5 (e^-2 - 1), 1]
      {.name = "elu(alpha=0.5) (2,) hand-worked",
       .inputs = {given_input({2}, {-2, 1})},
       .build = unary([](const Value& x) { return ops::elu(x, 0.5); }),
       .expected = {{-0.43233235838169365, 1}}},
      // [scale alpha (e^-1 - 1), scale] with Keras' alpha and scale.
      {.name = "selu (2,) hand-worked",
       .inputs = {given_input({2}, {-1, 1})},
       .build = unary([](const Value& x) { return ops::selu(x); }),
       .expected = {{-1.1113307378125625, 1.0507009873554805}}},
      // 1 / (1 + e^-x); +-50 checks the stable form.
      {.name = "sigmoid (5,) hand-worked",
       .inputs = {given_input({5}, {0, 2, -2, 50, -50})},
       .build = unary([](const Value& x) { return ops::sigmoid(x); }),
       .expected = {{0.5, 0.8807970779778823, 0.11920292202211755, 1, 1.9287498479639178e-22}},
       .atol32 = 0},
      // clip(x / 6 + 0.5, 0, 1)
      {.name = "hard_sigmoid (4,) hand-worked",
       .inputs = {given_input({4}, {-4, 0, 1.5, 4})},
       .build = unary([](const Value& x) { return ops::hard_sigmoid(x); }),
       .expected = {{0, 0.5, 0.75, 1}}},
      // clip(0.2 x + 0.4, 0, 1)
      {.name = "hard_sigmoid(slope=0.2, offset=0.4) (3,) hand-worked",
       .inputs = {given_input({3}, {1, -3, 4})},
       .build = unary([](const Value& x) { return ops::hard_sigmoid(x, 0.2, 0.4); }),
       .expected = {{0.6, 0, 1}}},
      {.name = "tanh (2,) hand-worked",
       .inputs = {given_input({2}, {0, 1})},
       .build = unary([](const Value& x) { return ops::tanh(x); }),
       .expected = {{0, 0.7615941559557649}}},
      // log(1 + e^x): [log 2, log(1 + e), log(1 + 1/e), 30 + log1p(e^-30)]
      {.name = "softplus (4,) hand-worked",
       .inputs = {given_input({4}, {0, 1, -1, 30})},
       .build = unary([](const Value& x) { return ops::softplus(x); }),
       .expected = {{0.6931471805599453, 1.3132616875182228, 0.31326168751822286,
                     30.000000000000092}}},
      // x / (1 + |x|)
      {.name = "softsign (3,) hand-worked",
       .inputs = {given_input({3}, {1, -3, 0})},
       .build = unary([](const Value& x) { return ops::softsign(x); }),
       .expected = {{0.5, -0.75, 0}}},
      // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
      {.name = "gelu (3,) hand-worked",
       .inputs = {given_input({3}, {1, -1, 2})},
       .build = unary([](const Value& x) { return ops::gelu(x); }),
       .expected = {{0.8411919906082768, -0.15880800939172324, 1.954597694087775}}},
      // 0.5 x (1 + erf(x / sqrt 2))
      {.name = "gelu(approximate=false) (2,) hand-worked",
       .inputs = {given_input({2}, {1, -1})},
       .build = unary([](const Value& x) { return ops::gelu(x, false); }),
       .expected = {{0.8413447460685429, -0.15865525393145707}}},
      // x sigmoid(x)
      {.name = "swish (2,) hand-worked",
       .inputs = {given_input({2}, {1, -1})},
       .build = unary([](const Value& x) { return ops::swish(x); }),
       .expected = {{0.7310585786300049, -0.2689414213699951}}},
      {.name = "leaky_relu (2,) hand-worked",
       .inputs = {given_input({2}, {-2, 3})},
       .build = unary([](const Value& x) { return ops::leaky_relu(x); }),
       .expected = {{-0.4, 3}}},
      {.name = "leaky_relu(negative_slope=0.1) (2,) hand-worked",
       .inputs = {given_input({2}, {-5, 1})},
       .build = unary([](const Value& x) { return ops::leaky_relu(x, 0.1); }),
       .expected = {{-0.5, 1}}},
  };
}

std::vector<OpCase> all_cases() {
  std::vector<OpCase> cases = hand_worked_cases();
  for (auto* family : {random_cases, activation_grad_cases}) {
    for (OpCase& c : family()) cases.push_back(std::move(c));
  }
  return cases;
}

RegisterCases cases(all_cases());

}  // namespace

}  // namespace keras::testing
