// The rules training sits on: a probe changes nothing, freezing holds,
// weights set after compile are used, and bad input is a clear error that
// leaves the model as it was.
#include <thread>

#include <keras.hpp>

#include "fixtures.hpp"

using namespace keras;
using keras::testing::ramp;

namespace {

models::Sequential batchnorm_model() {
  backend::clear_session();
  models::Sequential model;
  model.add(layers::Input({4}));
  model.add(layers::Dense(3, {.name = "hidden"}));
  model.add(layers::BatchNormalization({.name = "bn"}));
  model.add(layers::Dense(1, {.name = "out"}));
  return model;
}

}  // namespace

TEST_CASE("a probe in train mode changes no variable; fit does", "[training]") {
  models::Sequential model = batchnorm_model();
  const std::vector<Tensor> before = model.get_weights();
  auto probe = backend::function({model.inputs()[0], backend::learning_phase()},
                                 {model.get_layer("bn").output()});
  const Tensor train_mode = probe({ramp({8, 4}), Tensor::scalar(1)})[0];
  const Tensor test_mode = probe({ramp({8, 4}), Tensor::scalar(0)})[0];
  CHECK(train_mode.to_vector<float>() != test_mode.to_vector<float>());
  const std::vector<Tensor> after = model.get_weights();
  for (std::size_t i = 0; i < before.size(); ++i) {
    CHECK(after[i].to_vector<float>() == before[i].to_vector<float>());
  }
  model.compile({.optimizer = "sgd", .loss = "mse"});
  model.fit(ramp({8, 4}), ramp({8, 1}, 0.5), {.batch_size = 8, .verbose = 0});
  const Tensor moving_mean = model.get_layer("bn").weights()[2].value();
  CHECK(moving_mean.to_vector<float>() != std::vector<float>(3, 0.0f));
}

TEST_CASE("a frozen layer keeps its weights through fit", "[training]") {
  models::Sequential model = batchnorm_model();
  model.get_layer("hidden").set_trainable(false);
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  const Tensor kernel = model.get_layer("hidden").get_weights()[0].clone();
  const Tensor out_kernel = model.get_layer("out").get_weights()[0].clone();
  model.fit(ramp({8, 4}), ramp({8, 1}, 0.5), {.batch_size = 4, .epochs = 2, .verbose = 0});
  CHECK(model.get_layer("hidden").get_weights()[0].to_vector<float>() == kernel.to_vector<float>());
  CHECK(model.get_layer("out").get_weights()[0].to_vector<float>() !=
        out_kernel.to_vector<float>());
}

TEST_CASE("weights set after compiling are the weights the next step reads", "[training]") {
  backend::clear_session();
  models::Sequential model;
  model.add(layers::Input({2}));
  model.add(layers::Dense(1, {.kernel_initializer = "zeros", .name = "out"}));
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.0}), .loss = "mse"});
  const Tensor x(Shape{1, 2}, std::vector<float>{1, 2});
  const Tensor y(Shape{1, 1}, std::vector<float>{0});
  CHECK(model.train_on_batch(x, y)[0] == 0.0);
  model.set_weights(
      {Tensor(Shape{2, 1}, std::vector<float>{1, 1}), Tensor(Shape{1}, std::vector<float>{0})});
  CHECK(model.test_on_batch(x, y)[0] == Approx(9.0));
}

