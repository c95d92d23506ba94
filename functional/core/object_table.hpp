#pragma once
// Keras objects revived by name or config (regularizers, constraints): one
// table per kind maps Keras' class names and their snake_case aliases to
// factories taking the config's arguments (Keras' ALL_OBJECTS_DICT and
// deserialize_keras_object).
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "keras/error.hpp"
#include "keras/serialize/config.hpp"

namespace keras::detail {

template <class Object>
class ObjectTable {
 public:
  using Ptr = std::shared_ptr<const Object>;
  using Factory = std::function<Ptr(const serialize::Config& args)>;

  // `kind` names the objects in messages ("regularizer"); `module` is the
  // Keras module serialized configs name ("keras.regularizers").
  ObjectTable(std::string kind, std::string module)
      : kind_(std::move(kind)), module_(std::move(module)) {}

  ObjectTable& add(const char* class_name, const char* alias, const Factory& factory) {
    factories_[class_name] = factory;
    factories_[alias] = factory;
    return *this;
  }

  // With Keras' default arguments; a keras::Error lists the known names.
  Ptr get(std::string_view name) const { return factory(name)(serialize::Config::dict()); }

  // {"class_name": ..., "config": {...}} (Keras 3 adds "module" and
  // "registered_name"), or a name; null gives null.
  Ptr from_config(const serialize::Config& config) const {
    if (config.is_null()) return nullptr;
    if (config.is_string()) return get(config.as_string());
    if (!config.is_dict() || !config.contains("class_name")) {
      throw Error(
          fmt::format("a {} config needs a \"class_name\", got {}", kind_, config.to_json()));
    }
    return factory(config.at("class_name").as_string())(
        config.contains("config") ? config.at("config") : serialize::Config::dict());
  }

  // A user's class by its class name, as Keras' custom_objects: configs
  // naming it load wherever it is registered. Keras' own names stay Keras'.
  void register_custom(const std::string& class_name, Factory factory) const {
    if (factories_.count(class_name)) {
      throw Error(fmt::format("'{}' is one of Keras' {}s; register yours under another name",
                              class_name, kind_));
    }
    std::lock_guard<std::mutex> lock(custom_->mutex);
    custom_->factories[class_name] = std::move(factory);
  }

  // Keras 3's serialized form; null for none.
  serialize::Config serialize(const Ptr& object) const {
    if (!object) return serialize::Config();
    serialize::Config config = serialize::Config::dict();
    config["module"] = module_;
    config["class_name"] = object->class_name();
    config["config"] = object->get_config();
    config["registered_name"] = nullptr;
    return config;
  }

 private:
  Factory factory(std::string_view name) const {
    auto it = factories_.find(name);
    if (it != factories_.end()) return it->second;
    {
      std::lock_guard<std::mutex> lock(custom_->mutex);
      auto custom = custom_->factories.find(name);
      if (custom != custom_->factories.end()) return custom->second;
    }
    std::string known;
    for (const auto& [n, f] : factories_) known += (known.empty() ? "" : ", ") + n;
    std::lock_guard<std::mutex> lock(custom_->mutex);
    for (const auto& [n, f] : custom_->factories) known += ", " + n;
    throw Error(fmt::format("unknown {} '{}': register your own class with register_{}; known: {}",
                            kind_, name, kind_, known));
  }

  std::string kind_;
  std::string module_;
  std::map<std::string, Factory, std::less<>> factories_;
  // Registered at run time, by users, from any thread (behind a pointer:
  // tables are built by value, and a mutex does not move).
  struct Custom {
    std::mutex mutex;
    std::map<std::string, Factory, std::less<>> factories;
  };
  std::shared_ptr<Custom> custom_ = std::make_shared<Custom>();
};

}  // namespace keras::detail
