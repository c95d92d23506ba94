#pragma once
// What a lowering sees while a plan is compiled: the step (one node, or a
// matmul with its fused bias and activation), oneDNN memories over the plan's
// buffers, and emit() to append a primitive to the plan.
#include <dnnl.hpp>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "keras/graph/graph.hpp"

namespace keras::backend::onednn {

struct Step {
  // The node whose outputs the step produces (the last of a fused chain).
  const graph::Node* node = nullptr;
  // Fused into a matmul step: the bias add and the activation that follow it.
  const graph::Node* matmul = nullptr;
  const graph::Node* bias_add = nullptr;
  graph::Value bias;
  const graph::Node* activation = nullptr;
  // Fused into an add/subtract step: its second operand is scaled_operand *
  // scale (an SGD update, w - g * lr, in one pass).
  const graph::Node* scaling = nullptr;
  graph::Value scaled_operand;
  float scale = 1.0f;
};

class Compiler {
 public:
  virtual ~Compiler() = default;
  virtual const dnnl::engine& engine() const = 0;
  // A row-major memory over the buffer of `value`; rank-0 values are (1,).
  virtual dnnl::memory memory(const graph::Value& value) = 0;
  // The same buffer seen through another descriptor (a transposed view, a
  // reduction's keepdims shape).
  virtual dnnl::memory memory(const graph::Value& value, const dnnl::memory::desc& desc) = 0;
  // A memory over `value`, which the plan keeps alive (a lowering's own
  // constant operand).
  virtual dnnl::memory constant(Tensor value, const dnnl::memory::desc& desc) = 0;
  // Appends a primitive; `text` describes it in the plan printout.
  virtual void emit(const dnnl::primitive& primitive, std::unordered_map<int, dnnl::memory> args,
                    std::string text) = 0;
};

// oneDNN dims of a shape (rank 0 becomes (1,)).
dnnl::memory::dims dims_of(const Shape& shape);
// Row-major descriptor of `shape`, f32.
dnnl::memory::desc plain_desc(const Shape& shape);
// `shape` right-aligned to `rank` with leading 1s (NumPy broadcasting).
dnnl::memory::dims dims_at_rank(const Shape& shape, std::int64_t rank);
// "(128, 512)" for plan printouts.
std::string dims_text(const dnnl::memory::dims& dims);

// The eltwise algorithm and alpha/beta that compute activation `node`
// (relu, elu, tanh, ...), or nullopt when oneDNN has none for it.
struct EltwiseAlgorithm {
  dnnl::algorithm algorithm;
  float alpha = 0.0f;
  float beta = 0.0f;
  // Its backward can read the forward output instead of the input.
  bool backward_from_dst = false;
  dnnl::algorithm backward_algorithm;
};
std::optional<EltwiseAlgorithm> eltwise_algorithm(std::string_view op, const graph::Attrs& attrs);

}  // namespace keras::backend::onednn
