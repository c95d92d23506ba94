#include <sys/resource.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "keras/serialize/npy.hpp"
#include "keras/serialize/zip_archive.hpp"
#include "keras/utils.hpp"
#include "serialize_fixtures.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;
using keras::utils::load_npy;
using keras::utils::load_npz;
using keras::utils::save_npy;
using keras::utils::save_npz;
namespace fs = std::filesystem;
using keras::testing::fixture;
using keras::testing::scratch;
using keras::testing::slurp;
using keras::testing::spit;

namespace {

std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

// <stem>.npy (little-endian, C order) and <stem>_be_fortran.npy (big-endian,
// Fortran order) hold the same (2, 3) values (make_npy_fixtures.py's VALUES).
template <class T>
void check_fixture_pair(const std::string& stem, DType dtype, const std::vector<T>& expected) {
  for (const std::string suffix : {"", "_be_fortran"}) {
    const std::string file = stem + suffix + ".npy";
    INFO(file);
    const Tensor x = load_npy(fixture(file));
    CHECK(x.dtype() == dtype);
    CHECK(x.shape() == Shape({2, 3}));
    CHECK(x.to_vector<T>() == expected);
  }
}

constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

}  // namespace

TEST_CASE("load_npy reads every dtype numpy writes, in both byte orders and memory orders",
          "[serialize][npy]") {
  check_fixture_pair<bool>("bool", DType::bool_, {true, false, true, false, false, true});
  check_fixture_pair<std::int8_t>("int8", DType::int8, {-128, -1, 0, 1, 64, 127});
  check_fixture_pair<std::int16_t>("int16", DType::int16, {-32768, -2, 0, 3, 300, 32767});
  check_fixture_pair<std::int32_t>("int32", DType::int32,
                                   {-2147483647 - 1, -5, 0, 7, 70000, 2147483647});
  check_fixture_pair<std::int64_t>("int64", DType::int64,
                                   {kInt64Min, -9, 0, 11, 5000000000, kInt64Max});
  check_fixture_pair<std::uint8_t>("uint8", DType::uint8, {0, 1, 2, 127, 128, 255});
  check_fixture_pair<std::uint16_t>("uint16", DType::uint16, {0, 1, 2, 300, 40000, 65535});
  // uint32 and uint64 have no DType: int64 holds them exactly.
  check_fixture_pair<std::int64_t>("uint32", DType::int64,
                                   {0, 1, 2, 70000, 3000000000, 4294967295});
  check_fixture_pair<std::int64_t>("uint64", DType::int64,
                                   {0, 1, 2, 4294967296, 5000000000, kInt64Max});
  check_fixture_pair<float>("float32", DType::float32,
                            {1.5f, -0.25f, 3.0e38f, std::ldexp(1.0f, -149),
                             std::numeric_limits<float>::infinity(), -1.0e10f});
  check_fixture_pair<double>(
      "float64", DType::float64,
      {1.5, -0.25, 1.0e300, 5e-324, -std::numeric_limits<double>::infinity(), 0.1});
}

TEST_CASE("load_npy widens float16 to float32 exactly", "[serialize][npy]") {
  for (const std::string file : {"float16.npy", "float16_be_fortran.npy"}) {
    INFO(file);
    const Tensor x = load_npy(fixture(file));
    REQUIRE(x.dtype() == DType::float32);
    REQUIRE(x.shape() == Shape({2, 5}));
    const float inf = std::numeric_limits<float>::infinity();
    // Row 0: 1, -2.5, the largest half, -0, NaN. Row 1: the smallest normal
    // half (2**-14), the smallest subnormal (2**-24), the largest subnormal
    // (1023 * 2**-24), +inf, -inf.
    CHECK(x.at<float>({0, 0}) == 1.0f);
    CHECK(x.at<float>({0, 1}) == -2.5f);
    CHECK(x.at<float>({0, 2}) == 65504.0f);
    CHECK(x.at<float>({0, 3}) == 0.0f);
    CHECK(std::signbit(x.at<float>({0, 3})));
    CHECK(std::isnan(x.at<float>({0, 4})));
    CHECK(x.at<float>({1, 0}) == std::ldexp(1.0f, -14));
    CHECK(x.at<float>({1, 1}) == std::ldexp(1.0f, -24));
    CHECK(x.at<float>({1, 2}) == std::ldexp(1023.0f, -24));
    CHECK(x.at<float>({1, 3}) == inf);
    CHECK(x.at<float>({1, 4}) == -inf);
  }
}

