// Every optimizer of optimizers.json (real Keras 3.15.1): the variables after
// each of five steps of fixed gradients, the learning rates, the optimizer's
// own variables by name, and the schedules.
#include <keras.hpp>

#include "fixtures.hpp"

using namespace keras;
using keras::testing::require_close;
using keras::testing::tensor_of;
using serialize::Config;

TEST_CASE("optimizers take Keras 3's steps", "[optimizers]") {
  const Config cases = keras::testing::read_training_fixture("optimizers.json");
  REQUIRE(cases.size() >= 35);
  for (const Config& c : cases.as_list()) {
    INFO("case " << c.at("name").as_string());
    Config serialized = Config::dict();
    serialized["class_name"] = c.at("class_name");
    serialized["config"] = c.at("config");
    optimizers::Optimizer optimizer = optimizers::from_config(serialized);
    std::vector<Variable> variables{Variable("w", tensor_of(c.at("initial").as_list()[0])),
                                    Variable("b", tensor_of(c.at("initial").as_list()[1]))};
    const auto& gradients = c.at("gradients").as_list();
    const auto& steps = c.at("steps").as_list();
    for (std::size_t s = 0; s < gradients.size(); ++s) {
      INFO("step " << s + 1);
      std::vector<Tensor> g{tensor_of(gradients[s].as_list()[0]).clone(),
                            tensor_of(gradients[s].as_list()[1]).clone()};
      optimizer->apply_gradients(g, variables);
      for (std::size_t k = 0; k < 2; ++k) {
        std::vector<float> want;
        for (const Config& v : steps[s].as_list()[k].as_list())
          want.push_back(static_cast<float>(v.as_number()));
        require_close(variables[k].value(), Tensor(variables[k].shape(), want), 1e-5, 1e-6);
      }
      CHECK(optimizer->learning_rate() ==
            Approx(c.at("learning_rates").as_list()[s].as_number()).epsilon(1e-6));
    }
    for (const Config& v : c.at("optimizer_variables").as_list()) {
      const std::string path = v.at("path").as_string();
      INFO("optimizer variable " << path);
      const Variable mine = optimizer->get_variable(path);
      if (path.ends_with("/iteration")) continue;  // Keras counts raw steps there
      require_close(mine.value().astype(DType::float32), tensor_of(v), 1e-5, 1e-6);
    }
    std::vector<std::string> want_names, got_names;
    for (const Config& v : c.at("optimizer_variables").as_list())
      want_names.push_back(v.at("path").as_string());
    for (const Variable& v : optimizer->variables()) got_names.push_back(v.name());
    CHECK(got_names == want_names);
    if (!c.at("schedule_values").is_null()) {
      const auto schedule = optimizers::schedules::from_config(c.at("config").at("learning_rate"));
      const auto& values = c.at("schedule_values").as_list();
      for (std::size_t step = 0; step < values.size(); ++step) {
        INFO("schedule step " << step);
        CHECK((*schedule)(static_cast<std::int64_t>(step)) ==
              Approx(values[step].as_number()).epsilon(1e-6));
      }
    }
  }
}

TEST_CASE("optimizers refuse bad arguments and unknown names", "[optimizers]") {
  REQUIRE_THROWS_WITH(optimizers::get("adamm"),
                      Catch::Contains("unknown optimizer 'adamm'") && Catch::Contains("adam"));
  REQUIRE_THROWS_WITH(optimizers::SGD({.momentum = 1.5}),
                      Catch::Contains("momentum must be in [0, 1]"));
  REQUIRE_THROWS_WITH(optimizers::Adam({.clipnorm = 1.0, .clipvalue = 1.0}),
                      Catch::Contains("at most one of clipnorm, clipvalue and global_clipnorm"));
  optimizers::Optimizer scheduled = optimizers::SGD(
      {.learning_rate = optimizers::schedules::ExponentialDecay({.decay_steps = 10})});
  REQUIRE_THROWS_WITH(scheduled->set_learning_rate(0.1), Catch::Contains("schedule"));
}

TEST_CASE("set_learning_rate takes effect on the next step", "[optimizers]") {
  optimizers::Optimizer sgd = optimizers::SGD({.learning_rate = 0.5});
  std::vector<Variable> w{Variable("w", Tensor(Shape{2}, std::vector<float>{1, 1}))};
  std::vector<Tensor> g{Tensor(Shape{2}, std::vector<float>{1, 2})};
  sgd->apply_gradients(g, w);
  CHECK(w[0].value().to_vector<float>() == std::vector<float>{0.5f, 0.0f});
  sgd->set_learning_rate(0.25);
  g = {Tensor(Shape{2}, std::vector<float>{1, 2})};
  sgd->apply_gradients(g, w);
  CHECK(w[0].value().to_vector<float>() == std::vector<float>{0.25f, -0.5f});
  CHECK(sgd->iterations() == 2);
}
