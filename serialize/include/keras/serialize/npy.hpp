#pragma once
// NumPy's .npy array format (numpy/lib/format.py), versions 1.0, 2.0 and
// 3.0, to and from keras::Tensor. A file is the magic string "\x93NUMPY", the
// version, the header length, a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and '\n', then the elements.
//
// Reading takes every byte order ('<', '>', '|', '=') and C or Fortran order
// (a Fortran array comes back in C order). NumPy dtypes map to DType:
//   bool -> bool_, int8/16/32/64 -> int8/16/32/64, uint8/16 -> uint8/16,
//   float32/64 -> float32/64, and, for the ones DType lacks:
//   float16 -> float32 (exact, subnormals, infinities and NaN included),
//   uint32 -> int64 (exact),
//   uint64 -> int64 when every value fits (a larger value is a keras::Error).
// Any other dtype (complex, object 'O', strings, datetimes, structured
// records) or a damaged header (bad magic, unterminated dict, negative or
// overflowing dims, a shape that disagrees with the bytes present) is a
// keras::Error naming the source and the problem. Nothing larger than the
// bytes given justify is allocated.
//
// Writing uses the tensor's dtype, little-endian, C order, and the version
// 1.0 header numpy.save writes (same bytes, padded with spaces to a multiple
// of 64 bytes and ended by '\n').
//
//   keras::Tensor x = keras::serialize::npy_to_tensor(bytes, "file 'x.npy'");
//   std::string out = keras::serialize::tensor_to_npy(x);
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::serialize {

// The parsed header of a .npy file.
struct NpyHeader {
  int major_version = 1;
  int minor_version = 0;
  std::string descr;  // as written: '<f4', '|b1', '>u8'
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
  std::size_t data_offset = 0;  // where the elements start
};

// Parses and checks the header at the start of `bytes` (the whole file: the
// shape is checked against the bytes that follow). `source` names the file in
// errors, e.g. "file 'x.npy'" or "member 'a.npy' of 'arrays.npz'".
NpyHeader parse_npy_header(std::string_view bytes, const std::string& source);

// The array in `bytes`, a whole .npy file.
Tensor npy_to_tensor(std::string_view bytes, const std::string& source);

// The .npy file for x: numpy.save's header, then the data.
std::string tensor_to_npy(const Tensor& x);

}  // namespace keras::serialize
