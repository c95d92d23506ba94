// keras-cpp: Keras model files from the command line.
//   keras-cpp summary FILE
//   keras-cpp predict FILE [--weights W] --input x.npy ... --output y.npy ... [--layer NAME ...]
//   keras-cpp convert IN [--weights W] OUT [--weights-out W] [--dialect keras2]
//   keras-cpp plot FILE OUT [--show-shapes] [--rankdir LR] [--expand-nested] ...
//   keras-cpp plot-history LOG.csv OUT.svg
// Exit status: 0 on success, 1 on a bad file or argument (one line naming
// it), 2 on bad usage.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "keras/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"keras-cpp: read, run and convert Keras model files of every Keras generation"};
  app.require_subcommand(1);
  keras::tools::SummaryArgs summary;
  keras::tools::PredictArgs predict;
  keras::tools::ConvertArgs convert;
  keras::tools::PlotArgs plot;
  keras::tools::PlotHistoryArgs plot_history;
  keras::tools::add_summary(app, summary);
  keras::tools::add_predict(app, predict);
  keras::tools::add_convert(app, convert);
  keras::tools::add_plot(app, plot);
  keras::tools::add_plot_history(app, plot_history);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; a usage error prints the message and exits 2.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    if (app.got_subcommand("summary")) return keras::tools::run_summary(summary);
    if (app.got_subcommand("predict")) return keras::tools::run_predict(predict);
    if (app.got_subcommand("plot")) return keras::tools::run_plot(plot);
    if (app.got_subcommand("plot-history")) return keras::tools::run_plot_history(plot_history);
    return keras::tools::run_convert(convert);
  } catch (const keras::Error& e) {
    std::cerr << "keras-cpp: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "keras-cpp: " << e.what() << "\n";
    return 1;
  }
}
