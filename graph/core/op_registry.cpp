#include <algorithm>
#include <map>

#include "../ops/op_families.hpp"

namespace keras::graph {

void register_all_ops(OpRegistry& registry);

void OpRegistry::add(OpDef def) {
  KERAS_INTERNAL_CHECK(def.infer != nullptr, "op '{}' has no inference", def.name);
  for (const OpDef& existing : defs_) {
    KERAS_INTERNAL_CHECK(existing.name != def.name, "op '{}' is registered twice", def.name);
  }
  defs_.push_back(std::move(def));
}

namespace {

struct Table {
  std::vector<OpDef> defs;
  std::map<std::string, const OpDef*, std::less<>> by_name;
  std::vector<const OpDef*> sorted;
};

const Table& table() {
  static const Table instance = [] {
    OpRegistry registry;
    register_all_ops(registry);
    Table t;
    t.defs = std::move(registry.defs());
    for (const OpDef& def : t.defs) t.by_name[def.name] = &def;
    for (const auto& entry : t.by_name) t.sorted.push_back(entry.second);
    return t;
  }();
  return instance;
}

}  // namespace

const OpDef* find_op_def(std::string_view name) {
  const Table& t = table();
  auto it = t.by_name.find(name);
  return it == t.by_name.end() ? nullptr : it->second;
}

const OpDef& op_def(std::string_view name) {
  if (const OpDef* def = find_op_def(name)) return *def;
  std::string close;
  for (const OpDef* def : all_op_defs()) {
    if (def->name.find(name) != std::string::npos || name.find(def->name) != std::string::npos) {
      close += (close.empty() ? "" : ", ") + def->name;
    }
  }
  throw Error(fmt::format("unknown op '{}'{}", name,
                          close.empty() ? "" : "; did you mean one of: " + close + "?"));
}

const std::vector<const OpDef*>& all_op_defs() {
  return table().sorted;
}

void InferContext::fail(const std::string& message) const {
  std::string inputs;
  for (const TensorType& t : inputs_) inputs += (inputs.empty() ? "" : ", ") + t.to_string();
  throw Error(fmt::format("{} (node '{}') on inputs {}: {}", def_.name, node_name_,
                          inputs.empty() ? "()" : inputs, message));
}

std::int64_t InferContext::axis(std::int64_t axis, std::int64_t rank) const {
  if (axis < -rank || axis >= rank) {
    fail(fmt::format("axis {} is out of range for rank {} (valid axes are {} to {})", axis, rank,
                     -rank, rank - 1));
  }
  return axis < 0 ? axis + rank : axis;
}

void InferContext::require_floating(int i) const {
  if (!is_floating(input(i).dtype)) {
    fail(fmt::format("input {} must be float32 or float64, got {}", i, dtype_name(input(i).dtype)));
  }
}

void InferContext::require_same_dtype() const {
  for (int i = 1; i < num_inputs(); ++i) {
    if (input(i).dtype != input(0).dtype) {
      fail(fmt::format("all inputs must have one dtype; input 0 is {} but input {} is {}",
                       dtype_name(input(0).dtype), i, dtype_name(input(i).dtype)));
    }
  }
}

}  // namespace keras::graph
