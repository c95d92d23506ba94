// The .npy codec: header parsing (a small parser for the Python dict literal
// numpy writes), element decoding with byte swapping and the conversions
// documented in npy.hpp, Fortran-to-C reordering, and numpy.save's header.
#include "keras/serialize/npy.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>

#include <fmt/format.h>

namespace keras::serialize {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
// numpy leaves room after the header dict so the first axis can grow in place
// (format.py's GROWTH_AXIS_MAX_DIGITS), then pads to kAlign bytes.
constexpr std::size_t kGrowthAxisMaxDigits = 21;
constexpr std::size_t kAlign = 64;

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
  throw Error(fmt::format("{} is not a readable .npy array: {}", source, problem));
}

// Bytes as Python would print them in a bytes literal, for messages.
std::string printable(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

std::uint32_t read_little_endian(std::string_view bytes) {
  std::uint32_t value = 0;
  for (std::size_t i = bytes.size(); i-- > 0;) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

// ---- The header dict: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }

class DictParser {
 public:
  DictParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  void parse(NpyHeader& header) {
    bool seen_descr = false, seen_order = false, seen_shape = false;
    expect('{', "the header dict must start with '{'");
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = parse_string("a quoted key");
      skip_space();
      expect(':', fmt::format("expected ':' after the key '{}'", key));
      skip_space();
      if (key == "descr") {
        mark(seen_descr, key);
        if (peek() == '[') {
          fail(source_,
               "its dtype is structured (a list of fields); keras-cpp reads arrays of "
               "one numeric dtype");
        }
        header.descr = parse_string("the dtype string of 'descr'");
      } else if (key == "fortran_order") {
        mark(seen_order, key);
        header.fortran_order = parse_bool();
      } else if (key == "shape") {
        mark(seen_shape, key);
        header.shape = parse_shape();
      } else {
        fail(source_, fmt::format("the header has an unexpected key '{}' (numpy writes exactly "
                                  "'descr', 'fortran_order' and 'shape')",
                                  key));
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') unexpected("',' or '}' after a value");
    }
    ++pos_;
    // numpy pads the dict with spaces and ends it with '\n'.
    skip_space();
    if (pos_ != text_.size()) {
      fail(source_, fmt::format("unexpected text after the header dict: '{}'",
                                printable(text_.substr(pos_, 20))));
    }
    for (auto [seen, key] : {std::pair{seen_descr, "descr"}, std::pair{seen_order, "fortran_order"},
                             std::pair{seen_shape, "shape"}}) {
      if (!seen) fail(source_, fmt::format("the header dict has no '{}' key", key));
    }
  }

 private:
  char peek() const {
    if (pos_ >= text_.size()) {
      fail(source_,
           "the header dict is unterminated (no closing '}' before the end of the "
           "header); the file is truncated or damaged");
    }
    return text_[pos_];
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  [[noreturn]] void unexpected(std::string_view expected) const {
    fail(source_, fmt::format("bad header dict: expected {} at offset {}, got '{}'", expected, pos_,
                              printable(text_.substr(pos_, 20))));
  }
  void expect(char c, const std::string& why) {
    if (peek() != c) fail(source_, fmt::format("bad header dict: {}", why));
    ++pos_;
  }
  void mark(bool& seen, const std::string& key) const {
    if (seen) fail(source_, fmt::format("the header dict has the key '{}' twice", key));
    seen = true;
  }
  std::string parse_string(std::string_view what) {
    const char quote = peek();
    if (quote != '\'' && quote != '"') unexpected(what);
    ++pos_;
    std::string out;
    while (peek() != quote) {
      if (text_[pos_] == '\\') ++pos_;
      out += peek();
      ++pos_;
    }
    ++pos_;
    return out;
  }
  bool parse_bool() {
    for (auto [word, value] : {std::pair{"True", true}, std::pair{"False", false}}) {
      if (text_.substr(pos_).starts_with(word)) {
        pos_ += std::strlen(word);
        return value;
      }
    }
    unexpected("True or False for 'fortran_order'");
  }
  std::vector<std::int64_t> parse_shape() {
    expect('(', "'shape' must be a tuple such as (2, 3)");
    std::vector<std::int64_t> dims;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      dims.push_back(parse_dim());
      skip_space();
      if (peek() == ',') {
        ++pos_;
      } else if (peek() != ')') {
        unexpected("',' or ')' in 'shape'");
      }
    }
    ++pos_;
    return dims;
  }
  std::int64_t parse_dim() {
    if (peek() == '-') {
      fail(source_, fmt::format("'shape' has a negative dimension ('{}')",
                                printable(text_.substr(pos_, 21))));
    }
    if (peek() < '0' || peek() > '9') unexpected("a dimension (a whole number) in 'shape'");
    std::int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const int digit = text_[pos_] - '0';
      if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
        fail(source_, "a dimension in 'shape' overflows a 64-bit integer");
      }
      value = value * 10 + digit;
      ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2's long literal
    return value;
  }

  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

// ---- Element types

enum class Stored {
  bool_,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  float16,
  float32,
  float64
};

struct ElementType {
  Stored stored;
  std::size_t size;
  bool swap;    // the file's byte order differs from this host's
  DType dtype;  // what it is read into
};

std::string unsupported_dtype(std::string_view descr, char kind) {
  std::string what;
  switch (kind) {
    case 'c':
      what = "complex numbers";
      break;
    case 'O':
      what = "Python objects (a pickle; numpy needs allow_pickle=True for it)";
      break;
    case 'U':
    case 'S':
    case 'a':
      what = "strings";
      break;
    case 'V':
      what = "raw or structured records";
      break;
    case 'M':
    case 'm':
      what = "datetimes or timedeltas";
      break;
    default:
      what = "a dtype keras-cpp does not read";
  }
  return fmt::format(
      "its dtype '{}' holds {}; keras-cpp reads bool, int8 to int64, uint8 to "
      "uint64 and float16 to float64 (convert the array with astype before "
      "saving it)",
      descr, what);
}

ElementType element_type(std::string_view descr, const std::string& source) {
  std::string_view rest = descr;
  char order = '=';
  if (!rest.empty() && std::string_view("<>|=").find(rest.front()) != std::string_view::npos) {
    order = rest.front();
    rest.remove_prefix(1);
  }
  if (rest.empty()) fail(source, fmt::format("its dtype '{}' is empty", printable(descr)));
  const char kind = rest.front();
  const std::string_view width = rest.substr(1);
  struct Entry {
    char kind;
    std::string_view width;
    Stored stored;
    std::size_t size;
    DType dtype;
  };
  static constexpr Entry kTable[] = {
      {'b', "1", Stored::bool_, 1, DType::bool_},
      {'i', "1", Stored::int8, 1, DType::int8},
      {'i', "2", Stored::int16, 2, DType::int16},
      {'i', "4", Stored::int32, 4, DType::int32},
      {'i', "8", Stored::int64, 8, DType::int64},
      {'u', "1", Stored::uint8, 1, DType::uint8},
      {'u', "2", Stored::uint16, 2, DType::uint16},
      {'u', "4", Stored::uint32, 4, DType::int64},
      {'u', "8", Stored::uint64, 8, DType::int64},
      {'f', "2", Stored::float16, 2, DType::float32},
      {'f', "4", Stored::float32, 4, DType::float32},
      {'f', "8", Stored::float64, 8, DType::float64},
  };
  for (const Entry& e : kTable) {
    if (e.kind == kind && e.width == width) {
      const bool file_little =
          order == '<' || (order != '>' && std::endian::native == std::endian::little);
      const bool swap = e.size > 1 && file_little != (std::endian::native == std::endian::little);
      return {e.stored, e.size, swap, e.dtype};
    }
  }
  fail(source, unsupported_dtype(printable(descr), kind));
}

// ---- Decoding

template <class S>
S load(const char* p, bool swap) {
  char buffer[sizeof(S)];
  std::memcpy(buffer, p, sizeof(S));
  if (swap) std::reverse(buffer, buffer + sizeof(S));
  S value;
  std::memcpy(&value, buffer, sizeof(S));
  return value;
}

// IEEE half to single precision, exactly: every half value is a float.
float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1fu;
  std::uint32_t mantissa = h & 0x3ffu;
  std::uint32_t bits;
  if (exponent == 0x1f) {  // infinity or NaN (the payload is kept)
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal: rebias 15 -> 127
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {  // signed zero
    bits = sign;
  } else {  // subnormal half, normal float: shift the leading 1 into place
    exponent = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

// Converts `count` elements of `type` at `in` into `out`'s storage, in file order.
void decode(const ElementType& type, const char* in, std::int64_t count, Tensor& out,
            const std::string& source) {
  const auto n = static_cast<std::size_t>(count);
  if (n == 0) return;  // an empty array's storage may be null
  auto convert = [&](auto stored_tag, auto target_tag, auto&& f) {
    using S = decltype(stored_tag);
    using T = decltype(target_tag);
    T* dst = out.data<T>();
    for (std::size_t i = 0; i < n; ++i) dst[i] = f(load<S>(in + i * sizeof(S), type.swap), i);
  };
  auto same = [](auto v, std::size_t) { return v; };
  auto copy_or_swap = [&](auto tag) {
    if (!type.swap) {
      std::memcpy(out.raw_data(), in, n * sizeof(decltype(tag)));
    } else {
      convert(tag, tag, same);
    }
  };
  switch (type.stored) {
    case Stored::bool_:
      // numpy treats any nonzero byte as True; a C++ bool must hold 0 or 1.
      convert(std::uint8_t{}, bool{}, [](std::uint8_t v, std::size_t) { return v != 0; });
      break;
    case Stored::int8:
      copy_or_swap(std::int8_t{});
      break;
    case Stored::int16:
      copy_or_swap(std::int16_t{});
      break;
    case Stored::int32:
      copy_or_swap(std::int32_t{});
      break;
    case Stored::int64:
      copy_or_swap(std::int64_t{});
      break;
    case Stored::uint8:
      copy_or_swap(std::uint8_t{});
      break;
    case Stored::uint16:
      copy_or_swap(std::uint16_t{});
      break;
    case Stored::float32:
      copy_or_swap(float{});
      break;
    case Stored::float64:
      copy_or_swap(double{});
      break;
    case Stored::uint32:
      convert(std::uint32_t{}, std::int64_t{},
              [](std::uint32_t v, std::size_t) { return static_cast<std::int64_t>(v); });
      break;
    case Stored::uint64:
      convert(std::uint64_t{}, std::int64_t{}, [&](std::uint64_t v, std::size_t i) {
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          throw Error(fmt::format(
              "{} holds uint64 values and element {} (in file order) is {}, which does not fit "
              "int64, the widest integer dtype keras-cpp has; convert the array to float64 or "
              "bring its values below 2**63 before saving it",
              source, i, v));
        }
        return static_cast<std::int64_t>(v);
      });
      break;
    case Stored::float16:
      convert(std::uint16_t{}, float{},
              [](std::uint16_t v, std::size_t) { return half_to_float(v); });
      break;
  }
}

// `in` holds the elements of an array of `dims` in Fortran order (first axis
// fastest); returns them in C order.
Tensor fortran_to_c(const Tensor& in) {
  Tensor out(in.dtype(), in.shape());
  struct Axis {
    std::int64_t dim;
    std::int64_t c_stride;  // in elements
    std::int64_t index = 0;
  };
  std::vector<Axis> axes;
  std::int64_t stride = 1;
  for (auto dim = in.shape().dims().rbegin(); dim != in.shape().dims().rend(); ++dim) {
    axes.insert(axes.begin(), Axis{*dim, stride});
    stride *= *dim;
  }
  const auto item = static_cast<std::int64_t>(dtype_size(in.dtype()));
  const auto* src = static_cast<const char*>(in.raw_data());
  auto* dst = static_cast<char*>(out.raw_data());
  std::int64_t offset = 0;  // C-order offset of the current index
  for (std::int64_t i = 0; i < in.size(); ++i) {
    std::memcpy(dst + offset * item, src + i * item, static_cast<std::size_t>(item));
    for (Axis& axis : axes) {  // the first axis runs fastest
      offset += axis.c_stride;
      if (++axis.index < axis.dim) break;
      offset -= axis.c_stride * axis.dim;
      axis.index = 0;
    }
  }
  return out;
}

std::string shape_text(const std::vector<std::int64_t>& dims) {
  return Shape(dims).to_string();
}

// ---- Encoding

std::string_view descr_of(DType dtype) {
  switch (dtype) {
    case DType::float32:
      return "<f4";
    case DType::float64:
      return "<f8";
    case DType::int32:
      return "<i4";
    case DType::int64:
      return "<i8";
    case DType::bool_:
      return "|b1";
    case DType::int8:
      return "|i1";
    case DType::uint8:
      return "|u1";
    case DType::int16:
      return "<i2";
    case DType::uint16:
      return "<u2";
  }
  throw InternalError("descr_of: unknown dtype");
}

// Python's repr of a tuple of ints: (), (3,), (2, 3).
std::string python_tuple(const std::vector<std::int64_t>& dims) {
  if (dims.size() == 1) return fmt::format("({},)", dims[0]);
  return fmt::format("({})", fmt::join(dims, ", "));
}

}  // namespace

NpyHeader parse_npy_header(std::string_view bytes, const std::string& source) {
  if (!bytes.starts_with(kMagic)) {
    fail(source, fmt::format("it does not start with NumPy's magic string \\x93NUMPY (it starts "
                             "with '{}'); is it a .npy file?",
                             printable(bytes.substr(0, 8))));
  }
  NpyHeader header;
  if (bytes.size() < 10) fail(source, "the file ends inside its 10-byte preamble (truncated)");
  header.major_version = static_cast<unsigned char>(bytes[6]);
  header.minor_version = static_cast<unsigned char>(bytes[7]);
  if (header.major_version < 1 || header.major_version > 3 || header.minor_version != 0) {
    fail(source, fmt::format("its format version is {}.{}; keras-cpp reads versions 1.0, 2.0 "
                             "and 3.0",
                             header.major_version, header.minor_version));
  }
  // Version 1.0 stores the header length in 2 bytes, 2.0 and 3.0 in 4.
  const std::size_t length_bytes = header.major_version == 1 ? 2 : 4;
  if (bytes.size() < 8 + length_bytes)
    fail(source, "the file ends inside its preamble (truncated)");
  const std::uint64_t header_length = read_little_endian(bytes.substr(8, length_bytes));
  const std::size_t header_start = 8 + length_bytes;
  if (header_length > bytes.size() - header_start) {
    fail(source, fmt::format("its header declares {} bytes but only {} follow; the file is "
                             "truncated",
                             header_length, bytes.size() - header_start));
  }
  header.data_offset = header_start + static_cast<std::size_t>(header_length);
  DictParser(bytes.substr(header_start, static_cast<std::size_t>(header_length)), source)
      .parse(header);

  const ElementType type = element_type(header.descr, source);
  // Check the element count before anything is allocated for it.
  std::int64_t count = 1;
  for (std::int64_t dim : header.shape) {
    if (dim != 0 && count > std::numeric_limits<std::int64_t>::max() / dim) {
      fail(source, fmt::format("its shape {} has more elements than a 64-bit count holds",
                               shape_text(header.shape)));
    }
    count *= dim;
  }
  const std::uint64_t available = bytes.size() - header.data_offset;
  const bool fits = static_cast<std::uint64_t>(count) <= available / type.size;
  if (!fits || static_cast<std::uint64_t>(count) * type.size != available) {
    fail(source, fmt::format("its header declares shape {} of '{}' ({} elements of {} bytes) "
                             "but {} bytes of data follow the header; the file is {}",
                             shape_text(header.shape), printable(header.descr), count, type.size,
                             available, fits ? "damaged (it has extra bytes)" : "truncated"));
  }
  return header;
}

Tensor npy_to_tensor(std::string_view bytes, const std::string& source) {
  const NpyHeader header = parse_npy_header(bytes, source);
  const ElementType type = element_type(header.descr, source);
  Tensor out(type.dtype, Shape(header.shape));
  decode(type, bytes.data() + header.data_offset, out.size(), out, source);
  if (header.fortran_order && header.shape.size() > 1) return fortran_to_c(out);
  return out;
}

std::string tensor_to_npy(const Tensor& x) {
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                                 descr_of(x.dtype()), python_tuple(x.shape().dims()));
  if (x.rank() > 0) {
    const std::size_t digits = std::to_string(x.shape().dims()[0]).size();
    dict.append(kGrowthAxisMaxDigits - std::min(digits, kGrowthAxisMaxDigits), ' ');
  }
  // numpy's _wrap_header: pad so magic + length + dict + '\n' is a multiple
  // of 64 (a full 64 when it already is); version 2.0 when 1.0's 2-byte
  // length cannot hold it.
  const std::size_t text = dict.size() + 1;  // with the '\n'
  const bool version_1 = text + kAlign - (10 + text) % kAlign <= 0xffff;
  const std::size_t preamble = version_1 ? 10 : 12;
  const std::size_t pad = kAlign - (preamble + text) % kAlign;
  const std::size_t length = text + pad;
  std::string out(kMagic);
  out.reserve(preamble + length + x.nbytes());
  out += static_cast<char>(version_1 ? 1 : 2);
  out += '\0';
  for (std::size_t i = 0; i < preamble - 8; ++i)
    out += static_cast<char>((length >> (8 * i)) & 0xff);
  out += dict;
  out.append(pad, ' ');
  out += '\n';

  const std::size_t data_start = out.size();
  out.append(static_cast<const char*>(x.raw_data()), x.nbytes());
  if constexpr (std::endian::native != std::endian::little) {
    const std::size_t item = dtype_size(x.dtype());
    for (std::size_t i = data_start; i + item <= out.size(); i += item) {
      std::reverse(out.begin() + static_cast<std::ptrdiff_t>(i),
                   out.begin() + static_cast<std::ptrdiff_t>(i + item));
    }
  }
  return out;
}

}  // namespace keras::serialize
