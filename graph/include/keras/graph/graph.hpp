#pragma once
// The op-level IR. A Graph owns Nodes; a Node is one op application with its
// inputs (Values), attributes and inferred output types; a Value is one output
// of a Node. Nodes are appended in topological order (a node's inputs always
// exist before it), so node order is an execution order.
//
// Nodes are added only through the op registry (Graph::add_node), which checks
// the attributes and infers the output types: an ill-typed graph cannot be
// built. Emitting ops is done with keras::ops (keras/graph/ops.hpp).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "keras/graph/attrs.hpp"

namespace keras::graph {

struct TensorType {
  DType dtype = DType::float32;
  Shape shape;
  bool operator==(const TensorType& other) const = default;
  // "(None, 64) float32"
  std::string to_string() const;
};

class Graph;
class Node;
struct OpDef;

class Value {
 public:
  Value() = default;
  Value(Node* node, int index) : node_(node), index_(index) {}

  Node* node() const { return node_; }
  int index() const { return index_; }
  bool valid() const { return node_ != nullptr; }
  Graph& graph() const;
  const TensorType& type() const;
  DType dtype() const { return type().dtype; }
  const Shape& shape() const { return type().shape; }
  // "dense_1/matmul:0 (None, 64) float32"
  std::string to_string() const;

  bool operator==(const Value& other) const = default;

 private:
  Node* node_ = nullptr;
  int index_ = 0;
};

struct ValueHash {
  std::size_t operator()(const Value& v) const {
    return std::hash<const void*>()(v.node()) * 31u + static_cast<std::size_t>(v.index());
  }
};

class Node {
 public:
  std::int64_t id() const { return id_; }
  const std::string& op() const;
  const OpDef& def() const { return *def_; }
  // Scoped, unique in its graph: "dense_1/matmul".
  const std::string& name() const { return name_; }
  const std::vector<Value>& inputs() const { return inputs_; }
  const Value& input(int i) const { return inputs_.at(static_cast<std::size_t>(i)); }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  const Attrs& attrs() const { return attrs_; }
  int num_outputs() const { return static_cast<int>(outputs_.size()); }
  const TensorType& output_type(int i) const { return outputs_.at(static_cast<std::size_t>(i)); }
  Value output(int i = 0) { return Value(this, i); }
  Graph& graph() const { return *graph_; }

 private:
  friend class Graph;
  Node() = default;

  Graph* graph_ = nullptr;
  std::int64_t id_ = 0;
  const OpDef* def_ = nullptr;
  std::string name_;
  std::vector<Value> inputs_;
  Attrs attrs_;
  std::vector<TensorType> outputs_;
};

class Graph : public std::enable_shared_from_this<Graph> {
 public:
  static std::shared_ptr<Graph> create();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // Appends a node of op `op`: checks the input count, the attributes (unknown
  // names, kinds; defaults filled in) and infers the outputs. Throws
  // keras::Error naming the op, the node and its input types when the op's
  // rules reject them.
  std::vector<Value> add_node(std::string_view op, std::vector<Value> inputs, Attrs attrs = {},
                              std::string_view name = {});
  // add_node for ops with one output.
  Value add(std::string_view op, std::vector<Value> inputs, Attrs attrs = {},
            std::string_view name = {});

  const std::vector<std::unique_ptr<Node>>& nodes() const { return nodes_; }
  std::size_t size() const { return nodes_.size(); }

  // The learning phase: a scalar bool placeholder, one per graph, created on
  // first use (Keras' K.learning_phase()).
  Value learning_phase();
  std::optional<Value> find_learning_phase() const { return learning_phase_; }

  // Name scopes prefix node names ("dense_1/matmul"); see NameScope.
  void push_name_scope(const std::string& scope);
  void pop_name_scope();

  // A seed for a random op created without one; deterministic per graph.
  std::int64_t next_seed();

 private:
  Graph() = default;
  std::string unique_name(std::string_view base);

  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::string> scopes_;
  std::unordered_map<std::string, int> name_counts_;
  std::unordered_set<std::string> used_names_;
  std::optional<Value> learning_phase_;
  std::int64_t seed_counter_ = 0;
};

// Prefixes the names of the nodes created while it lives.
class NameScope {
 public:
  NameScope(Graph& graph, const std::string& scope) : graph_(graph) {
    graph_.push_name_scope(scope);
  }
  ~NameScope() { graph_.pop_name_scope(); }
  NameScope(const NameScope&) = delete;
  NameScope& operator=(const NameScope&) = delete;

 private:
  Graph& graph_;
};

// The graph that ops without inputs (placeholder, constant, random_*) are
// added to: the innermost live GraphScope's, else this thread's default graph.
Graph& current_graph();
std::shared_ptr<Graph> default_graph();
// Starts a fresh default graph (Keras' clear_session()).
void reset_default_graph();

class GraphScope {
 public:
  explicit GraphScope(std::shared_ptr<Graph> graph);
  ~GraphScope();
  GraphScope(const GraphScope&) = delete;
  GraphScope& operator=(const GraphScope&) = delete;

 private:
  std::shared_ptr<Graph> graph_;
};

}  // namespace keras::graph
