# Doxygen's INPUT filter for the public headers (docs/CMakeLists.txt): the
# headers document each declaration with plain `//` prose above it, which
# Doxygen reads only as `///`. GNU sed; changes nothing on disk.

# Section rulers (`// --- training ---`) and lint markers stay plain comments.
/^[[:space:]]*\/\/[[:space:]]*---/b
s|[[:space:]]*//[[:space:]]*NOLINT.*$||

# The comment under `#pragma once` describes the file.
/^#pragma once$/a /// \\file

# A comment on a line of its own documents what follows it. Its backslashes
# are text (`\x` in a path), not Doxygen commands.
/^[[:space:]]*\/\/\([^/]\|$\)/{
  s|\\|\\\\|g
  s|^\([[:space:]]*\)//|\1///|
  b
}

# A comment after a member, an enumerator or a declaration documents it.
s|\([;,]\)\([[:space:]]\{1,\}\)//\([[:space:]]\)|\1\2///<\3|
