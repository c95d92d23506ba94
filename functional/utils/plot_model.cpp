// keras::utils::model_to_dot and plot_model, as Keras 3.15 draws a model
// (keras/src/utils/model_visualization.py, through pydot). The DOT text is
// the one pydot writes for Keras' graph, statement for statement; the
// differences are ours on purpose:
// - Node ids are the layer names, not Python's id(layer): the text is the
//   same on every run, and readable. A name that two different layers carry
//   (possible across nested models) gets "_<n>" until it is unique.
// - Layer names in labels are HTML-escaped (Keras writes them raw, so a
//   name with "&" or "<" breaks its label).
// - A layer's edges come from the calls that belong to the model, for
//   Sequential models too (Keras filters functional models only; the graphs
//   are the same unless a Sequential's layer was called elsewhere).
// - A ".dot" path gets the DOT text itself; pydot's dot.write(format="dot")
//   would run Graphviz and write its laid-out DOT.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string_view>

#include "graphviz.hpp"
#include "keras/dtype.hpp"
#include "keras/layers/input_layer.hpp"
#include "keras/models/sequential.hpp"
#include "keras/serialize/files.hpp"
#include "keras/utils.hpp"
#include "xml_escape.hpp"

namespace keras::utils {

namespace {

using layers::LayerImpl;
using models::FunctionalImpl;

bool is_model(const LayerImpl& layer) {
  return dynamic_cast<const FunctionalImpl*>(&layer) != nullptr;
}

bool is_sequential(const LayerImpl& layer) {
  return dynamic_cast<const models::SequentialImpl*>(&layer) != nullptr;
}

bool is_dot_keyword(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* keyword : {"graph", "subgraph", "digraph", "node", "edge", "strict"}) {
    if (lower == keyword) return true;
  }
  return false;
}

bool all_of_chars(std::string_view s, int (*test)(int)) {
  return std::all_of(s.begin(), s.end(), [&](unsigned char c) { return test(c) != 0; });
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

bool starts_with_digit(std::string_view s) {
  return !s.empty() && std::isdigit(static_cast<unsigned char>(s[0])) != 0;
}

// pydot's quote_id_if_necessary: digits, or a C-like identifier, stay bare.
std::string dot_id(std::string_view s) {
  const bool identifier =
      !s.empty() && !starts_with_digit(s) &&
      std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
  const bool bare = !is_dot_keyword(s) && (all_of_chars(s, std::isdigit) || identifier);
  return bare && !s.empty() ? std::string(s) : quoted(s);
}

// pydot's quote_attr_if_necessary: only letters and digits (not starting
// with a digit), or a number, stay bare; "inner_model" is quoted.
std::string dot_attribute(std::string_view s) {
  const bool alphanumeric = !s.empty() && all_of_chars(s, std::isalnum);
  const bool bare = !is_dot_keyword(s) && alphanumeric &&
                    (!starts_with_digit(s) || all_of_chars(s, std::isdigit));
  return bare ? std::string(s) : quoted(s);
}

// Python's repr of a shape tuple: "(None, 8)", "(None,)", "()".
std::string python_shape(const Shape& shape) {
  std::string out = "(";
  for (std::int64_t axis = 0; axis < shape.rank(); ++axis) {
    if (axis > 0) out += ", ";
    const std::int64_t dim = shape[static_cast<std::size_t>(axis)];
    out += dim == Shape::kUnknown ? "None" : std::to_string(dim);
  }
  return out + (shape.rank() == 1 ? ",)" : ")");
}

// Keras' tree.map_structure over layer.input / layer.output: one value
// alone, several as a Python list. `format` gives one tensor's text.
template <class Format>
std::string structure(const std::vector<KerasTensor>& tensors, Format format) {
  for (const KerasTensor& t : tensors) {
    if (!t.valid()) return "?";
  }
  if (tensors.empty()) return "?";
  if (tensors.size() == 1) return format(tensors[0]);
  std::string out = "[";
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    out += (i > 0 ? ", " : "") + format(tensors[i]);
  }
  return out + "]";
}

// What layer.input and layer.output give in Keras: those of the first call.
// A call holds its outputs weakly, and those of a call made outside any
// model may be gone: then the first call whose outputs remain stands in.
std::vector<KerasTensor> first_call_inputs(const LayerImpl& layer) {
  return layer.inbound_nodes().empty() ? std::vector<KerasTensor>{}
                                       : layer.inbound_nodes().front().inputs;
}

std::vector<KerasTensor> first_call_outputs(const LayerImpl& layer) {
  for (const layers::Node& node : layer.inbound_nodes()) {
    std::vector<KerasTensor> outputs = node.outputs();
    const bool alive =
        std::all_of(outputs.begin(), outputs.end(), [](const KerasTensor& t) { return t.valid(); });
    if (alive && !outputs.empty()) return outputs;
  }
  return {};
}

// Keras' get_layer_activation_name, from the config: the layers with an
// `activation` attribute (Dense, Activation, ...) have it there.
std::optional<std::string> activation_name(const LayerImpl& layer) {
  if (is_model(layer)) return std::nullopt;
  const serialize::Config config = layer.get_config();
  if (!config.contains("activation")) return std::nullopt;
  const serialize::Config& activation = config.at("activation");
  if (activation.is_string()) return activation.as_string();
  if (activation.is_dict() && activation.contains("config") &&
      activation.at("config").is_string()) {
    return activation.at("config").as_string();
  }
  return std::nullopt;
}

// Keras' make_layer_label, cell for cell.
std::string layer_label(const LayerImpl& layer, const PlotModelOptions& options) {
  const std::string class_name = xml_escaped(layer.class_name());
  // Keras sizes the spans from the options, not from the cells drawn.
  const int colspan = std::max(
      1, int{options.show_dtype} + int{options.show_trainable} + (options.show_shapes ? 2 : 0));
  std::string table = R"(<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">)";
  const std::string title =
      options.show_layer_names
          ? fmt::format("<b>{}</b> ({})", xml_escaped(layer.name()), class_name)
          : fmt::format("<b>{}</b>", class_name);
  table += fmt::format(
      R"(<tr><td colspan="{}" bgcolor="black"><font point-size="16" color="white">{}</font></td></tr>)",
      colspan, title);
  if (options.show_layer_activations) {
    if (const auto activation = activation_name(layer)) {
      table += fmt::format(
          R"(<tr><td bgcolor="white" colspan="{}"><font point-size="14">Activation: <b>{}</b></font></td></tr>)",
          colspan, xml_escaped(*activation));
    }
  }
  std::string cells;
  const auto white_cell = [](std::string_view what, const std::string& value) {
    return fmt::format(R"(<td bgcolor="white"><font point-size="14">{}: <b>{}</b></font></td>)",
                       what, value);
  };
  if (options.show_shapes) {
    const auto shape = [](const KerasTensor& t) { return python_shape(t.shape()); };
    if (dynamic_cast<const layers::InputLayerImpl*>(&layer) == nullptr) {
      cells += white_cell("Input shape", structure(first_call_inputs(layer), shape));
    }
    cells += white_cell("Output shape", structure(first_call_outputs(layer), shape));
  }
  if (options.show_dtype) {
    // A single dtype prints bare; several as a Python list of strings.
    const std::vector<KerasTensor> outputs = first_call_outputs(layer);
    const bool listed = outputs.size() > 1;
    const auto dtype = [&](const KerasTensor& t) {
      const std::string name(dtype_name(t.dtype()));
      return listed ? "'" + name + "'" : name;
    };
    cells += white_cell("Output dtype", structure(outputs, dtype));
  }
  if (options.show_trainable && !layer.weights().empty()) {
    cells +=
        layer.trainable()
            ? R"(<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td>)"
            : R"(<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b></font></td>)";
  }
  if (!cells.empty()) table += "<tr>" + cells + "</tr>";
  return table + "</table>>";
}

