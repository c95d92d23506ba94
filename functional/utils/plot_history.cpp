// keras::utils::plot_history: the training curves Keras users draw with
// matplotlib (plt.plot(history.history["loss"]) ...), written as SVG 1.1
// with no dependency; and history_from_csv, to draw a CSVLogger file.
//
// Matplotlib's defaults, adapted to a panel per quantity:
// - tab10 colours, one per quantity; training solid, validation ("val_")
//   dashed as matplotlib's "--" (3.7 x 1.6 line widths), lines 2 px wide;
//   a point with no finite neighbour (one epoch, or between gaps) is a dot.
// - Data limits with 5% margins (axes.xmargin/ymargin), a constant series
//   widened by 5% of its value first (matplotlib's nonsingular); ticks at
//   multiples of 1, 2 or 5 times a power of ten, inside the limits (the
//   epoch axis at whole epochs only), and light grey grid lines at them.
// - The legend in the corner of the plot it hides the fewest points in
//   (matplotlib's loc="best", over the four corners), in matplotlib's
//   order of preference: upper right, upper left, lower left, lower right.
//
// Panel geometry (pixels, from the panel's top-left corner), which tests
// use to place points by hand: the plot area spans x in [kLeft, width -
// kRight] and y in [kTop, height - kBottom]; a figure title adds
// kTitleHeight above all panels.
#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "keras/error.hpp"
#include "keras/serialize/files.hpp"
#include "keras/utils.hpp"
#include "xml_escape.hpp"

namespace keras::utils {

namespace {

constexpr double kLeft = 70, kRight = 10, kTop = 30, kBottom = 50, kTitleHeight = 36;
constexpr std::array<const char*, 10> kTab10 = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                                "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                                                "#bcbd22", "#17becf"};
constexpr const char* kFont = "DejaVu Sans, Bitstream Vera Sans, Arial, Helvetica, sans-serif";

struct Series {
  std::string name;
  std::vector<double> x;  // epochs, 1-based
  std::vector<double> y;
  bool validation = false;
};

struct Panel {
  std::string quantity;
  std::vector<Series> series;  // training first
};

struct Range {
  double lo = 0, hi = 1;
  double span() const { return hi - lo; }
};

// The epochs of a series: History::epoch (0-based) + 1 when it has one per
// value, otherwise 1, 2, ... (a series logged on some epochs only).
Series make_series(const callbacks::History& history, const std::string& name) {
  Series series{name, {}, history.history.at(name), name.rfind("val_", 0) == 0};
  const bool aligned = history.epoch.size() == series.y.size();
  for (std::size_t i = 0; i < series.y.size(); ++i) {
    series.x.push_back(aligned ? static_cast<double>(history.epoch[i]) + 1
                               : static_cast<double>(i) + 1);
  }
  return series;
}

// Loss first, then the other quantities by name; "val_x" joins "x".
std::vector<Panel> panels_of(const callbacks::History& history, const PlotHistoryOptions& options) {
  std::vector<std::string> quantities;
  std::set<std::string> seen;
  for (const auto& [name, values] : history.history) {
    const std::string base = name.rfind("val_", 0) == 0 ? name.substr(4) : name;
    if (seen.insert(base).second) quantities.push_back(base);
  }
  std::stable_partition(quantities.begin(), quantities.end(),
                        [](const std::string& q) { return q == "loss"; });
  if (!options.metrics.empty()) {
    for (const std::string& wanted : options.metrics) {
      if (!seen.count(wanted)) {
        std::string available;
        for (const std::string& q : quantities) available += (available.empty() ? "" : ", ") + q;
        throw Error(fmt::format(
            "plot_history: the history has no quantity \"{}\"; it has: {} (name them without "
            "\"val_\": the validation curve is drawn with its training curve)",
            wanted, available));
      }
    }
    quantities = options.metrics;
  }
  std::vector<Panel> panels;
  for (const std::string& quantity : quantities) {
    Panel panel{quantity, {}};
    for (const std::string& name : {quantity, "val_" + quantity}) {
      if (history.history.count(name)) panel.series.push_back(make_series(history, name));
    }
    panels.push_back(std::move(panel));
  }
  return panels;
}

// Matplotlib's limits: the finite data with 5% margins; a single value is
// widened by 5% of itself first (by 0.05 around 0).
Range limits(const std::vector<double>& values, double single_value_half_width) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (lo > hi) return {0, 1};
  if (hi - lo <= 1e-12 * std::max(std::abs(lo), std::abs(hi))) {
    const double half = single_value_half_width > 0 ? single_value_half_width
                        : lo == 0                   ? 0.05
                                                    : 0.05 * std::abs(lo);
    return {lo - half, hi + half};
  }
  const double margin = 0.05 * (hi - lo);
  return {lo - margin, hi + margin};
}

// Multiples of 1, 2 or 5 times a power of ten inside `range`, about
// `target` of them (at least a step of 1 when `whole`).
std::pair<std::vector<double>, double> nice_ticks(const Range& range, double target, bool whole) {
  const double raw = range.span() / std::max(1.0, target);
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * magnitude >= raw * (1 - 1e-9)) {
      step = factor * magnitude;
      break;
    }
  }
  if (whole) step = std::max(1.0, std::round(step));
  std::vector<double> ticks;
  const double tolerance = step * 1e-9;
  for (double k = std::ceil((range.lo - tolerance) / step); k * step <= range.hi + tolerance; ++k) {
    ticks.push_back(k * step == 0 ? 0.0 : k * step);
  }
  return {ticks, step};
}

