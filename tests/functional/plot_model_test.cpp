// keras::utils::model_to_dot and plot_model: the DOT text against what real
// Keras 3.15 gave for the same models (fixtures/plot_model.json, made by
// make_plot_fixtures.py), the graph's structure, and the files plot_model
// writes (.dot always; .svg only where Graphviz is installed).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <regex>

#include <keras.hpp>

#include "fixture_files.hpp"
#include "reference_models.hpp"

namespace layers = keras::layers;
namespace models = keras::models;
namespace utils = keras::utils;
using Catch::Matchers::Contains;
using keras::KerasTensor;

namespace {

// --- the models of make_plot_fixtures.py beyond reference_models.hpp --------

models::Model frozen_model() {
  keras::backend::clear_session();
  auto x = layers::Input({6}, {.name = "x"});
  auto frozen = layers::Dense(4, {.activation = "relu", .name = "frozen"});
  frozen.set_trainable(false);
  auto h = layers::Dropout(0.5, {.name = "drop"})(frozen(x));
  h = layers::Activation("swish", {.name = "act"})(h);
  return models::Model(x, layers::Dense(2, {.activation = "softmax", .name = "head"})(h),
                       "frozen_model");
}

models::Model heads_model() {
  keras::backend::clear_session();
  auto i = layers::Input({5}, {.name = "heads_in"});
  models::Model heads(
      {i}, {layers::Dense(2, {.name = "head_a"})(i), layers::Dense(3, {.name = "head_b"})(i)},
      "heads");
  auto x = layers::Input({5}, {.name = "x"});
  std::vector<KerasTensor> ab = heads.call_multi({x});
  auto joined = layers::Concatenate(-1, {.name = "joined"})({ab[0], ab[1]});
  return models::Model({x}, {layers::Dense(1, {.name = "score"})(joined), ab[1]}, "two_heads");
}

models::Model deep_model() {
  keras::backend::clear_session();
  auto core_in = layers::Input({4}, {.name = "core_in"});
  models::Model core(core_in, layers::Dense(4, {.name = "core_dense"})(core_in), "core");
  models::Sequential middle({}, "middle");
  middle.add(layers::Input({4}));
  middle.add(core);
  middle.add(layers::Dense(3, {.name = "middle_dense"}));
  auto x = layers::Input({4}, {.name = "x"});
  return models::Model(x, layers::Dense(1, {.name = "top"})(middle(x)), "deep");
}

models::Model odd_names_model() {
  keras::backend::clear_session();
  auto x = layers::Input({3}, {.name = "in"});
  auto h = layers::Dense(3, {.name = "my-dense"})(x);
  h = layers::Dense(3, {.name = "node"})(h);
  return models::Model(x, layers::Dense(1, {.name = "2x"})(h), "odd names");
}

models::Model fixture_model(const std::string& name) {
  namespace reference = keras::testing::reference_models;
  static const std::map<std::string, std::function<models::Model()>> builders = {
      {"seed_mlp", reference::seed_mlp},
      {"two_input", reference::two_input},
      {"nested", reference::nested},
      {"mixed", reference::mixed},
      {"masks", reference::masks},
      {"frozen", frozen_model},
      {"heads", heads_model},
      {"deep", deep_model},
      {"odd_names", odd_names_model}};
  return builders.at(name)();
}

utils::PlotModelOptions options_from(const keras::serialize::Config& config) {
  utils::PlotModelOptions options;
  for (const auto& [key, value] : config.as_dict()) {
    if (key == "show_shapes")
      options.show_shapes = value.as_bool();
    else if (key == "show_dtype")
      options.show_dtype = value.as_bool();
    else if (key == "show_layer_names")
      options.show_layer_names = value.as_bool();
    else if (key == "rankdir")
      options.rankdir = value.as_string();
    else if (key == "expand_nested")
      options.expand_nested = value.as_bool();
    else if (key == "dpi")
      options.dpi = static_cast<int>(value.as_int());
    else if (key == "show_layer_activations")
      options.show_layer_activations = value.as_bool();
    else if (key == "show_trainable")
      options.show_trainable = value.as_bool();
    else if (key == "splines")
      options.splines = value.as_string();
    else
      FAIL("unknown option in the fixture: " << key);
  }
  return options;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The statements "a -> b" of a DOT text.
std::vector<std::string> edges_of(const std::string& dot) {
  std::vector<std::string> edges;
  const std::regex edge(R"((\S+) -> (\S+) \[penwidth=2\];)");
  for (auto it = std::sregex_iterator(dot.begin(), dot.end(), edge); it != std::sregex_iterator();
       ++it) {
    edges.push_back((*it)[1].str() + " -> " + (*it)[2].str());
  }
  return edges;
}

std::optional<std::string> find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::string dirs(path);
  for (std::size_t start = 0; start <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::filesystem::path candidate =
        std::filesystem::path(dirs.substr(start, end - start)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return std::nullopt;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "keras_plot_test_XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Sets PATH for the scope, and puts it back.
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& value) {
    const char* old = std::getenv("PATH");
    if (old != nullptr) old_ = old;
    ::setenv("PATH", value.c_str(), 1);
  }
  ~ScopedPath() {
    if (old_) {
      ::setenv("PATH", old_->c_str(), 1);
    } else {
      ::unsetenv("PATH");
    }
  }

 private:
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("model_to_dot gives the DOT text Keras 3.15 gives", "[plot_model]") {
  const keras::serialize::Config cases = keras::testing::read_json_fixture("plot_model.json");
  REQUIRE(cases.as_list().size() == 36);
  for (const keras::serialize::Config& entry : cases.as_list()) {
    const std::string name = entry.at("name").as_string();
    INFO("case " << name);
    const models::Model model = fixture_model(entry.at("model").as_string());
    const std::string actual = utils::model_to_dot(model, options_from(entry.at("options")));
    const std::string expected = entry.at("dot").as_string();
    INFO("expected:\n" << expected << "actual:\n" << actual);
    CHECK(actual == expected);
  }
}

TEST_CASE("model_to_dot(two_input): one node per layer, an edge per call of the shared layer",
          "[plot_model]") {
  const std::string dot =
      utils::model_to_dot(keras::testing::reference_models::two_input(), {.show_shapes = true});
  // input_a, input_b, shared_dense, concat, head.
  CHECK(count(dot, "[label=<") == 5);
  CHECK(edges_of(dot) == std::vector<std::string>{"input_a -> shared_dense",
                                                  "input_b -> shared_dense",
                                                  "shared_dense -> concat", "concat -> head"});
  // The shared layer's shapes are those of its first call; the merge lists its inputs.
  CHECK_THAT(dot, Contains("<b>shared_dense</b> (Dense)"));
  CHECK_THAT(dot, Contains("Input shape: <b>[(None, 4), (None, 4)]</b>"));
  CHECK_THAT(dot, Contains("Output shape: <b>(None, 8)</b>"));
  CHECK(dot.rfind("digraph G {\nrankdir=TB;\nconcentrate=true;\ndpi=200;\nsplines=ortho;\n", 0) ==
        0);
}

TEST_CASE("model_to_dot(nested): one box, or a cluster of its layers with expand_nested",
          "[plot_model]") {
  const models::Model model = keras::testing::reference_models::nested();
  const std::string folded = utils::model_to_dot(model);
  CHECK(count(folded, "subgraph") == 0);
  CHECK_THAT(folded, Contains("<b>inner</b> (Functional)"));
  // Both calls of the inner model enter its one box; its two outputs leave as one edge.
  CHECK(edges_of(folded) ==
        std::vector<std::string>{"x1 -> inner", "x2 -> inner", "inner -> add", "add -> out_dense"});

  const std::string expanded = utils::model_to_dot(model, {.expand_nested = true});
  CHECK(count(expanded, "subgraph cluster_inner {\nstyle=dashed;\nlabel=inner;\nlabeljust=l;\n") ==
        1);
  CHECK_THAT(expanded, !Contains("<b>inner</b>"));
  CHECK(edges_of(expanded) == std::vector<std::string>{"inner_input -> inner_dense",
                                                       "x1 -> inner_input", "x2 -> inner_input",
                                                       "inner_dense -> add", "add -> out_dense"});
}

TEST_CASE("model_to_dot: Sequential models have no input box", "[plot_model]") {
  const std::string dot = utils::model_to_dot(keras::testing::reference_models::seed_mlp(),
                                              {.show_shapes = true, .rankdir = "LR"});
  CHECK(count(dot, "[label=<") == 2);
  CHECK_THAT(dot, !Contains("InputLayer"));
  CHECK(edges_of(dot) == std::vector<std::string>{"dense -> dense_1"});
  CHECK_THAT(dot, Contains("rankdir=LR;"));
  CHECK_THAT(dot, Contains("Input shape: <b>(None, 784)</b>"));

  models::Sequential unbuilt({layers::Dense(3)}, "unbuilt");
  CHECK_THROWS_WITH(
      utils::model_to_dot(unbuilt),
      Contains("model 'unbuilt' has not been built yet") && Contains("add an Input first"));
}

TEST_CASE("model_to_dot: names are escaped in labels and made unique as node ids", "[plot_model]") {
  keras::backend::clear_session();
  // Two nested models, each with a layer named "dense" (names are unique
  // only within a model).
  auto make_inner = [](const std::string& name) {
    auto in = layers::Input({2}, {.name = name + "_in"});
    return models::Model(in, layers::Dense(2, {.name = "dense"})(in), name);
  };
  models::Model left = make_inner("left"), right = make_inner("right");
  auto x = layers::Input({2}, {.name = "x"});
  auto y = layers::Add({.name = "a<b&c"})({left(x), right(x)});
  const models::Model model(x, y, "twins");
  const std::string dot = utils::model_to_dot(model, {.expand_nested = true});
  CHECK_THAT(dot, Contains("dense [label=<"));
  CHECK_THAT(dot, Contains("dense_1 [label=<"));
  CHECK_THAT(dot, Contains("<b>a&lt;b&amp;c</b> (Add)"));
  CHECK_THAT(dot, Contains("dense -> \"a<b&c\""));
  CHECK_THAT(dot, Contains("dense_1 -> \"a<b&c\""));
}

TEST_CASE("model_to_dot: options are checked", "[plot_model]") {
  const models::Model model = keras::testing::reference_models::seed_mlp();
  CHECK_THROWS_WITH(utils::model_to_dot(model, {.rankdir = "left"}),
                    Contains("rankdir must be \"TB\"") && Contains("got \"left\""));
  CHECK_THROWS_WITH(utils::model_to_dot(model, {.dpi = 0}), Contains("dpi must be positive"));
  CHECK_THROWS_WITH(utils::model_to_dot(model, {.splines = "wiggly"}), Contains("got \"wiggly\""));
}

TEST_CASE("plot_model writes .dot without Graphviz and explains how to get it for images",
          "[plot_model]") {
  const models::Model model = keras::testing::reference_models::two_input();
  const TempDir dir;
  {
    // No `dot` anywhere: the PATH is an empty directory.
    const ScopedPath empty_path(dir.path().string());
    utils::plot_model(model, dir / "model.dot", {.show_shapes = true});
    CHECK(keras::serialize::read_file(dir / "model.dot") ==
          utils::model_to_dot(model, {.show_shapes = true}));
    CHECK_THROWS_WITH(utils::plot_model(model, dir / "model.svg"),
                      Contains("install Graphviz (apt-get install graphviz)") &&
                          Contains("a .dot file instead, which needs nothing") &&
                          Contains("model.svg"));
    CHECK_FALSE(std::filesystem::exists(dir / "model.svg"));
  }
  CHECK_THROWS_WITH(
      utils::plot_model(model, dir / "model.txt"),
      Contains("model.txt") && Contains(".dot (Graphviz's text), .svg, .png or .pdf"));
}

TEST_CASE("plot_model renders .svg and .png through Graphviz's dot", "[plot_model]") {
  if (!find_on_path("dot")) {
    WARN(
        "Graphviz's dot is not on PATH: skipping the .svg/.png rendering checks "
        "(scripts/setup installs the graphviz package)");
    return;
  }
  const models::Model model = keras::testing::reference_models::nested();
  const TempDir dir;
  utils::plot_model(model, dir / "model.svg", {.show_shapes = true, .expand_nested = true});
  const std::string svg = keras::serialize::read_file(dir / "model.svg");
  CHECK_THAT(svg, Contains("<svg"));
  CHECK_THAT(svg, Contains("</svg>"));
  CHECK_THAT(svg, Contains("inner_dense"));
  CHECK_THAT(svg, Contains("cluster_inner"));

  utils::plot_model(model, dir / "model.png", {.dpi = 72});
  const std::string png = keras::serialize::read_file(dir / "model.png");
  REQUIRE(png.size() > 8);
  CHECK(png.substr(1, 3) == "PNG");
}
