#pragma once
// keras::Tensor: an owning, dense, row-major n-d array with a dtype and a fully
// known shape. Copies share storage (like a NumPy view or a torch.Tensor);
// clone() copies the data. Storage is 64-byte aligned for oneDNN.
//
// It lives at the bottom of the dependency chain, beside the graph, because
// graphs hold constants and variables by value; backend/ re-exports it as
// keras::backend::Tensor.
//
//   auto x = keras::Tensor({2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
//   float v = x.at<float>({1, 2});  // 6
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keras/dtype.hpp"
#include "keras/error.hpp"
#include "keras/shape.hpp"

namespace keras {

class Tensor {
 public:
  // A float32 scalar holding 0.
  Tensor();
  // Zero-filled.
  Tensor(DType dtype, Shape shape);
  // Takes `values` in row-major order; the dtype is T's.
  template <class T>
  Tensor(Shape shape, const std::vector<T>& values);

  static Tensor scalar(double value, DType dtype = DType::float32);
  static Tensor zeros(Shape shape, DType dtype = DType::float32) { return {dtype, shape}; }
  static Tensor full(Shape shape, double value, DType dtype = DType::float32);
  // Contents unspecified (NumPy's empty): for a result every element of
  // which is written next, without paying for zeroing it first.
  static Tensor uninitialized(DType dtype, Shape shape);

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  std::int64_t rank() const { return shape_.rank(); }
  std::int64_t size() const { return size_; }
  std::size_t nbytes() const { return static_cast<std::size_t>(size_) * dtype_size(dtype_); }

  void* raw_data() { return data_.get(); }
  const void* raw_data() const { return data_.get(); }
  // Typed access; throws keras::Error when T is not this tensor's element type.
  template <class T>
  T* data();
  template <class T>
  const T* data() const;

  // The elements converted to T, in row-major order.
  template <class T>
  std::vector<T> to_vector() const;
  // One element; the index has one entry per axis.
  template <class T>
  T& at(const std::vector<std::int64_t>& index);
  template <class T>
  T at(const std::vector<std::int64_t>& index) const;
  // The single element of a one-element tensor, as a double.
  double item() const;

  // A tensor of `dtype` and `shape` over the start of `storage`'s memory,
  // which must hold at least as many bytes: how a backend lays several values
  // over one buffer.
  static Tensor alias(const Tensor& storage, DType dtype, Shape shape);
  // Rows [begin, begin + count) along axis 0, sharing this tensor's storage
  // (no copy): a contiguous batch of a larger array.
  Tensor rows(std::int64_t begin, std::int64_t count) const;

  // The same storage seen with another shape of as many elements.
  Tensor reshape(Shape shape) const;
  Tensor clone() const;
  // A copy converted to `dtype` (C++ conversion rules; bool is x != 0).
  Tensor astype(DType dtype) const;
  bool shares_storage_with(const Tensor& other) const { return data_ == other.data_; }

  // NumPy-like text, abbreviated past `max_elements`.
  std::string to_string(std::int64_t max_elements = 64) const;

 private:
  Tensor(DType dtype, Shape shape, bool zeroed);
  std::int64_t flat_index(const std::vector<std::int64_t>& index) const;
  void check_dtype(DType requested) const;

  DType dtype_ = DType::float32;
  Shape shape_;
  std::int64_t size_ = 1;
  std::shared_ptr<std::byte[]> data_;
};

// Elementwise arithmetic with a number, for preparing data
// (x_train.astype(DType::float32) / 255): floating tensors only.
Tensor operator*(const Tensor& t, double value);
Tensor operator/(const Tensor& t, double value);
Tensor operator+(const Tensor& t, double value);
Tensor operator-(const Tensor& t, double value);

template <class T>
Tensor::Tensor(Shape shape, const std::vector<T>& values)
    : Tensor(dtype_of<T>(), std::move(shape)) {
  if (static_cast<std::int64_t>(values.size()) != size_) {
    throw Error(fmt::format("Tensor: shape {} holds {} elements but {} values were given",
                            shape_.to_string(), size_, values.size()));
  }
  auto* out = data<T>();
  for (std::int64_t i = 0; i < size_; ++i) out[i] = values[static_cast<std::size_t>(i)];
}

template <class T>
T* Tensor::data() {
  check_dtype(dtype_of<T>());
  return reinterpret_cast<T*>(data_.get());
}

template <class T>
const T* Tensor::data() const {
  check_dtype(dtype_of<T>());
  return reinterpret_cast<const T*>(data_.get());
}

template <class T>
std::vector<T> Tensor::to_vector() const {
  std::vector<T> out(static_cast<std::size_t>(size_));
  visit_dtype(dtype_, [&](auto tag) {
    using S = decltype(tag);
    const S* in = reinterpret_cast<const S*>(data_.get());
    for (std::int64_t i = 0; i < size_; ++i)
      out[static_cast<std::size_t>(i)] = static_cast<T>(in[i]);
  });
  return out;
}

template <class T>
T& Tensor::at(const std::vector<std::int64_t>& index) {
  return data<T>()[flat_index(index)];
}

template <class T>
T Tensor::at(const std::vector<std::int64_t>& index) const {
  return data<T>()[flat_index(index)];
}

}  // namespace keras
