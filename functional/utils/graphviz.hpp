#pragma once
// Graphviz's `dot` program, run as a child process (for plot_model).
#include <string>

namespace keras::utils::detail {

// The bytes `dot -T<format>` renders from `dot_text` ("svg", "png", "pdf").
// `destination` names the file being written, for messages. A keras::Error
// says how to install Graphviz when `dot` is not on PATH, and quotes dot's
// own message when it fails.
std::string render_dot(const std::string& dot_text, const std::string& format,
                       const std::string& destination);

}  // namespace keras::utils::detail
