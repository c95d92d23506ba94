// Datasets and array utilities: IDX files (gzipped and plain), uint8
// tensors and their casts, to_categorical, normalize, load_csv, slice, take.
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include <keras.hpp>

#include "fixtures.hpp"

using namespace keras;

namespace {

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("keras_cpp_data_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims,
                                    const std::vector<std::uint8_t>& values) {
  std::vector<std::uint8_t> bytes{0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes.push_back(static_cast<std::uint8_t>(d >> shift));
  }
  bytes.insert(bytes.end(), values.begin(), values.end());
  return bytes;
}

void write_gzip(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  REQUIRE(file != nullptr);
  REQUIRE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) ==
          static_cast<int>(bytes.size()));
  gzclose(file);
}

void write_plain(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("mnist::load_data reads IDX files, gzipped or not, as uint8", "[data]") {
  const auto dir = temp_dir("idx");
  std::vector<std::uint8_t> pixels(3 * 2 * 2);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(20 * i);
  write_gzip(dir / "train-images-idx3-ubyte.gz", idx_bytes({3, 2, 2}, pixels));
  write_gzip(dir / "train-labels-idx1-ubyte.gz", idx_bytes({3}, {7, 0, 255}));
  write_plain(dir / "t10k-images-idx3-ubyte", idx_bytes({1, 2, 2}, {1, 2, 3, 4}));
  write_plain(dir / "t10k-labels-idx1-ubyte", idx_bytes({1}, {9}));
  auto [train, test] = datasets::mnist::load_data(dir.string());
  CHECK(train.x.dtype() == DType::uint8);
  CHECK(train.x.shape() == Shape{3, 2, 2});
  CHECK(train.x.to_vector<int>() == std::vector<int>(pixels.begin(), pixels.end()));
  CHECK(train.y.to_vector<int>() == std::vector<int>{7, 0, 255});
  CHECK(test.x.shape() == Shape{1, 2, 2});
  CHECK(test.y.to_vector<int>() == std::vector<int>{9});
  // Pixels as floats in [0, 1], as the tutorials prepare them.
  const Tensor scaled = train.x.astype(DType::float32) / 255.0;
  CHECK(scaled.to_vector<float>()[11] == Approx(220.0 / 255.0));

  write_plain(dir / "t10k-labels-idx1-ubyte", idx_bytes({2}, {9}));
  REQUIRE_THROWS_WITH(datasets::mnist::load_data(dir.string()),
                      Catch::Contains("holds 1 values but its header promises 2"));
  REQUIRE_THROWS_WITH(datasets::fashion_mnist::load_data((dir / "nowhere").string()),
                      Catch::Contains("apt-get install dataset-fashion-mnist"));
}

TEST_CASE("uint8 tensors cast through graphs on both backends", "[data]") {
  Tensor x(DType::uint8, Shape{4});
  for (int i = 0; i < 4; ++i) x.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(i * 80);
  auto g = graph::Graph::create();
  graph::GraphScope scope(g);
  auto in = ops::placeholder({Shape::kUnknown}, DType::uint8);
  auto out = ops::cast(in, DType::float32) * 0.5;
  for (backend::Backend* b : {&backend::reference_backend(), &backend::onednn_backend()}) {
    INFO(b->name());
    auto f = backend::function({in}, {out}, {}, {.backend = b});
    CHECK(f({x})[0].to_vector<float>() == std::vector<float>{0, 40, 80, 120});
  }
  CHECK(dtype_from_name("uint8") == DType::uint8);
  CHECK(x.astype(DType::int16).to_vector<int>() == std::vector<int>{0, 80, 160, 240});
  REQUIRE_THROWS_WITH(x / 255.0, Catch::Contains("call astype(DType::float32) first"));
}

TEST_CASE("to_categorical and normalize as Keras' utils", "[data]") {
  const Tensor labels(Shape{3, 1}, std::vector<std::int32_t>{2, 0, 1});
  const Tensor one_hot = utils::to_categorical(labels);
  CHECK(one_hot.shape() == Shape{3, 3});
  CHECK(one_hot.to_vector<float>() == std::vector<float>{0, 0, 1, 1, 0, 0, 0, 1, 0});
  CHECK(utils::to_categorical(labels, 4).shape() == Shape{3, 4});
  REQUIRE_THROWS_WITH(utils::to_categorical(labels, 2),
                      Catch::Contains("does not fit num_classes 2"));
  const Tensor x(Shape{2, 2}, std::vector<float>{3, 4, 0, 0});
  CHECK(utils::normalize(x).to_vector<float>() == std::vector<float>{0.6f, 0.8f, 0, 0});
  CHECK(utils::normalize(x, 0, 1).to_vector<float>() == std::vector<float>{1, 1, 0, 0});
}

TEST_CASE("load_csv reads a numeric table; slice and take cut it", "[data]") {
  const auto dir = temp_dir("csv");
  {
    std::ofstream out(dir / "table.csv");
    out << "6,148,72,1\n1,85,66,0\r\n\n8,183,64,1\n";
  }
  const Tensor table = utils::load_csv((dir / "table.csv").string());
  CHECK(table.shape() == Shape{3, 4});
  const Tensor x = utils::slice(table, 1, 0, 3);  // x[:, 0:3]
  const Tensor y = utils::slice(table, 1, 3, 4);  // x[:, 3:4]
  CHECK(x.to_vector<float>() == std::vector<float>{6, 148, 72, 1, 85, 66, 8, 183, 64});
  CHECK(y.to_vector<float>() == std::vector<float>{1, 0, 1});
  CHECK(utils::slice(table, 0, 1, 3).to_vector<float>()[0] == 1);
  CHECK(utils::take(table, {2, 0}).to_vector<float>()[0] == 8);
  {
    std::ofstream out(dir / "ragged.csv");
    out << "1,2\n3\n";
  }
  REQUIRE_THROWS_WITH(utils::load_csv((dir / "ragged.csv").string()),
                      Catch::Contains("line 2 has 1 fields"));
  {
    std::ofstream out(dir / "words.csv");
    out << "1,two\n";
  }
  REQUIRE_THROWS_WITH(utils::load_csv((dir / "words.csv").string()),
                      Catch::Contains("line 1 field 2 is not a number: 'two'"));
  REQUIRE_THROWS_WITH(utils::slice(table, 1, 2, 9), Catch::Contains("out of range"));
}
