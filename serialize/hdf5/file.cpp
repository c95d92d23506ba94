// Opening files and walking groups, following hard links only.
#include <atomic>
#include <cstdint>
#include <cstring>

#include "handle.hpp"
#include "keras/serialize/files.hpp"

namespace keras::serialize::hdf5 {

std::unique_lock<std::recursive_mutex> lock() {
  static std::recursive_mutex mutex;
  std::unique_lock<std::recursive_mutex> guard(mutex);
  static const bool configured = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    H5PLset_loading_state(0);
    return true;
  }();
  (void)configured;
  return guard;
}

Handle::~Handle() {
  if (id_ < 0) return;
  auto guard = lock();
  H5Oclose(id_);
}

Scoped::~Scoped() {
  if (id_ < 0) return;
  auto guard = lock();
  switch (H5Iget_type(id_)) {
    case H5I_DATATYPE:
      H5Tclose(id_);
      break;
    case H5I_DATASPACE:
      H5Sclose(id_);
      break;
    case H5I_ATTR:
      H5Aclose(id_);
      break;
    case H5I_GENPROP_LST:
      H5Pclose(id_);
      break;
    case H5I_FILE:
      H5Fclose(id_);
      break;
    default:
      H5Oclose(id_);
      break;
  }
}

bool is_hdf5(std::string_view bytes) {
  static constexpr char kSignature[] = "\x89HDF\r\n\x1a\n";
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kSignature, 8) == 0;
}

namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find('/', begin);
    if (end == std::string_view::npos) end = path.size();
    if (end > begin) parts.emplace_back(path.substr(begin, end - begin));
    begin = end + 1;
  }
  return parts;
}

std::string join(const std::string& base, std::string_view child) {
  return base == "/" ? fmt::format("/{}", child) : fmt::format("{}/{}", base, child);
}

// The kind of the child `name` of `parent`: H5I_GROUP, H5I_DATASET, ... or
// H5I_BADID when there is none. A soft or external link is refused.
H5I_type_t child_kind(hid_t parent, const std::string& name, const std::string& where) {
  if (checked(H5Lexists(parent, name.c_str(), H5P_DEFAULT),
              fmt::format("{}: cannot look up '{}'", where, name)) <= 0) {
    return H5I_BADID;
  }
  H5L_info_t info;
  checked(H5Lget_info(parent, name.c_str(), &info, H5P_DEFAULT),
          fmt::format("{}: cannot read the link '{}'", where, name));
  if (info.type != H5L_TYPE_HARD) {
    throw Error(
        fmt::format("{}: '{}' is {} link; keras-cpp follows only the hard links Keras writes",
                    where, name, info.type == H5L_TYPE_SOFT ? "a soft" : "an external"));
  }
  Scoped object(H5Oopen(parent, name.c_str(), H5P_DEFAULT));
  if (!object.valid()) throw Error(fmt::format("{}: cannot open '{}'", where, name));
  return H5Iget_type(object.id());
}

// Opens `path` below `start` step by step; nullptr when a step is missing or
// is not a group (except the last, which must be of `kind`).
std::shared_ptr<Handle> open_path(hid_t start, const std::string& start_path, std::string_view path,
                                  H5I_type_t kind, const std::string& file) {
  const std::vector<std::string> parts = split_path(path);
  if (parts.empty()) throw Error(fmt::format("{}: an empty HDF5 path", file));
  std::shared_ptr<Handle> current;
  hid_t parent = start;
  std::string where = start_path;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const H5I_type_t found = child_kind(parent, parts[i], fmt::format("{}, group {}", file, where));
    const H5I_type_t wanted = i + 1 == parts.size() ? kind : H5I_GROUP;
    if (found != wanted) return nullptr;
    current = std::make_shared<Handle>(H5Oopen(parent, parts[i].c_str(), H5P_DEFAULT));
    parent = current->id();
    where = join(where, parts[i]);
  }
  return current;
}

std::vector<std::string> children_of_kind(hid_t group, H5I_type_t kind, const std::string& where) {
  H5G_info_t info;
  checked(H5Gget_info(group, &info), fmt::format("{}: cannot list the group", where));
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t size = checked(
        H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT),
        fmt::format("{}: cannot read a link name", where));
    std::string name(static_cast<std::size_t>(size), '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1,
                       H5P_DEFAULT);
    H5L_info_t link;
    checked(H5Lget_info(group, name.c_str(), &link, H5P_DEFAULT),
            fmt::format("{}: cannot read the link '{}'", where, name));
    if (link.type != H5L_TYPE_HARD) continue;
    Scoped object(H5Oopen(group, name.c_str(), H5P_DEFAULT));
    if (object.valid() && H5Iget_type(object.id()) == kind) names.push_back(std::move(name));
  }
  return names;
}

// libhdf5 knows in-memory files by name: each gets its own.
std::string image_name() {
  static std::atomic<std::uint64_t> counter{0};
  return fmt::format("keras-cpp-image-{}", counter++);
}

struct FileState : Handle {
  FileState(hid_t id, std::string name) : Handle(-1), file(id), name(std::move(name)) {}
  Scoped file;
  std::string name;
};

const std::string& file_name(const std::shared_ptr<Handle>& file) {
  return static_cast<const FileState&>(*file).name;
}

}  // namespace

