#include "idx_file.hpp"

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "keras/error.hpp"

namespace example {

namespace {

std::vector<std::uint8_t> read_gzip(const std::string& path) {
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) {
    throw keras::Error(
        fmt::format("cannot open '{}': install Debian's dataset-fashion-mnist "
                    "(scripts/setup does)",
                    path));
  }
  std::vector<std::uint8_t> bytes;
  std::uint8_t buffer[1 << 16];
  int n = 0;
  while ((n = gzread(file.get(), buffer, sizeof buffer)) > 0) {
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  if (n < 0) throw keras::Error(fmt::format("'{}' is not a readable gzip file", path));
  return bytes;
}

std::uint32_t big_endian(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return std::uint32_t{bytes[at]} << 24 | std::uint32_t{bytes[at + 1]} << 16 |
         std::uint32_t{bytes[at + 2]} << 8 | std::uint32_t{bytes[at + 3]};
}

// Checks the IDX header (magic 0x00000800 | rank, then the dimensions) and
// returns the dimensions.
std::vector<std::int64_t> idx_dims(const std::vector<std::uint8_t>& bytes, std::uint32_t rank,
                                   const std::string& path) {
  if (bytes.size() < 4 + 4 * rank || big_endian(bytes, 0) != (0x800u | rank)) {
    throw keras::Error(fmt::format("'{}' is not an IDX file of rank {} holding uint8", path, rank));
  }
  std::vector<std::int64_t> dims;
  std::int64_t count = 1;
  for (std::uint32_t i = 0; i < rank; ++i) {
    dims.push_back(big_endian(bytes, 4 + 4 * i));
    count *= dims.back();
  }
  if (bytes.size() != 4 + 4 * rank + static_cast<std::size_t>(count)) {
    throw keras::Error(
        fmt::format("'{}' is truncated: its header promises {} values", path, count));
  }
  return dims;
}

}  // namespace

keras::Tensor read_idx_images(const std::string& path) {
  std::vector<std::uint8_t> bytes = read_gzip(path);
  std::vector<std::int64_t> dims = idx_dims(bytes, 3, path);
  keras::Tensor images(keras::DType::float32, keras::Shape{dims[0], dims[1] * dims[2]});
  float* out = images.data<float>();
  for (std::int64_t i = 0; i < images.size(); ++i) out[i] = bytes[16 + i] / 255.0f;
  return images;
}

keras::Tensor read_idx_labels(const std::string& path) {
  std::vector<std::uint8_t> bytes = read_gzip(path);
  std::vector<std::int64_t> dims = idx_dims(bytes, 1, path);
  keras::Tensor labels(keras::DType::int32, keras::Shape{dims[0]});
  std::int32_t* out = labels.data<std::int32_t>();
  for (std::int64_t i = 0; i < labels.size(); ++i) out[i] = bytes[8 + i];
  return labels;
}

}  // namespace example
