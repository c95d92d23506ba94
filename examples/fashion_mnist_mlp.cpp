// The Keras tutorials' MLP on Fashion-MNIST: a Sequential model (784-512
// relu, Dropout 0.2, 10 softmax) and its summary, compile and fit with a
// validation split and the progress bar, evaluate on the test set; the
// trained model saved the tutorials' ways (JSON + weights, YAML + weights,
// a .keras archive, a .h5 file) and each loaded back with the same test
// accuracy; and the hidden layer of a reloaded model probed in test and
// train mode, as Keras' FAQ does with K.function. Exits non-zero if any of
// it is wrong. The files go to the folder given as the second argument
// (default: the current one).
#include <cmath>
#include <filesystem>

#include <keras.hpp>

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace backend = keras::backend;
namespace layers = keras::layers;
namespace models = keras::models;
namespace ops = keras::ops;

namespace {

double zero_fraction(const Tensor& t) {
  std::vector<float> v = t.to_vector<float>();
  double zeros = 0;
  for (float x : v) zeros += x == 0.0f;
  return zeros / static_cast<double>(v.size());
}

// The share of rows whose largest probability is at the label.
double accuracy(const Tensor& probabilities, const Tensor& labels) {
  const std::vector<float> p = probabilities.to_vector<float>();
  const std::vector<std::int32_t> truth = labels.to_vector<std::int32_t>();
  const std::size_t classes = static_cast<std::size_t>(probabilities.shape()[1]);
  double correct = 0;
  for (std::size_t r = 0; r < truth.size(); ++r) {
    const float* row = p.data() + r * classes;
    const auto best = std::max_element(row, row + classes) - row;
    correct += best == truth[r];
  }
  return correct / static_cast<double>(truth.size());
}

}  // namespace

int main(int argc, char** argv) {
  const int epochs = argc > 1 ? std::atoi(argv[1]) : 2;

  // Keras' load_data: uint8 images (N, 28, 28) and labels (N,), from
  // Debian's dataset-fashion-mnist. Pixels become floats in [0, 1].
  auto [train, test] = keras::datasets::fashion_mnist::load_data();
  const auto pixels = [](const Tensor& images) {
    return images.astype(DType::float32).reshape({images.shape()[0], 784}) / 255.0;
  };
  const Tensor x_train = pixels(train.x);
  const Tensor x_test = pixels(test.x);
  const Tensor& y_train = train.y;
  const Tensor& y_test = test.y;
  fmt::print("Fashion-MNIST: {} training and {} test images of {} pixels\n", x_train.shape()[0],
             x_test.shape()[0], x_train.shape()[1]);

  keras::utils::set_random_seed(1234);
  models::Sequential model({}, "fashion_mlp");
  model.add(layers::Input({784}));
  model.add(layers::Dense(512, {.activation = "relu", .name = "hidden"}));
  model.add(layers::Dropout(0.2));
  model.add(layers::Dense(10, {.activation = "softmax", .name = "probabilities"}));
  model.summary();

  // The tutorial's compile and fit: Adam, sparse categorical cross-entropy
  // on the integer labels, accuracy, the last 10% of the training images
  // for validation, and Keras' progress bar.
  model.compile(
      {.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  keras::callbacks::History history =
      model.fit(x_train, y_train, {.batch_size = 128, .epochs = epochs, .validation_split = 0.1});
  const std::vector<double> evaluation = model.evaluate(x_test, y_test, {.verbose = 0});
  fmt::print("test loss {:.4f}, test accuracy {:.4f}\n", evaluation[0], evaluation[1]);

  const double test_accuracy = accuracy(model.predict(x_test, 256), y_test);
  fmt::print("test accuracy: {:.4f}\n", test_accuracy);

  // Save the trained model as the tutorials do, and load each file back.
  const std::filesystem::path folder = argc > 2 ? argv[2] : ".";
  const auto at = [&](const char* name) { return (folder / name).string(); };
  keras::serialize::write_file_atomically(at("fashion_mlp.json"), model.to_json());
  model.save_weights(at("fashion_mlp.weights.h5"));
  keras::serialize::write_file_atomically(at("fashion_mlp.yaml"), model.to_yaml());
  model.save_weights(at("fashion_mlp_weights.h5"));  // the legacy layout YAML users had
  model.save(at("fashion_mlp.keras"));
  model.save(at("fashion_mlp.h5"));

  std::vector<std::pair<std::string, models::Model>> reloaded;
  reloaded.emplace_back(
      "JSON + .weights.h5",
      models::model_from_json(keras::serialize::read_file(at("fashion_mlp.json"))));
  reloaded.back().second.load_weights(at("fashion_mlp.weights.h5"));
  reloaded.emplace_back(
      "YAML + _weights.h5",
      models::model_from_yaml(keras::serialize::read_file(at("fashion_mlp.yaml"))));
  reloaded.back().second.load_weights(at("fashion_mlp_weights.h5"));
  reloaded.emplace_back(".keras", models::load_model(at("fashion_mlp.keras")));
  reloaded.emplace_back(".h5", models::load_model(at("fashion_mlp.h5")));
  bool same_accuracy = true;
  for (const auto& [format, again] : reloaded) {
    const double reloaded_accuracy = accuracy(again.predict(x_test, 256), y_test);
    fmt::print("reloaded from {:<19} test accuracy {:.4f}\n", format, reloaded_accuracy);
    same_accuracy = same_accuracy && reloaded_accuracy == test_accuracy;
  }
  const models::Model& restored = reloaded[2].second;

  // Probe the hidden layer after dropout, as K.function does: test mode (0)
  // leaves it alone, train mode (1) also zeroes 20% of the units still alive.
  auto probe = backend::function({restored.inputs()[0], backend::learning_phase()},
                                 {restored.get_layer("dropout").output()});
  Tensor sample = x_test.rows(0, 256);
  const double test_zeros = zero_fraction(probe({sample, Tensor::scalar(0)})[0]);
  const double train_zeros = zero_fraction(probe({sample, Tensor::scalar(1)})[0]);
  fmt::print("hidden units at zero: {:.3f} in test mode, {:.3f} in train mode\n", test_zeros,
             train_zeros);

  const double expected_train_zeros = test_zeros + 0.2 * (1 - test_zeros);
  const bool passed =
      test_accuracy > 0.80 && same_accuracy && std::abs(evaluation[1] - test_accuracy) < 1e-6 &&
      history.history.at("val_accuracy").size() == static_cast<std::size_t>(epochs) &&
      std::abs(train_zeros - expected_train_zeros) < 0.02;
  fmt::print("{}\n", passed ? "passed" : "FAILED");
  return passed ? 0 : 1;
}
