// fit, evaluate and the *_on_batch methods against real Keras 3.15.1
// (fit.json): the same model, weights, data and options give the same
// History and final weights.
#include <keras.hpp>

#include "fixtures.hpp"

using namespace keras;
using keras::testing::require_close;
using keras::testing::tensor_of;
using serialize::Config;

namespace {

struct Case {
  Config c;
  models::Model model;
};

Case load(const Config& c) {
  backend::clear_session();
  models::Model model = models::model_from_config(c.at("model"));
  std::vector<Tensor> weights;
  for (const Config& w : c.at("weights").as_list()) weights.push_back(tensor_of(w).clone());
  model.set_weights(weights);
  models::CompileOptions options;
  options.optimizer = optimizers::from_config(c.at("compile").at("optimizer"));
  options.loss = c.at("compile").at("loss").as_string();
  if (c.at("compile").contains("metrics") && !c.at("compile").at("metrics").is_null()) {
    for (const Config& m : c.at("compile").at("metrics").as_list())
      options.metrics.push_back(m.as_string());
  }
  model.compile(options);
  return {c, model};
}

models::FitOptions fit_options(const Config& c) {
  const Config& f = c.at("fit");
  models::FitOptions o;
  o.batch_size = f.at("batch_size").as_int();
  o.epochs = f.at("epochs").as_int();
  o.verbose = 0;
  o.shuffle = f.at("shuffle").as_bool();
  if (f.contains("validation_split")) o.validation_split = f.at("validation_split").as_number();
  if (f.contains("class_weight")) {
    for (const auto& [k, v] : f.at("class_weight").as_dict())
      o.class_weight[std::stoll(k)] = v.as_number();
  }
  if (!c.at("sample_weight").is_null()) o.sample_weight = tensor_of(c.at("sample_weight"));
  if (!c.at("validation_data").is_null()) {
    const Config& v = c.at("validation_data");
    o.validation_data =
        models::ValidationData{{tensor_of(v.as_list()[0])}, {tensor_of(v.as_list()[1], true)}};
  }
  return o;
}

void check_history(const callbacks::History& history, const Config& want) {
  for (const auto& [key, values] : want.as_dict()) {
    INFO("history key " << key);
    REQUIRE(history.history.count(key) == 1);
    const std::vector<double>& got = history.history.at(key);
    REQUIRE(got.size() == values.size());
    for (std::size_t e = 0; e < got.size(); ++e) {
      INFO("epoch " << e);
      CHECK(got[e] == Approx(values.as_list()[e].as_number()).epsilon(1e-4).margin(1e-6));
    }
  }
  CHECK(history.history.size() == want.size());
}

void check_weights(const models::Model& model, const Config& want) {
  const std::vector<Tensor> got = model.get_weights();
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("weight " << want.as_list()[i].at("path").as_string());
    require_close(got[i], tensor_of(want.as_list()[i]), 1e-4, 1e-5);
  }
}

}  // namespace

TEST_CASE("fit gives Keras 3's History and weights", "[fit]") {
  const Config cases = keras::testing::read_training_fixture("fit.json");
  int checked = 0;
  for (const Config& c : cases.as_list()) {
    const std::string name = c.at("name").as_string();
    if (name == "evaluate" || name == "train_test_on_batch") continue;  // their own cases below
    INFO("case " << name);
    Case t = load(c);
    models::FitOptions options = fit_options(c);
    std::optional<callbacks::EarlyStopping> stop;
    if (c.at("extra").contains("callback")) {
      const Config& cb = c.at("extra").at("callback").at("config");
      stop.emplace(callbacks::EarlyStoppingOptions{
          .monitor = cb.at("monitor").as_string(),
          .min_delta = cb.at("min_delta").as_number(),
          .patience = cb.at("patience").as_int(),
          .restore_best_weights = cb.at("restore_best_weights").as_bool()});
      options.callbacks.push_back(*stop);
    }
    const bool integer_y = c.at("compile").at("loss").as_string().rfind("sparse", 0) == 0;
    callbacks::History history =
        t.model.fit(tensor_of(c.at("x")), tensor_of(c.at("y"), integer_y), options);
    check_history(history, c.at("history"));
    check_weights(t.model, c.at("final_weights"));
    if (stop) {
      CHECK(stop->stopped_epoch() == c.at("extra").at("stopped_epoch").as_int());
      CHECK(stop->best_epoch() == c.at("extra").at("best_epoch").as_int());
    }
    ++checked;
  }
  CHECK(checked >= 8);
}

