// keras-cpp summary FILE: the model's summary() table.
#include <iostream>

#include "commands.hpp"
#include "model_files.hpp"

namespace keras::tools {

void add_summary(CLI::App& app, SummaryArgs& args) {
  CLI::App* command = app.add_subcommand(
      "summary", "Print the model's summary (layers, output shapes, parameter counts)");
  command->add_option("FILE", args.file, "A .keras, .h5, .json or .yaml model file")->required();
  command->add_option("--weights", args.weights, "Weights for a config file (.h5, .weights.h5)");
}

int run_summary(const SummaryArgs& args) {
  const models::Model model = load_any(args.file, args.weights);
  model.summary([](const std::string& line) { std::cout << line << "\n"; });
  return 0;
}

}  // namespace keras::tools