// One digraph or cluster: its statements in pydot's order (attributes,
// then nodes and clusters as added, then edges).
struct DotGraph {
  std::string text;
  std::string edges;
  std::set<std::pair<std::string, std::string>> edge_set;
};

class DotWriter {
 public:
  explicit DotWriter(const PlotModelOptions& options) : options_(options) {}

  std::string write(const FunctionalImpl& model) {
    DotGraph graph;
    graph.text = fmt::format(
        "digraph G {{\nrankdir={};\nconcentrate=true;\ndpi={};\nsplines={};\n"
        "node [shape=record];\n",
        dot_attribute(options_.rankdir), options_.dpi, dot_attribute(options_.splines));
    add_model(model, graph);
    return graph.text + graph.edges + "}\n";
  }

 private:
  const std::string& id_of(const LayerImpl& layer) {
    auto it = ids_.find(&layer);
    if (it != ids_.end()) return it->second;
    std::string id = layer.name();
    for (int n = 1; used_ids_.count(id); ++n) id = fmt::format("{}_{}", layer.name(), n);
    used_ids_.insert(id);
    return ids_.emplace(&layer, dot_id(id)).first->second;
  }

  // Keras' add_edge: one edge per pair of layers in a graph.
  void add_edge(DotGraph& graph, const LayerImpl& source, const LayerImpl& destination) {
    const std::string& from = id_of(source);
    const std::string& to = id_of(destination);
    if (!graph.edge_set.insert({from, to}).second) return;
    graph.edges += fmt::format("{} -> {} [penwidth=2];\n", from, to);
  }

