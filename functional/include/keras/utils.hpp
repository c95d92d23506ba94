#pragma once
// Keras' array utilities (keras.utils) and what NumPy gives Keras users for
// preparing data: one-hot labels, normalization, numeric CSV files, and
// slicing rows and columns.
//
//   auto table = keras::utils::load_csv("pima-indians-diabetes.csv");  // numpy.loadtxt
//   auto x = keras::utils::slice(table, 1, 0, 8);                       // x[:, 0:8]
//   auto y = keras::utils::slice(table, 1, 8, 9);                       // x[:, 8:9]
//   auto labels = keras::utils::to_categorical(y_train, 10);
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "keras/callbacks.hpp"
#include "keras/tensor.hpp"

namespace keras::models {
class Model;
}

namespace keras::utils {

// Class indices (any integer or whole-number dtype, any shape) to one-hot
// float32 rows of `num_classes` (-1: the largest index + 1). A trailing axis
// of size 1 is dropped first, as Keras does.
Tensor to_categorical(const Tensor& y, std::int64_t num_classes = -1);

// x divided by its `order`-norm along `axis` (Keras' utils.normalize; 1 or 2).
Tensor normalize(const Tensor& x, std::int64_t axis = -1, int order = 2);

struct CsvOptions {
  char delimiter = ',';
  std::int64_t skip_header = 0;  // lines to skip at the top
};
// A table of numbers as float32 (rows, columns), as numpy.loadtxt reads it.
// A ragged row or a field that is not a number is a keras::Error naming the
// line and the field.
Tensor load_csv(const std::string& path, CsvOptions options = {});

// x[..., begin:end, ...] along `axis` (a copy; rows of axis 0 are a view,
// as Tensor::rows).
Tensor slice(const Tensor& x, std::int64_t axis, std::int64_t begin, std::int64_t end);
// The rows `indices` of x (axis 0), in that order: x[indices].
Tensor take(const Tensor& x, const std::vector<std::int64_t>& indices);

// NumPy's array files: numpy.load / numpy.save for .npy, numpy.savez for .npz.
// Reading takes what numpy writes in any byte order and C or Fortran order;
// dtypes DType lacks are widened exactly: float16 -> float32, uint32 ->
// int64, uint64 -> int64 (a value >= 2**63 is a keras::Error). Complex,
// object, string and structured arrays are a keras::Error naming the file.
// Writing keeps the tensor's dtype (little-endian, C order, numpy.save's
// version 1.0 header) and goes through a temporary file renamed over `path`,
// so a failed save leaves an existing file as it was.
//
//   keras::utils::save_npy("x.npy", x);            // np.save("x.npy", x)
//   keras::Tensor y = keras::utils::load_npy("x.npy");
//   keras::utils::save_npz("data.npz", {{"x", x}, {"y", y}});  // np.savez(..., x=x, y=y)
//   for (auto& [name, array] : keras::utils::load_npz("data.npz")) { ... }
Tensor load_npy(const std::string& path);
void save_npy(const std::string& path, const Tensor& x);
// The arrays in archive order, named without ".npy"; stored and deflated
// members are read (numpy.savez and numpy.savez_compressed). A member that is
// not a .npy file is a keras::Error.
std::vector<std::pair<std::string, Tensor>> load_npz(const std::string& path);
// numpy.savez's layout: one stored member "<name>.npy" per array, in order.
// Names must be unique, non-empty relative names without ".." components.
void save_npz(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& arrays);

// --- model plots (Keras' keras.utils.model_to_dot / plot_model) -------------
// The fields in the order of Keras 3's keyword arguments, with its defaults
// (splines last, as Keras has it). Keras' plot_model alone defaults
// show_layer_names to false; here both functions show names unless asked.
struct PlotModelOptions {
  bool show_shapes = false;      // "Input shape", "Output shape" (of each layer's first call)
  bool show_dtype = false;       // "Output dtype"
  bool show_layer_names = true;  // "dense_1 (Dense)", or only "Dense"
  std::string rankdir = "TB";    // "TB" top to bottom, "LR" left to right, "BT", "RL"
  bool expand_nested = false;    // nested models as dashed clusters of their layers
  int dpi = 200;                 // resolution of .png output
  bool show_layer_activations = false;  // "Activation: relu" (layers that have one)
  bool show_trainable = false;          // "Trainable" / "Non-trainable" (layers with weights)
  std::string splines = "ortho";        // Graphviz's edge style: "ortho", "spline", "polyline", ...
};

// The model's graph as Graphviz's DOT text, what Keras 3.15's model_to_dot
// gives (keras/src/utils/model_visualization.py): one node per layer with
// Keras' HTML table label, one edge per connection of the calls within the
// model (a shared layer is one node with several edges; the same pair of
// layers is joined once). A nested model is one node, or with expand_nested
// a "subgraph cluster_<name>" holding its layers. Node ids are the layer
// names (Keras uses Python object ids), made unique when nested models
// repeat a name. A keras::Error when the model has not been built.
//
//   std::string dot = keras::utils::model_to_dot(model, {.show_shapes = true});
std::string model_to_dot(const models::Model& model, PlotModelOptions options = {});

// Writes the plot to `path`: DOT text for a name ending in ".dot" (needs
// nothing), otherwise the image Graphviz's `dot -T<format>` renders for
// ".svg", ".png" or ".pdf" (no extension: PNG, as Keras). A keras::Error
// says how to install Graphviz when `dot` is not on PATH, and quotes dot's
// message when it fails. The file is replaced atomically.
//
//   keras::utils::plot_model(model, "model.png", {.show_shapes = true, .rankdir = "LR"});
void plot_model(const models::Model& model, const std::string& path, PlotModelOptions options = {});

// --- training curves ---------------------------------------------------------
struct PlotHistoryOptions {
  std::string title = "";  // above the panels; empty: none
  // The quantities to draw ("loss", "accuracy"); empty: all of them.
  std::vector<std::string> metrics = {};
  int panel_width = 480;  // pixels per panel
  int panel_height = 360;
  int columns = 2;  // panels per row (fewer when there are fewer panels)
};

// The training curves as an SVG 1.1 file, drawn without any dependency:
// one panel per quantity (loss first, then the metrics in name order, then
// any other series such as learning_rate), the training values as a solid
// line and the "val_" ones dashed in the same colour (matplotlib's tab10),
// against the epoch (1-based). NaN and infinite values leave gaps. A series
// shorter than the epochs is drawn from epoch 1 on.
//
//   auto history = model.fit(x, y, {.epochs = 20, .validation_split = 0.1});
//   keras::utils::plot_history(history, "curves.svg");
void plot_history(const callbacks::History& history, const std::string& path,
                  PlotHistoryOptions options = {});

// A History from the file CSVLogger wrote (Keras' or ours): the "epoch"
// column (0-based, as Keras writes it) and one series per other column;
// "NA", "nan" and empty fields are NaN, "inf" is infinite. `separator` is
// CSVLogger's. A keras::Error names the line and the field it cannot read.
callbacks::History history_from_csv(const std::string& path, char separator = ',');

}  // namespace keras::utils
