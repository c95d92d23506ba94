#pragma once
// Undoes what yaml-cpp 0.7 (Debian 12's) gets wrong in the scalars PyYAML
// writes, by reading the scalar again from the text where yaml-cpp's mark
// says it starts:
// - it decodes the escapes \N and \_ (U+0085, U+00A0) to single Latin-1
//   bytes instead of UTF-8;
// - it clips a single-quoted scalar's trailing line breaks to one ('x\n\n'
//   reads "x\n", and '\n' reads ""), which PyYAML writes for such strings;
// - it accepts a quoted scalar left open at the end of the text.
#include <optional>
#include <string>
#include <string_view>

namespace keras::serialize::yaml_cpp_fixes {

// The exact text of the scalar that yaml-cpp reported as `value` with `tag`
// for the node starting at byte `mark_pos` of `text` (the whole input; a
// negative mark_pos means unknown). nullopt when the scalar is quoted and
// never closed.
std::optional<std::string> exact_scalar_text(std::string_view text, int mark_pos,
                                             const std::string& tag, const std::string& value);

}  // namespace keras::serialize::yaml_cpp_fixes