// Fixed decimals as the step needs ("0.25" steps give "0.50"); powers of
// ten at the extremes ("1.5e+06").
std::string tick_label(double value, double step, double largest) {
  const int step_exponent = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  if (largest >= 1e6 || step_exponent < -5) {
    const int value_exponent = static_cast<int>(std::floor(std::log10(largest) + 1e-9));
    return value == 0 ? "0"
                      : fmt::format("{:.{}e}", value, std::max(0, value_exponent - step_exponent));
  }
  return fmt::format("{:.{}f}", value, std::max(0, -step_exponent));
}

class SvgWriter {
 public:
  SvgWriter(double width, double height) {
    text_ = fmt::format(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" "
        "height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n"
        "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n",
        width, height);
  }
  void add(const std::string& element) { text_ += element + "\n"; }
  void line(double x1, double y1, double x2, double y2, const char* stroke, double width) {
    add(fmt::format(
        R"(<line x1="{:.2f}" y1="{:.2f}" x2="{:.2f}" y2="{:.2f}" stroke="{}" stroke-width="{}"/>)",
        x1, y1, x2, y2, stroke, width));
  }
  // `anchor`: start, middle or end; `rotate`: degrees about (x, y).
  void label(double x, double y, std::string_view text, double size, const char* anchor,
             double rotate = 0, const char* weight = "normal") {
    const std::string transform =
        rotate == 0 ? ""
                    : fmt::format(R"svg( transform="rotate({} {:.2f} {:.2f})")svg", rotate, x, y);
    add(fmt::format(
        R"(<text x="{:.2f}" y="{:.2f}" font-family="{}" font-size="{}" font-weight="{}" text-anchor="{}" fill="#000000"{}>{}</text>)",
        x, y, kFont, size, weight, anchor, transform, xml_escaped(text)));
  }
  std::string finish() { return text_ + "</svg>\n"; }

 private:
  std::string text_;
};

// The plot area of one panel, and its data-to-pixel mapping.
struct Axes {
  double left, top, right, bottom;
  Range x, y;
  double px(double v) const { return left + (v - x.lo) / x.span() * (right - left); }
  double py(double v) const { return bottom - (v - y.lo) / y.span() * (bottom - top); }
};

