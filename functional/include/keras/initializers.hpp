#pragma once
// Weight initializers with Keras' names, arguments and defaults
// (keras.initializers). Each is seedable; without a seed, each call draws a
// fresh seed from the global generator (keras::utils::set_random_seed).
//
//   auto init = keras::initializers::get("he_normal");
//   keras::Tensor kernel = (*init)({784, 64}, keras::DType::float32);
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "keras/serialize/config.hpp"
#include "keras/tensor.hpp"

namespace keras::initializers {

class Initializer {
 public:
  virtual ~Initializer() = default;
  virtual Tensor operator()(const Shape& shape, DType dtype) const = 0;
  // Keras' class name ("GlorotUniform") and config ({"seed": null}).
  virtual std::string class_name() const = 0;
  virtual serialize::Config get_config() const = 0;
};

using InitializerPtr = std::shared_ptr<const Initializer>;

// What layer options accept: a Keras name ("glorot_uniform", "zeros") or an
// initializer object.
class InitializerArg {
 public:
  InitializerArg(const char* name) : name_(name) {}  // NOLINT: implicit, like Keras' strings
  InitializerArg(std::string name) : name_(std::move(name)) {}     // NOLINT
  InitializerArg(InitializerPtr init) : init_(std::move(init)) {}  // NOLINT
  InitializerPtr resolve() const;

 private:
  std::string name_;
  InitializerPtr init_;
};

// Seeded: std::nullopt draws from the global generator at each call.
using Seed = std::optional<std::uint64_t>;

InitializerPtr Zeros();
InitializerPtr Ones();
InitializerPtr Constant(double value = 0.0);
InitializerPtr RandomUniform(double minval = -0.05, double maxval = 0.05, Seed seed = {});
InitializerPtr RandomNormal(double mean = 0.0, double stddev = 0.05, Seed seed = {});
// Normal values redrawn beyond two standard deviations.
InitializerPtr TruncatedNormal(double mean = 0.0, double stddev = 0.05, Seed seed = {});
// scale / fan (fan_in, fan_out or fan_avg) as the variance of a truncated
// normal, an untruncated normal or a uniform distribution.
InitializerPtr VarianceScaling(double scale = 1.0, std::string mode = "fan_in",
                               std::string distribution = "truncated_normal", Seed seed = {});
InitializerPtr GlorotUniform(Seed seed = {});
InitializerPtr GlorotNormal(Seed seed = {});
InitializerPtr HeUniform(Seed seed = {});
InitializerPtr HeNormal(Seed seed = {});
InitializerPtr LecunUniform(Seed seed = {});
InitializerPtr LecunNormal(Seed seed = {});
InitializerPtr Orthogonal(double gain = 1.0, Seed seed = {});
InitializerPtr Identity(double gain = 1.0);

// Makes a user's Initializer subclass known by its class_name() to configs
// and files, as Keras' custom_objects do: the factory gets the config's
// arguments (what its get_config() wrote).
using CustomInitializerFactory = std::function<InitializerPtr(const serialize::Config& config)>;
void register_initializer(const std::string& class_name, CustomInitializerFactory factory);

// By Keras name, snake_case or class name ("glorot_uniform", "GlorotUniform");
// throws keras::Error listing the names it knows.
InitializerPtr get(std::string_view name);
// Revives {"class_name": ..., "config": {...}} as Keras serializes initializers.
InitializerPtr from_config(const serialize::Config& config);
serialize::Config serialize(const InitializerPtr& init);

}  // namespace keras::initializers

namespace keras::utils {
// Seeds the generator that unseeded initializers (and layers) draw from.
void set_random_seed(std::uint64_t seed);
std::uint64_t next_random_seed();
}  // namespace keras::utils
