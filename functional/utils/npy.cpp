// keras::utils: load_npy, save_npy, load_npz, save_npz over the .npy codec
// and the zip archive of keras::serialize.
#include "keras/serialize/npy.hpp"
#include "keras/serialize/files.hpp"
#include "keras/serialize/zip_archive.hpp"
#include "keras/utils.hpp"

namespace keras::utils {

namespace {
constexpr std::string_view kNpySuffix = ".npy";
}  // namespace

Tensor load_npy(const std::string& path) {
  const std::string bytes = serialize::read_file(path);
  return serialize::npy_to_tensor(bytes, fmt::format("file '{}'", path));
}

void save_npy(const std::string& path, const Tensor& x) {
  serialize::write_file_atomically(path, serialize::tensor_to_npy(x));
}

std::vector<std::pair<std::string, Tensor>> load_npz(const std::string& path) {
  const serialize::ZipReader archive(path);
  std::vector<std::pair<std::string, Tensor>> arrays;
  for (const std::string& member : archive.names()) {
    if (!member.ends_with(kNpySuffix)) {
      throw Error(
          fmt::format("'{}' has a member '{}' that is not a .npy array; load_npz reads "
                      "archives that numpy.savez writes (read other members with "
                      "keras::serialize::ZipReader)",
                      path, member));
    }
    const std::string source = fmt::format("member '{}' of '{}'", member, path);
    arrays.emplace_back(member.substr(0, member.size() - kNpySuffix.size()),
                        serialize::npy_to_tensor(archive.read(member), source));
  }
  return arrays;
}

void save_npz(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& arrays) {
  serialize::ZipWriter archive(path);
  for (const auto& [name, x] : arrays) {
    if (name.empty()) {
      throw Error(
          fmt::format("cannot save '{}': every array needs a name (numpy.savez uses "
                      "arr_0, arr_1, ...)",
                      path));
    }
    archive.add(name + std::string(kNpySuffix), serialize::tensor_to_npy(x));
  }
  archive.close();
}

}  // namespace keras::utils
