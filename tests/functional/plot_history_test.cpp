// keras::utils::plot_history and history_from_csv: well-formed SVG, the
// curves' points where the panel geometry puts them (worked out by hand
// below), gaps for NaN and infinity, one epoch, constant and long series,
// and CSVLogger files read back.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <vector>

#include <keras.hpp>

namespace utils = keras::utils;
using Catch::Matchers::Contains;
using keras::callbacks::History;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

History make_history(std::map<std::string, std::vector<double>> series) {
  History history;
  history.history = std::move(series);
  const std::size_t epochs = history.history.begin()->second.size();
  for (std::size_t e = 0; e < epochs; ++e) history.epoch.push_back(static_cast<std::int64_t>(e));
  return history;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "keras_history_test_XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string plot(const History& history, utils::PlotHistoryOptions options = {}) {
  const TempDir dir;
  utils::plot_history(history, dir / "history.svg", std::move(options));
  return keras::serialize::read_file(dir / "history.svg");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '_' || c == '-';
}

// A small XML well-formedness check: the declaration, then one root element
// whose elements nest and close in order, with quoted attributes and no
// stray '<' or '&' (entities only).
void require_well_formed(const std::string& xml) {
  REQUIRE(xml.rfind("<?xml version=\"1.0\"", 0) == 0);
  std::vector<std::string> open;
  std::size_t at = xml.find("?>") + 2;
  bool seen_root = false;
  const auto check_entity = [&](std::size_t i) {
    const std::size_t semicolon = xml.find(';', i);
    REQUIRE(semicolon != std::string::npos);
    const std::string entity = xml.substr(i, semicolon - i + 1);
    INFO("entity " << entity);
    CHECK((entity == "&amp;" || entity == "&lt;" || entity == "&gt;" || entity == "&quot;" ||
           entity == "&apos;"));
  };
  while (at < xml.size()) {
    const char c = xml[at];
    if (c == '&') {
      check_entity(at);
      ++at;
      continue;
    }
    if (c != '<') {
      if (open.empty()) REQUIRE(std::isspace(static_cast<unsigned char>(c)));
      ++at;
      continue;
    }
    INFO("tag at " << at << ": " << xml.substr(at, 80));
    std::size_t i = at + 1;
    const bool closing = xml[i] == '/';
    if (closing) ++i;
    const std::size_t name_start = i;
    while (i < xml.size() && is_name_char(xml[i])) ++i;
    const std::string name = xml.substr(name_start, i - name_start);
    REQUIRE(!name.empty());
    // Attributes: name="value", the value without '<'.
    for (;;) {
      while (i < xml.size() && std::isspace(static_cast<unsigned char>(xml[i]))) ++i;
      REQUIRE(i < xml.size());
      if (xml[i] == '>' || xml[i] == '/') break;
      REQUIRE_FALSE(closing);
      const std::size_t attribute_start = i;
      while (i < xml.size() && is_name_char(xml[i])) ++i;
      REQUIRE(i > attribute_start);
      REQUIRE(xml.substr(i, 2) == "=\"");
      i += 2;
      while (i < xml.size() && xml[i] != '"') {
        REQUIRE(xml[i] != '<');
        if (xml[i] == '&') check_entity(i);
        ++i;
      }
      REQUIRE(i < xml.size());
      ++i;
    }
    const bool self_closing = xml[i] == '/';
    if (self_closing) {
      REQUIRE(xml.substr(i, 2) == "/>");
      ++i;
    }
    if (closing) {
      REQUIRE(!open.empty());
      REQUIRE(open.back() == name);
      open.pop_back();
    } else if (!self_closing) {
      if (open.empty()) {
        REQUIRE_FALSE(seen_root);
        seen_root = true;
      }
      open.push_back(name);
    }
    at = i + 1;
  }
  CHECK(seen_root);
  CHECK(open.empty());
}

// The polylines' "points" attributes, in order.
std::vector<std::string> polylines(const std::string& svg) {
  std::vector<std::string> out;
  const std::string start = "<polyline points=\"";
  for (auto at = svg.find(start); at != std::string::npos; at = svg.find(start, at + 1)) {
    const std::size_t begin = at + start.size();
    out.push_back(svg.substr(begin, svg.find('"', begin) - begin));
  }
  return out;
}

}  // namespace