TEST_CASE("plain SGD updates inside the training plan as its own loop would", "[training]") {
  // SGD without momentum updates in the plan (a Dense kernel's gradient
  // accumulates into the kernel); with clipvalue it runs its loop after the
  // plan. A clip at 1e30 changes no gradient: both must agree.
  const auto make = [](std::optional<double> clipvalue) {
    backend::clear_session();
    utils::set_random_seed(3);
    models::Sequential model;
    model.add(layers::Input({64}));
    model.add(layers::Dense(48, {.activation = "relu"}));
    model.add(layers::Dense(3, {.activation = "softmax"}));
    model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.05, .clipvalue = clipvalue}),
                   .loss = "categorical_crossentropy"});
    return model;
  };
  models::Sequential in_plan = make(std::nullopt);
  models::Sequential looped = make(1e30);
  REQUIRE(in_plan.optimizer()->updates_in_graph());
  REQUIRE(!looped.optimizer()->updates_in_graph());
  const Tensor x = ramp({40, 64});
  std::vector<float> labels;
  for (int i = 0; i < 40; ++i) labels.push_back(static_cast<float>(i % 3));
  const Tensor y = utils::to_categorical(Tensor(Shape{40}, labels).astype(DType::int32), 3);
  const auto same_weights = [&] {
    const std::vector<Tensor> a = in_plan.get_weights();
    const std::vector<Tensor> b = looped.get_weights();
    for (std::size_t i = 0; i < a.size(); ++i)
      keras::testing::require_close(a[i], b[i], 1e-5, 1e-6);
  };
  const std::vector<Tensor> initial = in_plan.get_weights();
  const models::FitOptions options{.batch_size = 16, .epochs = 2, .verbose = 0, .shuffle = false};
  const callbacks::History a = in_plan.fit(x, y, options);
  const callbacks::History b = looped.fit(x, y, options);
  CHECK(a.history.at("loss")[1] == Approx(b.history.at("loss")[1]).epsilon(1e-5));
  CHECK(in_plan.optimizer()->iterations() == 6);
  CHECK(in_plan.get_weights()[0].to_vector<float>() != initial[0].to_vector<float>());
  same_weights();

  // The learning rate is fed at each step: 0 leaves the weights alone.
  in_plan.optimizer()->set_learning_rate(0.0);
  const std::vector<Tensor> before = in_plan.get_weights();
  in_plan.train_on_batch(x, y);
  for (std::size_t i = 0; i < before.size(); ++i) {
    CHECK(in_plan.get_weights()[i].to_vector<float>() == before[i].to_vector<float>());
  }
  // Weights set between steps are the ones the next update starts from.
  in_plan.optimizer()->set_learning_rate(0.05);
  in_plan.set_weights(initial);
  looped.set_weights(initial);
  in_plan.train_on_batch(x, y);
  looped.train_on_batch(x, y);
  same_weights();
}

TEST_CASE("bad input to training is a keras::Error that changes nothing", "[training]") {
  models::Sequential model = batchnorm_model();
  const std::vector<Tensor> before = model.get_weights();
  REQUIRE_THROWS_WITH(model.fit(ramp({8, 4}), ramp({8, 1})),
                      Catch::Contains("is not compiled: call compile"));
  model.compile({.optimizer = "adam", .loss = "mse"});
  REQUIRE_THROWS_WITH(model.fit(ramp({8, 4}), ramp({7, 1}), {.verbose = 0}),
                      Catch::Contains("x holds 8 samples but y holds 7"));
  REQUIRE_THROWS_WITH(model.compile({.optimizer = "adamm", .loss = "mse"}),
                      Catch::Contains("unknown optimizer 'adamm'"));
  REQUIRE_THROWS_WITH(model.compile({.optimizer = "adam", .loss = "msee"}),
                      Catch::Contains("unknown loss 'msee'"));
  REQUIRE_THROWS_WITH(model.compile({.optimizer = "adam", .loss = "mse", .metrics = {"acuracy"}}),
                      Catch::Contains("unknown metric 'acuracy'"));
  backend::clear_session();
  auto input = layers::Input({4});
  models::Model classifier(input, layers::Dense(3, {.activation = "softmax"})(input));
  classifier.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy"});
  const Tensor labels(Shape{2}, std::vector<std::int32_t>{1, 3});
  REQUIRE_THROWS_WITH(classifier.fit(ramp({2, 4}), labels, {.verbose = 0}),
                      Catch::Contains("label 3") && Catch::Contains("[0, 3)"));
  classifier.compile({.optimizer = "adam", .loss = "mse"});
  REQUIRE_THROWS_WITH(classifier.fit(ramp({2, 4}), ramp({2, 5}), {.verbose = 0}),
                      Catch::Contains("does not fit output"));
  const std::vector<Tensor> after = model.get_weights();
  for (std::size_t i = 0; i < before.size(); ++i) {
    CHECK(after[i].to_vector<float>() == before[i].to_vector<float>());
  }
}

