#pragma once
// Whole files in and out. Every save in keras-cpp goes through
// write_file_atomically, so a failed save never damages the file that was
// there.
#include <string>
#include <string_view>

namespace keras::serialize {

// The whole file; a keras::Error names the path when it cannot be read.
std::string read_file(const std::string& path);
// Writes `bytes` to a temporary file in `path`'s directory, flushes it to
// disk and renames it over `path`. On any failure the temporary is removed,
// the old file is untouched and a keras::Error names the path and the cause.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace keras::serialize
