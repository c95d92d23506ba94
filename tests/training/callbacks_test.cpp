// Keras' callbacks on small fixed problems: what each does to the run and
// what it writes, with hand-checked numbers.
#include <filesystem>
#include <fstream>

#include <keras.hpp>

#include "fixtures.hpp"

using namespace keras;
using keras::testing::ramp;

namespace {

models::Sequential linear_model(double learning_rate = 0.1) {
  backend::clear_session();
  models::Sequential model;
  model.add(layers::Input({4}));
  model.add(layers::Dense(1, {.kernel_initializer = "zeros"}));
  model.compile({.optimizer = optimizers::SGD({.learning_rate = learning_rate}), .loss = "mse"});
  return model;
}

}  // namespace

TEST_CASE("History records every log per epoch; model.history() is the same", "[callbacks]") {
  models::Sequential model = linear_model();
  callbacks::History h =
      model.fit(ramp({8, 4}), ramp({8, 1}, 1.0),
                {.batch_size = 4, .epochs = 3, .verbose = 0, .validation_split = 0.25});
  CHECK(h.epoch == std::vector<std::int64_t>{0, 1, 2});
  CHECK(h.history.at("loss").size() == 3);
  CHECK(h.history.at("val_loss").size() == 3);
  CHECK(model.history().history == h.history);
  CHECK(h.history.at("loss")[2] < h.history.at("loss")[0]);
}

TEST_CASE("LearningRateScheduler sets the rate before each epoch; ReduceLROnPlateau cuts it",
          "[callbacks]") {
  models::Sequential model = linear_model(0.1);
  std::vector<double> seen;
  callbacks::LearningRateScheduler schedule(
      [](std::int64_t epoch, double lr) { return epoch == 0 ? lr : lr / 2; });
  callbacks::LambdaCallback record({.on_epoch_end = [&](std::int64_t, const callbacks::Logs&) {
    seen.push_back(model.optimizer()->learning_rate());
  }});
  model.fit(ramp({8, 4}), ramp({8, 1}, 1.0),
            {.batch_size = 8, .epochs = 3, .verbose = 0, .callbacks = {schedule, record}});
  REQUIRE(seen.size() == 3);
  CHECK(seen[0] == Approx(0.1));
  CHECK(seen[1] == Approx(0.05));
  CHECK(seen[2] == Approx(0.025));

  // A loss that cannot improve (zero learning rate) plateaus at once.
  models::Sequential flat = linear_model(0.0);
  flat.optimizer()->set_learning_rate(0.4);
  callbacks::ReduceLROnPlateau reduce(
      {.monitor = "loss", .factor = 0.5, .patience = 1, .min_delta = 1e9, .min_lr = 0.1});
  std::vector<double> rates;
  callbacks::LambdaCallback watch({.on_epoch_end = [&](std::int64_t, const callbacks::Logs&) {
    rates.push_back(flat.optimizer()->learning_rate());
  }});
  flat.fit(ramp({8, 4}), ramp({8, 1}, 1.0),
           {.batch_size = 8, .epochs = 4, .verbose = 0, .callbacks = {reduce, watch}});
  // Epoch 0 sets the best; each later epoch fails min_delta and waits 1.
  REQUIRE(rates.size() == 4);
  CHECK(rates[0] == Approx(0.4));
  CHECK(rates[1] == Approx(0.2));
  CHECK(rates[2] == Approx(0.1));
  CHECK(rates[3] == Approx(0.1));
}

TEST_CASE("EarlyStopping with a baseline: the wait runs while the baseline is not beaten",
          "[callbacks]") {
  // A flat loss (learning rate 0): epoch 0 improves on nothing yet but does
  // not beat the baseline, so the wait goes on and patience 2 ends epoch 1,
  // as in Keras.
  models::Sequential model = linear_model(0.0);
  callbacks::EarlyStopping stop({.monitor = "loss", .patience = 2, .baseline = 1e-9});
  callbacks::History h =
      model.fit(ramp({8, 4}), ramp({8, 1}, 1.0),
                {.batch_size = 8, .epochs = 10, .verbose = 0, .callbacks = {stop}});
  CHECK(h.history.at("loss").size() == 2);
  CHECK(stop.stopped_epoch() == 1);
  // An improving loss is never stopped, baseline or not (Keras returns
  // before its patience check on every improvement).
  models::Sequential improving = linear_model(0.01);
  callbacks::EarlyStopping patient({.monitor = "loss", .patience = 2, .baseline = 1e-9});
  CHECK(improving
            .fit(ramp({8, 4}), ramp({8, 1}, 1.0),
                 {.batch_size = 8, .epochs = 6, .verbose = 0, .callbacks = {patient}})
            .history.at("loss")
            .size() == 6);
  REQUIRE_THROWS_WITH(callbacks::EarlyStopping({.mode = "largest"}),
                      Catch::Contains("mode must be"));
}

TEST_CASE("CSVLogger writes epoch and the logs; TerminateOnNaN stops on a NaN loss",
          "[callbacks]") {
  const auto path = std::filesystem::temp_directory_path() / "keras_cpp_csv_logger_test.csv";
  models::Sequential model = linear_model();
  callbacks::CSVLogger logger(path.string());
  callbacks::History h =
      model.fit(ramp({8, 4}), ramp({8, 1}, 1.0),
                {.batch_size = 4, .epochs = 2, .verbose = 0, .callbacks = {logger}});
  std::ifstream in(path);
  std::string header, first, second;
  std::getline(in, header);
  std::getline(in, first);
  std::getline(in, second);
  CHECK(header == "epoch,loss");
  CHECK(first == fmt::format("0,{}", h.history.at("loss")[0]));
  CHECK(second == fmt::format("1,{}", h.history.at("loss")[1]));

  models::Sequential exploding = linear_model(1e30);
  callbacks::TerminateOnNaN guard;
  Tensor huge = ramp({8, 4}) * 1e20;
  callbacks::History boom = exploding.fit(
      huge, ramp({8, 1}, 1.0), {.batch_size = 2, .epochs = 5, .verbose = 0, .callbacks = {guard}});
  CHECK(boom.history.at("loss").size() == 1);
  CHECK(!std::isfinite(boom.history.at("loss")[0]));
}

TEST_CASE("LambdaCallback sees every batch and a user's Callback can stop training",
          "[callbacks]") {
  models::Sequential model = linear_model();
  std::int64_t batches = 0, epochs = 0;
  callbacks::LambdaCallback count(
      {.on_epoch_begin = [&](std::int64_t, const callbacks::Logs&) { ++epochs; },
       .on_train_batch_end =
           [&](std::int64_t, const callbacks::Logs& logs) {
             ++batches;
             CHECK(logs.count("loss") == 1);
           }});
  struct StopAfterTwo : callbacks::Callback {
    void on_epoch_end(std::int64_t epoch, const callbacks::Logs&) override {
      if (epoch == 1) model().set_stop_training(true);
    }
  } stop;
  model.fit(ramp({8, 4}), ramp({8, 1}, 1.0),
            {.batch_size = 2, .epochs = 10, .verbose = 0, .callbacks = {count, stop}});
  CHECK(epochs == 2);
  CHECK(batches == 8);
}
