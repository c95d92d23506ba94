// Keras 3's initializers (keras/src/initializers/): names, arguments, configs
// and the variance-scaling arithmetic. Values come from std::mt19937_64, so
// they follow Keras' distributions, not JAX's bit streams.
#include "keras/initializers.hpp"

#include <map>
#include <mutex>
#include <optional>

#include <Eigen/Dense>

#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "keras/error.hpp"

namespace keras::initializers {

using serialize::Config;

namespace {

// Keras' compute_fans: (fan_in, fan_out) of a weight shape.
std::pair<double, double> fans(const Shape& shape) {
  const std::int64_t rank = shape.rank();
  if (rank == 0) return {1, 1};
  if (rank == 1) return {double(shape[0]), double(shape[0])};
  double receptive = 1;
  for (std::int64_t i = 0; i < rank - 2; ++i) receptive *= double(shape[std::size_t(i)]);
  return {double(shape[std::size_t(rank - 2)]) * receptive,
          double(shape[std::size_t(rank - 1)]) * receptive};
}

Config seed_config(const Seed& seed) {
  return seed ? Config(static_cast<std::int64_t>(*seed)) : Config();
}

// Fills a tensor from a double-valued generator drawing from one seeded engine.
Tensor generate(const Shape& shape, DType dtype, const Seed& seed,
                const std::function<double(std::mt19937_64&)>& draw) {
  std::mt19937_64 engine(seed ? *seed : utils::next_random_seed());
  Tensor out(DType::float64, shape);
  double* p = out.data<double>();
  for (std::int64_t i = 0; i < out.size(); ++i) p[i] = draw(engine);
  return out.astype(dtype);
}

double truncated_normal(std::mt19937_64& engine, double mean, double stddev) {
  std::normal_distribution<double> normal(0.0, 1.0);
  double z = normal(engine);
  while (std::abs(z) > 2.0) z = normal(engine);  // redrawn beyond two standard deviations
  return mean + stddev * z;
}

class Simple : public Initializer {
 public:
  Simple(std::string class_name, Config config, std::function<Tensor(const Shape&, DType)> fill)
      : class_name_(std::move(class_name)), config_(std::move(config)), fill_(std::move(fill)) {}
  Tensor operator()(const Shape& shape, DType dtype) const override {
    if (!shape.is_fully_known()) {
      throw Error(
          fmt::format("{} needs a fully known shape, got {}", class_name_, shape.to_string()));
    }
    return fill_(shape, dtype);
  }
  std::string class_name() const override { return class_name_; }
  Config get_config() const override { return config_; }