TEST_CASE("every float16 bit pattern widens to the value IEEE 754 gives it", "[serialize][npy]") {
  // A '<u2' file of all 65536 bit patterns, relabelled '<f2'.
  Tensor bits(DType::uint16, Shape({65536}));
  for (int i = 0; i < 65536; ++i) bits.data<std::uint16_t>()[i] = static_cast<std::uint16_t>(i);
  std::string file = keras::serialize::tensor_to_npy(bits);
  file.replace(file.find("'<u2'"), 5, "'<f2'");
  const Tensor x = keras::serialize::npy_to_tensor(file, "all halves");
  REQUIRE(x.dtype() == DType::float32);
  int wrong = 0;
  for (int i = 0; i < 65536; ++i) {
    const int sign = i >> 15, exponent = (i >> 10) & 0x1f, mantissa = i & 0x3ff;
    // (-1)^sign * 2^(exponent - 15) * 1.mantissa, or 2^-14 * 0.mantissa for
    // exponent 0; exponent 31 is infinity (mantissa 0) or NaN.
    float expected = exponent == 0    ? std::ldexp(static_cast<float>(mantissa), -24)
                     : exponent == 31 ? (mantissa == 0 ? std::numeric_limits<float>::infinity()
                                                       : std::numeric_limits<float>::quiet_NaN())
                                      : std::ldexp(1.0f + mantissa / 1024.0f, exponent - 15);
    if (sign) expected = -expected;
    const float got = x.data<float>()[i];
    const bool same = std::isnan(expected)
                          ? std::isnan(got)
                          : got == expected && std::signbit(got) == std::signbit(expected);
    wrong += !same;
  }
  CHECK(wrong == 0);
}

TEST_CASE("load_npy: rank 3 Fortran order, '=' order, versions 2.0 and 3.0, 0-d and empty",
          "[serialize][npy]") {
  const Tensor cube = load_npy(fixture("int16_rank3_fortran.npy"));  // arange(24).reshape(2, 3, 4)
  REQUIRE(cube.shape() == Shape({2, 3, 4}));
  for (std::int64_t i = 0; i < 2; ++i) {
    for (std::int64_t j = 0; j < 3; ++j) {
      for (std::int64_t k = 0; k < 4; ++k)
        CHECK(cube.at<std::int16_t>({i, j, k}) == i * 12 + j * 4 + k);
    }
  }
  CHECK(load_npy(fixture("native_order.npy")).to_vector<std::int32_t>() ==
        std::vector<std::int32_t>{1, 2, 3});
  for (const std::string file : {"version2.npy", "version3.npy"}) {
    INFO(file);
    CHECK(load_npy(fixture(file)).to_vector<float>() == std::vector<float>{1.5f, -2.0f});
  }
  const Tensor scalar = load_npy(fixture("scalar.npy"));
  CHECK(scalar.dtype() == DType::float64);
  CHECK(scalar.shape() == Shape({}));
  CHECK(scalar.item() == 3.25);
  const Tensor empty = load_npy(fixture("empty.npy"));
  CHECK(empty.dtype() == DType::float32);
  CHECK(empty.shape() == Shape({0, 3}));
  CHECK(empty.size() == 0);
}

TEST_CASE("load_npy errors name the file and the problem", "[serialize][npy]") {
  struct Case {
    const char* file;
    const char* message;
  };
  const Case cases[] = {
      {"bad_magic.npy", "does not start with NumPy's magic string"},
      {"bad_truncated.npy",
       "(2, 3) of '<f8' (6 elements of 8 bytes) but 43 bytes of data "
       "follow the header; the file is truncated"},
      {"bad_unterminated.npy", "the header dict is unterminated"},
      {"bad_negative_dim.npy", "'shape' has a negative dimension"},
      {"bad_huge_shape.npy", "(1000000000000,) of '<f8'"},
      {"bad_overflow_shape.npy", "has more elements than a 64-bit count holds"},
      {"bad_object.npy", "its dtype '|O' holds Python objects"},
      {"bad_complex.npy", "its dtype '<c8' holds complex numbers"},
      {"bad_string.npy", "its dtype '<U2' holds strings"},
      {"bad_structured.npy", "its dtype is structured"},
      {"bad_uint64_too_big.npy",
       "element 1 (in file order) is 9223372036854775808, which does "
       "not fit int64"},
      {"not_there.npy", "cannot open"},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    CHECK_THROWS_WITH(load_npy(fixture(c.file)), Contains(c.file) && Contains(c.message));
  }
  CHECK_THROWS_WITH(load_npy(KERAS_SERIALIZE_FIXTURES_DIR), Contains(KERAS_SERIALIZE_FIXTURES_DIR));
  CHECK_THROWS_WITH(keras::serialize::npy_to_tensor("\x93NUMPY\x01\x00", "bytes 'x'"),
                    Contains("bytes 'x'") && Contains("ends inside its 10-byte preamble"));
  CHECK_THROWS_WITH(keras::serialize::npy_to_tensor(std::string("\x93NUMPY\x04\x00\0\0", 10), "y"),
                    Contains("its format version is 4.0"));
}

