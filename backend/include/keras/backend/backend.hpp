#pragma once
// The narrow interface every backend implements: compile a specialized graph
// (all shapes known, learning phase already folded) with its feeds and fetches
// into a Plan, and run the plan. See backend/README.md.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "keras/graph/graph.hpp"
#include "keras/tensor.hpp"
#include "keras/variable.hpp"

namespace keras::backend {

using keras::Tensor;
using keras::Variable;

struct RunOptions {
  // How many times the owning Function has run before: random ops draw from
  // (seed, step) so that each call gets fresh numbers, reproducibly.
  std::uint64_t step = 0;
  // Fetched values may be returned as views of the plan's own buffers
  // instead of copies: they stay valid only until the plan runs again. For
  // callers that consume the fetches at once (the optimizer's gradients).
  bool borrow_fetches = false;
};

class Plan {
 public:
  virtual ~Plan() = default;
  // Feeds follow the order given to compile(); fetches come back in theirs.
  virtual std::vector<Tensor> run(const std::vector<Tensor>& feeds, const RunOptions& options) = 0;
  // Human-readable: primitives, layouts, fusions, buffer reuse.
  virtual std::string to_string() const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // `graph` has only fully known shapes. Feeds are placeholders of `graph`.
  // After each run the plan writes each update's value into its variable
  // (in place, where that is safe); run() returns the fetches only.
  virtual std::unique_ptr<Plan> compile(
      std::shared_ptr<const graph::Graph> graph, const std::vector<graph::Value>& feeds,
      const std::vector<graph::Value>& fetches,
      const std::vector<std::pair<Variable, graph::Value>>& updates = {}) = 0;
};

// Plain Eigen and loops: every op, float32 and float64; the oracle of the tests.
Backend& reference_backend();
// oneDNN primitives, with the reference kernels for what oneDNN lacks.
Backend& onednn_backend();
// What backend::function uses unless told otherwise: oneDNN.
Backend& default_backend();

// Threads used by kernels: all cores unless KERAS_NUM_THREADS or
// set_num_threads() says otherwise.
int num_threads();
void set_num_threads(int threads);

}  // namespace keras::backend