  void add_node(DotGraph& graph, const LayerImpl& layer) {
    graph.text += fmt::format("{} [label={}, fontname=Helvetica, border=0, margin=0];\n",
                              id_of(layer), layer_label(layer, options_));
  }

  void add_cluster(DotGraph& graph, const FunctionalImpl& model) {
    DotGraph cluster;
    cluster.text = fmt::format("subgraph {} {{\nstyle=dashed;\nlabel={};\nlabeljust=l;\n",
                               dot_id("cluster_" + model.name()), dot_attribute(model.name()));
    add_model(model, cluster);
    graph.text += cluster.text + cluster.edges + "}\n";
  }

  // Keras' model_to_dot body: the nodes (or clusters), then the edges.
  void add_model(const FunctionalImpl& model, DotGraph& graph) {
    std::vector<std::shared_ptr<LayerImpl>> layers = model.sublayers();
    for (const auto& layer : layers) {
      const auto* nested = dynamic_cast<const FunctionalImpl*>(layer.get());
      if (options_.expand_nested && nested != nullptr) {
        add_cluster(graph, *nested);
      } else {
        add_node(graph, *layer);
      }
    }
    const bool sequential = is_sequential(model);
    if (sequential && !options_.expand_nested) {
      for (std::size_t i = 0; i + 1 < layers.size(); ++i)
        add_edge(graph, *layers[i], *layers[i + 1]);
      return;
    }
    // The first layer of a Sequential is fed by its InputLayer, which is
    // not drawn: the edge into the model draws that connection.
    if (sequential && !layers.empty()) layers.erase(layers.begin());
    const FunctionalImpl::GraphMap map = model.map_graph();
    for (const auto& layer : layers) {
      const std::vector<layers::Node>& nodes = layer->inbound_nodes();
      for (std::size_t node_index = 0; node_index < nodes.size(); ++node_index) {
        if (!map.node_depths.count({layer.get(), static_cast<int>(node_index)})) continue;
        const std::vector<KerasTensor>& inputs = nodes[node_index].inputs;
        for (std::size_t input_index = 0; input_index < inputs.size(); ++input_index) {
          add_connection(graph, inputs[input_index], *layer, input_index);
        }
      }
    }
  }

