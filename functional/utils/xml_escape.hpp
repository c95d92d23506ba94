#pragma once
// Text inside XML and HTML-like labels (SVG, Graphviz's HTML labels): the
// four characters that would end a tag or an attribute, escaped.
#include <string>
#include <string_view>

namespace keras::utils {

inline std::string xml_escaped(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace keras::utils
