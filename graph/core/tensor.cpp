#include "keras/tensor.hpp"

#include <cstdlib>
#include <cstring>

namespace keras {

namespace {
constexpr std::size_t kAlignment = 64;  // a cache line, and what oneDNN prefers

std::shared_ptr<std::byte[]> allocate(std::size_t nbytes, bool zeroed) {
  std::size_t rounded = (nbytes + kAlignment - 1) / kAlignment * kAlignment;
  if (rounded == 0) rounded = kAlignment;
  void* p = std::aligned_alloc(kAlignment, rounded);
  if (p == nullptr) {
    throw Error(fmt::format("out of memory allocating a tensor of {} bytes", nbytes));
  }
  if (zeroed) std::memset(p, 0, rounded);
  return std::shared_ptr<std::byte[]>(static_cast<std::byte*>(p),
                                      [](std::byte* q) { std::free(q); });
}
}  // namespace

Tensor::Tensor() : Tensor(DType::float32, Shape{}) {}

Tensor::Tensor(DType dtype, Shape shape) : Tensor(dtype, std::move(shape), true) {}

Tensor::Tensor(DType dtype, Shape shape, bool zeroed) : dtype_(dtype), shape_(std::move(shape)) {
  if (!shape_.is_fully_known()) {
    throw Error(fmt::format("a Tensor needs a fully known shape, got {}", shape_.to_string()));
  }
  size_ = shape_.num_elements();
  data_ = allocate(nbytes(), zeroed);
}

Tensor Tensor::uninitialized(DType dtype, Shape shape) {
  return Tensor(dtype, std::move(shape), false);
}

Tensor Tensor::scalar(double value, DType dtype) {
  return full(Shape{}, value, dtype);
}

Tensor Tensor::full(Shape shape, double value, DType dtype) {
  Tensor t(dtype, std::move(shape));
  visit_dtype(dtype, [&](auto tag) {
    using T = decltype(tag);
    T* p = reinterpret_cast<T*>(t.raw_data());
    T v = dtype == DType::bool_ ? T(value != 0.0) : static_cast<T>(value);
    for (std::int64_t i = 0; i < t.size_; ++i) p[i] = v;
  });
  return t;
}

void Tensor::check_dtype(DType requested) const {
  if (requested != dtype_) {
    throw Error(fmt::format("this tensor holds {} values, not {}: convert it with astype({})",
                            dtype_name(dtype_), dtype_name(requested), dtype_name(requested)));
  }
}

double Tensor::item() const {
  if (size_ != 1) {
    throw Error(
        fmt::format("item() needs a tensor of one element, got shape {}", shape_.to_string()));
  }
  return to_vector<double>()[0];
}

std::int64_t Tensor::flat_index(const std::vector<std::int64_t>& index) const {
  if (static_cast<std::int64_t>(index.size()) != rank()) {
    throw Error(fmt::format("an index into a tensor of shape {} needs {} entries, got {}",
                            shape_.to_string(), rank(), index.size()));
  }
  std::int64_t flat = 0;
  for (std::size_t axis = 0; axis < index.size(); ++axis) {
    if (index[axis] < 0 || index[axis] >= shape_[axis]) {
      throw Error(fmt::format("index {} is out of range for axis {} of a tensor of shape {}",
                              index[axis], axis, shape_.to_string()));
    }
    flat = flat * shape_[axis] + index[axis];
  }
  return flat;
}

Tensor Tensor::reshape(Shape shape) const {
  if (!shape.is_fully_known() || shape.num_elements() != size_) {
    throw Error(fmt::format("cannot reshape a tensor of shape {} ({} elements) to {}",
                            shape_.to_string(), size_, shape.to_string()));
  }
  Tensor view = *this;
  view.shape_ = std::move(shape);
  return view;
}

Tensor Tensor::alias(const Tensor& storage, DType dtype, Shape shape) {
  Tensor view = storage;
  view.dtype_ = dtype;
  view.shape_ = std::move(shape);
  view.size_ = view.shape_.num_elements();
  KERAS_INTERNAL_CHECK(view.nbytes() <= storage.nbytes(), "alias of {} bytes over {} bytes",
                       view.nbytes(), storage.nbytes());
  return view;
}

Tensor Tensor::rows(std::int64_t begin, std::int64_t count) const {
  if (rank() < 1 || begin < 0 || count < 0 || begin + count > shape_.dim(0)) {
    throw Error(fmt::format("rows {}..{} are out of range for a tensor of shape {}", begin,
                            begin + count, shape_.to_string()));
  }
  std::vector<std::int64_t> dims = shape_.dims();
  const std::size_t row_bytes = dims[0] == 0 ? 0 : nbytes() / static_cast<std::size_t>(dims[0]);
  dims[0] = count;
  Tensor view = *this;
  view.shape_ = Shape(dims);
  view.size_ = view.shape_.num_elements();
  // The aliasing constructor: shares ownership, points into the rows.
  view.data_ = std::shared_ptr<std::byte[]>(
      data_, data_.get() + static_cast<std::size_t>(begin) * row_bytes);
  return view;
}

Tensor Tensor::clone() const {
  Tensor copy = uninitialized(dtype_, shape_);
  std::memcpy(copy.raw_data(), raw_data(), nbytes());
  return copy;
}

Tensor Tensor::astype(DType dtype) const {
  Tensor out(dtype, shape_);
  visit_dtype(dtype_, [&](auto in_tag) {
    using S = decltype(in_tag);
    const S* in = reinterpret_cast<const S*>(raw_data());
    visit_dtype(dtype, [&](auto out_tag) {
      using T = decltype(out_tag);
      T* o = reinterpret_cast<T*>(out.raw_data());
      for (std::int64_t i = 0; i < size_; ++i) {
        o[i] = dtype == DType::bool_ ? T(in[i] != S(0)) : static_cast<T>(in[i]);
      }
    });
  });
  return out;
}

std::string Tensor::to_string(std::int64_t max_elements) const {
  std::vector<double> values = to_vector<double>();
  std::string out =
      fmt::format("Tensor(shape={}, dtype={}, values=[", shape_.to_string(), dtype_name(dtype_));
  for (std::int64_t i = 0; i < size_ && i < max_elements; ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("{:g}", values[static_cast<std::size_t>(i)]);
  }
  if (size_ > max_elements) out += ", ...";
  return out + "])";
}

namespace {
template <class F>
Tensor map_floating(const Tensor& t, const char* op, F f) {
  if (!is_floating(t.dtype())) {
    throw Error(
        fmt::format("Tensor {} a number needs float32 or float64 values, got {}: call "
                    "astype(DType::float32) first",
                    op, dtype_name(t.dtype())));
  }
  Tensor out = t.clone();
  visit_floating(out.dtype(), op, [&](auto tag) {
    using T = decltype(tag);
    T* p = out.data<T>();
    for (std::int64_t i = 0; i < out.size(); ++i) p[i] = static_cast<T>(f(p[i]));
  });
  return out;
}
}  // namespace

Tensor operator*(const Tensor& t, double value) {
  return map_floating(t, "*", [value](auto x) { return x * value; });
}
Tensor operator/(const Tensor& t, double value) {
  return map_floating(t, "/", [value](auto x) { return x / value; });
}
Tensor operator+(const Tensor& t, double value) {
  return map_floating(t, "+", [value](auto x) { return x + value; });
}
Tensor operator-(const Tensor& t, double value) {
  return map_floating(t, "-", [value](auto x) { return x - value; });
}

}  // namespace keras