TEST_CASE("a fitted model predicts what Keras' does, and metrics_names lists the logs", "[fit]") {
  const Config cases = keras::testing::read_training_fixture("fit.json");
  const Config& c = cases.as_list()[0];
  Case t = load(c);
  t.model.fit(tensor_of(c.at("x")), tensor_of(c.at("y")), fit_options(c));
  require_close(t.model.predict(tensor_of(c.at("x"))), tensor_of(c.at("extra").at("predict_after")),
                1e-4, 1e-5);
  CHECK(t.model.optimizer()->iterations() == c.at("extra").at("optimizer_iterations").as_int());
  CHECK(t.model.metrics_names() == std::vector<std::string>{"loss"});
}

TEST_CASE("evaluate, with sample weights and weighted metrics, as Keras 3", "[fit]") {
  const Config cases = keras::testing::read_training_fixture("fit.json");
  const Config* found = nullptr;
  for (const Config& c : cases.as_list()) {
    if (c.at("name").as_string() == "evaluate") found = &c;
  }
  REQUIRE(found != nullptr);
  const Config& c = *found;
  const Config& extra = c.at("extra");
  const auto check = [](const std::vector<double>& got, const Config& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i] == Approx(want.as_list()[i].as_number()).epsilon(1e-5));
    }
  };
  Case t = load(c);
  const Tensor x = tensor_of(c.at("x")), y = tensor_of(c.at("y"));
  check(t.model.evaluate(x, y, {.batch_size = 4, .verbose = 0}), extra.at("evaluate"));
  const Tensor w = tensor_of(extra.at("sample_weight"));
  check(t.model.evaluate(x, y, {.batch_size = 4, .verbose = 0, .sample_weight = w}),
        extra.at("evaluate_sample_weight"));

  // metrics and weighted_metrics both ["accuracy", "mae"]: Keras names the
  // weighted ones weighted_accuracy and weighted_mae.
  t.model.compile({.optimizer = "sgd",
                   .loss = c.at("compile").at("loss").as_string(),
                   .metrics = {"accuracy", "mae"},
                   .weighted_metrics = {"accuracy", "mae"}});
  t.model.evaluate(x, y, {.batch_size = 4, .verbose = 0, .sample_weight = w});
  const Config& want = extra.at("evaluate_weighted_metrics_sample_weight");
  const std::vector<std::string> names = t.model.metrics_names();
  CHECK(names ==
        std::vector<std::string>{"loss", "accuracy", "mae", "weighted_accuracy", "weighted_mae"});
  const std::vector<double> got =
      t.model.evaluate(x, y, {.batch_size = 4, .verbose = 0, .sample_weight = w});
  for (std::size_t i = 0; i < names.size(); ++i) {
    INFO(names[i]);
    CHECK(got[i] == Approx(want.at(names[i]).as_number()).epsilon(1e-5));
  }
}

TEST_CASE("train_on_batch and test_on_batch report their batch alone, as Keras 3", "[fit]") {
  const Config cases = keras::testing::read_training_fixture("fit.json");
  const Config* found = nullptr;
  for (const Config& c : cases.as_list()) {
    if (c.at("name").as_string() == "train_test_on_batch") found = &c;
  }
  REQUIRE(found != nullptr);
  const Config& extra = found->at("extra");
  Case t = load(*found);
  const Tensor x = tensor_of(found->at("x")), y = tensor_of(found->at("y"));
  const auto check = [](const std::vector<double>& got, const Config& want) {
    REQUIRE(got.size() == 2);
    const double loss =
        want.is_list() ? want.as_list()[0].as_number() : want.at("loss").as_number();
    const double mae = want.is_list() ? want.as_list()[1].as_number() : want.at("mae").as_number();
    CHECK(got[0] == Approx(loss).epsilon(1e-5));
    CHECK(got[1] == Approx(mae).epsilon(1e-5));
  };
  check(t.model.test_on_batch(x, y), extra.at("test_before"));
  check(t.model.train_on_batch(x, y), extra.at("train_1"));
  check_weights(t.model, extra.at("weights_after_train_1"));
  check(t.model.train_on_batch(x, y), extra.at("train_2"));
  check(t.model.test_on_batch(x, y), extra.at("test_after"));
  check(t.model.train_on_batch(x, y), extra.at("train_3_dict"));
  check(t.model.test_on_batch(x, y), extra.at("test_after_dict"));
}
