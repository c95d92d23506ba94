// The IDX files of MNIST and Fashion-MNIST, gzipped or not, as Keras'
// fashion_mnist.load_data and mnist.load_data return them.
#include <zlib.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "keras/datasets.hpp"

namespace keras::datasets {

namespace {

std::vector<std::uint8_t> read_file(const std::string& path) {
  // gzread reads plain files as they are, so one reader serves both.
  std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) throw Error(fmt::format("cannot open '{}'", path));
  std::vector<std::uint8_t> bytes;
  std::vector<std::uint8_t> buffer(1 << 16);
  int n = 0;
  while ((n = gzread(file.get(), buffer.data(), static_cast<unsigned>(buffer.size()))) > 0) {
    bytes.insert(bytes.end(), buffer.begin(), buffer.begin() + n);
  }
  if (n < 0) throw Error(fmt::format("'{}' is not a readable IDX or gzip file", path));
  return bytes;
}

std::uint32_t big_endian(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return std::uint32_t{bytes[at]} << 24 | std::uint32_t{bytes[at + 1]} << 16 |
         std::uint32_t{bytes[at + 2]} << 8 | std::uint32_t{bytes[at + 3]};
}

std::string find(const std::string& folder, const std::string& name, const char* how) {
  for (const std::string& candidate : {folder + "/" + name + ".gz", folder + "/" + name}) {
    if (std::filesystem::exists(candidate)) return candidate;
  }
  throw Error(fmt::format("{}/{}(.gz) does not exist: {}", folder, name, how));
}

Dataset load(const std::string& folder, const char* how) {
  const auto split = [&](const char* prefix) {
    return Split{read_idx(find(folder, std::string(prefix) + "-images-idx3-ubyte", how)),
                 read_idx(find(folder, std::string(prefix) + "-labels-idx1-ubyte", how))};
  };
  Dataset data{split("train"), split("t10k")};
  for (const Split* s : {&data.train, &data.test}) {
    if (s->x.shape()[0] != s->y.shape()[0]) {
      throw Error(fmt::format("the images ({}) and labels ({}) of {} do not match",
                              s->x.shape().to_string(), s->y.shape().to_string(), folder));
    }
  }
  return data;
}

}  // namespace

Tensor read_idx(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_file(path);
  // Magic: two zero bytes, the type (0x08: uint8) and the rank.
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08) {
    throw Error(fmt::format("'{}' is not an IDX file of uint8 values", path));
  }
  const std::size_t rank = bytes[3];
  if (rank == 0 || bytes.size() < 4 + 4 * rank) {
    throw Error(fmt::format("'{}' has a truncated IDX header", path));
  }
  std::vector<std::int64_t> dims;
  std::size_t count = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    dims.push_back(big_endian(bytes, 4 + 4 * i));
    count *= static_cast<std::size_t>(dims.back());
  }
  const std::size_t header = 4 + 4 * rank;
  if (bytes.size() != header + count) {
    throw Error(fmt::format("'{}' holds {} values but its header promises {}", path,
                            bytes.size() - header, count));
  }
  Tensor out(DType::uint8, Shape(dims));
  std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end(),
            out.data<std::uint8_t>());
  return out;
}

Dataset fashion_mnist::load_data(const std::string& folder) {
  return load(folder,
              "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist), or "
              "give the folder that holds the four Fashion-MNIST files");
}

Dataset mnist::load_data(const std::string& folder) {
  return load(folder, "put the four MNIST IDX files (train-images-idx3-ubyte.gz, ...) there");
}

}  // namespace keras::datasets