void draw_series(SvgWriter& svg, const Axes& axes, const Series& series, const char* colour) {
  const std::string dash = series.validation ? R"( stroke-dasharray="7.4,3.2")" : "";
  const std::size_t n = series.y.size();
  std::size_t i = 0;
  while (i < n) {
    if (!std::isfinite(series.y[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < n && std::isfinite(series.y[end])) ++end;
    if (end - i == 1) {
      // Open for validation, so that both show where they coincide.
      svg.add(fmt::format(
          R"(<circle cx="{:.2f}" cy="{:.2f}" r="3" fill="{}" stroke="{}" stroke-width="1.5"/>)",
          axes.px(series.x[i]), axes.py(series.y[i]), series.validation ? "#ffffff" : colour,
          colour));
    } else {
      std::string points;
      for (std::size_t k = i; k < end; ++k) {
        points += fmt::format("{}{:.2f},{:.2f}", k == i ? "" : " ", axes.px(series.x[k]),
                              axes.py(series.y[k]));
      }
      svg.add(fmt::format(
          R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round" stroke-linecap="butt"{}/>)",
          points, colour, dash));
    }
    i = end;
  }
}

// How many of the panel's points (and points along its segments) fall in
// the box: matplotlib's "best" legend location counts what it would hide.
int hidden_points(const Axes& axes, const Panel& panel, double x0, double y0, double x1,
                  double y1) {
  int count = 0;
  const auto inside = [&](double x, double y) { return x >= x0 && x <= x1 && y >= y0 && y <= y1; };
  for (const Series& s : panel.series) {
    for (std::size_t i = 0; i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      const double x = axes.px(s.x[i]), y = axes.py(s.y[i]);
      count += inside(x, y);
      if (i + 1 < s.y.size() && std::isfinite(s.y[i + 1])) {
        const double nx = axes.px(s.x[i + 1]), ny = axes.py(s.y[i + 1]);
        for (int t = 1; t < 8; ++t) count += inside(x + (nx - x) * t / 8, y + (ny - y) * t / 8);
      }
    }
  }
  return count;
}

void draw_legend(SvgWriter& svg, const Axes& axes, const Panel& panel, const char* colour) {
  constexpr double kRow = 17, kPad = 6, kSample = 24, kCharWidth = 6.2;
  std::size_t longest = 0;
  for (const Series& s : panel.series) longest = std::max(longest, s.name.size());
  const double width = kPad * 3 + kSample + kCharWidth * static_cast<double>(longest);
  const double height = kPad * 2 + kRow * static_cast<double>(panel.series.size()) - 4;
  const double inset = 8;
  const std::array<std::pair<double, double>, 4> corners = {{
      {axes.right - inset - width, axes.top + inset},             // upper right
      {axes.left + inset, axes.top + inset},                      // upper left
      {axes.left + inset, axes.bottom - inset - height},          // lower left
      {axes.right - inset - width, axes.bottom - inset - height}  // lower right
  }};
  std::pair<double, double> best = corners[0];
  int fewest = std::numeric_limits<int>::max();
  for (const auto& [x, y] : corners) {
    const int hidden = hidden_points(axes, panel, x, y, x + width, y + height);
    if (hidden < fewest) {
      fewest = hidden;
      best = {x, y};
    }
  }
  const auto [x, y] = best;
  svg.add(fmt::format(
      R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" rx="3" fill="#ffffff" fill-opacity="0.8" stroke="#cccccc" stroke-width="1"/>)",
      x, y, width, height));
  for (std::size_t i = 0; i < panel.series.size(); ++i) {
    const Series& s = panel.series[i];
    const double row_y = y + kPad + kRow * static_cast<double>(i) + kRow / 2 - 2;
    const std::string dash = s.validation ? R"( stroke-dasharray="7.4,3.2")" : "";
    svg.add(fmt::format(
        R"(<line x1="{:.2f}" y1="{:.2f}" x2="{:.2f}" y2="{:.2f}" stroke="{}" stroke-width="2"{}/>)",
        x + kPad, row_y, x + kPad + kSample, row_y, colour, dash));
    svg.label(x + kPad * 2 + kSample, row_y + 3.5, s.name, 10, "start");
  }
}

void draw_panel(SvgWriter& svg, const Panel& panel, double origin_x, double origin_y,
                const PlotHistoryOptions& options, const char* colour) {
  std::vector<double> xs, ys;
  for (const Series& s : panel.series) {
    xs.insert(xs.end(), s.x.begin(), s.x.end());
    ys.insert(ys.end(), s.y.begin(), s.y.end());
  }
  const Axes axes{origin_x + kLeft,
                  origin_y + kTop,
                  origin_x + options.panel_width - kRight,
                  origin_y + options.panel_height - kBottom,
                  limits(xs, 0.5),
                  limits(ys, 0)};
  auto [x_ticks, x_step] = nice_ticks(axes.x, (axes.right - axes.left) / 70, true);
  std::erase_if(x_ticks, [](double t) { return t < 1; });  // epochs count from 1
  const auto [y_ticks, y_step] = nice_ticks(axes.y, (axes.bottom - axes.top) / 45, false);
  double largest = 0;
  for (double t : y_ticks) largest = std::max(largest, std::abs(t));

  svg.add("<g>");
  for (double t : x_ticks) svg.line(axes.px(t), axes.top, axes.px(t), axes.bottom, "#e0e0e0", 0.8);
  for (double t : y_ticks) svg.line(axes.left, axes.py(t), axes.right, axes.py(t), "#e0e0e0", 0.8);
  for (std::size_t i = 0; i < panel.series.size(); ++i) {
    draw_series(svg, axes, panel.series[i], colour);
  }
  svg.add(fmt::format(
      R"(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="none" stroke="#000000" stroke-width="1"/>)",
      axes.left, axes.top, axes.right - axes.left, axes.bottom - axes.top));
  for (double t : x_ticks) {
    svg.line(axes.px(t), axes.bottom, axes.px(t), axes.bottom + 5, "#000000", 1);
    svg.label(axes.px(t), axes.bottom + 17, fmt::format("{}", static_cast<std::int64_t>(t)), 10,
              "middle");
  }
  for (double t : y_ticks) {
    svg.line(axes.left - 5, axes.py(t), axes.left, axes.py(t), "#000000", 1);
    svg.label(axes.left - 8, axes.py(t) + 3.5, tick_label(t, y_step, largest), 10, "end");
  }
  const double middle_x = (axes.left + axes.right) / 2;
  const double middle_y = (axes.top + axes.bottom) / 2;
  svg.label(middle_x, axes.top - 10, panel.quantity, 12, "middle", 0, "bold");
  svg.label(middle_x, axes.bottom + 36, "epoch", 11, "middle");
  // The quantity's name beside the widest tick label, as matplotlib places it.
  std::size_t widest = 0;
  for (double t : y_ticks) widest = std::max(widest, tick_label(t, y_step, largest).size());
  const double label_x =
      std::max(origin_x + 12, axes.left - 22 - 6.2 * static_cast<double>(widest));
  svg.label(label_x, middle_y, panel.quantity, 11, "middle", -90);
  if (panel.series.size() > 1) draw_legend(svg, axes, panel, colour);
  svg.add("</g>");
}

}  // namespace

void plot_history(const callbacks::History& history, const std::string& path,
                  PlotHistoryOptions options) {
  if (options.panel_width < 200 || options.panel_height < 150 || options.columns < 1) {
    throw Error(fmt::format(
        "plot_history: each panel needs at least 200 x 150 pixels and at least one column; got "
        "panel_width {}, panel_height {}, columns {}",
        options.panel_width, options.panel_height, options.columns));
  }
  const std::vector<Panel> panels = panels_of(history, options);
  if (panels.empty()) {
    throw Error(fmt::format(
        "plot_history: the history has no values to draw into '{}': it is filled by fit (or "
        "read from a CSVLogger file with history_from_csv)",
        path));
  }
  const int columns = std::min(options.columns, static_cast<int>(panels.size()));
  const int rows = (static_cast<int>(panels.size()) + columns - 1) / columns;
  const double title_height = options.title.empty() ? 0 : kTitleHeight;
  const double width = columns * options.panel_width;
  SvgWriter svg(width, title_height + rows * options.panel_height);
  if (!options.title.empty()) svg.label(width / 2, 24, options.title, 14, "middle", 0, "bold");
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const int column = static_cast<int>(i) % columns;
    const int row = static_cast<int>(i) / columns;
    draw_panel(svg, panels[i], column * options.panel_width,
               title_height + row * options.panel_height, options, kTab10[i % kTab10.size()]);
  }
  serialize::write_file_atomically(path, svg.finish());
}