TEST_CASE("save_npy writes the bytes numpy.save writes", "[serialize][npy]") {
  const fs::path dir = scratch("npy_save");
  // Each of these fixtures was written by numpy.save from the dtype we keep,
  // so a load and a save must reproduce it byte for byte.
  for (const std::string stem : {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16",
                                 "float32", "float64", "scalar", "empty"}) {
    INFO(stem);
    const std::string original = slurp(fixture(stem + ".npy"));
    const fs::path copy = dir / (stem + ".npy");
    save_npy(copy.string(), load_npy(fixture(stem + ".npy")));
    CHECK(slurp(copy) == original);
  }
  // 10-byte preamble, the dict padded with spaces to 128 bytes with a final
  // '\n', then two floats.
  const std::string file = keras::serialize::tensor_to_npy(Tensor({2}, std::vector<float>{1, 2}));
  CHECK(file.size() == 128 + 8);
  CHECK(file.substr(0, 10) == std::string("\x93NUMPY\x01\x00\x76\x00", 10));
  CHECK(file.substr(10).starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"));
  CHECK(file[127] == '\n');
}

TEST_CASE("save_npy then load_npy round trips each dtype", "[serialize][npy]") {
  const fs::path dir = scratch("npy_round_trip");
  const std::vector<Tensor> tensors = {
      Tensor({2, 2}, std::vector<float>{1.5f, -2.0f, 0.0f, 3e-40f}),
      Tensor({3}, std::vector<double>{0.1, -1e300, 5e-324}),
      Tensor({1, 3}, std::vector<std::int32_t>{-7, 0, 2147483647}),
      Tensor({2}, std::vector<std::int64_t>{kInt64Min, kInt64Max}),
      Tensor({3}, std::vector<bool>{true, false, true}),
      Tensor({2}, std::vector<std::int8_t>{-128, 127}),
      Tensor({2}, std::vector<std::uint8_t>{0, 255}),
      Tensor({2}, std::vector<std::int16_t>{-32768, 32767}),
      Tensor({2, 1, 1}, std::vector<std::uint16_t>{0, 65535}),
      Tensor::scalar(4.0, DType::int64),
      Tensor(DType::float64, Shape({2, 0})),
  };
  for (const Tensor& x : tensors) {
    INFO(keras::dtype_name(x.dtype()) << " " << x.shape().to_string());
    const std::string path = (dir / "x.npy").string();
    save_npy(path, x);
    const Tensor y = load_npy(path);
    CHECK(y.dtype() == x.dtype());
    CHECK(y.shape() == x.shape());
    CHECK(y.to_vector<double>() == x.to_vector<double>());
  }
  CHECK(listing(dir) == std::vector<std::string>{"x.npy"});  // no temporary left behind
}

TEST_CASE("load_npz reads numpy.savez and numpy.savez_compressed in archive order",
          "[serialize][npy]") {
  for (const std::string file : {"savez.npz", "savez_compressed.npz"}) {
    INFO(file);
    const auto arrays = load_npz(fixture(file));
    REQUIRE(arrays.size() == 3);
    // numpy.savez(path, [1, 2, 3], weights=..., flags=...) names the positional
    // array arr_0 and puts it after the keyword ones.
    CHECK(arrays[0].first == "weights");
    CHECK(arrays[0].second.shape() == Shape({2, 2}));
    CHECK(arrays[0].second.to_vector<float>() == std::vector<float>{0.5f, -1.0f, 2.0f, 4.0f});
    CHECK(arrays[1].first == "flags");
    CHECK(arrays[1].second.to_vector<bool>() == std::vector<bool>{true, false});
    CHECK(arrays[2].first == "arr_0");
    CHECK(arrays[2].second.dtype() == DType::int64);
    CHECK(arrays[2].second.to_vector<std::int64_t>() == std::vector<std::int64_t>{1, 2, 3});
  }
  CHECK_THROWS_WITH(load_npz(fixture("bad_member.npz")), Contains("bad_member.npz") &&
                                                             Contains("member 'readme.txt'") &&
                                                             Contains("not a .npy array"));
  CHECK_THROWS_WITH(load_npz(fixture("bad_bomb.zip")), Contains("zip bomb"));
  CHECK_THROWS_WITH(load_npz(fixture("bad_names.zip")), Contains("'..' component"));
  CHECK_THROWS_WITH(load_npz(fixture("int8.npy")), Contains("is not a readable zip archive"));
}

TEST_CASE("save_npz writes numpy.savez's layout, a zip ZipReader reads back", "[serialize][npy]") {
  const fs::path path = scratch("npy_npz") / "arrays.npz";
  const Tensor x({2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
  const Tensor y({2}, std::vector<std::uint8_t>{7, 255});
  save_npz(path.string(), {{"x", x}, {"sub/y", y}});

  const keras::serialize::ZipReader archive(path.string());
  CHECK(archive.names() == std::vector<std::string>{"x.npy", "sub/y.npy"});
  CHECK(archive.read("x.npy") == keras::serialize::tensor_to_npy(x));

  const auto arrays = load_npz(path.string());
  REQUIRE(arrays.size() == 2);
  CHECK(arrays[0].first == "x");
  CHECK(arrays[0].second.to_vector<float>() == x.to_vector<float>());
  CHECK(arrays[1].first == "sub/y");
  CHECK(arrays[1].second.to_vector<std::uint8_t>() == y.to_vector<std::uint8_t>());

  save_npz(path.string(), {});
  CHECK(load_npz(path.string()).empty());
  CHECK_THROWS_WITH(save_npz(path.string(), {{"", x}}), Contains("every array needs a name"));
  CHECK_THROWS_WITH(save_npz(path.string(), {{"../x", x}}), Contains("'..' component"));
}

TEST_CASE("a failed save leaves an existing file byte-identical", "[serialize][npy]") {
  const fs::path dir = scratch("npy_failed_save");
  const Tensor x({3}, std::vector<double>{1, 2, 3});
  const fs::path kept = dir / "kept.npy";
  save_npy(kept.string(), Tensor({1}, std::vector<float>{42}));
  const std::string original = slurp(kept);

  CHECK_THROWS_WITH(save_npy((dir / "missing" / "x.npy").string(), x),
                    Contains("missing") && Contains("cannot create a file in its directory"));
  CHECK_THROWS_WITH(save_npy(dir.string(), x), Contains("Is a directory"));
  CHECK_THROWS_WITH(save_npz(kept.string(), {{"a", x}, {"a", x}}),
                    Contains("member 'a.npy' was already added"));

  // A write that fails halfway (the file size limit, which binds root too):
  // the temporary file goes, the existing file stays.
  struct rlimit limit {};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &limit) == 0);
  const struct rlimit small_limit = {1000, limit.rlim_max};
  auto* previous = std::signal(SIGXFSZ, SIG_IGN);
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small_limit) == 0);
  CHECK_THROWS_WITH(save_npy(kept.string(), Tensor(DType::float64, Shape({1000}))),
                    Contains("kept.npy") && Contains("File too large") &&
                        Contains("the existing file (if any) is unchanged"));
  CHECK_THROWS_WITH(save_npz(kept.string(), {{"a", Tensor(DType::float64, Shape({1000}))}}),
                    Contains("kept.npy"));
  setrlimit(RLIMIT_FSIZE, &limit);
  std::signal(SIGXFSZ, previous);

  // Permission bits do not stop root, so this part runs for other users only.
  if (geteuid() != 0) {
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
    CHECK_THROWS_WITH(save_npy(kept.string(), x),
                      Contains("cannot create a file in its directory"));
    fs::permissions(dir, fs::perms::owner_all);
  }

  CHECK(slurp(kept) == original);
  CHECK(listing(dir) == std::vector<std::string>{"kept.npy"});
}
