// The metrics of metrics.json (real Keras 3.15.1): result after each batch
// and after reset_state.
#include <keras.hpp>

#include "fixtures.hpp"

using namespace keras;
using keras::testing::require_close;
using keras::testing::tensor_of;
using serialize::Config;

namespace {

std::optional<metrics::Metric> make_metric(const Config& c) {
  const Config& config = c.at("config");
  Config serialized = Config::dict();
  serialized["class_name"] = c.at("class_name");
  serialized["config"] = config;
  return metrics::from_config(serialized);
}

}  // namespace

TEST_CASE("metrics match Keras 3 batch by batch", "[metrics]") {
  const Config cases = keras::testing::read_training_fixture("metrics.json");
  REQUIRE(cases.size() >= 30);
  int checked = 0;
  for (const Config& c : cases.as_list()) {
    INFO("case " << c.at("name").as_string());
    std::optional<metrics::Metric> metric = make_metric(c);
    CHECK(metric->name() == c.at("metric_name").as_string());
    const bool sparse = c.at("class_name").as_string().rfind("Sparse", 0) == 0;
    const auto& batches = c.at("batches").as_list();
    for (std::size_t b = 0; b < batches.size(); ++b) {
      INFO("batch " << b);
      if (batches[b].contains("values")) {
        auto& mean = static_cast<metrics::MeanImpl&>(metric->impl());
        const Tensor values = tensor_of(batches[b].at("values"));
        if (batches[b].at("sample_weight").is_null()) {
          mean.update(values);
        } else {
          mean.update(values, tensor_of(batches[b].at("sample_weight")));
        }
      } else if (batches[b].at("sample_weight").is_null()) {
        metric->update_state(tensor_of(batches[b].at("y_true"), sparse),
                             tensor_of(batches[b].at("y_pred")));
      } else {
        metric->update_state(tensor_of(batches[b].at("y_true"), sparse),
                             tensor_of(batches[b].at("y_pred")),
                             tensor_of(batches[b].at("sample_weight")));
      }
      std::vector<float> want;
      for (const Config& v : c.at("results").as_list()[b].as_list()) {
        want.push_back(static_cast<float>(v.as_number()));
      }
      const Tensor result = metric->result();
      require_close(result, Tensor(Shape{static_cast<std::int64_t>(want.size())}, want), 1e-5,
                    1e-6);
    }
    metric->reset_state();
    CHECK(metric->result().to_vector<double>()[0] ==
          Approx(c.at("after_reset").as_list()[0].as_number()).margin(1e-7));
    ++checked;
  }
  CHECK(checked == static_cast<int>(cases.size()));
}
