// String attributes in every encoding Keras' writers used (KERAS-FORMATS.md
// §1.2): variable or fixed length, ASCII or UTF-8, scalar or 1-D, and name
// lists split over several attributes when they outgrow an object header.
#include <algorithm>

#include "handle.hpp"

namespace keras::serialize::hdf5 {

namespace {

// What h5py and Keras fit in one object header.
constexpr std::size_t kHeaderLimit = 64512;

std::vector<std::string> read_string_values(hid_t attribute, const std::string& where) {
  Scoped type(H5Aget_type(attribute));
  Scoped space(H5Aget_space(attribute));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank > 1)
    throw Error(fmt::format("{}: expected a scalar or a list, got rank {}", where, rank));
  const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id()));
  if (H5Tget_class(type.id()) != H5T_STRING) {
    // Keras writes an empty name list as an empty float64 array.
    if (count == 0) return {};
    throw Error(fmt::format("{}: expected text, found a non-string attribute", where));
  }
  std::vector<std::string> values;
  const H5T_cset_t charset = H5Tget_cset(type.id());
  if (H5Tis_variable_str(type.id()) > 0) {
    Scoped memory(H5Tcopy(H5T_C_S1));
    H5Tset_size(memory.id(), H5T_VARIABLE);
    H5Tset_cset(memory.id(), charset);
    std::vector<char*> pointers(count, nullptr);
    checked(H5Aread(attribute, memory.id(), pointers.data()),
            fmt::format("{}: cannot read the text", where));
    for (char* p : pointers) values.emplace_back(p == nullptr ? "" : p);
    H5Dvlen_reclaim(memory.id(), space.id(), H5P_DEFAULT, pointers.data());
    return values;
  }
  const std::size_t width = H5Tget_size(type.id());
  std::string buffer(count * width, '\0');
  Scoped memory(H5Tcopy(type.id()));
  checked(H5Aread(attribute, memory.id(), buffer.data()),
          fmt::format("{}: cannot read the text", where));
  const bool space_padded = H5Tget_strpad(type.id()) == H5T_STR_SPACEPAD;
  for (std::size_t i = 0; i < count; ++i) {
    std::string value = buffer.substr(i * width, width);
    value.erase(std::find(value.begin(), value.end(), '\0'), value.end());
    if (space_padded) value.erase(value.find_last_not_of(' ') + 1);
    values.push_back(std::move(value));
  }
  return values;
}

bool attribute_exists(hid_t object, const std::string& name, const std::string& where) {
  return checked(H5Aexists(object, name.c_str()),
                 fmt::format("{}: cannot look up the attribute '{}'", where, name)) > 0;
}

std::vector<std::string> read_attribute(hid_t object, const std::string& name,
                                        const std::string& where) {
  Scoped attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT));
  if (!attribute.valid()) {
    throw Error(fmt::format("{}: cannot open the attribute '{}'", where, name));
  }
  return read_string_values(attribute.id(), fmt::format("{}, attribute '{}'", where, name));
}

void remove_if_present(hid_t object, const std::string& name, const std::string& where) {
  if (attribute_exists(object, name, where)) {
    checked(H5Adelete(object, name.c_str()),
            fmt::format("{}: cannot replace the attribute '{}'", where, name));
  }
}

void write_attribute(hid_t object, const std::string& name, hid_t type, hid_t space,
                     const void* data, const std::string& where) {
  remove_if_present(object, name, where);
  Scoped attribute(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT));
  if (!attribute.valid()) {
    throw Error(fmt::format("{}: cannot create the attribute '{}'", where, name));
  }
  if (data == nullptr) return;  // an empty list: nothing to write
  checked(H5Awrite(attribute.id(), type, data),
          fmt::format("{}: cannot write the attribute '{}'", where, name));
}

void write_vlen_list(hid_t object, const std::string& name, const std::vector<std::string>& values,
                     const std::string& where) {
  Scoped type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.id(), H5T_VARIABLE);
  const hsize_t count = values.size();
  Scoped space(H5Screate_simple(1, &count, nullptr));
  std::vector<const char*> pointers;
  for (const std::string& v : values) pointers.push_back(v.c_str());
  write_attribute(object, name, type.id(), space.id(), pointers.data(), where);
}

