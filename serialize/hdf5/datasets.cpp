// Arrays: what Keras stores per weight (contiguous, little-endian, any
// dtype a variable has), read safely from files anyone may have written.
#include <limits>

#include "handle.hpp"

namespace keras::serialize::hdf5 {

namespace {

constexpr int kMaxRank = 32;

// The dtype that holds the stored type exactly, and the memory type that
// libhdf5 converts into.
std::pair<DType, hid_t> memory_type(hid_t file_type, const std::string& where) {
  const std::size_t size = H5Tget_size(file_type);
  switch (H5Tget_class(file_type)) {
    case H5T_FLOAT:
      if (size == 8) return {DType::float64, H5T_NATIVE_DOUBLE};
      if (size == 4 || size == 2) return {DType::float32, H5T_NATIVE_FLOAT};
      break;
    case H5T_INTEGER: {
      const bool is_signed = H5Tget_sign(file_type) == H5T_SGN_2;
      if (size == 1)
        return is_signed ? std::pair{DType::int8, H5T_NATIVE_INT8}
                         : std::pair{DType::uint8, H5T_NATIVE_UINT8};
      if (size == 2)
        return is_signed ? std::pair{DType::int16, H5T_NATIVE_INT16}
                         : std::pair{DType::uint16, H5T_NATIVE_UINT16};
      if (size == 4)
        return is_signed ? std::pair{DType::int32, H5T_NATIVE_INT32}
                         : std::pair{DType::int64, H5T_NATIVE_INT64};
      if (size == 8 && is_signed) return {DType::int64, H5T_NATIVE_INT64};
      break;
    }
    case H5T_ENUM:
      // h5py writes bool as an int8 enum {FALSE: 0, TRUE: 1}.
      if (size == 1 && H5Tget_nmembers(file_type) == 2) return {DType::bool_, -1};
      break;
    default:
      break;
  }
  throw Error(
      fmt::format("{}: the array's element type (HDF5 class {}, {} bytes) is not one "
                  "keras-cpp reads (floats, integers up to int64, bool)",
                  where, static_cast<int>(H5Tget_class(file_type)), size));
}

bool allowed_filter(H5Z_filter_t filter) {
  return filter == H5Z_FILTER_DEFLATE || filter == H5Z_FILTER_SHUFFLE ||
         filter == H5Z_FILTER_FLETCHER32;
}

// Refuses what Keras never writes and a hostile file could use: data outside
// the file, virtual datasets, filters that are not libhdf5's own, and
// declared sizes far beyond what the file stores.
void check_storage(hid_t dataset, std::uint64_t declared_bytes, const std::string& where) {
  Scoped plist(H5Dget_create_plist(dataset));
  const H5D_layout_t layout = H5Pget_layout(plist.id());
  if (layout == H5D_VIRTUAL) {
    throw Error(fmt::format("{}: virtual datasets (data in other files) are refused", where));
  }
  if (H5Pget_external_count(plist.id()) > 0) {
    throw Error(fmt::format("{}: external raw data (outside this file) is refused", where));
  }
  const int filters = H5Pget_nfilters(plist.id());
  for (int i = 0; i < filters; ++i) {
    unsigned flags = 0;
    std::size_t count = 0;
    unsigned config = 0;
    const H5Z_filter_t filter = H5Pget_filter2(plist.id(), static_cast<unsigned>(i), &flags, &count,
                                               nullptr, 0, nullptr, &config);
    if (!allowed_filter(filter)) {
      throw Error(fmt::format(
          "{}: the data uses HDF5 filter {}, which keras-cpp does not run (only deflate, "
          "shuffle and fletcher32)",
          where, static_cast<int>(filter)));
    }
  }
  const std::uint64_t stored = H5Dget_storage_size(dataset);
  // Unfiltered data is stored at its size (or not at all: fill values);
  // compressed data may not expand past Keras' own bound.
  const std::uint64_t bound =
      filters == 0 ? std::max<std::uint64_t>(stored, 1 << 16) : stored * 1000 + (1 << 16);
  if (declared_bytes > bound) {
    throw Error(fmt::format(
        "{}: the array declares {} bytes but the file stores {}; the file is damaged or "
        "hostile",
        where, declared_bytes, stored));
  }
}

Shape dataset_shape(hid_t dataset, DType dtype, std::uint64_t& bytes, const std::string& where) {
  Scoped space(H5Dget_space(dataset));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0 || rank > kMaxRank) {
    throw Error(fmt::format("{}: the array has an unreadable rank", where));
  }
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  std::vector<std::int64_t> shape;
  bytes = dtype_size(dtype);
  for (hsize_t d : dims) {
    const auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (d > limit || (d != 0 && bytes > limit / d)) {
      throw Error(fmt::format("{}: the array's declared size overflows", where));
    }
    bytes *= d;
    shape.push_back(static_cast<std::int64_t>(d));
  }
  return Shape(shape);
}

}  // namespace

