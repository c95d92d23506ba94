// VJP of transpose: the gradient goes through the inverse permutation.
#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

std::vector<Value> transpose_vjp(const VjpContext& context) {
  const std::int64_t rank = context.input(0).shape().rank();
  const std::vector<std::int64_t>& axes = context.attrs().get_ints("axes");
  // Reversing the axes is its own inverse.
  if (axes.empty()) return {ops::transpose(context.grad())};
  std::vector<std::int64_t> inverse(axes.size());
  for (std::size_t k = 0; k < axes.size(); ++k) {
    inverse[static_cast<std::size_t>(normalize_axis(axes[k], rank, "transpose"))] =
        static_cast<std::int64_t>(k);
  }
  return {ops::transpose(context.grad(), inverse)};
}

}  // namespace

void register_transpose_vjps(VjpRegistry& registry) {
  registry.add("transpose", transpose_vjp);
}

}  // namespace keras::autodiff