void write_fixed_list(hid_t object, const std::string& name, const std::vector<std::string>& values,
                      std::size_t width, const std::string& where) {
  Scoped type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.id(), std::max<std::size_t>(width, 1));
  H5Tset_strpad(type.id(), H5T_STR_NULLPAD);
  const hsize_t count = values.size();
  Scoped space(H5Screate_simple(1, &count, nullptr));
  std::string buffer(values.size() * std::max<std::size_t>(width, 1), '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::copy(values[i].begin(), values[i].end(),
              buffer.begin() + i * std::max<std::size_t>(width, 1));
  }
  write_attribute(object, name, type.id(), space.id(), buffer.data(), where);
}

}  // namespace

bool Group::has_attribute(std::string_view name) const {
  auto guard = lock();
  return attribute_exists(self_->id(), std::string(name), where());
}

std::string Group::read_string(std::string_view name) const {
  auto guard = lock();
  const std::string key(name);
  if (!attribute_exists(self_->id(), key, where())) {
    throw Error(fmt::format("{}: there is no attribute '{}'", where(), name));
  }
  std::vector<std::string> values = read_attribute(self_->id(), key, where());
  if (values.size() != 1) {
    throw Error(fmt::format("{}, attribute '{}': expected one text, found {}", where(), name,
                            values.size()));
  }
  return values[0];
}

std::vector<std::string> Group::read_strings(std::string_view name) const {
  auto guard = lock();
  const std::string key(name);
  if (attribute_exists(self_->id(), key, where())) return read_attribute(self_->id(), key, where());
  std::vector<std::string> all;
  for (int chunk = 0;; ++chunk) {
    const std::string piece = fmt::format("{}{}", name, chunk);
    if (!attribute_exists(self_->id(), piece, where())) {
      if (chunk == 0) throw Error(fmt::format("{}: there is no attribute '{}'", where(), name));
      return all;
    }
    for (std::string& v : read_attribute(self_->id(), piece, where())) all.push_back(std::move(v));
  }
}

void Group::write_string(std::string_view name, std::string_view value, Charset charset) const {
  auto guard = lock();
  Scoped type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.id(), H5T_VARIABLE);
  H5Tset_cset(type.id(), charset == Charset::utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
  Scoped space(H5Screate(H5S_SCALAR));
  const std::string text(value);
  const char* pointer = text.c_str();
  write_attribute(self_->id(), std::string(name), type.id(), space.id(), &pointer, where());
}

void Group::write_strings(std::string_view name, const std::vector<std::string>& values) const {
  auto guard = lock();
  const std::string key(name);
  if (values.empty()) {
    const hsize_t zero = 0;
    Scoped space(H5Screate_simple(1, &zero, nullptr));
    write_attribute(self_->id(), key, H5T_IEEE_F64LE, space.id(), nullptr, where());
    return;
  }
  std::size_t width = 0;
  for (const std::string& v : values) width = std::max(width, v.size());
  if (width > kHeaderLimit) {
    throw Error(fmt::format("{}: a name of {} bytes cannot be saved in '{}' (HDF5 allows {})",
                            where(), width, name, kHeaderLimit));
  }
  if (values.size() * width <= kHeaderLimit) {
    write_vlen_list(self_->id(), key, values, where());
    return;
  }
  // As Keras does (numpy.array_split): the fewest nearly equal pieces that
  // each fit, the longer pieces first.
  std::size_t pieces = 1;
  while ((values.size() + pieces - 1) / pieces * width > kHeaderLimit) ++pieces;
  std::size_t begin = 0;
  for (std::size_t p = 0; p < pieces; ++p) {
    const std::size_t size = values.size() / pieces + (p < values.size() % pieces ? 1 : 0);
    const std::vector<std::string> piece(
        values.begin() + static_cast<std::ptrdiff_t>(begin),
        values.begin() + static_cast<std::ptrdiff_t>(begin + size));
    write_fixed_list(self_->id(), fmt::format("{}{}", name, p), piece, width, where());
    begin += size;
  }
}

}  // namespace keras::serialize::hdf5
