// Models saved by keras-cpp in every format and dialect load back with the
// same config and bit-identical weights and predictions; save -> load ->
// save is a fixed point.
#include <catch2/catch.hpp>

#include <functional>

#include "functional/reference_models.hpp"
#include "keras/serialize/files.hpp"
#include "saving_fixtures.hpp"

using namespace keras;
using keras::testing::TempDir;
namespace reference_models = keras::testing::reference_models;

namespace {

models::Model bn_dropout() {
  backend::clear_session();
  auto x = layers::Input({6});
  auto h = layers::Dense(8)(x);
  h = layers::BatchNormalization()(h);
  h = layers::Activation("relu")(h);
  h = layers::Dropout(0.3)(h);
  return models::Model(x, layers::Dense(3, {.activation = "softmax"})(h));
}

models::Model sequential_mlp() {
  backend::clear_session();
  models::Sequential model;
  model.add(layers::Input({8}));
  model.add(layers::Dense(12, {.activation = "relu"}));
  model.add(layers::Dense(1, {.activation = "sigmoid"}));
  return model;
}

struct Case {
  const char* name;
  std::function<models::Model()> build;
};

const Case kCases[] = {{"sequential_mlp", sequential_mlp},
                       {"bn_dropout", bn_dropout},
                       {"two_input", reference_models::two_input},
                       {"nested", reference_models::nested},
                       {"mixed", reference_models::mixed}};

// Weights that differ from any initializer's: moving statistics included.
void perturb(const models::Model& model) {
  int k = 0;
  for (const Variable& v : model.weights()) {
    Tensor value = v.value().clone();
    for (std::int64_t i = 0; i < value.size(); ++i) {
      value.data<float>()[i] = 0.5f + 0.25f * static_cast<float>(std::sin(++k * 0.7));
    }
    Variable(v).assign(value);
  }
}

std::vector<Tensor> sample_inputs(const models::Model& model) {
  std::vector<Tensor> out;
  int k = 0;
  for (const KerasTensor& input : model.inputs()) {
    std::vector<std::int64_t> dims = input.shape().dims();
    dims[0] = 3;
    Tensor t(DType::float32, Shape(dims));
    for (std::int64_t i = 0; i < t.size(); ++i) {
      t.data<float>()[i] = static_cast<float>(std::cos(++k * 1.3));
    }
    out.push_back(t);
  }
  return out;
}

void require_same(const models::Model& loaded, const models::Model& original) {
  CHECK(loaded.to_json() == original.to_json());
  const std::vector<Variable> a = loaded.weights();
  const std::vector<Variable> b = original.weights();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO("weight " << b[i].name());
    CHECK(a[i].value().to_vector<float>() == b[i].value().to_vector<float>());
  }
  const std::vector<Tensor> inputs = sample_inputs(original);
  const std::vector<Tensor> want = original.predict(inputs);
  const std::vector<Tensor> got = loaded.predict(inputs);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].to_vector<float>() == want[i].to_vector<float>());
  }
}

using Route = std::function<models::Model(const models::Model&, const TempDir&)>;

const std::pair<const char*, Route> kRoutes[] = {
    {".keras",
     [](const models::Model& m, const TempDir& dir) {
       m.save(dir / "m.keras");
       return models::load_model(dir / "m.keras");
     }},
    {".h5 (Keras 3)",
     [](const models::Model& m, const TempDir& dir) {
       m.save(dir / "m.h5");
       return models::load_model(dir / "m.h5");
     }},
    {".h5 (Keras 2)",
     [](const models::Model& m, const TempDir& dir) {
       m.save(dir / "m2.h5", {.dialect = models::Dialect::keras2});
       return models::load_model(dir / "m2.h5");
     }},
    {".json + .weights.h5",
     [](const models::Model& m, const TempDir& dir) {
       m.save_weights(dir / "m.weights.h5");
       models::Model again = models::model_from_json(m.to_json());
       again.load_weights(dir / "m.weights.h5");
       return again;
     }},
    {".json (Keras 2) + legacy .h5 weights",
     [](const models::Model& m, const TempDir& dir) {
       m.save_weights(dir / "m_weights.h5", {.dialect = models::Dialect::keras2});
       models::Model again =
           models::model_from_json(m.to_json({.dialect = models::Dialect::keras2}));
       again.load_weights(dir / "m_weights.h5");
       return again;
     }},
    {".yaml + legacy .h5 weights",
     [](const models::Model& m, const TempDir& dir) {
       m.save_weights(dir / "m3_weights.h5");
       models::Model again = models::model_from_yaml(m.to_yaml());
       again.load_weights(dir / "m3_weights.h5");
       return again;
     }},
};

}  // namespace

TEST_CASE("every format and dialect reloads the same model") {
  for (const Case& c : kCases) {
    for (const auto& [route, reload] : kRoutes) {
      INFO(c.name << " through " << route);
      const models::Model model = c.build();
      perturb(model);
      const TempDir dir;
      require_same(reload(model, dir), model);
    }
  }
}

TEST_CASE("save -> load -> save is a fixed point") {
  for (const Case& c : kCases) {
    INFO(c.name);
    const models::Model model = c.build();
    perturb(model);
    const TempDir dir;
    for (const char* name : {"a.h5", "a.weights.h5"}) {
      INFO(name);
      const bool whole = std::string(name) == "a.h5";
      whole ? model.save(dir / name) : model.save_weights(dir / name);
      models::Model again =
          whole ? models::load_model(dir / name) : models::model_from_json(model.to_json());
      if (!whole) again.load_weights(dir / name);
      const std::string second = dir / (std::string("b_") + name);
      whole ? again.save(second) : again.save_weights(second);
      CHECK(serialize::read_file(dir / name) == serialize::read_file(second));
    }
  }
}
