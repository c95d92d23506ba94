// keras-cpp predict: inference on .npy files, in test mode.
#include "commands.hpp"
#include "keras/backend/symbolic_function.hpp"
#include "keras/utils.hpp"
#include "model_files.hpp"

namespace keras::tools {

namespace {

// The model's outputs, or the outputs of the layers named (paths into
// nested models too), run over the inputs in batches.
std::vector<Tensor> run(const models::Model& model, const std::vector<Tensor>& inputs,
                        const PredictArgs& args) {
  if (args.layers.empty()) return model.predict(inputs, args.batch_size);
  std::vector<KerasTensor> wanted;
  for (const std::string& layer : args.layers) wanted.push_back(model.get_layer_output(layer));
  return models::Model(model.inputs(), wanted).predict(inputs, args.batch_size);
}

}  // namespace

void add_predict(CLI::App& app, PredictArgs& args) {
  CLI::App* command = app.add_subcommand("predict", "Run the model on .npy inputs (test mode)");
  command->add_option("FILE", args.file, "A .keras, .h5, .json or .yaml model file")->required();
  command->add_option("--weights", args.weights, "Weights for a config file");
  command->add_option("--input", args.inputs, "One .npy file per model input, in order")
      ->required();
  command
      ->add_option("--output", args.outputs,
                   "One .npy file per output (or per --layer), or one .npz holding "
                   "output_0, output_1, ...")
      ->required();
  command->add_option("--layer", args.layers,
                      "Write this layer's output instead (a path into nested models: "
                      "inner/dense); repeat for several");
  command->add_option("--batch-size", args.batch_size, "Samples per batch (default 32)")
      ->check(CLI::PositiveNumber);
}

int run_predict(const PredictArgs& args) {
  const models::Model model = load_any(args.file, args.weights);
  if (args.inputs.size() != model.inputs().size()) {
    throw Error(fmt::format("the model has {} inputs but {} --input files were given",
                            model.inputs().size(), args.inputs.size()));
  }
  std::vector<Tensor> inputs;
  for (const std::string& path : args.inputs) inputs.push_back(utils::load_npy(path));
  const std::size_t expected = args.layers.empty() ? model.outputs().size() : args.layers.size();
  const bool one_npz = args.outputs.size() == 1 && args.outputs[0].ends_with(".npz");
  if (!one_npz && args.outputs.size() != expected) {
    throw Error(
        fmt::format("{} outputs are computed but {} --output files were given (give one "
                    ".npy per output, or one .npz)",
                    expected, args.outputs.size()));
  }
  const std::vector<Tensor> outputs = run(model, inputs, args);
  if (one_npz) {
    std::vector<std::pair<std::string, Tensor>> named;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      named.emplace_back(fmt::format("output_{}", i), outputs[i]);
    }
    utils::save_npz(args.outputs[0], named);
    return 0;
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) utils::save_npy(args.outputs[i], outputs[i]);
  return 0;
}

}  // namespace keras::tools
