#include "keras/serialize/shape_config.hpp"

namespace keras::serialize {

Config shape_to_config(const Shape& shape) {
  Config list = Config::list();
  for (std::int64_t d : shape.dims()) list.push_back(d == Shape::kUnknown ? Config() : Config(d));
  return list;
}

Shape shape_from_config(const Config& config) {
  std::vector<std::int64_t> dims;
  for (const Config& d : config.as_list())
    dims.push_back(d.is_null() ? Shape::kUnknown : d.as_int());
  return Shape(dims);
}

}  // namespace keras::serialize
