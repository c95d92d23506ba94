// Model::summary(): Keras 3's table, line for line (keras/src/utils/
// summary_utils.py, drawn as rich draws a table with show_lines and the
// heavy-head box).
#include <cmath>
#include <iostream>
#include <map>
#include <set>

#include "keras/layers/input_layer.hpp"
#include "keras/models/model.hpp"
#include "keras/models/sequential.hpp"

namespace keras::models {

namespace {

using layers::LayerImpl;

bool is_sequential_like(const FunctionalImpl& model,
                        const std::map<std::pair<const LayerImpl*, int>, int>& nodes) {
  if (dynamic_cast<const SequentialImpl*>(&model) != nullptr) return true;
  std::map<int, int> per_depth;
  std::map<const LayerImpl*, int> per_layer;
  for (const auto& [key, depth] : nodes) {
    if (++per_depth[depth] > 1 || ++per_layer[key.first] > 1) return false;
    const layers::Node& node = key.first->inbound_nodes().at(static_cast<std::size_t>(key.second));
    if (node.inputs.size() > 1) return false;
  }
  return true;
}

std::string with_commas(std::int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string readable_memory_size(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  for (const char* unit : units) {
    if (bytes / 1024 < 1) return fmt::format("{:.2f} {}", bytes, unit);
    bytes /= 1024;
  }
  return fmt::format("{:.2f} PB", bytes);
}

std::int64_t total_bytes(const std::vector<Variable>& weights) {
  std::int64_t bytes = 0;
  for (const Variable& v : weights) bytes += static_cast<std::int64_t>(v.value().nbytes());
  return bytes;
}

std::int64_t total_count(const std::vector<Variable>& weights) {
  std::int64_t n = 0;
  for (const Variable& v : weights) n += v.shape().num_elements();
  return n;
}

// Python's round(): halves go to the even neighbour.
std::int64_t round_half_even(double x) {
  const double floor = std::floor(x);
  const double diff = x - floor;
  if (diff > 0.5) return static_cast<std::int64_t>(floor) + 1;
  if (diff < 0.5) return static_cast<std::int64_t>(floor);
  const auto f = static_cast<std::int64_t>(floor);
  return f % 2 == 0 ? f : f + 1;
}

// Cell widths (padding included) as rich lays out fixed-width columns that
// overflow the table: the excess is taken from every column evenly.
std::vector<std::int64_t> column_widths(const std::vector<double>& positions, int line_length) {
  std::vector<std::int64_t> widths;
  std::int64_t current = 0;
  for (double p : positions) {
    const std::int64_t width = static_cast<std::int64_t>(p * line_length) - current;
    widths.push_back(width + 2);
    current += width;
  }
  std::int64_t total = 0;
  for (std::int64_t w : widths) total += w;
  const std::int64_t max_width = line_length - static_cast<std::int64_t>(widths.size()) - 1;
  std::int64_t remaining = total - max_width;
  if (remaining <= 0) return widths;
  std::int64_t ratio_left = static_cast<std::int64_t>(widths.size());
  for (std::int64_t& w : widths) {
    const std::int64_t cut = std::min(
        w, round_half_even(static_cast<double>(remaining) / static_cast<double>(ratio_left)));
    w -= cut;
    remaining -= cut;
    --ratio_left;
  }
  return widths;
}

// Greedy word wrap at spaces, as rich wraps cell text.
std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    start = end + 1;
  }
  lines.push_back(line);
  return lines;
}

std::string repeat(const std::string& piece, std::int64_t n) {
  std::string out;
  for (std::int64_t i = 0; i < n; ++i) out += piece;
  return out;
}

struct Table {
  std::vector<std::int64_t> widths;
  std::vector<bool> right;

  std::string rule(const char* left, const char* fill, const char* cross, const char* end) const {
    std::string out = left;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      out += repeat(fill, widths[i]);
      out += i + 1 < widths.size() ? cross : end;
    }
    return out;
  }

