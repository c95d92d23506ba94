#pragma once
// keras-cpp's commands: each adds its options to the app and runs.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace keras::tools {

struct SummaryArgs {
  std::string file;
  std::optional<std::string> weights;
};
void add_summary(CLI::App& app, SummaryArgs& args);
int run_summary(const SummaryArgs& args);

struct PredictArgs {
  std::string file;
  std::optional<std::string> weights;
  std::vector<std::string> inputs;
  std::vector<std::string> outputs;
  std::vector<std::string> layers;
  std::int64_t batch_size = 32;
};
void add_predict(CLI::App& app, PredictArgs& args);
int run_predict(const PredictArgs& args);

struct ConvertArgs {
  std::string input;
  std::string output;
  std::optional<std::string> weights;
  std::optional<std::string> weights_out;
  std::string dialect = "keras3";
};
void add_convert(CLI::App& app, ConvertArgs& args);
int run_convert(const ConvertArgs& args);

struct PlotArgs {
  std::string file;
  std::string output;
  std::optional<std::string> weights;
  bool show_shapes = false;
  bool show_dtype = false;
  std::string rankdir = "TB";
  bool expand_nested = false;
  int dpi = 200;
  bool show_layer_activations = false;
  bool show_trainable = false;
  bool hide_layer_names = false;
};
void add_plot(CLI::App& app, PlotArgs& args);
int run_plot(const PlotArgs& args);

struct PlotHistoryArgs {
  std::string log;
  std::string output;
  std::string title;
  char separator = ',';
};
void add_plot_history(CLI::App& app, PlotHistoryArgs& args);
int run_plot_history(const PlotHistoryArgs& args);

}  // namespace keras::tools
