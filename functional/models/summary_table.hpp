#pragma once
// The table of Model::summary(), drawn the way Keras 3 has the `rich` library
// draw it (keras/src/utils/summary_utils.py: rich.table.Table(width=
// line_length, show_lines=True) with fixed-width columns and the heavy-head
// box), so that the text matches Keras' character for character.
//
//   SummaryTable table({{"Layer (type)", Justify::kLeft}, {"Param #", Justify::kRight}},
//                      {0.5, 1.0}, 60);
//   std::vector<std::string> lines = table.render({{"dense (Dense)", "8,010"}});
#include <string>
#include <vector>

namespace keras::models {

enum class Justify { kLeft, kRight };

struct SummaryColumn {
  std::string header;
  Justify justify = Justify::kLeft;
};

class SummaryTable {
 public:
  // `positions` are Keras' relative column ends (the last is 1.0).
  SummaryTable(std::vector<SummaryColumn> columns, const std::vector<double>& positions,
               int line_length);

  // The table's lines: top rule, header, rule, rows separated by rules,
  // bottom rule. A cell longer than its column wraps at spaces, and a word
  // longer than the column is cut with "…", as rich does.
  std::vector<std::string> render(const std::vector<std::vector<std::string>>& rows) const;

  // Each column's width in characters, its one-space padding on either side
  // included (the table's width is their sum plus the vertical borders).
  const std::vector<int>& cell_widths() const { return cell_widths_; }

 private:
  std::string rule(const char* left, const char* fill, const char* cross, const char* right) const;
  std::vector<std::string> row(const std::vector<std::string>& cells, const char* bar) const;

  std::vector<SummaryColumn> columns_;
  std::vector<int> cell_widths_;
};

// Wraps `text` into lines of exactly `width` characters (UTF-8 code points),
// justified, as rich wraps a table cell whose overflow is "ellipsis".
std::vector<std::string> wrap_cell(const std::string& text, int width, Justify justify);

}  // namespace keras::models