 private:
  std::string class_name_;
  Config config_;
  std::function<Tensor(const Shape&, DType)> fill_;
};

InitializerPtr make(std::string class_name, Config config,
                    std::function<Tensor(const Shape&, DType)> fill) {
  return std::make_shared<Simple>(std::move(class_name), std::move(config), std::move(fill));
}

Tensor variance_scaling(const Shape& shape, DType dtype, double scale, const std::string& mode,
                        const std::string& distribution, const Seed& seed) {
  const auto [fan_in, fan_out] = fans(shape);
  const double fan = mode == "fan_in"    ? fan_in
                     : mode == "fan_out" ? fan_out
                                         : (fan_in + fan_out) / 2;
  const double variance = scale / std::max(1.0, fan);
  if (distribution == "truncated_normal") {
    // The stddev of a unit normal truncated at two standard deviations.
    const double stddev = std::sqrt(variance) / 0.87962566103423978;
    return generate(shape, dtype, seed, [=](auto& e) { return truncated_normal(e, 0, stddev); });
  }
  if (distribution == "untruncated_normal") {
    std::normal_distribution<double> normal(0.0, std::sqrt(variance));
    return generate(shape, dtype, seed, [=](auto& e) mutable { return normal(e); });
  }
  const double limit = std::sqrt(3.0 * variance);
  std::uniform_real_distribution<double> uniform(-limit, limit);
  return generate(shape, dtype, seed, [=](auto& e) mutable { return uniform(e); });
}

// Glorot, He and LeCun: variance scaling with fixed arguments; Keras 3's
// configs show only the seed.
InitializerPtr scaled(std::string class_name, double scale, std::string mode,
                      std::string distribution, Seed seed) {
  Config config = Config::dict();
  config["seed"] = seed_config(seed);
  // Keras 3.15 records which axes hold the fans; null means Keras' defaults.
  config["input_axes"] = nullptr;
  config["output_axes"] = nullptr;
  return make(std::move(class_name), config, [=](const Shape& shape, DType dtype) {
    return variance_scaling(shape, dtype, scale, mode, distribution, seed);
  });
}

}  // namespace

InitializerPtr Zeros() {
  return make("Zeros", Config::dict(), [](auto& s, DType d) { return Tensor(d, s); });
}

InitializerPtr Ones() {
  return make("Ones", Config::dict(), [](auto& s, DType d) { return Tensor::full(s, 1.0, d); });
}

InitializerPtr Constant(double value) {
  Config config = Config::dict();
  config["value"] = value;
  return make("Constant", config, [=](auto& s, DType d) { return Tensor::full(s, value, d); });
}

InitializerPtr RandomUniform(double minval, double maxval, Seed seed) {
  if (!(minval < maxval)) {
    throw Error(fmt::format("RandomUniform needs minval < maxval, got {} and {}", minval, maxval));
  }
  Config config = Config::dict();
  config["seed"] = seed_config(seed);
  config["minval"] = minval;
  config["maxval"] = maxval;
  return make("RandomUniform", config, [=](const Shape& s, DType d) {
    std::uniform_real_distribution<double> uniform(minval, maxval);
    return generate(s, d, seed, [=](auto& e) mutable { return uniform(e); });
  });
}

InitializerPtr RandomNormal(double mean, double stddev, Seed seed) {
  Config config = Config::dict();
  config["seed"] = seed_config(seed);
  config["mean"] = mean;
  config["stddev"] = stddev;
  return make("RandomNormal", config, [=](const Shape& s, DType d) {
    std::normal_distribution<double> normal(mean, stddev);
    return generate(s, d, seed, [=](auto& e) mutable { return normal(e); });
  });
}

InitializerPtr TruncatedNormal(double mean, double stddev, Seed seed) {
  Config config = Config::dict();
  config["seed"] = seed_config(seed);
  config["mean"] = mean;
  config["stddev"] = stddev;
  return make("TruncatedNormal", config, [=](const Shape& s, DType d) {
    return generate(s, d, seed, [=](auto& e) { return truncated_normal(e, mean, stddev); });
  });
}

InitializerPtr VarianceScaling(double scale, std::string mode, std::string distribution,
                               Seed seed) {
  if (scale <= 0)
    throw Error(fmt::format("VarianceScaling: scale must be positive, got {}", scale));
  if (mode != "fan_in" && mode != "fan_out" && mode != "fan_avg") {
    throw Error(
        fmt::format("VarianceScaling: mode must be fan_in, fan_out or fan_avg, got '{}'", mode));
  }
  if (distribution == "normal") distribution = "truncated_normal";
  if (distribution != "truncated_normal" && distribution != "untruncated_normal" &&
      distribution != "uniform") {
    throw Error(
        fmt::format("VarianceScaling: distribution must be truncated_normal, "
                    "untruncated_normal or uniform, got '{}'",
                    distribution));
  }
  Config config = Config::dict();
  config["seed"] = seed_config(seed);
  config["scale"] = scale;
  config["mode"] = mode;
  config["distribution"] = distribution;
  config["input_axes"] = nullptr;
  config["output_axes"] = nullptr;
  return make("VarianceScaling", config, [=](const Shape& s, DType d) {
    return variance_scaling(s, d, scale, mode, distribution, seed);
  });
}

InitializerPtr GlorotUniform(Seed seed) {
  return scaled("GlorotUniform", 1, "fan_avg", "uniform", seed);
}
InitializerPtr GlorotNormal(Seed seed) {
  return scaled("GlorotNormal", 1, "fan_avg", "truncated_normal", seed);
}
InitializerPtr HeUniform(Seed seed) {
  return scaled("HeUniform", 2, "fan_in", "uniform", seed);
}
InitializerPtr HeNormal(Seed seed) {
  return scaled("HeNormal", 2, "fan_in", "truncated_normal", seed);
}
InitializerPtr LecunUniform(Seed seed) {
  return scaled("LecunUniform", 1, "fan_in", "uniform", seed);
}
InitializerPtr LecunNormal(Seed seed) {
  return scaled("LecunNormal", 1, "fan_in", "truncated_normal", seed);
}

InitializerPtr Orthogonal(double gain, Seed seed) {
  Config config = Config::dict();
  config["seed"] = seed_config(seed);
  config["gain"] = gain;
  return make("Orthogonal", config, [=](const Shape& shape, DType dtype) {
    if (shape.rank() < 2) {
      throw Error(
          fmt::format("Orthogonal needs a shape of rank 2 or more, got {}", shape.to_string()));
    }
    const std::int64_t cols = shape.dim(-1);
    const std::int64_t rows = shape.num_elements() / cols;
    const std::int64_t big = std::max(rows, cols), small = std::min(rows, cols);
    std::normal_distribution<double> normal(0.0, 1.0);
    Tensor draws = generate(Shape{big, small}, DType::float64, seed,
                            [=](auto& e) mutable { return normal(e); });
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> a(
        draws.data<double>(), big, small);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
    Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(big, small);
    const Eigen::MatrixXd r = qr.matrixQR().topRows(small).triangularView<Eigen::Upper>();
    // Signs of R's diagonal make the decomposition unique (Keras does the same).
    for (std::int64_t j = 0; j < small; ++j) q.col(j) *= r(j, j) < 0 ? -1.0 : 1.0;
    if (rows < cols) q.transposeInPlace();
    Tensor out(DType::float64, shape);
    double* p = out.data<double>();
    for (std::int64_t i = 0; i < rows; ++i) {
      for (std::int64_t j = 0; j < cols; ++j) p[i * cols + j] = gain * q(i, j);
    }
    return out.astype(dtype);
  });
}

InitializerPtr Identity(double gain) {
  Config config = Config::dict();
  return make("Identity", config, [=](const Shape& shape, DType dtype) {
    if (shape.rank() != 2) {
      throw Error(fmt::format("Identity needs a shape of rank 2, got {}", shape.to_string()));
    }
    Tensor out(DType::float64, shape);
    for (std::int64_t i = 0; i < std::min(shape[0], shape[1]); ++i) {
      out.at<double>({i, i}) = gain;
    }
    return out.astype(dtype);
  });
}

namespace {
const std::map<std::string, std::function<InitializerPtr()>, std::less<>>& by_name() {
  static const std::map<std::string, std::function<InitializerPtr()>, std::less<>> table = {
      {"zeros", [] { return Zeros(); }},
      {"ones", [] { return Ones(); }},
      {"constant", [] { return Constant(); }},
      {"random_uniform", [] { return RandomUniform(); }},
      {"random_normal", [] { return RandomNormal(); }},
      {"truncated_normal", [] { return TruncatedNormal(); }},
      {"variance_scaling", [] { return VarianceScaling(); }},
      {"glorot_uniform", [] { return GlorotUniform(); }},
      {"glorot_normal", [] { return GlorotNormal(); }},
      {"he_uniform", [] { return HeUniform(); }},
      {"he_normal", [] { return HeNormal(); }},
      {"lecun_uniform", [] { return LecunUniform(); }},
      {"lecun_normal", [] { return LecunNormal(); }},
      {"orthogonal", [] { return Orthogonal(); }},
      {"identity", [] { return Identity(); }},
      // Aliases Keras 3 resolves too (the tutorials' kernel_initializer='uniform').
      {"uniform", [] { return RandomUniform(); }},
      {"normal", [] { return RandomNormal(); }},
      {"one", [] { return Ones(); }},
      {"zero", [] { return Zeros(); }},
  };
  return table;
}

std::string snake_case(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}
// A user's initializers (register_initializer), by class name.
struct Custom {
  std::mutex mutex;
  std::map<std::string, CustomInitializerFactory, std::less<>> factories;
};
Custom& custom() {
  static Custom instance;
  return instance;
}

std::optional<CustomInitializerFactory> find_custom(std::string_view class_name) {
  Custom& c = custom();
  std::lock_guard<std::mutex> lock(c.mutex);
  auto it = c.factories.find(class_name);
  if (it == c.factories.end()) return std::nullopt;
  return it->second;
}
}  // namespace

void register_initializer(const std::string& class_name, CustomInitializerFactory factory) {
  if (by_name().count(snake_case(class_name))) {
    throw Error(fmt::format("'{}' is one of Keras' initializers; register yours under another name",
                            class_name));
  }
  Custom& c = custom();
  std::lock_guard<std::mutex> lock(c.mutex);
  c.factories[class_name] = std::move(factory);
}

InitializerPtr get(std::string_view name) {
  auto it = by_name().find(snake_case(name));
  if (it == by_name().end()) {
    if (auto factory = find_custom(name)) return (*factory)(Config::dict());
    std::string known;
    for (const auto& [n, f] : by_name()) known += (known.empty() ? "" : ", ") + n;
    throw Error(fmt::format(
        "unknown initializer '{}': register your own class with register_initializer; Keras' "
        "initializers are: {}",
        name, known));
  }
  return it->second();
}

InitializerPtr from_config(const Config& config) {
  if (config.is_string()) return get(config.as_string());
  const std::string& class_name = config.at("class_name").as_string();
  const Config& args = config.contains("config") ? config.at("config") : Config::dict();
  if (auto factory = find_custom(class_name)) return (*factory)(args);
  auto number = [&](const char* key, double fallback) {
    return args.contains(key) && !args.at(key).is_null() ? args.at(key).as_number() : fallback;
  };
  Seed seed;
  if (args.contains("seed") && !args.at("seed").is_null()) {
    seed = static_cast<std::uint64_t>(args.at("seed").as_int());
  }
  const std::string name = snake_case(class_name);
  if (name == "constant") return Constant(number("value", 0.0));
  if (name == "random_uniform")
    return RandomUniform(number("minval", -0.05), number("maxval", 0.05), seed);
  if (name == "random_normal") return RandomNormal(number("mean", 0), number("stddev", 0.05), seed);
  if (name == "truncated_normal") {
    return TruncatedNormal(number("mean", 0), number("stddev", 0.05), seed);
  }
  if (name == "variance_scaling") {
    return VarianceScaling(
        number("scale", 1.0), args.contains("mode") ? args.at("mode").as_string() : "fan_in",
        args.contains("distribution") ? args.at("distribution").as_string() : "truncated_normal",
        seed);
  }
  if (name == "orthogonal") return Orthogonal(number("gain", 1.0), seed);
  if (name == "identity") return Identity(number("gain", 1.0));
  if (name == "glorot_uniform") return GlorotUniform(seed);
  if (name == "glorot_normal") return GlorotNormal(seed);
  if (name == "he_uniform") return HeUniform(seed);
  if (name == "he_normal") return HeNormal(seed);
  if (name == "lecun_uniform") return LecunUniform(seed);
  if (name == "lecun_normal") return LecunNormal(seed);
  return get(class_name);
}

Config serialize(const InitializerPtr& init) {
  Config config = Config::dict();
  config["module"] = "keras.initializers";
  config["class_name"] = init->class_name();
  config["config"] = init->get_config();
  config["registered_name"] = nullptr;
  return config;
}

InitializerPtr InitializerArg::resolve() const {
  return init_ ? init_ : get(name_);
}

}  // namespace keras::initializers
