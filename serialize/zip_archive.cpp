// ZipReader and ZipWriter over libzip. libzip is thread-safe per archive, so
// each ZipReader guards its own handle and nothing is shared between them.
#include "keras/serialize/zip_archive.hpp"

#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string_view>

#include "keras/error.hpp"
#include "keras/serialize/files.hpp"

namespace keras::serialize {
namespace {

// A member declaring more than this and more than kMaxRatio times its
// compressed size is refused before anything is allocated.
constexpr std::uint64_t kLargeMember = std::uint64_t{4} << 30;  // 4 GiB
constexpr std::uint64_t kMaxRatio = 100;
// Deflate cannot expand more than 1032:1 (a 258-byte match costs at least two
// bits), so a larger declared size is a lie.
constexpr std::uint64_t kDeflateMaxRatio = 1032;

// Why `name` is not a safe relative path for extraction, or nothing.
std::optional<std::string> unsafe_name_reason(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.front() == '/' || name.front() == '\\') return "it is an absolute path";
  if (name.size() >= 2 && name[1] == ':' &&
      ((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z'))) {
    return "it starts with a drive letter";
  }
  std::size_t begin = 0;
  while (begin <= name.size()) {
    const std::size_t end = std::min(name.find_first_of("/\\", begin), name.size());
    if (name.substr(begin, end - begin) == "..") return "it has a '..' component";
    begin = end + 1;
  }
  return std::nullopt;
}

std::string libzip_error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

// 1980-01-01 00:00 in local time: libzip turns an mtime into the DOS date and
// time fields through localtime(), so this lands on the earliest DOS date.
std::time_t dos_epoch() {
  std::tm tm{};
  tm.tm_year = 80;
  tm.tm_mon = 0;
  tm.tm_mday = 1;
  tm.tm_isdst = -1;
  return std::mktime(&tm);
}

// An archive with no members: just the end-of-central-directory record
// (libzip deletes an archive that would be empty instead of writing it).
std::string empty_archive() {
  return std::string("PK\x05\x06", 4) + std::string(18, '\0');
}

}  // namespace

struct ZipReader::Impl {
  std::string path;
  std::uint64_t file_size = 0;
  zip_t* archive = nullptr;
  std::mutex mutex;

  ~Impl() {
    if (archive != nullptr) zip_discard(archive);
  }

  std::string member_list() const {
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    std::string list;
    for (zip_int64_t i = 0; i < std::min<zip_int64_t>(count, 20); ++i) {
      const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
      if (!list.empty()) list += ", ";
      list += name != nullptr ? name : "?";
    }
    if (count > 20) list += fmt::format(", ... ({} in all)", count);
    return list.empty() ? "no members" : list;
  }

  [[noreturn]] void fail(const std::string& member, const std::string& problem) const {
    throw Error(fmt::format("zip archive '{}', member '{}': {}", path, member, problem));
  }

  // Refuses sizes that no honest member has, before allocating anything.
  void check_declared_size(const std::string& name, const zip_stat_t& stat) const {
    const std::uint64_t size = stat.size;
    const std::uint64_t compressed = stat.comp_size;
    if (compressed > file_size) {
      fail(name, fmt::format("declares {} compressed bytes but the archive has only {}; the "
                             "file is truncated or damaged",
                             compressed, file_size));
    }
    if (size > kLargeMember && size / kMaxRatio > compressed) {
      fail(name, fmt::format("declares {} bytes from {} compressed bytes (over 4 GiB and over "
                             "{}x); refusing a likely zip bomb",
                             size, compressed, kMaxRatio));
    }
    if (stat.comp_method == ZIP_CM_STORE && size != compressed) {
      fail(name, fmt::format("is stored (not compressed) but declares {} bytes with {} bytes "
                             "stored; the archive is damaged",
                             size, compressed));
    }
    if (stat.comp_method == ZIP_CM_DEFLATE && size / kDeflateMaxRatio > compressed + 1) {
      fail(name, fmt::format("declares {} bytes, more than deflate can produce from {} "
                             "compressed bytes; the archive is damaged",
                             size, compressed));
    }
  }
};

ZipReader::ZipReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  namespace fs = std::filesystem;
  impl_->path = path;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    throw Error(fmt::format("cannot open zip archive '{}': no such file; check the path", path));
  }
  if (!fs::is_regular_file(status)) {
    throw Error(fmt::format("cannot open zip archive '{}': it is not a regular file", path));
  }
  impl_->file_size = fs::file_size(path, ec);
  if (ec) {
    throw Error(fmt::format("cannot open zip archive '{}': {}", path, ec.message()));
  }
  // libzip opens an empty file as an empty archive; it is not a zip file.
  if (impl_->file_size == 0) {
    throw Error(fmt::format("'{}' is not a zip archive: the file is empty", path));
  }
  int code = 0;
  impl_->archive = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (impl_->archive == nullptr) {
    throw Error(
        fmt::format("'{}' is not a readable zip archive: {} (a truncated or damaged "
                    "file, or another format)",
                    path, libzip_error_text(code)));
  }
}

