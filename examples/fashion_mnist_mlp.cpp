// Trains a 784-256-10 MLP on Fashion-MNIST with the symbolic core alone (the
// layers and Model API come next), then probes the hidden layer in test and
// train mode with backend::function, as Keras' FAQ does with K.function.
// Exits non-zero if the model does not learn.
#include <cmath>
#include <cstring>
#include <random>

#include <keras.hpp>

#include "idx_file.hpp"

using keras::DType;
using keras::Shape;
using keras::Tensor;
using keras::Variable;
namespace backend = keras::backend;
namespace ops = keras::ops;

namespace {

const std::string kData = "/usr/share/datasets/fashion-mnist/";

// Keras' default kernel initializer: uniform in +-sqrt(6 / (fan_in + fan_out)).
Tensor glorot_uniform(std::int64_t fan_in, std::int64_t fan_out, std::mt19937& rng) {
  const double limit = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  std::uniform_real_distribution<float> uniform(static_cast<float>(-limit),
                                                static_cast<float>(limit));
  Tensor t(DType::float32, Shape{fan_in, fan_out});
  for (std::int64_t i = 0; i < t.size(); ++i) t.data<float>()[i] = uniform(rng);
  return t;
}

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

  std::mt19937 rng(1234);
  Variable kernel1("dense/kernel", glorot_uniform(784, 256, rng));
  Variable bias1("dense/bias", Tensor::zeros({256}));
  Variable kernel2("dense_1/kernel", glorot_uniform(256, 10, rng));
  Variable bias2("dense_1/bias", Tensor::zeros({10}));
  std::vector<Variable> weights{kernel1, bias1, kernel2, bias2};

  // The symbolic graph: nothing is computed here.
  auto x = ops::placeholder({Shape::kUnknown, 784}, DType::float32, "x");
  auto labels = ops::placeholder({Shape::kUnknown}, DType::int32, "labels");
  auto hidden = ops::relu(ops::matmul(x, ops::read(kernel1)) + ops::read(bias1));
  auto dropped = backend::in_train_phase(ops::dropout(hidden, 0.2).output, hidden);
  auto logits = ops::matmul(dropped, ops::read(kernel2)) + ops::read(bias2);
  auto loss = ops::mean(ops::softmax_cross_entropy(ops::one_hot(labels, 10), logits));

  std::vector<keras::graph::Value> reads;
  for (const Variable& w : weights) reads.push_back(ops::read(w));
  std::vector<keras::graph::Value> grads = keras::autodiff::gradients(loss, reads);
  std::vector<backend::Update> sgd;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    sgd.emplace_back(weights[i], reads[i] - grads[i] * learning_rate);
  }
  auto phase = backend::learning_phase();
  auto train_step = backend::function({x, labels, phase}, {loss}, sgd);
  auto classify = backend::function({x, phase}, {ops::argmax(logits, -1)});

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

  std::vector<std::int64_t> predicted =
      classify({x_test, Tensor::scalar(0)})[0].to_vector<std::int64_t>();
  std::vector<std::int32_t> truth = y_test.to_vector<std::int32_t>();
  double correct = 0;
  for (std::size_t i = 0; i < truth.size(); ++i) correct += predicted[i] == truth[i];
  const double accuracy = correct / static_cast<double>(truth.size());
  fmt::print("test accuracy: {:.4f}\n", accuracy);

  // Probe the hidden layer after dropout, as K.function does: test mode (0)
  // leaves it alone, train mode (1) also zeroes 20% of the units still alive.
  auto probe = backend::function({x, phase}, {dropped});
  Tensor sample = take_rows(x_test, 0, 256);
  const double test_zeros = zero_fraction(probe({sample, Tensor::scalar(0)})[0]);
  const double train_zeros = zero_fraction(probe({sample, Tensor::scalar(1)})[0]);
  fmt::print("hidden units at zero: {:.3f} in test mode, {:.3f} in train mode\n", test_zeros,
             train_zeros);

  const double expected_train_zeros = test_zeros + 0.2 * (1 - test_zeros);
  const bool learned = accuracy > 0.80 && std::abs(train_zeros - expected_train_zeros) < 0.02;
  fmt::print("{}\n", learned ? "passed" : "FAILED");
  return learned ? 0 : 1;
}
