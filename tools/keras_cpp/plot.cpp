// keras-cpp plot FILE OUT: the model's graph as keras.utils.plot_model draws
// it (.dot needs nothing; .svg, .png and .pdf need Graphviz's dot).
#include "commands.hpp"
#include "keras/utils.hpp"
#include "model_files.hpp"

namespace keras::tools {

void add_plot(CLI::App& app, PlotArgs& args) {
  CLI::App* command = app.add_subcommand(
      "plot", "Draw the model's graph (Keras' plot_model) as .dot, .svg, .png or .pdf");
  command->add_option("FILE", args.file, "A .keras, .h5, .json or .yaml model file")->required();
  command
      ->add_option("OUT", args.output,
                   "The picture: .dot (Graphviz's text), or .svg, .png, .pdf (run through "
                   "Graphviz's dot)")
      ->required();
  command->add_option("--weights", args.weights, "Weights for a config file (.h5, .weights.h5)");
  command->add_flag("--show-shapes", args.show_shapes, "Show each layer's input and output shapes");
  command->add_flag("--show-dtype", args.show_dtype, "Show each layer's output dtype");
  command->add_option("--rankdir", args.rankdir, "TB (top to bottom, default), LR, BT or RL")
      ->check(CLI::IsMember({"TB", "LR", "BT", "RL"}));
  command->add_flag("--expand-nested", args.expand_nested,
                    "Draw nested models' layers inside dashed boxes");
  command->add_option("--dpi", args.dpi, "Resolution of .png output (default 200)")
      ->check(CLI::PositiveNumber);
  command->add_flag("--show-layer-activations", args.show_layer_activations,
                    "Show the activation of the layers that have one");
  command->add_flag("--show-trainable", args.show_trainable,
                    "Mark the layers with weights Trainable or Non-trainable");
  command->add_flag("--hide-layer-names", args.hide_layer_names,
                    "Show only each layer's class, not its name");
}

int run_plot(const PlotArgs& args) {
  const models::Model model = load_any(args.file, args.weights);
  utils::plot_model(model, args.output,
                    {.show_shapes = args.show_shapes,
                     .show_dtype = args.show_dtype,
                     .show_layer_names = !args.hide_layer_names,
                     .rankdir = args.rankdir,
                     .expand_nested = args.expand_nested,
                     .dpi = args.dpi,
                     .show_layer_activations = args.show_layer_activations,
                     .show_trainable = args.show_trainable});
  return 0;
}

}  // namespace keras::tools
