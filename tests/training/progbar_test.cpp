// The progress bar against what Keras 3.15.1 printed (progbar.json) for the
// same model, weights, data and a fake clock of 0.125 s per reading: the
// same bytes on a terminal; off a terminal, each line as Keras finally
// showed it, and nothing else.
#include <keras.hpp>

#include "fixtures.hpp"

using namespace keras;
using keras::testing::ramp;
using serialize::Config;

namespace {

Tensor positive(const Tensor& t) {
  Tensor out(DType::float32, t.shape());
  for (std::int64_t i = 0; i < t.size(); ++i)
    out.data<float>()[i] = t.data<float>()[i] > 0 ? 1.0f : 0.0f;
  return out;
}

models::Sequential model() {
  backend::clear_session();
  models::Sequential m;
  m.add(layers::Input({4}));
  m.add(layers::Dense(3, {.activation = "relu", .name = "hidden"}));
  m.add(layers::Dense(1, {.activation = "sigmoid", .name = "out"}));
  std::vector<Tensor> weights;
  int index = 0;
  for (const Variable& v : m.weights()) {
    weights.push_back(ramp(v.shape(), 1.0 + 0.5 * index++, 0.5, 0.9));
  }
  m.set_weights(weights);
  m.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}),
             .loss = "binary_crossentropy",
             .metrics = {"accuracy"}});
  return m;
}

struct Capture {
  std::string text;
  double now = 1000.0;
  callbacks::ProgbarLogger bar(bool interactive) {
    return callbacks::ProgbarLogger([this](const std::string& s) { text += s; }, interactive,
                                    [this] { return now += 0.125; });
  }
};

// What a reader of Keras' text finally sees: each line's last redraw,
// without escape codes or the spaces that covered a longer line.
std::string final_lines(const std::string& keras) {
  std::string out;
  std::size_t start = 0;
  while (start < keras.size()) {
    std::size_t end = keras.find('\n', start);
    if (end == std::string::npos) end = keras.size();
    std::string line = keras.substr(start, end - start);
    if (auto cr = line.rfind('\r'); cr != std::string::npos) line = line.substr(cr + 1);
    std::string clean;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\x1b') {
        while (i < line.size() && line[i] != 'm') ++i;
      } else if (line[i] != '\b') {
        clean += line[i];
      }
    }
    while (!clean.empty() && clean.back() == ' ') clean.pop_back();
    out += clean + "\n";
    start = end + 1;
  }
  return out;
}

const Config& fixture() {
  static const Config c = keras::testing::read_training_fixture("progbar.json");
  return c;
}

// Runs `section` at `verbose`, on a terminal or not; returns what it printed.
std::string run(const std::string& section, int verbose, bool interactive) {
  const Tensor x = ramp({10, 4}, 0.1);
  const Tensor y = positive(ramp({10, 1}, 0.2, 1.0, 2.1));
  const Tensor x_val = ramp({4, 4}, 2.9);
  const Tensor y_val = positive(ramp({4, 1}, 1.2, 1.0, 2.1));
  Capture capture;
  callbacks::ProgbarLogger bar = capture.bar(interactive);
  models::Sequential m = model();
  if (section == "fit" || section == "fit_validation" || section == "fit_one_epoch") {
    models::FitOptions options{.batch_size = 2,
                               .epochs = section == "fit_one_epoch" ? 1 : 2,
                               .verbose = verbose,
                               .callbacks = {bar},
                               .shuffle = false};
    if (section == "fit_validation")
      options.validation_data = models::ValidationData{{x_val}, {y_val}};
    m.fit(x, y, options);
  } else if (section == "evaluate") {
    m.evaluate(x, y, {.batch_size = 2, .verbose = verbose, .callbacks = {bar}});
  } else {
    m.predict(x, models::PredictOptions{.batch_size = 2, .verbose = verbose, .callbacks = {bar}});
  }
  return capture.text;
}

}  // namespace

TEST_CASE("the progress bar prints Keras 3's bytes on a terminal", "[progbar]") {
  for (const auto& [section, verbose] :
       std::vector<std::pair<std::string, int>>{{"fit", 1},
                                                {"fit_validation", 1},
                                                {"fit_one_epoch", 1},
                                                {"fit", 2},
                                                {"fit_validation", 2},
                                                {"evaluate", 1},
                                                {"evaluate", 2},
                                                {"predict", 1},
                                                {"predict", 2}}) {
    const std::string key = fmt::format("{}_verbose{}_tty", section, verbose);
    INFO(key);
    const std::string want = fixture().at(key).as_string();
    CHECK(run(section, verbose, true) == want);
  }
}

TEST_CASE("off a terminal the progress bar prints only the lines Keras ends with", "[progbar]") {
  for (const auto& [section, verbose] :
       std::vector<std::pair<std::string, int>>{{"fit", 1},
                                                {"fit_validation", 1},
                                                {"fit_one_epoch", 1},
                                                {"fit", 2},
                                                {"evaluate", 1},
                                                {"predict", 1}}) {
    const std::string key = fmt::format("{}_verbose{}_pipe", section, verbose);
    INFO(key);
    const std::string ours = run(section, verbose, false);
    CHECK(ours.find('\r') == std::string::npos);
    CHECK(ours.find('\b') == std::string::npos);
    CHECK(ours.find('\x1b') == std::string::npos);
    std::string want = final_lines(fixture().at(key).as_string());
    // Keras writes the last step twice (once more when it finalizes); the
    // first of the two is what a reader sees redrawn, not a line of its own.
    CHECK(ours == want);
  }
}
