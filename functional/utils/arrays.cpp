// keras::utils: to_categorical, normalize, load_csv, slice, take.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "../core/batching.hpp"
#include "keras/utils.hpp"

namespace keras::utils {

Tensor to_categorical(const Tensor& y, std::int64_t num_classes) {
  std::vector<std::int64_t> dims = y.shape().dims();
  if (!dims.empty() && dims.back() == 1 && dims.size() > 1) dims.pop_back();
  const std::vector<double> labels = y.to_vector<double>();
  std::int64_t largest = -1;
  for (double v : labels) {
    if (v < 0 || v != std::floor(v)) {
      throw Error(
          fmt::format("to_categorical needs class indices (whole numbers >= 0), got {}", v));
    }
    largest = std::max(largest, static_cast<std::int64_t>(v));
  }
  if (num_classes < 0) num_classes = largest + 1;
  if (largest >= num_classes) {
    throw Error(
        fmt::format("to_categorical: label {} does not fit num_classes {}", largest, num_classes));
  }
  dims.push_back(num_classes);
  Tensor out(DType::float32, Shape(dims));
  float* p = out.data<float>();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    p[static_cast<std::int64_t>(i) * num_classes + static_cast<std::int64_t>(labels[i])] = 1.0f;
  }
  return out;
}

Tensor normalize(const Tensor& x, std::int64_t axis, int order) {
  if (order != 1 && order != 2) {
    throw Error(fmt::format("normalize: order must be 1 or 2, got {}", order));
  }
  const std::int64_t rank = x.rank();
  const std::int64_t a = normalize_axis(axis, rank, "normalize");
  Tensor out = is_floating(x.dtype()) ? x.clone() : x.astype(DType::float32);
  const std::vector<std::int64_t>& dims = x.shape().dims();
  std::int64_t inner = 1;
  for (std::int64_t d = a + 1; d < rank; ++d) inner *= dims[static_cast<std::size_t>(d)];
  const std::int64_t n = dims[static_cast<std::size_t>(a)];
  const std::int64_t outer = x.size() / std::max<std::int64_t>(1, n * inner);
  visit_floating(out.dtype(), "normalize", [&](auto tag) {
    using T = decltype(tag);
    T* p = out.data<T>();
    for (std::int64_t o = 0; o < outer; ++o) {
      for (std::int64_t i = 0; i < inner; ++i) {
        double norm = 0.0;
        for (std::int64_t k = 0; k < n; ++k) {
          const double v = p[(o * n + k) * inner + i];
          norm += order == 1 ? std::abs(v) : v * v;
        }
        if (order == 2) norm = std::sqrt(norm);
        // Keras leaves an all-zero vector at zero.
        if (norm == 0.0) norm = 1.0;
        for (std::int64_t k = 0; k < n; ++k) p[(o * n + k) * inner + i] /= static_cast<T>(norm);
      }
    }
  });
  return out;
}

Tensor load_csv(const std::string& path, CsvOptions options) {
  std::ifstream in(path);
  if (!in) throw Error(fmt::format("load_csv: cannot open '{}'", path));
  std::vector<float> values;
  std::int64_t columns = -1;
  std::int64_t rows = 0;
  std::string line;
  for (std::int64_t number = 1; std::getline(in, line); ++number) {
    if (number <= options.skip_header) continue;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::int64_t fields = 0;
    std::size_t start = 0;
    while (true) {
      const std::size_t end = line.find(options.delimiter, start);
      std::string field =
          line.substr(start, end == std::string::npos ? std::string::npos : end - start);
      const auto first = field.find_first_not_of(" \t");
      const auto last = field.find_last_not_of(" \t");
      field = first == std::string::npos ? "" : field.substr(first, last - first + 1);
      char* parsed_end = nullptr;
      errno = 0;
      const double v = std::strtod(field.c_str(), &parsed_end);
      if (field.empty() || parsed_end != field.c_str() + field.size() || errno == ERANGE) {
        throw Error(fmt::format("load_csv: '{}' line {} field {} is not a number: '{}'", path,
                                number, fields + 1, field));
      }
      values.push_back(static_cast<float>(v));
      ++fields;
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (columns >= 0 && fields != columns) {
      throw Error(fmt::format("load_csv: '{}' line {} has {} fields, the lines before it {}", path,
                              number, fields, columns));
    }
    columns = fields;
    ++rows;
  }
  if (rows == 0) throw Error(fmt::format("load_csv: '{}' holds no rows of numbers", path));
  return Tensor(Shape{rows, columns}, values);
}

Tensor slice(const Tensor& x, std::int64_t axis, std::int64_t begin, std::int64_t end) {
  const std::int64_t rank = x.rank();
  const std::int64_t a = normalize_axis(axis, rank, "slice");
  const std::int64_t n = x.shape().dim(a);
  if (begin < 0) begin += n;
  if (end < 0) end += n;
  if (begin < 0 || end > n || begin > end) {
    throw Error(fmt::format("slice: {}:{} is out of range for axis {} of shape {}", begin, end,
                            axis, x.shape().to_string()));
  }
  if (a == 0) return x.rows(begin, end - begin);
  std::vector<std::int64_t> dims = x.shape().dims();
  std::int64_t inner = 1;
  for (std::int64_t d = a + 1; d < rank; ++d) inner *= dims[static_cast<std::size_t>(d)];
  std::int64_t outer = 1;
  for (std::int64_t d = 0; d < a; ++d) outer *= dims[static_cast<std::size_t>(d)];
  dims[static_cast<std::size_t>(a)] = end - begin;
  Tensor out(x.dtype(), Shape(dims));
  const std::size_t element = dtype_size(x.dtype());
  const std::size_t chunk = static_cast<std::size_t>((end - begin) * inner) * element;
  const auto* in = static_cast<const std::byte*>(x.raw_data());
  auto* o = static_cast<std::byte*>(out.raw_data());
  for (std::int64_t i = 0; i < outer; ++i) {
    std::memcpy(
        o + static_cast<std::size_t>(i) * chunk,
        in + (static_cast<std::size_t>(i * n + begin) * static_cast<std::size_t>(inner)) * element,
        chunk);
  }
  return out;
}

Tensor take(const Tensor& x, const std::vector<std::int64_t>& indices) {
  if (x.rank() == 0) throw Error("take: a scalar has no rows");
  for (std::int64_t i : indices) {
    if (i < 0 || i >= x.shape()[0]) {
      throw Error(
          fmt::format("take: row {} is out of range for shape {}", i, x.shape().to_string()));
    }
  }
  return layers::gather_rows(x, indices.data(), static_cast<std::int64_t>(indices.size()));
}

}  // namespace keras::utils