Tensor Group::read_dataset(std::string_view path) const {
  auto guard = lock();
  if (!has_dataset(path)) throw Error(fmt::format("{}: there is no array '{}'", where(), path));
  const std::string at = where(path);
  Scoped dataset(H5Dopen2(self_->id(), std::string(path).c_str(), H5P_DEFAULT));
  if (!dataset.valid()) throw Error(fmt::format("{}: cannot open the array", at));
  Scoped file_type(H5Dget_type(dataset.id()));
  auto [dtype, memory] = memory_type(file_type.id(), at);
  std::uint64_t bytes = 0;
  const Shape shape = dataset_shape(dataset.id(), dtype, bytes, at);
  check_storage(dataset.id(), bytes, at);
  Tensor value(dtype, shape);
  if (value.size() == 0) return value;
  Scoped bool_type(dtype == DType::bool_ ? H5Tcopy(file_type.id()) : -1);
  checked(H5Dread(dataset.id(), dtype == DType::bool_ ? bool_type.id() : memory, H5S_ALL, H5S_ALL,
                  H5P_DEFAULT, value.raw_data()),
          fmt::format("{}: cannot read the array (truncated or damaged file?)", at));
  if (dtype == DType::bool_) {
    auto* flags = static_cast<unsigned char*>(value.raw_data());
    for (std::int64_t i = 0; i < value.size(); ++i) flags[i] = flags[i] != 0;
  }
  return value;
}

void Group::write_dataset(std::string_view path, const Tensor& value) const {
  auto guard = lock();
  const std::size_t slash = path.rfind('/');
  const Group parent =
      slash == std::string_view::npos ? *this : require_group(path.substr(0, slash));
  const std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  std::vector<hsize_t> dims;
  for (std::int64_t d : value.shape().dims()) dims.push_back(static_cast<hsize_t>(d));
  Scoped space(dims.empty()
                   ? H5Screate(H5S_SCALAR)
                   : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  hid_t file_type = -1;
  hid_t memory = -1;
  Scoped bool_type(dtype_of<bool>() == value.dtype() ? H5Tenum_create(H5T_NATIVE_INT8) : -1);
  switch (value.dtype()) {
    case DType::float32:
      file_type = H5T_IEEE_F32LE;
      memory = H5T_NATIVE_FLOAT;
      break;
    case DType::float64:
      file_type = H5T_IEEE_F64LE;
      memory = H5T_NATIVE_DOUBLE;
      break;
    case DType::int8:
      file_type = H5T_STD_I8LE;
      memory = H5T_NATIVE_INT8;
      break;
    case DType::uint8:
      file_type = H5T_STD_U8LE;
      memory = H5T_NATIVE_UINT8;
      break;
    case DType::int16:
      file_type = H5T_STD_I16LE;
      memory = H5T_NATIVE_INT16;
      break;
    case DType::uint16:
      file_type = H5T_STD_U16LE;
      memory = H5T_NATIVE_UINT16;
      break;
    case DType::int32:
      file_type = H5T_STD_I32LE;
      memory = H5T_NATIVE_INT32;
      break;
    case DType::int64:
      file_type = H5T_STD_I64LE;
      memory = H5T_NATIVE_INT64;
      break;
    case DType::bool_: {
      std::int8_t no = 0, yes = 1;
      H5Tenum_insert(bool_type.id(), "FALSE", &no);
      H5Tenum_insert(bool_type.id(), "TRUE", &yes);
      file_type = memory = bool_type.id();
      break;
    }
  }
  // No modification times: the same model saves to the same bytes.
  Scoped create(H5Pcreate(H5P_DATASET_CREATE));
  H5Pset_obj_track_times(create.id(), 0);
  Scoped dataset(H5Dcreate2(parent.self_->id(), name.c_str(), file_type, space.id(), H5P_DEFAULT,
                            create.id(), H5P_DEFAULT));
  if (!dataset.valid()) throw Error(fmt::format("{}: cannot create the array", where(path)));
  checked(H5Dwrite(dataset.id(), memory, H5S_ALL, H5S_ALL, H5P_DEFAULT, value.raw_data()),
          fmt::format("{}: cannot write the array", where(path)));
}

}  // namespace keras::serialize::hdf5
