#include "keras/graph/graph.hpp"

#include "keras/graph/op_def.hpp"

namespace keras::graph {

std::string TensorType::to_string() const {
  return shape.to_string() + " " + std::string(dtype_name(dtype));
}

Graph& Value::graph() const {
  return node_->graph();
}

const TensorType& Value::type() const {
  KERAS_INTERNAL_CHECK(node_ != nullptr, "type() of an empty Value");
  return node_->output_type(index_);
}

std::string Value::to_string() const {
  if (node_ == nullptr) return "<empty value>";
  return fmt::format("{}:{} {}", node_->name(), index_, type().to_string());
}

const std::string& Node::op() const {
  return def_->name;
}

std::shared_ptr<Graph> Graph::create() {
  return std::shared_ptr<Graph>(new Graph());
}

namespace {

// Checks `attrs` against the op's declaration and fills in defaults.
Attrs complete_attrs(const OpDef& def, Attrs attrs, std::string_view node_name) {
  for (const auto& [name, value] : attrs.items()) {
    const AttrSpec* spec = nullptr;
    for (const AttrSpec& s : def.attrs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      std::string known;
      for (const AttrSpec& s : def.attrs) known += (known.empty() ? "" : ", ") + s.name;
      throw Error(fmt::format("op '{}' (node '{}') has no attribute '{}'; its attributes are: {}",
                              def.name, node_name, name, known.empty() ? "none" : known));
    }
    AttrKind kind = attr_kind_of(value);
    if (kind == AttrKind::integer && spec->kind == AttrKind::floating) continue;
    if (kind != spec->kind) {
      throw Error(fmt::format("op '{}' (node '{}'): attribute '{}' must be a {}, got the {} {}",
                              def.name, node_name, name, attr_kind_name(spec->kind),
                              attr_kind_name(kind), attr_value_to_string(value)));
    }
  }
  Attrs complete;
  for (const AttrSpec& spec : def.attrs) {
    if (attrs.has(spec.name)) {
      AttrValue value = attrs.get(spec.name);
      if (spec.kind == AttrKind::floating) {
        if (const auto* i = std::get_if<std::int64_t>(&value)) value = static_cast<double>(*i);
      }
      complete.set(spec.name, std::move(value));
    } else if (spec.default_value) {
      complete.set(spec.name, *spec.default_value);
    } else {
      throw Error(fmt::format("op '{}' (node '{}') needs the attribute '{}' ({})", def.name,
                              node_name, spec.name, attr_kind_name(spec.kind)));
    }
  }
  return complete;
}

}  // namespace

std::vector<Value> Graph::add_node(std::string_view op, std::vector<Value> inputs, Attrs attrs,
                                   std::string_view name) {
  const OpDef& def = op_def(op);
  std::string node_name = unique_name(name.empty() ? op : name);
  const int n = static_cast<int>(inputs.size());
  if (n < def.min_inputs || (def.max_inputs != OpDef::kVariadic && n > def.max_inputs)) {
    std::string expected =
        def.min_inputs == def.max_inputs
            ? std::to_string(def.min_inputs)
            : fmt::format("{} to {}", def.min_inputs,
                          def.max_inputs == OpDef::kVariadic ? std::string("any number of")
                                                             : std::to_string(def.max_inputs));
    throw Error(fmt::format("op '{}' (node '{}') takes {} inputs, got {}", def.name, node_name,
                            expected, n));
  }
  for (const Value& v : inputs) {
    if (!v.valid()) {
      throw Error(fmt::format("op '{}' (node '{}') was given an empty value as input", def.name,
                              node_name));
    }
    if (&v.graph() != this) {
      throw Error(
          fmt::format("op '{}' (node '{}'): input {} belongs to another graph; values of "
                      "different graphs cannot be combined",
                      def.name, node_name, v.to_string()));
    }
  }
  Attrs complete = complete_attrs(def, std::move(attrs), node_name);
  std::vector<TensorType> input_types;
  input_types.reserve(inputs.size());
  for (const Value& v : inputs) input_types.push_back(v.type());
  InferContext context(def, input_types, complete, node_name);
  std::vector<TensorType> outputs = def.infer(context);

  auto node = std::unique_ptr<Node>(new Node());
  node->graph_ = this;
  node->id_ = static_cast<std::int64_t>(nodes_.size());
  node->def_ = &def;
  node->name_ = std::move(node_name);
  node->inputs_ = std::move(inputs);
  node->attrs_ = std::move(complete);
  node->outputs_ = std::move(outputs);
  Node* raw = node.get();
  nodes_.push_back(std::move(node));
  std::vector<Value> values;
  for (int i = 0; i < raw->num_outputs(); ++i) values.emplace_back(raw, i);
  return values;
}

Value Graph::add(std::string_view op, std::vector<Value> inputs, Attrs attrs,
                 std::string_view name) {
  std::vector<Value> outputs = add_node(op, std::move(inputs), std::move(attrs), name);
  KERAS_INTERNAL_CHECK(outputs.size() == 1, "op '{}' has {} outputs; use add_node", op,
                       outputs.size());
  return outputs[0];
}

Value Graph::learning_phase() {
  if (!learning_phase_) {
    // Created outside any name scope: it belongs to the whole graph.
    std::vector<std::string> saved;
    saved.swap(scopes_);
    learning_phase_ = add("placeholder", {}, {{"shape", Shape{}}, {"dtype", DType::bool_}},
                          "keras_learning_phase");
    scopes_.swap(saved);
  }
  return *learning_phase_;
}

void Graph::push_name_scope(const std::string& scope) {
  scopes_.push_back(scope);
}

void Graph::pop_name_scope() {
  KERAS_INTERNAL_CHECK(!scopes_.empty(), "pop_name_scope without a scope");
  scopes_.pop_back();
}

std::int64_t Graph::next_seed() {
  return 1337 + 7919 * seed_counter_++;
}

std::string Graph::unique_name(std::string_view base) {
  std::string name;
  for (const std::string& scope : scopes_) name += scope + "/";
  name += base;
  std::string unique = name;
  // Keras' scheme: dense, dense_1, dense_2, ...
  while (used_names_.count(unique) != 0) {
    unique = fmt::format("{}_{}", name, ++name_counts_[name]);
  }
  used_names_.insert(unique);
  return unique;
}

namespace {
thread_local std::shared_ptr<Graph> default_graph_;
thread_local std::vector<std::shared_ptr<Graph>> graph_stack_;
}  // namespace

std::shared_ptr<Graph> default_graph() {
  if (!default_graph_) default_graph_ = Graph::create();
  return default_graph_;
}

void reset_default_graph() {
  default_graph_ = Graph::create();
}

Graph& current_graph() {
  if (!graph_stack_.empty()) return *graph_stack_.back();
  return *default_graph();
}

GraphScope::GraphScope(std::shared_ptr<Graph> graph) : graph_(std::move(graph)) {
  graph_stack_.push_back(graph_);
}

GraphScope::~GraphScope() {
  graph_stack_.pop_back();
}

}  // namespace keras::graph
