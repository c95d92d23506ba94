#pragma once
// Zip archives, as Keras 3 stores a model (.keras: config.json,
// metadata.json, model.weights.h5) and NumPy stores arrays (.npz), through
// libzip.
//
//   keras::serialize::ZipReader archive("model.keras");
//   std::string config = archive.read("config.json");
//
//   keras::serialize::ZipWriter out("arrays.npz");
//   out.add("x.npy", bytes);
//   out.close();  // nothing is on disk before this
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace keras::serialize {

// Reads members of a zip archive by exact name (stored or deflated). The
// archive is checked when opened (libzip's consistency checks: the central
// directory must agree with every local header) and each member when read:
//  - a member whose declared size is over 4 GiB and over 100 times its
//    compressed size is refused (a zip bomb),
//    as is a declared size its compression method cannot produce (a stored
//    member larger than its stored bytes, a deflated one over 1032 times);
//  - at most the declared size is allocated, and the bytes read must be
//    exactly that many, with a matching CRC-32.
// Errors are keras::Error naming the archive and the member. One ZipReader
// may be used from several threads (calls on it take turns); separate readers
// share nothing.
class ZipReader {
 public:
  // keras::Error naming `path` when it cannot be opened or is not a zip.
  explicit ZipReader(const std::string& path);
  ~ZipReader();
  ZipReader(ZipReader&&) noexcept;
  ZipReader& operator=(ZipReader&&) noexcept;
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  // The member names in archive order. Safe to use as relative paths when
  // extracting: a name that is absolute (/x, \x, C:x) or has a ".." component
  // makes this a keras::Error naming it.
  std::vector<std::string> names() const;
  bool contains(const std::string& name) const;
  // The member's bytes; keras::Error when it is missing or fails a check above.
  std::string read(const std::string& name) const;

  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes a new archive at `path`. Members are stored (no compression) with
// the 1980-01-01 00:00 timestamp, as Keras writes the members of a .keras
// file, in the order they were added. close() writes the archive to a
// temporary file in the target's directory and renames it over the target: a
// failure leaves an existing file untouched. A writer that is never closed
// writes nothing.
class ZipWriter {
 public:
  explicit ZipWriter(std::string path);
  ~ZipWriter();
  ZipWriter(ZipWriter&&) noexcept;
  ZipWriter& operator=(ZipWriter&&) noexcept;
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // keras::Error for an empty, absolute or ".." name (ZipReader::names would
  // refuse it), a name added twice, or a writer already closed.
  void add(const std::string& name, std::string bytes);
  void close();

 private:
  std::string path_;
  std::vector<std::pair<std::string, std::string>> members_;
  bool closed_ = false;
};

}  // namespace keras::serialize
