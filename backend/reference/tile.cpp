// Reference tile. Seen as shape (r0, d0, r1, d1, ...), the row-major output
// is x broadcast along the r axes, so one strided copy produces it.
#include "kernel_families.hpp"
#include "strided_copy.hpp"

namespace keras::backend::reference {

namespace {

void tile_kernel(const KernelContext& context) {
  const Tensor& x = context.input(0);
  Tensor& out = context.output();
  std::vector<std::int64_t> repeats = context.attrs().get_ints("repeats");
  std::vector<std::int64_t> dims = x.shape().dims();
  if (dims.size() < repeats.size()) dims.insert(dims.begin(), repeats.size() - dims.size(), 1);
  if (repeats.size() < dims.size())
    repeats.insert(repeats.begin(), dims.size() - repeats.size(), 1);
  const std::vector<std::int64_t> strides = strides_of(Shape(dims));
  std::vector<std::int64_t> interleaved_dims;
  std::vector<std::int64_t> interleaved_strides;
  for (std::size_t a = 0; a < dims.size(); ++a) {
    interleaved_dims.insert(interleaved_dims.end(), {repeats[a], dims[a]});
    interleaved_strides.insert(interleaved_strides.end(), {0, strides[a]});
  }
  if (out.size() > 0) strided_copy(x, out, Shape(interleaved_dims), interleaved_strides);
}

}  // namespace

void register_tile_kernels(KernelRegistry& registry) {
  registry.add("tile", tile_kernel);
}

}  // namespace keras::backend::reference