ZipReader::~ZipReader() = default;
ZipReader::ZipReader(ZipReader&&) noexcept = default;
ZipReader& ZipReader::operator=(ZipReader&&) noexcept = default;

const std::string& ZipReader::path() const {
  KERAS_INTERNAL_CHECK(impl_ != nullptr, "ZipReader used after it was moved from");
  return impl_->path;
}

std::vector<std::string> ZipReader::names() const {
  KERAS_INTERNAL_CHECK(impl_ != nullptr, "ZipReader used after it was moved from");
  std::lock_guard lock(impl_->mutex);
  const zip_int64_t count = zip_get_num_entries(impl_->archive, 0);
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(std::max<zip_int64_t>(count, 0)));
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(impl_->archive, static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr) {
      throw Error(fmt::format("zip archive '{}': cannot read the name of member {}: {}",
                              impl_->path, i, zip_strerror(impl_->archive)));
    }
    if (auto reason = unsafe_name_reason(name)) {
      impl_->fail(name, fmt::format("unsafe member name: {}; this archive cannot be trusted "
                                    "for extraction",
                                    *reason));
    }
    names.emplace_back(name);
  }
  return names;
}

bool ZipReader::contains(const std::string& name) const {
  KERAS_INTERNAL_CHECK(impl_ != nullptr, "ZipReader used after it was moved from");
  std::lock_guard lock(impl_->mutex);
  return zip_name_locate(impl_->archive, name.c_str(), 0) >= 0;
}

std::string ZipReader::read(const std::string& name) const {
  KERAS_INTERNAL_CHECK(impl_ != nullptr, "ZipReader used after it was moved from");
  std::lock_guard lock(impl_->mutex);
  Impl& archive = *impl_;
  const zip_int64_t index = zip_name_locate(archive.archive, name.c_str(), 0);
  if (index < 0) {
    throw Error(fmt::format("zip archive '{}' has no member '{}'; it has: {}", archive.path, name,
                            archive.member_list()));
  }
  zip_stat_t stat;
  zip_stat_init(&stat);
  constexpr zip_uint64_t kNeeded =
      ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
  if (zip_stat_index(archive.archive, static_cast<zip_uint64_t>(index), 0, &stat) != 0 ||
      (stat.valid & kNeeded) != kNeeded) {
    archive.fail(name, fmt::format("cannot read its header: {}", zip_strerror(archive.archive)));
  }
  if (stat.encryption_method != ZIP_EM_NONE) {
    archive.fail(name, "it is encrypted; keras-cpp reads only unencrypted members");
  }
  archive.check_declared_size(name, stat);

  std::unique_ptr<zip_file_t, FileCloser> file(
      zip_fopen_index(archive.archive, static_cast<zip_uint64_t>(index), 0));
  if (file == nullptr) {
    archive.fail(name, fmt::format("cannot open it: {}", zip_strerror(archive.archive)));
  }
  std::string bytes(static_cast<std::size_t>(stat.size), '\0');
  std::uint64_t got = 0;
  while (got < stat.size) {
    const zip_int64_t n = zip_fread(file.get(), bytes.data() + got, stat.size - got);
    if (n < 0) {
      archive.fail(name, fmt::format("cannot read it: {} (the archive is damaged)",
                                     zip_file_strerror(file.get())));
    }
    if (n == 0) break;
    got += static_cast<std::uint64_t>(n);
  }
  if (got != stat.size) {
    archive.fail(
        name, fmt::format("truncated: {} of its declared {} bytes could be read", got, stat.size));
  }
  // Reading past the end makes libzip compare the CRC-32 and the length.
  char extra = 0;
  const zip_int64_t n = zip_fread(file.get(), &extra, 1);
  if (n < 0) {
    archive.fail(name, fmt::format("its data fails a check: {} (the archive is damaged)",
                                   zip_file_strerror(file.get())));
  }
  if (n > 0) {
    archive.fail(name, fmt::format("holds more than its declared {} bytes (the archive is "
                                   "damaged)",
                                   stat.size));
  }
  return bytes;
}

