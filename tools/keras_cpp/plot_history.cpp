// keras-cpp plot-history LOG.csv OUT.svg: the training curves of a
// CSVLogger file, one panel per quantity (training solid, validation dashed).
#include "commands.hpp"
#include "keras/utils.hpp"

namespace keras::tools {

void add_plot_history(CLI::App& app, PlotHistoryArgs& args) {
  CLI::App* command = app.add_subcommand(
      "plot-history", "Draw the training curves of a CSVLogger file as an SVG picture");
  command->add_option("LOG", args.log, "The CSV file CSVLogger wrote (epoch,loss,...)")->required();
  command->add_option("OUT", args.output, "The SVG file to write")->required();
  command->add_option("--title", args.title, "A title above the panels");
  command->add_option("--separator", args.separator,
                      "The separator CSVLogger was given (default ',')");
}

int run_plot_history(const PlotHistoryArgs& args) {
  if (!args.output.ends_with(".svg")) {
    throw Error(fmt::format("'{}': plot-history writes SVG; name the file *.svg", args.output));
  }
  const callbacks::History history = utils::history_from_csv(args.log, args.separator);
  utils::plot_history(history, args.output, {.title = args.title});
  return 0;
}

}  // namespace keras::tools