TEST_CASE("the progress bar off a terminal prints each epoch's final line only", "[training]") {
  models::Sequential model = batchnorm_model();
  model.compile({.optimizer = "sgd", .loss = "mse", .metrics = {"mae"}});
  std::string text;
  callbacks::ProgbarLogger bar([&](const std::string& s) { text += s; }, false);
  // A ProgbarLogger among the callbacks takes the place of fit's own, as in Keras.
  model.fit(ramp({10, 4}), ramp({10, 1}, 0.5), {.batch_size = 2, .epochs = 2, .callbacks = {bar}});
  CHECK(text.find('\r') == std::string::npos);
  CHECK(text.find('\x1b') == std::string::npos);
  CHECK(text.rfind("Epoch 1/2\n5/5 ━━━━━━━━━━━━━━━━━━━━ ", 0) == 0);
  CHECK(text.find(" - loss: ") != std::string::npos);
  CHECK(text.find(" - mae: ") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 4);
}

TEST_CASE("a call with training = false stays in inference mode through fit and to_json",
          "[training]") {
  backend::clear_session();
  auto inner_in = layers::Input({4});
  auto bn = layers::BatchNormalization({.name = "bn"});
  models::Model base(inner_in, bn(layers::Dense(3, {.name = "features"})(inner_in)), "base");
  auto x = layers::Input({4});
  auto features = base(x, {.training = false});
  models::Model model(x, layers::Dense(1, {.name = "head"})(features), "outer");
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  const std::vector<float> moving_mean = bn.impl().moving_mean().value().to_vector<float>();
  const Tensor head = model.get_layer("head").get_weights()[0].clone();
  model.fit(ramp({8, 4}), ramp({8, 1}, 0.5), {.batch_size = 4, .verbose = 0});
  CHECK(bn.impl().moving_mean().value().to_vector<float>() == moving_mean);
  CHECK(model.get_layer("head").get_weights()[0].to_vector<float>() != head.to_vector<float>());

  // The call's training is in its config and survives a round trip.
  const std::string json = model.to_json();
  CHECK(json.find("\"training\": false") != std::string::npos);
  models::Model copy = models::model_from_json(json);
  copy.set_weights(model.get_weights());
  copy.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  const std::vector<Tensor> before = copy.get_layer("base/bn").get_weights();
  copy.fit(ramp({8, 4}), ramp({8, 1}, 0.5), {.batch_size = 4, .verbose = 0});
  const std::vector<Tensor> after = copy.get_layer("base/bn").get_weights();
  CHECK(after[2].to_vector<float>() == before[2].to_vector<float>());  // moving mean
  CHECK(after[3].to_vector<float>() == before[3].to_vector<float>());  // moving variance
}

TEST_CASE("a call without training follows the phase; Layer::apply returns its updates",
          "[training]") {
  models::Sequential model = batchnorm_model();
  layers::Layer bn = model.get_layer("bn");
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto x = ops::placeholder({Shape::kUnknown, 3});
  layers::CallResult result = bn.apply({x}, backend::learning_phase());
  REQUIRE(result.effects.updates.size() == 2);
  auto step =
      backend::function({x, backend::learning_phase()}, result.outputs, result.effects.updates);
  const std::vector<float> before = bn.weights()[2].value().to_vector<float>();
  step({ramp({6, 3}), Tensor::scalar(0)});
  CHECK(bn.weights()[2].value().to_vector<float>() == before);
  step({ramp({6, 3}), Tensor::scalar(1)});
  CHECK(bn.weights()[2].value().to_vector<float>() != before);
}

TEST_CASE("predict from several threads gives what serial calls give", "[training]") {
  models::Sequential model = batchnorm_model();
  std::vector<Tensor> inputs, serial;
  for (int i = 0; i < 8; ++i) {
    inputs.push_back(ramp({3 + i, 4}, 0.1 * i));
    serial.push_back(model.predict(inputs.back()));
  }
  std::vector<std::vector<Tensor>> got(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 25; ++round) {
        for (const Tensor& x : inputs) got[t].push_back(model.predict(x));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& results : got) {
    REQUIRE(results.size() == 25 * inputs.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
      CHECK(results[i].to_vector<float>() == serial[i % inputs.size()].to_vector<float>());
    }
  }
}