  // One input of one call: from the layer that made the tensor to `layer`,
  // into and out of nested models' boxes when they are expanded.
  void add_connection(DotGraph& graph, const KerasTensor& input, const LayerImpl& layer,
                      std::size_t input_index) {
    const LayerImpl* source = input.history().layer.get();
    if (source == nullptr) return;
    if (!options_.expand_nested) {
      add_edge(graph, *source, layer);
      return;
    }
    // A model has no box of its own: the edge leaves the layer inside it
    // that made the output, however deep.
    int output_index = input.history().tensor_index;
    while (const auto* model = dynamic_cast<const FunctionalImpl*>(source)) {
      const KerasHistory& history =
          model->outputs().at(static_cast<std::size_t>(output_index)).history();
      source = history.layer.get();
      output_index = history.tensor_index;
    }
    // ... and enters at the nested model's InputLayer (a Sequential's first layer).
    const LayerImpl* destination = &layer;
    while (const auto* model = dynamic_cast<const FunctionalImpl*>(destination)) {
      if (is_sequential(*model)) {
        destination = model->sublayers().at(0).get();
      } else {
        destination = model->inputs().at(input_index).history().layer.get();
      }
    }
    add_edge(graph, *source, *destination);
  }

  const PlotModelOptions& options_;
  std::map<const LayerImpl*, std::string> ids_;
  std::set<std::string> used_ids_;
};

void check_options(const PlotModelOptions& options) {
  static constexpr std::array<std::string_view, 4> kRankdirs = {"TB", "LR", "BT", "RL"};
  if (std::find(kRankdirs.begin(), kRankdirs.end(), options.rankdir) == kRankdirs.end()) {
    throw Error(fmt::format(
        "plot_model: rankdir must be \"TB\" (top to bottom), \"LR\" (left to right), \"BT\" or "
        "\"RL\", got \"{}\"",
        options.rankdir));
  }
  static constexpr std::array<std::string_view, 9> kSplines = {
      "ortho", "spline", "polyline", "curved", "line", "none", "true", "false", "compound"};
  if (std::find(kSplines.begin(), kSplines.end(), options.splines) == kSplines.end()) {
    throw Error(fmt::format(
        "plot_model: splines must be one of Graphviz's: \"ortho\", \"spline\", \"polyline\", "
        "\"curved\", \"line\", \"none\", \"true\", \"false\", \"compound\"; got \"{}\"",
        options.splines));
  }
  if (options.dpi <= 0) {
    throw Error(fmt::format("plot_model: dpi must be positive, got {}", options.dpi));
  }
}

}  // namespace

std::string model_to_dot(const models::Model& model, PlotModelOptions options) {
  check_options(options);
  const FunctionalImpl& impl = model.impl();
  if (!impl.built()) {
    throw Error(fmt::format(
        "model '{}' has not been built yet, so it has no graph to plot: add an Input first, "
        "or call it on data (fit, predict) before plotting it",
        impl.name()));
  }
  return DotWriter(options).write(impl);
}

void plot_model(const models::Model& model, const std::string& path, PlotModelOptions options) {
  const std::string extension = std::filesystem::path(path).extension().string();
  const std::string dot = model_to_dot(model, options);
  if (extension == ".dot") {
    serialize::write_file_atomically(path, dot);
    return;
  }
  if (extension != "" && extension != ".svg" && extension != ".png" && extension != ".pdf") {
    throw Error(fmt::format(
        "plot_model: cannot write '{}': the plot is written as .dot (Graphviz's text), .svg, "
        ".png or .pdf; choose one of these extensions",
        path));
  }
  const std::string format = extension.empty() ? "png" : extension.substr(1);
  serialize::write_file_atomically(path, detail::render_dot(dot, format, path));
}

}  // namespace keras::utils
