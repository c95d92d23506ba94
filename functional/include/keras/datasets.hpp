#pragma once
// Keras' datasets (keras.datasets), read from local files: uint8 tensors,
// as Keras returns them.
//
//   auto [train, test] = keras::datasets::fashion_mnist::load_data();
//   auto [x_train, y_train] = train;   // (60000, 28, 28) and (60000,), uint8
#include <string>

#include "keras/tensor.hpp"

namespace keras::datasets {

struct Split {
  Tensor x;
  Tensor y;
};

struct Dataset {
  Split train;
  Split test;
};

// One IDX file (the MNIST format), gzipped or not: its uint8 values with
// the dimensions of its header.
Tensor read_idx(const std::string& path);

namespace fashion_mnist {
// Where Debian's dataset-fashion-mnist puts the files.
inline constexpr const char* kDefaultFolder = "/usr/share/datasets/fashion-mnist";
// The four files train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz),
// t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz) of `folder`.
// A missing file is a keras::Error saying how to install the package.
Dataset load_data(const std::string& folder = kDefaultFolder);
}  // namespace fashion_mnist

namespace mnist {
// The same four files of MNIST, from `folder` (Keras downloads them; here
// they are read from where you put them).
Dataset load_data(const std::string& folder);
}  // namespace mnist

}  // namespace keras::datasets
