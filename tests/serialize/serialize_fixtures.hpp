#pragma once
// Files for the codec tests: the committed fixtures (fixtures/, each made by
// the script beside it) and scratch folders of their own.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace keras::testing {

inline std::string fixture(const std::string& name) {
  return std::string(KERAS_SERIALIZE_FIXTURES_DIR) + "/" + name;
}

// An empty directory of its own for each test, named after it.
inline std::filesystem::path scratch(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("keras_cpp_serialize_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void spit(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace keras::testing
