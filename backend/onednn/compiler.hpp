#pragma once
// What a lowering sees while a plan is compiled: the step (one node, or a
// matmul with its fused bias and activation), oneDNN memories over the plan's
// buffers, and emit() to append a primitive to the plan.
#include <dnnl.hpp>

#include <functional>
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
  // Fused into a matmul step: the product times accumulate_scale is added
  // to the variable that `node` (an add or subtract) updates, or subtracted
  // from it, in the variable's storage (an SGD update of a weight gradient).
  graph::Value accumulate_scale;
  // Fused into an activation_grad step (ReLU's): the sum_to_like that sums
  // its result over the leading axes (a bias gradient), in the same pass.
  const graph::Node* column_sum = nullptr;
  // A view op (reshape, identity, ...) whose output the memory planner made
  // an alias of its input's buffer: nothing to compute.
  bool view = false;
  // Runs on its reference kernel: cheaper than a primitive (small_steps.hpp).
  bool small = false;
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
  // Plan-owned memory for a lowering's intermediate result (several
  // primitives for one node).
  virtual dnnl::memory scratch(const dnnl::memory::desc& desc) = 0;
  // Appends a primitive; `text` describes it in the plan printout.
  virtual void emit(const dnnl::primitive& primitive, std::unordered_map<int, dnnl::memory> args,
                    std::string text) = 0;
  // A plan printout line for a step that needs no primitive (a view).
  virtual void note(std::string text) = 0;
  // Appends a kernel of keras-cpp's own, run in order with the primitives;
  // it reads its buffers' addresses (data handles) when it runs, since feeds
  // change them.
  virtual void emit_kernel(std::function<void()> kernel, std::string text) = 0;
};

// The floats an own kernel reads or writes through `memory` (a plan buffer,
// rebound when feeds change), when it runs; null for an empty memory (an
// absent operand).
inline float* floats_of(const dnnl::memory& memory) {
  return memory ? static_cast<float*>(memory.get_data_handle()) : nullptr;
}

// The step's results: its node's outputs, and a fused column sum's.
std::vector<graph::Value> step_outputs(const Step& step);

// Whether a sum or sum_to_like node sums float32 over leading axes only,
// which column_sum.hpp's kernel does.
bool is_column_sum(const graph::Node& sum);

// A column sum (is_column_sum) as column_sum.hpp's kernel; with `relu`, the
// gradient whose dx the sum reads computes dx on the way.
struct ReluGrad {
  const graph::Node& activation_grad;
  float slope;
};
void emit_column_sum(const graph::Node& sum, std::optional<ReluGrad> relu, Compiler& c);

// The slope below zero of an activation_grad that column_sum.hpp computes
// from the ReLU's output (relu: 0, leaky_relu: a positive slope), or nullopt.
std::optional<float> relu_grad_slope(const graph::Node& activation_grad);

// Whether a matmul runs on narrow_matmul.hpp's kernel: float32, two axes, B
// not transposed, at most 16 output columns.
bool is_narrow_matmul(const graph::Node& matmul);

// Whether a matmul runs on oneDNN's jitted sgemm rather than brgemm: a
// large weight gradient, x^T dy. Only sgemm takes the run-time output scale
// of a matmul that accumulates into a variable.
bool prefers_sgemm(const graph::Node& matmul);

// The primitive descriptor of `desc` whose implementation is oneDNN's scalar
// "ref" code: exact (std::log) where the jitted kernels approximate, e.g. the
// logarithm, which oneDNN 2.6 jits to within ~4e-6 absolute only. (The
// iterator over implementations reads `desc`, so it is walked here, while
// `desc` lives.)
template <class PrimitiveDesc, class Desc>
PrimitiveDesc scalar_implementation(const Desc& desc, const dnnl::engine& engine) {
  PrimitiveDesc pd(desc, engine);
  do {
    if (std::string_view(pd.impl_info_str()).starts_with("ref")) return pd;
  } while (pd.next_impl());
  throw dnnl::error(dnnl_unimplemented, "no scalar implementation");
}

inline graph::Value output_of(const graph::Node& node, int i = 0) {
  return {const_cast<graph::Node*>(&node), i};
}

// oneDNN dims of a shape (rank 0 becomes (1,)).
dnnl::memory::dims dims_of(const Shape& shape);
// Row-major descriptor of `shape`, f32 unless told.
dnnl::memory::desc plain_desc(const Shape& shape,
                              dnnl::memory::data_type type = dnnl::memory::data_type::f32);
// The oneDNN type that holds a DType's values exactly (float32, int32,
// bool), or nullopt (float64, int64: oneDNN has neither).
std::optional<dnnl::memory::data_type> data_type_of(DType dtype);
// Row-major strides of `dims`.
dnnl::memory::dims row_major_strides(const dnnl::memory::dims& dims);
// `shape` right-aligned to `rank` with leading 1s (NumPy broadcasting).
dnnl::memory::dims dims_at_rank(const Shape& shape, std::int64_t rank);
// "(128, 512)" for plan printouts.
std::string dims_text(const dnnl::memory::dims& dims);
// The format tag of a strided descriptor, outermost axis first ("ab", "ba"
// for a transposed view), with its broadcast (stride 0) axes named.
std::string layout_text(const dnnl::memory::desc& desc);

// How oneDNN's eltwise primitives compute an activation or unary op: one
// stage (relu, tanh, ...) or two (selu = scale * elu, hard_sigmoid = clip of
// a linear), and its gradient when oneDNN has one.
struct EltwiseStage {
  dnnl::algorithm algorithm;
  float alpha = 0.0f;
  float beta = 0.0f;
};
struct EltwiseAlgorithm {
  EltwiseStage forward;
  std::optional<EltwiseStage> then;
  // activation_grad as eltwise_backward (reading the forward output when
  // from_dst, else the input), times `scale`.
  struct Backward {
    EltwiseStage stage;
    bool from_dst = false;
    float scale = 1.0f;
  };
  std::optional<Backward> backward;
  // Only oneDNN's scalar implementation is accurate enough (log): never a
  // jitted post-op.
  bool scalar_only = false;
};
std::optional<EltwiseAlgorithm> eltwise_algorithm(std::string_view op, const graph::Attrs& attrs);
// y = stage(y), in place, as one eltwise primitive.
void emit_in_place(const EltwiseStage& stage, const graph::Value& y, const std::string& what,
                   Compiler& c);

}  // namespace keras::backend::onednn
