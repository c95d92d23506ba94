// Model::summary(): Keras 3's table, line for line (keras/src/utils/
// summary_utils.py print_summary; the table itself is in summary_table.cpp).
//
// Keras' choices reproduced here:
// - A model is "sequential-like" (3 columns, 88 wide) when it is a
//   Sequential, or a functional model whose every depth holds one call with
//   one input tensor and whose layers are each called once within it; any
//   other model gets a "Connected to" column and 108 columns.
// - A functional model lists its layers as Keras' map_graph orders them
//   (keras/src/ops/function.py): deepest first, ties in the order a
//   depth-first walk from the outputs first meets them. A Sequential lists
//   its layers without the InputLayer.
// - A layer's output shape is that of its *last* call, in this model or not
//   (format_layer_shape), and a shape prints as "(None, 8)", rank 1 as "(None)".
// - Lines go to print_fn one by one (Keras 3 hands its print_fn the whole
//   text at once); the default line lengths are used whatever the terminal
//   (Keras shrinks them to a narrower terminal).
#include <fmt/core.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <unordered_set>

#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"
#include "summary_table.hpp"

namespace keras::models {

namespace {

using layers::LayerImpl;
using NodeKey = std::pair<const LayerImpl*, int>;  // (layer, node index): one call

const layers::Node& node_of(const NodeKey& key) {
  return key.first->inbound_nodes().at(static_cast<std::size_t>(key.second));
}

// Keras' test: one call per depth, each on one tensor, no layer called twice.
bool is_sequential_like(const FunctionalImpl::GraphMap& map) {
  std::map<int, int> calls_per_depth;
  std::map<const LayerImpl*, int> calls_per_layer;
  for (const auto& [key, depth] : map.node_depths) {
    if (++calls_per_depth[depth] > 1 || ++calls_per_layer[key.first] > 1) return false;
    if (node_of(key).inputs.size() > 1) return false;
  }
  return true;
}

// Keras' format_shape: "(None, 8)"; rank 1 is "(None)", not Python's "(None,)".
std::string format_shape(const Shape& shape) {
  std::string out = "(";
  for (std::int64_t axis = 0; axis < shape.rank(); ++axis) {
    if (axis > 0) out += ", ";
    const std::int64_t dim = shape[static_cast<std::size_t>(axis)];
    out += dim == Shape::kUnknown ? "None" : std::to_string(dim);
  }
  return out + ")";
}

// Keras' format_layer_shape: the outputs of the layer's last call, a list when
// there are several. Our calls hold their outputs weakly, so a call whose
// outputs are gone gives way to the one before.
std::string format_layer_shape(const LayerImpl& layer) {
  const std::vector<layers::Node>& nodes = layer.inbound_nodes();
  for (auto node = nodes.rbegin(); node != nodes.rend(); ++node) {
    const std::vector<KerasTensor> outputs = node->outputs();
    const bool alive =
        std::all_of(outputs.begin(), outputs.end(), [](const KerasTensor& t) { return t.valid(); });
    if (!alive || outputs.empty()) continue;
    if (outputs.size() == 1) return format_shape(outputs[0].shape());
    std::string out = "[";
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      out += (i > 0 ? ", " : "") + format_shape(outputs[i].shape());
    }
    return out + "]";
  }
  return "?";
}

// "inbound[node][tensor]" for every input of every call of `layer` that
// belongs to the model, or "-" (Keras' get_connections).
std::string connections(const LayerImpl& layer, const FunctionalImpl::GraphMap& map) {
  std::string out;
  const auto& nodes = layer.inbound_nodes();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!map.node_depths.count({&layer, static_cast<int>(i)})) continue;
    for (const KerasTensor& t : nodes[i].inputs) {
      const KerasHistory& h = t.history();
      out += (out.empty() ? "" : ", ") +
             fmt::format("{}[{}][{}]", h.layer->name(), h.node_index, h.tensor_index);
    }
  }
  return out.empty() ? "-" : out;
}

// Keras counts each variable once, however many layers hold it.
std::vector<Variable> unique(const std::vector<Variable>& weights) {
  std::vector<Variable> out;
  std::unordered_set<std::uint64_t> seen;
  for (const Variable& v : weights) {
    if (seen.insert(v.id()).second) out.push_back(v);
  }
  return out;
}

std::int64_t count_params(const std::vector<Variable>& weights) {
  std::int64_t n = 0;
  for (const Variable& v : unique(weights)) n += v.shape().num_elements();
  return n;
}

double memory_size(const std::vector<Variable>& weights) {
  double bytes = 0;
  for (const Variable& v : unique(weights)) bytes += static_cast<double>(v.value().nbytes());
  return bytes;
}

// Python's f"{n:,}".
std::string with_commas(std::int64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// Keras' readable_memory_size: powers of 1024, two decimals.
std::string readable_memory_size(double bytes) {
  for (const char* unit : {"B", "KB", "MB", "GB", "TB"}) {
    if (bytes / 1024 < 1) return fmt::format("{:.2f} {}", bytes, unit);
    bytes /= 1024;
  }
  return fmt::format("{:.2f} PB", bytes);
}

std::string params_line(const char* label, const std::vector<Variable>& weights) {
  return fmt::format(" {}: {} ({})", label, with_commas(count_params(weights)),
                     readable_memory_size(memory_size(weights)));
}

std::vector<std::string> summary_lines(const FunctionalImpl& model) {
  const bool sequential = dynamic_cast<const SequentialImpl*>(&model) != nullptr;
  FunctionalImpl::GraphMap map;
  if (!sequential) map = model.map_graph();
  const bool sequential_like = sequential || is_sequential_like(map);
  const std::vector<std::shared_ptr<LayerImpl>> listed =
      sequential ? model.sublayers() : map.layers;

  std::vector<SummaryColumn> columns{{"Layer (type)", Justify::kLeft},
                                     {"Output Shape", Justify::kLeft},
                                     {"Param #", Justify::kRight}};
  std::vector<double> positions{0.45, 0.80, 1.0};
  int line_length = 88;
  if (!sequential_like) {
    columns.push_back({"Connected to", Justify::kLeft});
    positions = {0.3, 0.56, 0.74, 1.0};
    line_length = 108;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& layer : listed) {
    std::vector<std::string> row{
        fmt::format("{} ({})", layer->name(), layer->class_name()), format_layer_shape(*layer),
        layer->built() ? with_commas(count_params(layer->weights())) : "0 (unbuilt)"};
    if (!sequential_like) row.push_back(connections(*layer, map));
    rows.push_back(std::move(row));
  }

  std::vector<std::string> lines{fmt::format("Model: \"{}\"", model.name())};
  for (std::string& line : SummaryTable(columns, positions, line_length).render(rows)) {
    lines.push_back(std::move(line));
  }
  const std::vector<Variable> trainable = model.trainable_weights();
  const std::vector<Variable> frozen = model.non_trainable_weights();
  std::vector<Variable> all = trainable;
  all.insert(all.end(), frozen.begin(), frozen.end());
  lines.push_back(params_line("Total params", all));
  lines.push_back(params_line("Trainable params", trainable));
  lines.push_back(params_line("Non-trainable params", frozen));
  return lines;
}

}  // namespace

void Model::summary(const std::function<void(const std::string&)>& print_fn) const {
  for (const std::string& line : summary_lines(impl())) {
    if (print_fn) {
      print_fn(line);
    } else {
      std::cout << line << '\n';
    }
  }
}

}  // namespace keras::models