TEST_CASE("initializers resolve Keras 3's aliases", "[training]") {
  for (const char* name : {"uniform", "normal", "zero", "one"}) {
    INFO(name);
    CHECK(initializers::get(name) != nullptr);
  }
  CHECK(initializers::get("zero")->get_config() == initializers::get("zeros")->get_config());
  backend::clear_session();
  models::Sequential model;
  model.add(layers::Input({8}));
  model.add(layers::Dense(12, {.activation = "relu", .kernel_initializer = "uniform"}));
  const std::vector<float> kernel = model.get_weights()[0].to_vector<float>();
  for (float w : kernel) CHECK(std::abs(w) <= 0.05f);  // RandomUniform(-0.05, 0.05)
}

TEST_CASE("to_json writes Keras 3's compile_config and model_from_json compiles from it",
          "[training]") {
  models::Sequential model = batchnorm_model();
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1, .momentum = 0.9}),
                 .loss = "mse",
                 .loss_weights = {0.5},
                 .metrics = {"mae", metrics::AUC()}});
  const serialize::Config config = model.get_compile_config();
  // What Keras 3.15.1 writes for the same compile call.
  CHECK(
      config.to_json() ==
      R"({"optimizer": {"module": "keras.optimizers", "class_name": "SGD", "config": {"name": "sgd", )"
      R"("learning_rate": 0.10000000149011612, "weight_decay": null, "clipnorm": null, )"
      R"("global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, )"
      R"("ema_overwrite_frequency": null, "loss_scale_factor": null, "gradient_accumulation_steps": )"
      R"(null, "momentum": 0.9, "nesterov": false}, "registered_name": null}, "loss": "mse", )"
      R"("loss_weights": [0.5], "metrics": ["mae", {"module": "keras.metrics", "class_name": "AUC", )"
      R"("config": {"name": "auc", "dtype": "float32", "num_thresholds": 200, "curve": "ROC", )"
      R"("summation_method": "interpolation", "multi_label": false, "num_labels": null, )"
      R"("label_weights": null, "from_logits": false}, "registered_name": null}], )"
      R"("weighted_metrics": null, "run_eagerly": false, "steps_per_execution": 1, "jit_compile": true})");
  models::Model copy = models::model_from_json(model.to_json());
  REQUIRE(copy.compiled());
  CHECK(copy.optimizer()->class_name() == "SGD");
  CHECK(copy.optimizer()->learning_rate() == Approx(0.1));
  copy.set_weights(model.get_weights());
  const std::vector<double> a = model.evaluate(ramp({6, 4}), ramp({6, 1}, 0.3), {.verbose = 0});
  const std::vector<double> b = copy.evaluate(ramp({6, 4}), ramp({6, 1}, 0.3), {.verbose = 0});
  CHECK(copy.metrics_names() == model.metrics_names());
  REQUIRE(a.size() == 3);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(b[i] == Approx(a[i]));
}

