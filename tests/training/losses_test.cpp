// Every loss of losses.json (real Keras 3.15.1): per-sample values and each
// reduction, with and without sample weights.
#include <keras.hpp>

#include "fixtures.hpp"

using namespace keras;
using keras::testing::require_close;
using keras::testing::tensor_of;
using serialize::Config;

namespace {

losses::Loss make_loss(const Config& c, const std::string& reduction) {
  Config config = c.at("config");
  config["reduction"] = reduction;
  Config serialized = Config::dict();
  serialized["class_name"] = c.at("class_name");
  serialized["config"] = config;
  return losses::from_config(serialized);
}

}  // namespace

TEST_CASE("losses match Keras 3 per sample and for every reduction", "[losses]") {
  const Config cases = keras::testing::read_training_fixture("losses.json");
  REQUIRE(cases.size() >= 40);
  for (const Config& c : cases.as_list()) {
    const std::string name = c.at("name").as_string();
    INFO("case " << name);
    const Tensor y_true =
        tensor_of(c.at("y_true"), c.at("class_name").as_string().rfind("Sparse", 0) == 0);
    const Tensor y_pred = tensor_of(c.at("y_pred"));
    const bool weighted = !c.at("sample_weight").is_null();
    for (const char* reduction :
         {"none", "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight"}) {
      INFO("reduction " << reduction);
      const losses::Loss loss = make_loss(c, reduction);
      const Tensor got =
          weighted ? loss(y_true, y_pred, tensor_of(c.at("sample_weight"))) : loss(y_true, y_pred);
      require_close(got, tensor_of(c.at(reduction)), 1e-5, 2e-6);
    }
    // The class' config, as Keras writes it.
    const losses::Loss loss = make_loss(c, "sum_over_batch_size");
    const Config& want = c.at("get_config");
    for (const auto& [key, value] : want.as_dict()) {
      INFO("config key " << key);
      if (key == "dtype") continue;
      REQUIRE(loss.get_config().contains(key));
      if (value.is_number()) {
        CHECK(loss.get_config().at(key).as_number() == Approx(value.as_number()));
      } else {
        CHECK(loss.get_config().at(key) == value);
      }
    }
    // The function form: per-sample values, unweighted.
    if (c.at("config").as_dict().empty()) {
      const losses::Loss fn = losses::get(c.at("function_name").as_string());
      require_close(fn(y_true, y_pred), tensor_of(c.at("function")), 1e-5, 2e-6);
    }
  }
}

TEST_CASE("losses::get resolves Keras' names and refuses unknown ones", "[losses]") {
  CHECK(losses::get("mse").name() == "mse");
  CHECK(losses::get("Huber").name() == "huber_loss");
  CHECK(losses::get("huber").impl().reduction() == "none");
  CHECK(losses::deserialize("categorical_crossentropy").impl().reduction() ==
        "sum_over_batch_size");
  REQUIRE_THROWS_WITH(
      losses::get("mean_sqared_error"),
      Catch::Contains("unknown loss 'mean_sqared_error'") && Catch::Contains("mean_squared_error"));
  REQUIRE_THROWS_WITH(losses::MeanSquaredError({.reduction = "average"}),
                      Catch::Contains("unknown reduction 'average'"));
}