Group::Group(std::shared_ptr<Handle> file, std::shared_ptr<Handle> self, std::string path)
    : file_(std::move(file)), self_(std::move(self)), path_(std::move(path)) {}

std::string Group::where() const {
  return fmt::format("{}, group {}", file_name(file_), path_);
}

std::string Group::where(std::string_view child) const {
  return fmt::format("{}, {}", file_name(file_), join(path_, child));
}

std::vector<std::string> Group::groups() const {
  auto guard = lock();
  return children_of_kind(self_->id(), H5I_GROUP, where());
}

std::vector<std::string> Group::datasets() const {
  auto guard = lock();
  return children_of_kind(self_->id(), H5I_DATASET, where());
}

bool Group::has_group(std::string_view path) const {
  auto guard = lock();
  return open_path(self_->id(), path_, path, H5I_GROUP, file_name(file_)) != nullptr;
}

bool Group::has_dataset(std::string_view path) const {
  auto guard = lock();
  return open_path(self_->id(), path_, path, H5I_DATASET, file_name(file_)) != nullptr;
}

Group Group::group(std::string_view path) const {
  auto guard = lock();
  std::shared_ptr<Handle> handle = open_path(self_->id(), path_, path, H5I_GROUP, file_name(file_));
  if (!handle) throw Error(fmt::format("{}: there is no group '{}'", where(), path));
  return Group(file_, handle, join(path_, path));
}

Group Group::require_group(std::string_view path) const {
  auto guard = lock();
  std::shared_ptr<Handle> current = self_;
  std::string current_path = path_;
  for (const std::string& part : split_path(path)) {
    const H5I_type_t kind = child_kind(current->id(), part, where());
    if (kind == H5I_BADID) {
      // No modification times: the same model saves to the same bytes.
      Scoped create(H5Pcreate(H5P_GROUP_CREATE));
      H5Pset_obj_track_times(create.id(), 0);
      current = std::make_shared<Handle>(
          checked(H5Gcreate2(current->id(), part.c_str(), H5P_DEFAULT, create.id(), H5P_DEFAULT),
                  fmt::format("{}: cannot create the group '{}'", where(), part)));
    } else if (kind == H5I_GROUP) {
      current = std::make_shared<Handle>(H5Oopen(current->id(), part.c_str(), H5P_DEFAULT));
    } else {
      throw Error(fmt::format("{}: '{}' exists and is not a group", where(), part));
    }
    current_path = join(current_path, part);
  }
  return Group(file_, current, current_path);
}

File File::open(const std::string& path) {
  std::string bytes = read_file(path);
  return open_image(std::move(bytes), path);
}

File File::open_image(std::string bytes, std::string name) {
  if (!is_hdf5(bytes)) {
    throw Error(
        fmt::format("'{}' is not an HDF5 file (it does not start with HDF5's signature)", name));
  }
  auto guard = lock();
  Scoped access(H5Pcreate(H5P_FILE_ACCESS));
  // The core driver reads the image from memory; nothing goes back to disk.
  checked(H5Pset_fapl_core(access.id(), 1 << 20, 0), "cannot set up an in-memory HDF5 file");
  checked(H5Pset_file_image(access.id(), bytes.data(), bytes.size()),
          "cannot set up an in-memory HDF5 file");
  const hid_t id = H5Fopen(image_name().c_str(), H5F_ACC_RDONLY, access.id());
  if (id < 0) {
    throw Error(fmt::format("'{}' is not a readable HDF5 file (truncated or damaged?)", name));
  }
  auto file = std::make_shared<FileState>(id, std::move(name));
  auto root = std::make_shared<Handle>(
      checked(H5Gopen2(id, "/", H5P_DEFAULT), fmt::format("{}: no root group", file->name)));
  return File(file, root, "/");
}

File File::create(std::string name) {
  auto guard = lock();
  Scoped access(H5Pcreate(H5P_FILE_ACCESS));
  checked(H5Pset_fapl_core(access.id(), 1 << 20, 0), "cannot set up an in-memory HDF5 file");
  Scoped create(H5Pcreate(H5P_FILE_CREATE));
  H5Pset_obj_track_times(create.id(), 0);
  const hid_t id = checked(H5Fcreate(image_name().c_str(), H5F_ACC_EXCL, create.id(), access.id()),
                           fmt::format("cannot create the HDF5 image of '{}'", name));
  auto file = std::make_shared<FileState>(id, std::move(name));
  auto root = std::make_shared<Handle>(H5Gopen2(id, "/", H5P_DEFAULT));
  return File(file, root, "/");
}

std::string File::image() const {
  auto guard = lock();
  const hid_t id = static_cast<const FileState&>(*file_).file.id();
  checked(H5Fflush(id, H5F_SCOPE_GLOBAL), fmt::format("{}: cannot flush", name()));
  const ssize_t size =
      checked(H5Fget_file_image(id, nullptr, 0), fmt::format("{}: cannot take the image", name()));
  std::string bytes(static_cast<std::size_t>(size), '\0');
  checked(H5Fget_file_image(id, bytes.data(), bytes.size()),
          fmt::format("{}: cannot take the image", name()));
  return bytes;
}

const std::string& File::name() const {
  return file_name(file_);
}

}  // namespace keras::serialize::hdf5
