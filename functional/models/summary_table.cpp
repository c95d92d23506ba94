#include "summary_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

namespace keras::models {

namespace {

// Text is UTF-8 and every code point takes one terminal cell (rich's
// cell_len also knows double-width CJK characters; layer names rarely have them).
bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

int cell_length(const std::string& text) {
  int n = 0;
  for (char c : text) n += is_continuation_byte(c) ? 0 : 1;
  return n;
}

// The first `cells` code points of `text`.
std::string take_cells(const std::string& text, int cells) {
  std::size_t end = 0;
  for (int taken = 0; end < text.size() && taken < cells; ++taken) {
    ++end;
    while (end < text.size() && is_continuation_byte(text[end])) ++end;
  }
  return text.substr(0, end);
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string rstrip(std::string text) {
  while (!text.empty() && is_space(text.back())) text.pop_back();
  return text;
}

// Python's round(): halves go to the even neighbour.
int round_half_even(double x) {
  const double floor = std::floor(x);
  const double diff = x - floor;
  const auto f = static_cast<int>(floor);
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 == 0 ? f : f + 1;
}

// Keras turns `positions` into column widths (summary_utils.print_summary);
// rich adds one space of padding on either side, and when the padded
// columns overflow the table's inner width (line_length minus the vertical
// borders) it takes the excess from every column evenly (rich's
// _calculate_column_widths, then ratio_reduce with equal ratios).
std::vector<int> padded_widths(const std::vector<double>& positions, int line_length) {
  std::vector<int> widths;
  int current = 0;
  for (double position : positions) {
    const int width = static_cast<int>(position * line_length) - current;
    widths.push_back(width + 2);
    current += width;
  }
  int total = 0;
  for (int w : widths) total += w;
  const int max_width = line_length - static_cast<int>(widths.size()) - 1;
  int remaining = total - max_width;
  if (remaining <= 0) return widths;
  int ratio_left = static_cast<int>(widths.size());
  for (int& w : widths) {
    const int cut = std::min(w, round_half_even(static_cast<double>(remaining) / ratio_left));
    w -= cut;
    remaining -= cut;
    --ratio_left;
  }
  return widths;
}

// rich's _wrap.words: each match of \s*\S+\s* with its start offset.
std::vector<std::pair<std::size_t, std::string>> words(const std::string& text) {
  std::vector<std::pair<std::size_t, std::string>> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size() && is_space(text[end])) ++end;
    if (end == text.size()) break;  // only whitespace left: no match
    while (end < text.size() && !is_space(text[end])) ++end;
    while (end < text.size() && is_space(text[end])) ++end;
    out.emplace_back(start, text.substr(start, end - start));
    start = end;
  }
  return out;
}

// rich's _wrap.divide_line without folding: the offsets where lines break.
// A word that fits no line goes on a line of its own (and is cut later).
std::vector<std::size_t> divide_line(const std::string& text, int width) {
  std::vector<std::size_t> breaks;
  int offset = 0;
  for (const auto& [start, word] : words(text)) {
    const int word_length = cell_length(rstrip(word));
    if (width - offset >= word_length) {
      offset += cell_length(word);
    } else if (word_length > width) {
      if (start > 0) breaks.push_back(start);
      offset = cell_length(word);
    } else if (offset > 0 && start > 0) {
      breaks.push_back(start);
      offset = cell_length(word);
    }
  }
  return breaks;
}

// rich's Text.rstrip_end: trailing whitespace past `width` goes.
std::string rstrip_end(std::string line, int width) {
  int excess = cell_length(line) - width;
  while (excess > 0 && !line.empty() && is_space(line.back())) {
    line.pop_back();
    --excess;
  }
  return line;
}

// rich's Text.truncate with overflow "ellipsis".
std::string truncate(const std::string& line, int width) {
  if (cell_length(line) <= width) return line;
  return take_cells(line, width - 1) + "…";
}

std::string repeat(const char* piece, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += piece;
  return out;
}

}  // namespace

std::vector<std::string> wrap_cell(const std::string& text, int width, Justify justify) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  std::vector<std::size_t> breaks = divide_line(text, width);
  breaks.push_back(text.size());
  for (std::size_t end : breaks) {
    std::string line = rstrip_end(text.substr(begin, end - begin), width);
    if (justify == Justify::kRight) line = rstrip(line);
    line = truncate(line, width);
    const std::string pad(static_cast<std::size_t>(width - cell_length(line)), ' ');
    lines.push_back(justify == Justify::kRight ? pad + line : line + pad);
    begin = end;
  }
  return lines;
}

SummaryTable::SummaryTable(std::vector<SummaryColumn> columns, const std::vector<double>& positions,
                           int line_length)
    : columns_(std::move(columns)), cell_widths_(padded_widths(positions, line_length)) {}

std::string SummaryTable::rule(const char* left, const char* fill, const char* cross,
                               const char* right) const {
  std::string out = left;
  for (std::size_t i = 0; i < cell_widths_.size(); ++i) {
    out += repeat(fill, cell_widths_[i]);
    out += i + 1 < cell_widths_.size() ? cross : right;
  }
  return out;
}

// One row, as many lines high as its tallest cell; shorter cells are blank below.
std::vector<std::string> SummaryTable::row(const std::vector<std::string>& cells,
                                           const char* bar) const {
  std::vector<std::vector<std::string>> wrapped;
  std::size_t height = 1;
  for (std::size_t i = 0; i < columns_.size(); ++i) {
    const std::string& text = i < cells.size() ? cells[i] : std::string();
    wrapped.push_back(wrap_cell(text, cell_widths_[i] - 2, columns_[i].justify));
    height = std::max(height, wrapped.back().size());
  }
  std::vector<std::string> lines;
  for (std::size_t l = 0; l < height; ++l) {
    std::string line = bar;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      line += ' ';
      line += l < wrapped[i].size()
                  ? wrapped[i][l]
                  : std::string(static_cast<std::size_t>(cell_widths_[i] - 2), ' ');
      line += ' ';
      line += bar;
    }
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> SummaryTable::render(
    const std::vector<std::vector<std::string>>& rows) const {
  // rich's HEAVY_HEAD box: heavy lines around the header, light ones below.
  std::vector<std::string> lines{rule("┏", "━", "┳", "┓")};
  std::vector<std::string> header;
  for (const SummaryColumn& column : columns_) header.push_back(column.header);
  for (std::string& line : row(header, "┃")) lines.push_back(std::move(line));
  lines.push_back(rule("┡", "━", "╇", "┩"));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::string& line : row(rows[r], "│")) lines.push_back(std::move(line));
    if (r + 1 < rows.size()) lines.push_back(rule("├", "─", "┼", "┤"));
  }
  lines.push_back(rule("└", "─", "┴", "┘"));
  return lines;
}

}  // namespace keras::models