TEST_CASE("fit and evaluate take generators, as Keras' FAQ feeds data larger than memory",
          "[training]") {
  const Tensor x = ramp({12, 4}), y = ramp({12, 1}, 0.7);
  models::Sequential arrays = batchnorm_model();
  const std::vector<Tensor> initial = arrays.get_weights();
  arrays.compile({.optimizer = optimizers::SGD({.learning_rate = 0.05}), .loss = "mse"});
  arrays.fit(x, y, {.batch_size = 4, .epochs = 2, .verbose = 0, .shuffle = false});

  models::Sequential streamed = batchnorm_model();
  streamed.set_weights(initial);
  streamed.compile({.optimizer = optimizers::SGD({.learning_rate = 0.05}), .loss = "mse"});
  // A generator that ends with its data: each epoch restarts it.
  std::int64_t next = 0;
  models::BatchGenerator finite = [&]() -> std::optional<models::DataBatch> {
    if (next == 12) {
      next = 0;
      return std::nullopt;
    }
    models::DataBatch batch{{x.rows(next, 4)}, {y.rows(next, 4)}};
    next += 4;
    return batch;
  };
  callbacks::History history = streamed.fit(finite, {.epochs = 2, .verbose = 0});
  CHECK(history.history.at("loss").size() == 2);
  const std::vector<Tensor> a = arrays.get_weights(), b = streamed.get_weights();
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(b[i].to_vector<float>() == a[i].to_vector<float>());

  // A generator without end, with steps_per_epoch and steps.
  std::int64_t cursor = 0;
  models::BatchGenerator endless = [&]() -> std::optional<models::DataBatch> {
    models::DataBatch batch{{x.rows(cursor, 4)}, {y.rows(cursor, 4)}};
    cursor = (cursor + 4) % 12;
    return batch;
  };
  streamed.fit(endless, {.epochs = 1, .verbose = 0, .steps_per_epoch = 3});
  CHECK(cursor == 0);
  const std::vector<double> by_generator = streamed.evaluate(endless, {.verbose = 0, .steps = 3});
  const std::vector<double> by_arrays = streamed.evaluate(x, y, {.batch_size = 4, .verbose = 0});
  CHECK(by_generator[0] == Approx(by_arrays[0]));
  REQUIRE_THROWS_WITH(streamed.fit(endless, {.validation_split = 0.2}),
                      Catch::Contains("validation_split needs arrays"));
}

TEST_CASE("set_random_seed makes training reproducible bit for bit on one thread", "[training]") {
  const int threads = backend::num_threads();
  backend::set_num_threads(1);
  const auto run = [](std::uint64_t seed) {
    backend::clear_session();
    utils::set_random_seed(seed);
    models::Sequential model;
    model.add(layers::Input({4}));
    model.add(layers::Dense(16, {.activation = "relu"}));
    model.add(layers::Dropout(0.3));
    model.add(layers::GaussianNoise(0.1));
    model.add(layers::Dense(1));
    model.compile({.optimizer = "adam", .loss = "mse"});
    model.fit(ramp({32, 4}), ramp({32, 1}, 0.4), {.batch_size = 8, .epochs = 3, .verbose = 0});
    std::vector<std::vector<float>> weights;
    for (const Tensor& w : model.get_weights()) weights.push_back(w.to_vector<float>());
    return weights;
  };
  const auto a = run(11), b = run(11), c = run(12);
  backend::set_num_threads(threads);
  CHECK(a == b);
  CHECK(a != c);
}

TEST_CASE(
    "several outputs: losses by name, loss_weights, per-output losses and metrics in the logs",
    "[training]") {
  backend::clear_session();
  auto x = layers::Input({4});
  auto h = layers::Dense(3, {.activation = "relu"})(x);
  auto a = layers::Dense(1, {.name = "a"})(h);
  auto b = layers::Dense(3, {.activation = "softmax", .name = "b"})(h);
  models::Model model(std::vector<KerasTensor>{x}, std::vector<KerasTensor>{a, b});
  model.compile(
      {.optimizer = "sgd",
       .loss = std::map<std::string, losses::Loss>{{"a", "mse"},
                                                   {"b", "sparse_categorical_crossentropy"}},
       .loss_weights = {0.5, 1.0},
       .metrics = std::map<std::string, std::vector<metrics::Metric>>{{"a", {"mae"}},
                                                                      {"b", {"accuracy"}}}});
  const Tensor xs = ramp({8, 4});
  const Tensor ya = ramp({8, 1}, 0.3);
  const Tensor yb(Shape{8}, std::vector<std::int32_t>{0, 1, 2, 0, 1, 2, 0, 1});
  callbacks::History history = model.fit({xs}, {ya, yb}, {.verbose = 0});
  std::vector<std::string> keys;
  for (const auto& [key, values] : history.history) keys.push_back(key);
  // Keras 3.15.1 logs exactly these for the same compile call.
  CHECK(keys == std::vector<std::string>{"a_loss", "a_mae", "b_accuracy", "b_loss", "loss"});
  CHECK(model.metrics_names() ==
        std::vector<std::string>{"loss", "a_loss", "b_loss", "a_mae", "b_accuracy"});
  const std::vector<double> r = model.evaluate({xs}, {ya, yb}, {.verbose = 0});
  REQUIRE(r.size() == 5);
  CHECK(r[0] == Approx(0.5 * r[1] + r[2]));
  // The same metric name for every output: one metric each, named per output.
  model.compile({.optimizer = "sgd",
                 .loss = {"mse", "sparse_categorical_crossentropy"},
                 .metrics = {"accuracy"}});
  model.fit({xs}, {ya, yb}, {.verbose = 0});
  CHECK(model.metrics_names() ==
        std::vector<std::string>{"loss", "a_loss", "b_loss", "a_accuracy", "b_accuracy"});
  REQUIRE_THROWS_WITH(model.compile({.optimizer = "sgd", .loss = {"mse"}}),
                      Catch::Contains("has 2 outputs but 1 losses"));
}

