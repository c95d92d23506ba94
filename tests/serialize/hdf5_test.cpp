// The HDF5 codec: every string encoding Keras' writers used, arrays of each
// dtype, and files crafted to be hostile (fixtures/hdf5/make_hdf5_fixtures.py).
#include <catch2/catch.hpp>

#include <filesystem>

#include "keras/serialize/hdf5.hpp"
#include "keras/serialize/weight_files.hpp"
#include "serialize_fixtures.hpp"

using namespace keras;
using serialize::hdf5::File;

namespace {

std::string hdf5_fixture(const std::string& name) {
  const std::string path = keras::testing::fixture("hdf5/" + name);
  INFO("fixture " << path);
  REQUIRE(std::filesystem::exists(path));
  return path;
}

serialize::LegacyWeights read_weights(const std::string& name) {
  return serialize::read_legacy_weights(File::open(hdf5_fixture(name)));
}

}  // namespace

TEST_CASE("hdf5: a written image reads back: strings, name lists, arrays of every dtype") {
  File file = File::create("scratch.h5");
  file.write_string("keras_version", "3.15.1", serialize::hdf5::Charset::utf8);
  file.write_string("model_config", "{\"ünïcode\": 1}");
  file.write_strings("few", {"dense", "dense_1/kernel:0"});
  file.write_strings("none", {});
  // 3000 names of 28 bytes: over 64512 bytes, so split as Keras splits them.
  std::vector<std::string> many;
  for (int i = 0; i < 3000; ++i) many.push_back(fmt::format("layer_with_a_long_name_{:05d}", i));
  file.write_strings("layer_names", many);
  const Tensor f32(Shape({2, 3}), std::vector<float>{1, 2, 3, 4, 5, 6.5f});
  const Tensor i64(Shape({2}), std::vector<std::int64_t>{-1, 1LL << 40});
  const Tensor u8(Shape({3}), std::vector<std::uint8_t>{0, 7, 255});
  const Tensor flags(Shape({2}), std::vector<bool>{true, false});
  const Tensor scalar = Tensor::scalar(2.5, DType::float64);
  file.write_dataset("a/b/f32", f32);
  file.write_dataset("i64", i64);
  file.write_dataset("u8", u8);
  file.write_dataset("flags", flags);
  file.write_dataset("scalar", scalar);

  const File again = File::open_image(file.image(), "scratch.h5");
  CHECK(again.read_string("keras_version") == "3.15.1");
  CHECK(again.read_string("model_config") == "{\"ünïcode\": 1}");
  CHECK(again.read_strings("few") == std::vector<std::string>{"dense", "dense_1/kernel:0"});
  CHECK(again.read_strings("none").empty());
  CHECK_FALSE(again.has_attribute("layer_names"));
  CHECK(again.has_attribute("layer_names0"));
  CHECK(again.has_attribute("layer_names1"));
  CHECK(again.read_strings("layer_names") == many);
  CHECK(again.groups() == std::vector<std::string>{"a"});
  CHECK(again.datasets() == std::vector<std::string>{"flags", "i64", "scalar", "u8"});
  CHECK(again.group("a").has_dataset("b/f32"));
  CHECK(again.read_dataset("a/b/f32").to_vector<float>() == f32.to_vector<float>());
  CHECK(again.read_dataset("i64").to_vector<std::int64_t>() == i64.to_vector<std::int64_t>());
  CHECK(again.read_dataset("u8").dtype() == DType::uint8);
  CHECK(again.read_dataset("u8").to_vector<int>() == std::vector<int>{0, 7, 255});
  CHECK(again.read_dataset("flags").to_vector<bool>() == std::vector<bool>{true, false});
  CHECK(again.read_dataset("scalar").rank() == 0);
  CHECK(again.read_dataset("scalar").item() == 2.5);
  REQUIRE_THROWS_WITH(again.group("missing"), Catch::Contains("there is no group 'missing'"));
  REQUIRE_THROWS_WITH(again.read_dataset("a/b/nothing"),
                      Catch::Contains("there is no array 'a/b/nothing'"));
}

TEST_CASE("hdf5: what h5py writes reads as Keras means it") {
  const serialize::LegacyWeights plain = read_weights("plain.h5");
  CHECK(plain.keras_version == "2.21.0");
  REQUIRE(plain.layers.size() == 1);
  CHECK(plain.layers[0].weights[0].name == "dense/kernel:0");
  CHECK(plain.layers[0].weights[0].value.to_vector<float>() == std::vector<float>{1, 2, 3, 4});

  const Tensor deflated = read_weights("deflate.h5").layers[0].weights[0].value;
  CHECK(deflated.shape() == Shape({64, 64}));
  CHECK(deflated.to_vector<float>()[4095] == 4095.0f);

  const File odd = File::open(hdf5_fixture("chunked_names.h5"));
  const std::vector<std::string> names = odd.read_strings("layer_names");
  REQUIRE(names.size() == 3000);
  CHECK(names[2999] == "layer_with_a_long_name_02999");
  CHECK(odd.read_dataset("flags").to_vector<bool>() == std::vector<bool>{true, false, true});
  CHECK(odd.read_dataset("uint32").dtype() == DType::int64);
  CHECK(odd.read_dataset("uint32").to_vector<std::int64_t>() ==
        std::vector<std::int64_t>{0, 4294967295LL});
  CHECK(odd.read_dataset("float16").to_vector<float>() ==
        std::vector<float>{0.5f, -2.0f, 65504.0f});
}

TEST_CASE("hdf5: hostile files are refused with the reason, never followed") {
  REQUIRE_THROWS_WITH(read_weights("soft_link.h5"), Catch::Contains("is a soft link"));
  REQUIRE_THROWS_WITH(read_weights("external_link.h5"), Catch::Contains("is an external link"));
  REQUIRE_THROWS_WITH(read_weights("external_storage.h5"),
                      Catch::Contains("external raw data (outside this file) is refused"));
  REQUIRE_THROWS_WITH(read_weights("virtual.h5"), Catch::Contains("virtual datasets"));
  REQUIRE_THROWS_WITH(read_weights("shape_bomb.h5"),
                      Catch::Contains("declares 17179869184 bytes but the file stores 0"));
  REQUIRE_THROWS_WITH(read_weights("unallocated.h5"),
                      Catch::Contains("declares 4000000000 bytes but the file stores 0"));
  REQUIRE_THROWS_WITH(read_weights("plugin_filter.h5"), Catch::Contains("HDF5 filter 32000"));
  REQUIRE_THROWS_WITH(read_weights("truncated.h5"),
                      Catch::Contains("is not a readable HDF5 file (truncated or damaged?)"));
  REQUIRE_THROWS_WITH(File::open_image("PK\x03\x04 not hdf5", "model.keras"),
                      Catch::Contains("'model.keras' is not an HDF5 file"));
  REQUIRE_THROWS_WITH(File::open("/nonexistent/model.h5"),
                      Catch::Contains("cannot open '/nonexistent/model.h5' for reading"));
}