  std::vector<std::string> row(const std::vector<std::string>& cells, const char* bar) const {
    std::vector<std::vector<std::string>> wrapped;
    std::size_t height = 1;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      wrapped.push_back(wrap(cells[i], static_cast<std::size_t>(widths[i] - 2)));
      height = std::max(height, wrapped.back().size());
    }
    std::vector<std::string> lines;
    for (std::size_t l = 0; l < height; ++l) {
      std::string line = bar;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const std::string text = l < wrapped[i].size() ? wrapped[i][l] : "";
        const std::string pad(static_cast<std::size_t>(widths[i] - 2) - text.size(), ' ');
        line += ' ';
        line += right[i] ? pad : text;
        line += right[i] ? text : pad;
        line += ' ';
        line += bar;
      }
      lines.push_back(line);
    }
    return lines;
  }
};

std::string output_shape_text(const layers::Node& node) {
  std::vector<KerasTensor> outputs = node.outputs();
  if (outputs.size() == 1) return outputs[0].valid() ? outputs[0].shape().to_string() : "?";
  std::string out = "[";
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    out += (i ? ", " : "") + (outputs[i].valid() ? outputs[i].shape().to_string() : "?");
  }
  return out + "]";
}

}  // namespace

void Model::summary(const std::function<void(const std::string&)>& print_fn) const {
  const FunctionalImpl& model = impl();
  const auto nodes = model.node_depths();
  const bool sequential_like = is_sequential_like(model, nodes);
  const int line_length = sequential_like ? 88 : 108;
  Table table;
  table.widths = column_widths(sequential_like ? std::vector<double>{0.45, 0.80, 1.0}
                                               : std::vector<double>{0.3, 0.56, 0.74, 1.0},
                               line_length);
  table.right = {false, false, true, false};
  std::vector<std::string> header{"Layer (type)", "Output Shape", "Param #"};
  if (!sequential_like) header.push_back("Connected to");

  std::vector<std::string> lines{fmt::format("Model: \"{}\"", name())};
  lines.push_back(table.rule("┏", "━", "┳", "┓"));
  for (const std::string& l : table.row(header, "┃")) lines.push_back(l);
  lines.push_back(table.rule("┡", "━", "╇", "┩"));
  const auto all = model.sublayers();
  for (std::size_t r = 0; r < all.size(); ++r) {
    const LayerImpl& layer = *all[r];
    std::string shape = "?";
    std::string connections;
    for (const auto& [key, depth] : nodes) {
      if (key.first != &layer) continue;
      const layers::Node& node = layer.inbound_nodes().at(static_cast<std::size_t>(key.second));
      if (shape == "?") shape = output_shape_text(node);
      for (const KerasTensor& t : node.inputs) {
        const KerasHistory& h = t.history();
        connections += (connections.empty() ? "" : ", ") +
                       fmt::format("{}[{}][{}]", h.layer->name(), h.node_index, h.tensor_index);
      }
    }
    std::vector<std::string> cells{
        fmt::format("{} ({})", layer.name(), layer.class_name()), shape,
        layer.built() ? with_commas(layer.count_params()) : "0 (unbuilt)"};
    if (!sequential_like) cells.push_back(connections.empty() ? "-" : connections);
    for (const std::string& l : table.row(cells, "│")) lines.push_back(l);
    lines.push_back(r + 1 < all.size() ? table.rule("├", "─", "┼", "┤")
                                       : table.rule("└", "─", "┴", "┘"));
  }
  const std::vector<Variable> trainable = model.trainable_weights();
  const std::vector<Variable> frozen = model.non_trainable_weights();
  const std::int64_t trainable_bytes = total_bytes(trainable);
  const std::int64_t frozen_bytes = total_bytes(frozen);
  lines.push_back(fmt::format(" Total params: {} ({})",
                              with_commas(total_count(trainable) + total_count(frozen)),
                              readable_memory_size(double(trainable_bytes + frozen_bytes))));
  lines.push_back(fmt::format(" Trainable params: {} ({})", with_commas(total_count(trainable)),
                              readable_memory_size(double(trainable_bytes))));
  lines.push_back(fmt::format(" Non-trainable params: {} ({})", with_commas(total_count(frozen)),
                              readable_memory_size(double(frozen_bytes))));
  for (const std::string& line : lines) {
    if (print_fn) {
      print_fn(line);
    } else {
      std::cout << line << '\n';
    }
  }
}

}  // namespace keras::models