TEST_CASE("the FAQ's frozen and trainable models over one layer", "[training]") {
  backend::clear_session();
  auto x = layers::Input({4});
  auto layer = layers::Dense(4);
  layer.set_trainable(false);
  auto y = layer(x);
  models::Model frozen(x, y);
  frozen.compile({.optimizer = "rmsprop", .loss = "mse"});
  layer.set_trainable(true);
  models::Model trainable(x, y);
  trainable.compile({.optimizer = "rmsprop", .loss = "mse"});
  const Tensor kernel = layer.get_weights()[0].clone();
  frozen.fit(ramp({8, 4}), ramp({8, 4}, 0.5), {.verbose = 0});  // does not update the layer
  CHECK(layer.get_weights()[0].to_vector<float>() == kernel.to_vector<float>());
  trainable.fit(ramp({8, 4}), ramp({8, 4}, 0.5), {.verbose = 0});  // updates it
  CHECK(layer.get_weights()[0].to_vector<float>() != kernel.to_vector<float>());
}

TEST_CASE("fit and evaluate take arrays by input and output names", "[training]") {
  backend::clear_session();
  auto image = layers::Input({4}, {.name = "image"});
  auto meta = layers::Input({2}, {.name = "meta"});
  auto joined = layers::Concatenate()({image, meta});
  auto label = layers::Dense(1, {.name = "label"})(joined);
  models::Model model(std::vector<KerasTensor>{image, meta}, std::vector<KerasTensor>{label});
  model.compile({.optimizer = "sgd", .loss = "mse"});
  const Tensor x1 = ramp({6, 4}), x2 = ramp({6, 2}, 0.3), y = ramp({6, 1}, 0.6);
  const std::vector<double> by_position = model.evaluate({x1, x2}, {y}, {.verbose = 0});
  const std::vector<double> by_name =
      model.evaluate({{"meta", x2}, {"image", x1}}, {{"label", y}}, {.verbose = 0});
  CHECK(by_name[0] == by_position[0]);
  model.fit({{"image", x1}, {"meta", x2}}, {{"label", y}}, {.verbose = 0});
  REQUIRE_THROWS_WITH(model.fit({{"image", x1}}, {{"label", y}}, {.verbose = 0}),
                      Catch::Contains("no array is given for input 'meta'"));
  REQUIRE_THROWS_WITH(
      model.fit({{"image", x1}, {"meta", x2}, {"extra", x2}}, {{"label", y}}, {.verbose = 0}),
      Catch::Contains("has no input named 'extra'"));
}

TEST_CASE("predict takes a generator of input batches", "[training]") {
  models::Sequential model = batchnorm_model();
  const Tensor x = ramp({10, 4});
  std::int64_t next = 0;
  models::InputGenerator batches = [&]() -> std::optional<std::vector<Tensor>> {
    if (next >= 10) return std::nullopt;
    const std::int64_t count = std::min<std::int64_t>(4, 10 - next);
    std::vector<Tensor> batch{x.rows(next, count)};
    next += count;
    return batch;
  };
  const std::vector<Tensor> streamed = model.predict(batches, {});
  REQUIRE(streamed.size() == 1);
  CHECK(streamed[0].shape() == Shape{10, 1});
  CHECK(streamed[0].to_vector<float>() == model.predict(x).to_vector<float>());
  next = 0;
  CHECK(model.predict(batches, {.steps = 2})[0].shape() == Shape{8, 1});
}
