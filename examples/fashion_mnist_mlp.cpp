// The Keras tutorials' MLP on Fashion-MNIST with what keras-cpp has today: a
// Sequential model (784-512 relu, Dropout 0.2, 10 softmax) and its summary,
// trained by hand with the core (the model's ops, autodiff::gradients, SGD
// updates through backend::function; compile/fit come with training), its
// test accuracy through predict, the architecture saved as Keras' JSON and
// reloaded, and the hidden layer probed in test and train mode, as Keras'
// FAQ does with K.function. Exits non-zero if any of it is wrong.
#include <cmath>
#include <cstring>

#include <keras.hpp>

#include "idx_file.hpp"

using keras::DType;
using keras::Shape;
using keras::Tensor;
namespace backend = keras::backend;
namespace layers = keras::layers;
namespace models = keras::models;
namespace ops = keras::ops;

namespace {

const std::string kData = "/usr/share/datasets/fashion-mnist/";

Tensor take_rows(const Tensor& t, std::int64_t begin, std::int64_t count) {
  std::vector<std::int64_t> dims = t.shape().dims();
  const std::size_t row_bytes = t.nbytes() / static_cast<std::size_t>(dims[0]);
  dims[0] = count;
  Tensor out(t.dtype(), Shape(dims));
  std::memcpy(out.raw_data(), static_cast<const std::byte*>(t.raw_data()) + begin * row_bytes,
              row_bytes * static_cast<std::size_t>(count));
  return out;
}

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
  const std::int64_t batch_size = 128;
  const double learning_rate = 0.1;

  Tensor x_train = example::read_idx_images(kData + "train-images-idx3-ubyte.gz");
  Tensor y_train = example::read_idx_labels(kData + "train-labels-idx1-ubyte.gz");
  Tensor x_test = example::read_idx_images(kData + "t10k-images-idx3-ubyte.gz");
  Tensor y_test = example::read_idx_labels(kData + "t10k-labels-idx1-ubyte.gz");
  fmt::print("Fashion-MNIST: {} training and {} test images of {} pixels\n", x_train.shape()[0],
             x_test.shape()[0], x_train.shape()[1]);

  keras::utils::set_random_seed(1234);
  models::Sequential model({}, "fashion_mlp");
  model.add(layers::Input({784}));
  model.add(layers::Dense(512, {.activation = "relu", .name = "hidden"}));
  model.add(layers::Dropout(0.2));
  model.add(layers::Dense(10, {.activation = "softmax", .name = "probabilities"}));
  model.summary();

  // One SGD step by hand: the model's ops on placeholders, Keras'
  // categorical cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7]),
  // its gradients with respect to the trainable weights.
  auto x = ops::placeholder({Shape::kUnknown, 784}, DType::float32, "x");
  auto labels = ops::placeholder({Shape::kUnknown}, DType::int32, "labels");
  auto phase = backend::learning_phase();
  auto probabilities = model.apply({x}, phase)[0];
  auto log_p = ops::log(ops::clip(probabilities, 1e-7, 1 - 1e-7));
  auto loss = -ops::mean(ops::sum(ops::one_hot(labels, 10) * log_p, {-1}));
  std::vector<keras::graph::Value> reads;
  for (const keras::Variable& w : model.trainable_weights()) reads.push_back(ops::read(w));
  std::vector<keras::graph::Value> grads = keras::autodiff::gradients(loss, reads);
  std::vector<backend::Update> sgd;
  for (std::size_t i = 0; i < reads.size(); ++i) {
    sgd.emplace_back(model.trainable_weights()[i], reads[i] - grads[i] * learning_rate);
  }
  auto train_step = backend::function({x, labels, phase}, {loss}, sgd);

  const std::int64_t n = x_train.shape()[0];
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    double total = 0;
    std::int64_t steps = 0;
    for (std::int64_t begin = 0; begin < n; begin += batch_size, ++steps) {
      const std::int64_t count = std::min(batch_size, n - begin);
      total += train_step({take_rows(x_train, begin, count), take_rows(y_train, begin, count),
                           Tensor::scalar(1)})[0]
                   .item();
    }
    fmt::print("epoch {}/{}: loss {:.4f}\n", epoch, epochs, total / static_cast<double>(steps));
  }

  const double test_accuracy = accuracy(model.predict(x_test, 256), y_test);
  fmt::print("test accuracy: {:.4f}\n", test_accuracy);

  // The architecture as Keras 3 writes it (model.to_json()), read back into
  // new layers that take the trained weights.
  const std::string json = model.to_json();
  models::Model reloaded = models::model_from_json(json);
  reloaded.set_weights(model.get_weights());
  const double reloaded_accuracy = accuracy(reloaded.predict(x_test, 256), y_test);
  fmt::print("architecture: {} bytes of Keras JSON; reloaded test accuracy: {:.4f}\n", json.size(),
             reloaded_accuracy);

  // Probe the hidden layer after dropout, as K.function does: test mode (0)
  // leaves it alone, train mode (1) also zeroes 20% of the units still alive.
  auto probe = backend::function({model.inputs()[0], backend::learning_phase()},
                                 {model.get_layer("dropout").output()});
  Tensor sample = take_rows(x_test, 0, 256);
  const double test_zeros = zero_fraction(probe({sample, Tensor::scalar(0)})[0]);
  const double train_zeros = zero_fraction(probe({sample, Tensor::scalar(1)})[0]);
  fmt::print("hidden units at zero: {:.3f} in test mode, {:.3f} in train mode\n", test_zeros,
             train_zeros);

  const double expected_train_zeros = test_zeros + 0.2 * (1 - test_zeros);
  const bool passed = test_accuracy > 0.80 && reloaded_accuracy == test_accuracy &&
                      std::abs(train_zeros - expected_train_zeros) < 0.02;
  fmt::print("{}\n", passed ? "passed" : "FAILED");
  return passed ? 0 : 1;
}
