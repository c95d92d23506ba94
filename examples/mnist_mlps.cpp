// The two other MLPs of the tutorials, on Fashion-MNIST (Debian's
// dataset-fashion-mnist):
//   sigmoid: 784-50 sigmoid-20 sigmoid-10 softmax, SGD, categorical
//            cross-entropy on one-hot labels, batches of 64 (the Japanese
//            save/load tutorial)
//   relu800: 784-800 relu-10 softmax, SGD, categorical cross-entropy (the
//            Russian one)
//
//   mnist_mlps sigmoid|relu800 [epochs]
//
// Prints the history and the test accuracy; exits non-zero when the model
// did not learn (accuracy below what the model reaches in that many epochs).
#include <keras.hpp>

using keras::DType;
using keras::Tensor;
namespace layers = keras::layers;
namespace models = keras::models;

int main(int argc, char** argv) {
  const std::string which = argc > 1 ? argv[1] : "sigmoid";
  const std::int64_t epochs = argc > 2 ? std::atoll(argv[2]) : 3;
  if (which != "sigmoid" && which != "relu800") {
    fmt::print(stderr, "usage: mnist_mlps sigmoid|relu800 [epochs]\n");
    return 2;
  }
  auto [train, test] = keras::datasets::fashion_mnist::load_data();
  const auto pixels = [](const Tensor& images) {
    return images.astype(DType::float32).reshape({images.shape()[0], 784}) / 255.0;
  };
  const Tensor x_train = pixels(train.x), x_test = pixels(test.x);
  const Tensor y_train = keras::utils::to_categorical(train.y, 10);
  const Tensor y_test = keras::utils::to_categorical(test.y, 10);

  keras::utils::set_random_seed(42);
  models::Sequential model({}, which);
  if (which == "sigmoid") {
    model.add(layers::Dense(50, {.input_dim = 784}));
    model.add(layers::Activation("sigmoid"));
    model.add(layers::Dense(20));
    model.add(layers::Activation("sigmoid"));
    model.add(layers::Dense(10));
    model.add(layers::Activation("softmax"));
  } else {
    model.add(layers::Dense(800, {.activation = "relu", .input_dim = 784}));
    model.add(layers::Dense(10, {.activation = "softmax"}));
  }
  model.summary();
  model.compile({.optimizer = "sgd", .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
  const std::int64_t batch = which == "sigmoid" ? 64 : 200;
  keras::callbacks::History history =
      model.fit(x_train, y_train, {.batch_size = batch, .epochs = epochs, .verbose = 2});
  const std::vector<double> scores = model.evaluate(x_test, y_test, {.verbose = 0});
  fmt::print("test loss {:.4f}, test accuracy {:.4f}\n", scores[0], scores[1]);
  // SGD at 0.01 is slow with sigmoids: the tutorial's run reached 80% on
  // MNIST after its first epoch; Fashion-MNIST is harder.
  const double floor =
      which == "sigmoid" ? (epochs >= 3 ? 0.60 : 0.40) : (epochs >= 3 ? 0.78 : 0.70);
  const auto& loss = history.history.at("loss");
  const bool passed = scores[1] > floor && loss.back() < loss.front() + 1e-9;
  fmt::print("{}\n", passed ? "passed" : "FAILED");
  return passed ? 0 : 1;
}
