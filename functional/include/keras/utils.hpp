#pragma once
// Keras' array utilities (keras.utils) and what NumPy gives Keras users for
// preparing data: one-hot labels, normalization, numeric CSV files, and
// slicing rows and columns.
//
//   auto table = keras::utils::load_csv("pima-indians-diabetes.csv");  // numpy.loadtxt
//   auto x = keras::utils::slice(table, 1, 0, 8);                       // x[:, 0:8]
//   auto y = keras::utils::slice(table, 1, 8, 9);                       // x[:, 8:9]
//   auto labels = keras::utils::to_categorical(y_train, 10);
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::utils {

// Class indices (any integer or whole-number dtype, any shape) to one-hot
// float32 rows of `num_classes` (-1: the largest index + 1). A trailing axis
// of size 1 is dropped first, as Keras does.
Tensor to_categorical(const Tensor& y, std::int64_t num_classes = -1);

// x divided by its `order`-norm along `axis` (Keras' utils.normalize; 1 or 2).
Tensor normalize(const Tensor& x, std::int64_t axis = -1, int order = 2);

struct CsvOptions {
  char delimiter = ',';
  std::int64_t skip_header = 0;  // lines to skip at the top
};
// A table of numbers as float32 (rows, columns), as numpy.loadtxt reads it.
// A ragged row or a field that is not a number is a keras::Error naming the
// line and the field.
Tensor load_csv(const std::string& path, CsvOptions options = {});

// x[..., begin:end, ...] along `axis` (a copy; rows of axis 0 are a view,
// as Tensor::rows).
Tensor slice(const Tensor& x, std::int64_t axis, std::int64_t begin, std::int64_t end);
// The rows `indices` of x (axis 0), in that order: x[indices].
Tensor take(const Tensor& x, const std::vector<std::int64_t>& indices);

// NumPy's array files: numpy.load / numpy.save for .npy, numpy.savez for .npz.
// Reading takes what numpy writes in any byte order and C or Fortran order;
// dtypes DType lacks are widened exactly: float16 -> float32, uint32 ->
// int64, uint64 -> int64 (a value >= 2**63 is a keras::Error). Complex,
// object, string and structured arrays are a keras::Error naming the file.
// Writing keeps the tensor's dtype (little-endian, C order, numpy.save's
// version 1.0 header) and goes through a temporary file renamed over `path`,
// so a failed save leaves an existing file as it was.
//
//   keras::utils::save_npy("x.npy", x);            // np.save("x.npy", x)
//   keras::Tensor y = keras::utils::load_npy("x.npy");
//   keras::utils::save_npz("data.npz", {{"x", x}, {"y", y}});  // np.savez(..., x=x, y=y)
//   for (auto& [name, array] : keras::utils::load_npz("data.npz")) { ... }
Tensor load_npy(const std::string& path);
void save_npy(const std::string& path, const Tensor& x);
// The arrays in archive order, named without ".npy"; stored and deflated
// members are read (numpy.savez and numpy.savez_compressed). A member that is
// not a .npy file is a keras::Error.
std::vector<std::pair<std::string, Tensor>> load_npz(const std::string& path);
// numpy.savez's layout: one stored member "<name>.npy" per array, in order.
// Names must be unique, non-empty relative names without ".." components.
void save_npz(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& arrays);

}  // namespace keras::utils