namespace {

// One line of a CSV file as Python's csv module writes it: fields split at
// `separator`, double quotes around a field that holds one.
std::vector<std::string> csv_fields(const std::string& line, char separator) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == separator) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

// CSVLogger's values: Python's float repr ("0.25", "nan", "inf", "-inf"),
// "NA" for a value missing from an epoch's logs.
std::optional<double> csv_value(const std::string& field) {
  if (field.empty() || field == "NA") return std::numeric_limits<double>::quiet_NaN();
  const char* begin = field.c_str();
  char* end = nullptr;
  const double value = std::strtod(begin, &end);
  if (end == begin || *end != '\0') return std::nullopt;
  return value;
}

}  // namespace

callbacks::History history_from_csv(const std::string& path, char separator) {
  std::istringstream in(serialize::read_file(path));
  std::string line;
  std::vector<std::string> header;
  callbacks::History history;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // Python's csv writes \r\n
    if (line.empty()) continue;
    std::vector<std::string> fields = csv_fields(line, separator);
    if (header.empty()) {
      if (fields.front() != "epoch" || fields.size() < 2) {
        throw Error(fmt::format(
            "'{}' line {}: expected CSVLogger's header (\"epoch{}loss{}...\"), got \"{}\"; pass "
            "the separator CSVLogger was given if it was not '{}'",
            path, line_number, separator, separator, line, separator));
      }
      header = std::move(fields);
      for (std::size_t i = 1; i < header.size(); ++i) history.history[header[i]];
      continue;
    }
    if (fields.size() != header.size()) {
      throw Error(fmt::format("'{}' line {}: {} fields, but the header has {}", path, line_number,
                              fields.size(), header.size()));
    }
    const std::optional<double> epoch = csv_value(fields[0]);
    if (!epoch || !std::isfinite(*epoch) || *epoch != std::floor(*epoch)) {
      throw Error(fmt::format("'{}' line {}: the epoch \"{}\" is not a whole number", path,
                              line_number, fields[0]));
    }
    history.epoch.push_back(static_cast<std::int64_t>(*epoch));
    for (std::size_t i = 1; i < fields.size(); ++i) {
      const std::optional<double> value = csv_value(fields[i]);
      if (!value) {
        throw Error(fmt::format("'{}' line {}: the value of \"{}\" is \"{}\", not a number", path,
                                line_number, header[i], fields[i]));
      }
      history.history[header[i]].push_back(*value);
    }
  }
  if (header.empty()) {
    throw Error(fmt::format(
        "'{}' is empty: CSVLogger writes a header line, then one line per epoch", path));
  }
  return history;
}

}  // namespace keras::utils
