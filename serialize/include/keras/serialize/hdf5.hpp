#pragma once
// HDF5 as Keras' files use it: groups, string attributes, plain arrays.
// Files are read from an image in memory (a .h5 on disk, or the
// model.weights.h5 member of a .keras zip) and written to one, so a save
// never leaves a half-written file: the caller writes the finished image
// with serialize::write_file_atomically (files.hpp).
//
// Reading is safe against hostile files: only hard links are followed
// (soft and external links are refused), external raw data, virtual
// datasets and filter plugins are refused, and a dataset may not declare far
// more data than it stores. Every libhdf5 call holds one process-wide lock:
// Debian's libhdf5 is built without thread safety.
//
//   auto file = keras::serialize::hdf5::File::open("model.h5");
//   std::string config = file.read_string("model_config");
//   keras::Tensor kernel = file.group("model_weights/dense").read_dataset("dense/kernel:0");
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::serialize::hdf5 {

// The 8 bytes every HDF5 file starts with.
bool is_hdf5(std::string_view bytes);

// An open HDF5 object (file, group, dataset, ...) closed when the last
// handle goes.
class Handle;

enum class Charset { ascii, utf8 };

class Group {
 public:
  // The child groups and datasets, in name order.
  std::vector<std::string> groups() const;
  std::vector<std::string> datasets() const;

  // `path` is relative ("a/b"); each step must be a hard link.
  bool has_group(std::string_view path) const;
  bool has_dataset(std::string_view path) const;
  // A keras::Error names the file and the path when there is no such group.
  Group group(std::string_view path) const;
  // Opens the group, creating it and the groups on its way when missing.
  Group require_group(std::string_view path) const;

  // The array, in the dtype that holds the stored type exactly (float16 as
  // float32, uint32 as int64; h5py's bool enum as bool).
  Tensor read_dataset(std::string_view path) const;
  // Stored little-endian and contiguous, as h5py writes; creates the groups
  // on the path.
  void write_dataset(std::string_view path, const Tensor& value) const;

  bool has_attribute(std::string_view name) const;
  // A scalar string attribute (variable or fixed length, ASCII or UTF-8).
  std::string read_string(std::string_view name) const;
  // A list of strings as Keras writes names: a 1-D string attribute, a
  // non-string empty one (no names), or split in `name0`, `name1`, ... when
  // it would not fit an object header.
  std::vector<std::string> read_strings(std::string_view name) const;
  // A scalar variable-length string.
  void write_string(std::string_view name, std::string_view value,
                    Charset charset = Charset::ascii) const;
  // As Keras writes names: a 1-D variable-length array; split in fixed-length
  // pieces `name0`, `name1`, ... when over 64512 bytes; an empty list as an
  // empty float64 array.
  void write_strings(std::string_view name, const std::vector<std::string>& values) const;

  // For messages: "model.h5, group /model_weights/dense".
  std::string where() const;
  std::string where(std::string_view child) const;

 protected:
  Group(std::shared_ptr<Handle> file, std::shared_ptr<Handle> self, std::string path);
  std::shared_ptr<Handle> file_;
  std::shared_ptr<Handle> self_;
  std::string path_;  // "/" for the root
};

class File : public Group {
 public:
  // Reads the file at `path` whole, then opens its image read-only.
  static File open(const std::string& path);
  // Opens an image already in memory; `name` names it in messages.
  static File open_image(std::string bytes, std::string name);
  // A new empty file in memory, to be filled and then taken with image().
  static File create(std::string name);
  // The file's bytes as they would be on disk.
  std::string image() const;
  const std::string& name() const;

 private:
  using Group::Group;
};

}  // namespace keras::serialize::hdf5