TEST_CASE("plot_history: the points of a two-epoch history, worked out by hand", "[plot_history]") {
  const std::string svg = plot(make_history({{"loss", {1.0, 0.5}}, {"val_loss", {1.5, 1.0}}}));
  require_well_formed(svg);
  // One panel of 480 x 360; its plot area spans x 70..470 (400 px) and
  // y 30..310 (280 px).
  CHECK_THAT(svg, Contains(R"(width="480" height="360")"));
  // Epochs 1..2 with 5% margins: x limits 0.95..2.05 (1.1 wide), so epoch 1
  // is at 70 + 0.05 / 1.1 * 400 = 88.18 and epoch 2 at 70 + 1.05 / 1.1 * 400 = 451.82.
  // Values 0.5..1.5 with 5% margins: y limits 0.45..1.55 (1.1 tall), so
  // 1.0 is at 310 - 0.55 / 1.1 * 280 = 170, 0.5 at 310 - 0.05 / 1.1 * 280 =
  // 297.27 and 1.5 at 310 - 1.05 / 1.1 * 280 = 42.73.
  CHECK(polylines(svg) ==
        std::vector<std::string>{"88.18,170.00 451.82,297.27", "88.18,42.73 451.82,170.00"});
  // Training solid, validation dashed, in tab10's first colour.
  CHECK(count(svg, R"(stroke="#1f77b4" stroke-width="2" stroke-linejoin)") == 2);
  CHECK(count(svg, R"(stroke-dasharray="7.4,3.2")") == 2);  // the curve and its legend sample
  // Ticks: whole epochs 1 and 2; values at 0.2 steps (0.6, 0.8, ..., 1.4).
  CHECK_THAT(svg, Contains(">1</text>"));
  CHECK_THAT(svg, Contains(">2</text>"));
  CHECK_THAT(svg, !Contains(">0</text>"));
  CHECK_THAT(svg, Contains(">0.6</text>"));
  CHECK_THAT(svg, Contains(">1.4</text>"));
  CHECK_THAT(svg, Contains(">epoch</text>"));
  CHECK_THAT(svg, Contains(">loss</text>"));
  CHECK_THAT(svg, Contains(">val_loss</text>"));  // the legend
}

TEST_CASE("plot_history: one panel per quantity, loss first, each in its colour",
          "[plot_history]") {
  const std::string svg = plot(make_history({{"accuracy", {0.5, 0.7, 0.8}},
                                             {"loss", {0.9, 0.6, 0.4}},
                                             {"val_accuracy", {0.45, 0.6, 0.7}},
                                             {"val_loss", {1.0, 0.8, 0.7}},
                                             {"learning_rate", {0.01, 0.01, 0.001}}}),
                               {.title = "fit <1>"});
  require_well_formed(svg);
  // Three panels, two per row: 960 wide, a title and two rows of 360.
  CHECK_THAT(svg, Contains(R"(width="960" height="756")"));
  CHECK_THAT(svg, Contains(">fit &lt;1&gt;</text>"));
  CHECK(count(svg, "#1f77b4") > 0);  // loss
  CHECK(count(svg, "#ff7f0e") > 0);  // accuracy
  CHECK(count(svg, "#2ca02c") > 0);  // learning_rate
  CHECK(svg.find(">loss</text>") < svg.find(">accuracy</text>"));
  CHECK(svg.find(">accuracy</text>") < svg.find(">learning_rate</text>"));
  CHECK(polylines(svg).size() == 5);

  const std::string only = plot(make_history({{"accuracy", {0.5, 0.7}}, {"loss", {0.9, 0.6}}}),
                                {.metrics = {"accuracy"}});
  CHECK(polylines(only).size() == 1);
  CHECK_THAT(only, !Contains(">loss</text>"));
  CHECK_THROWS_WITH(plot(make_history({{"loss", {1.0}}}), {.metrics = {"val_loss"}}),
                    Contains("no quantity \"val_loss\"") && Contains("it has: loss"));
}

TEST_CASE("plot_history: NaN and infinity leave gaps; a lone point is a dot", "[plot_history]") {
  const std::string svg = plot(make_history({{"loss", {1.0, kNaN, 0.5, 0.25, kInf, 0.2}}}));
  require_well_formed(svg);
  CHECK_THAT(svg, !Contains("nan"));
  CHECK_THAT(svg, !Contains("inf"));
  CHECK(polylines(svg).size() == 1);          // epochs 3 and 4
  CHECK(count(svg, "<circle") == 2);          // epochs 1 and 6
  CHECK(count(polylines(svg)[0], ",") == 2);  // two points
}

TEST_CASE("plot_history: one epoch, a constant series, all NaN", "[plot_history]") {
  // One epoch: a dot in the middle of the plot area, x ticks at 1 only.
  const std::string one = plot(make_history({{"loss", {0.5}}, {"val_loss", {0.5}}}));
  require_well_formed(one);
  CHECK(polylines(one).empty());
  // x limits 0.5..1.5 put epoch 1 at 270; 0.5 widened by 5% of itself is the middle, 170.
  CHECK(count(one, R"(<circle cx="270.00" cy="170.00")") == 2);
  CHECK_THAT(one, Contains(">1</text>"));
  CHECK_THAT(one, !Contains(">2</text>"));

  const std::string constant = plot(make_history({{"loss", {2.0, 2.0, 2.0}}}));
  require_well_formed(constant);
  CHECK(polylines(constant) ==
        std::vector<std::string>{"88.18,170.00 270.00,170.00 451.82,170.00"});
  CHECK_THAT(constant, Contains(">2.00</text>"));

  const std::string empty = plot(make_history({{"loss", {kNaN, kNaN}}}));
  require_well_formed(empty);
  CHECK(polylines(empty).empty());
}

TEST_CASE("plot_history: many epochs get whole, round epoch ticks", "[plot_history]") {
  std::vector<double> loss;
  for (int e = 0; e < 500; ++e) loss.push_back(std::exp(-e / 100.0));
  const std::string svg = plot(make_history({{"loss", loss}}));
  require_well_formed(svg);
  REQUIRE(polylines(svg).size() == 1);
  CHECK(count(polylines(svg)[0], ",") == 500);
  for (const char* tick : {">100</text>", ">200</text>", ">500</text>"}) {
    CHECK_THAT(svg, Contains(tick));
  }
  CHECK_THAT(svg, !Contains(">0</text>"));
  CHECK_THAT(svg, !Contains(">150</text>"));
}

TEST_CASE("plot_history: an empty history is an error", "[plot_history]") {
  CHECK_THROWS_WITH(plot(History{}), Contains("the history has no values"));
}

TEST_CASE("history_from_csv reads what CSVLogger writes, and draws the same picture",
          "[plot_history]") {
  const TempDir dir;
  // Keras' CSVLogger (Python's csv module): \r\n line ends, "nan", "inf" and
  // "NA" for a value missing from an epoch's logs.
  keras::serialize::write_file_atomically(
      dir / "log.csv",
      "epoch,accuracy,loss,val_loss\r\n0,0.5,1.0,1.5\r\n1,0.75,nan,NA\r\n2,0.8,0.25,inf\r\n");
  const History read = utils::history_from_csv(dir / "log.csv");
  CHECK(read.epoch == std::vector<std::int64_t>{0, 1, 2});
  REQUIRE(read.history.size() == 3);
  CHECK(read.history.at("accuracy") == std::vector<double>{0.5, 0.75, 0.8});
  CHECK(read.history.at("loss")[0] == 1.0);
  CHECK(std::isnan(read.history.at("loss")[1]));
  CHECK(std::isnan(read.history.at("val_loss")[1]));
  CHECK(std::isinf(read.history.at("val_loss")[2]));

  const History same = make_history({{"accuracy", {0.5, 0.75, 0.8}},
                                     {"loss", {1.0, kNaN, 0.25}},
                                     {"val_loss", {1.5, kNaN, kInf}}});
  CHECK(plot(read) == plot(same));

  // Our CSVLogger's own file reads back as the History fit returned.
  keras::callbacks::CSVLogger logger(dir / "ours.csv", {.separator = ";"});
  logger.on_train_begin({});
  logger.on_epoch_end(0, {{"loss", 0.5}, {"val_loss", 0.625}});
  logger.on_epoch_end(1, {{"loss", 0.25}, {"val_loss", 0.375}});
  logger.on_train_end({});
  const History ours = utils::history_from_csv(dir / "ours.csv", ';');
  CHECK(ours.history.at("val_loss") == std::vector<double>{0.625, 0.375});
}

TEST_CASE("history_from_csv names the line and the field it cannot read", "[plot_history]") {
  const TempDir dir;
  keras::serialize::write_file_atomically(dir / "bad.csv", "epoch,loss\n0,0.5\n1,lots\n");
  CHECK_THROWS_WITH(utils::history_from_csv(dir / "bad.csv"),
                    Contains("line 3") && Contains("\"loss\" is \"lots\", not a number"));
  keras::serialize::write_file_atomically(dir / "ragged.csv", "epoch,loss\n0,0.5,7\n");
  CHECK_THROWS_WITH(utils::history_from_csv(dir / "ragged.csv"),
                    Contains("line 2: 3 fields, but the header has 2"));
  keras::serialize::write_file_atomically(dir / "other.csv", "a;b\n1;2\n");
  CHECK_THROWS_WITH(utils::history_from_csv(dir / "other.csv"),
                    Contains("expected CSVLogger's header") && Contains("separator"));
  keras::serialize::write_file_atomically(dir / "empty.csv", "");
  CHECK_THROWS_WITH(utils::history_from_csv(dir / "empty.csv"), Contains("is empty"));
}