ZipWriter::ZipWriter(std::string path) : path_(std::move(path)) {}
ZipWriter::~ZipWriter() = default;
ZipWriter::ZipWriter(ZipWriter&&) noexcept = default;
ZipWriter& ZipWriter::operator=(ZipWriter&&) noexcept = default;

void ZipWriter::add(const std::string& name, std::string bytes) {
  if (closed_) {
    throw Error(fmt::format("zip archive '{}' is already closed; cannot add '{}'", path_, name));
  }
  if (auto reason = unsafe_name_reason(name)) {
    throw Error(
        fmt::format("zip archive '{}': cannot add a member named '{}': {}; use a "
                    "relative name such as 'dir/file.npy'",
                    path_, name, *reason));
  }
  if (name.back() == '/' || name.size() > 0xffff) {
    throw Error(
        fmt::format("zip archive '{}': cannot add a member named '{}': a file member's "
                    "name must not end with '/' and has at most 65535 bytes",
                    path_, name));
  }
  const bool duplicate = std::any_of(members_.begin(), members_.end(),
                                     [&](const auto& member) { return member.first == name; });
  if (duplicate) {
    throw Error(
        fmt::format("zip archive '{}': member '{}' was already added; give each member "
                    "its own name",
                    path_, name));
  }
  members_.emplace_back(name, std::move(bytes));
}

namespace {

// Builds the whole archive in memory (members stored, DOS epoch timestamps)
// so that the file itself is written by write_file_atomically.
class ArchiveInMemory {
 public:
  explicit ArchiveInMemory(const std::string& path) : path_(path) {
    zip_error_t error;
    zip_error_init(&error);
    buffer_ = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (buffer_ != nullptr) archive_ = zip_open_from_source(buffer_, ZIP_TRUNCATE, &error);
    const std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    if (archive_ == nullptr) {
      zip_source_free(buffer_);  // the destructor does not run when this throws
      fail(fmt::format("cannot start the archive: {}", text));
    }
    // Keep the buffer alive past zip_close, which writes the archive into it.
    zip_source_keep(buffer_);
  }
  ~ArchiveInMemory() {
    if (archive_ != nullptr) zip_discard(archive_);
    zip_source_free(buffer_);
  }
  ArchiveInMemory(const ArchiveInMemory&) = delete;
  ArchiveInMemory& operator=(const ArchiveInMemory&) = delete;

  // `bytes` must outlive finish().
  void add(const std::string& name, const std::string& bytes, std::time_t mtime) {
    zip_source_t* source = zip_source_buffer(archive_, bytes.data(), bytes.size(), 0);
    if (source == nullptr) fail(fmt::format("member '{}': {}", name, zip_strerror(archive_)));
    const zip_int64_t index = zip_file_add(archive_, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(source);
      fail(fmt::format("member '{}': {}", name, zip_strerror(archive_)));
    }
    const auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive_, i, ZIP_CM_STORE, 0) != 0 ||
        zip_file_set_mtime(archive_, i, mtime, 0) != 0) {
      fail(fmt::format("member '{}': {}", name, zip_strerror(archive_)));
    }
  }

  std::string finish() {
    if (zip_close(archive_) != 0) fail(zip_strerror(archive_));
    archive_ = nullptr;
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_source_stat(buffer_, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0 ||
        zip_source_open(buffer_) != 0) {
      fail("cannot read back the archive built in memory");
    }
    std::string bytes(static_cast<std::size_t>(stat.size), '\0');
    const zip_int64_t n = zip_source_read(buffer_, bytes.data(), stat.size);
    zip_source_close(buffer_);
    if (n < 0 || static_cast<zip_uint64_t>(n) != stat.size) {
      fail("cannot read back the archive built in memory");
    }
    return bytes;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(fmt::format("cannot write zip archive '{}': {}", path_, problem));
  }

  const std::string& path_;
  zip_source_t* buffer_ = nullptr;
  zip_t* archive_ = nullptr;
};

}  // namespace

void ZipWriter::close() {
  if (closed_) throw Error(fmt::format("zip archive '{}' is already closed", path_));
  std::string bytes;
  if (members_.empty()) {
    bytes = empty_archive();
  } else {
    ArchiveInMemory archive(path_);
    const std::time_t mtime = dos_epoch();
    for (const auto& [name, data] : members_) archive.add(name, data, mtime);
    bytes = archive.finish();
  }
  write_file_atomically(path_, {bytes});
  closed_ = true;
  members_.clear();
}

}  // namespace keras::serialize
