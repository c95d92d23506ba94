#include "keras/serialize/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "keras/error.hpp"

namespace keras::serialize {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fmt::format("cannot open '{}' for reading: {}", path, std::strerror(errno)));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw Error(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  return std::move(bytes).str();
}

namespace {

// A name no other writer picks: the pid and a random suffix.
std::string temporary_beside(const std::filesystem::path& target) {
  std::random_device device;
  return (target.parent_path() /
          fmt::format(".{}.tmp-{}-{:08x}", target.filename().string(), ::getpid(), device()))
      .string();
}

[[noreturn]] void fail(const std::string& path, const std::string& temporary, const char* step) {
  const int error = errno;
  std::remove(temporary.c_str());
  throw Error(
      fmt::format("cannot save '{}': {} failed: {}; the existing file (if any) is unchanged", path,
                  step, std::strerror(error)));
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
  // Saving through a symlink replaces the file it points to, not the link.
  std::error_code error;
  std::filesystem::path target(path);
  if (std::filesystem::is_symlink(target, error)) {
    target = std::filesystem::weakly_canonical(target, error);
  }
  if (target.filename().empty()) {
    throw Error(fmt::format("cannot save to '{}': the path names a directory, not a file", path));
  }
  const std::string temporary = temporary_beside(target);
  // 0666 under the umask, as a plain open() would create it.
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw Error(fmt::format("cannot save '{}': cannot create a file in its directory: {}", path,
                            std::strerror(errno)));
  }
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      fail(path, temporary, "writing");
    }
    written += static_cast<std::size_t>(n);
  }
  // A file saved over keeps its permissions.
  struct stat existing {};
  if (::stat(target.c_str(), &existing) == 0) ::fchmod(fd, existing.st_mode & 07777);
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail(path, temporary, "flushing");
  }
  if (::close(fd) != 0) fail(path, temporary, "closing");
  if (std::rename(temporary.c_str(), target.c_str()) != 0) fail(path, temporary, "renaming");
}

}  // namespace keras::serialize
