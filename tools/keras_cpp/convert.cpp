// keras-cpp convert: between every format, by the file names.
#include <iostream>

#include "commands.hpp"
#include "model_files.hpp"

namespace keras::tools {

void add_convert(CLI::App& app, ConvertArgs& args) {
  CLI::App* command = app.add_subcommand(
      "convert", "Convert a model between .keras, .h5, .json and .yaml (by the names)");
  command->add_option("IN", args.input, "The model file to read")->required();
  command->add_option("OUT", args.output, "The file to write")->required();
  command->add_option("--weights", args.weights, "Weights for IN when it is a config");
  command->add_option("--weights-out", args.weights_out,
                      "Where OUT's weights go when OUT is a config (default: OUT's name with "
                      ".weights.h5, or _weights.h5 in the keras2 dialect)");
  command->add_option("--dialect", args.dialect, "keras3 (default) or keras2 (what tf.keras reads)")
      ->check(CLI::IsMember({"keras3", "keras2"}));
}

int run_convert(const ConvertArgs& args) {
  const models::Model model = load_any(args.input, args.weights);
  // The file's training configuration and optimizer arrays go along as they are.
  const serialize::TrainingState state =
      kind_of(args.input) == FileKind::keras_archive || kind_of(args.input) == FileKind::hdf5
          ? models::read_training_state(args.input)
          : serialize::TrainingState{};
  const bool kept =
      save_any(model, args.output, args.weights_out,
               args.dialect == "keras2" ? models::Dialect::keras2 : models::Dialect::keras3, state);
  if (!kept) {
    std::cerr << "keras-cpp: note: " << args.output
              << " has no place for the training configuration and optimizer state of "
              << args.input << "; they were left out\n";
  }
  return 0;
}

}  // namespace keras::tools
