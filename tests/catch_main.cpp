// The Catch2 main of every test executable. Before any test runs, it points
// KERAS_HOME at a fresh empty folder, so that no test reads the developer's
// ~/.keras/keras.json (keras::backend's floatx, epsilon, image_data_format)
// and every test sees Keras' defaults. Tests of those settings
// (functional/backend_config_test.cpp) write keras.json in folders of their
// own and restore KERAS_HOME after.
#define CATCH_CONFIG_RUNNER
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

int main(int argc, char* argv[]) {
  std::string folder = (std::filesystem::temp_directory_path() / "keras-cpp-home-XXXXXX").string();
  if (mkdtemp(folder.data()) == nullptr) {
    std::perror("catch_main: cannot make a KERAS_HOME folder for the tests");
    return 1;
  }
  setenv("KERAS_HOME", folder.c_str(), 1);
  const int result = Catch::Session().run(argc, argv);
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
  return result;
}
