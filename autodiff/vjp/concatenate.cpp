// VJP of concatenate: each input's gradient is its slice of the output
// gradient along the axis.
#include <fmt/format.h>

#include "keras/graph/ops.hpp"
#include "vjp_families.hpp"

namespace keras::autodiff {

namespace {

// Slices need known offsets: every input before the last must have a known
// size along the axis (the last one takes "to the end").
[[noreturn]] void fail_unknown_offset(const VjpContext& context, std::size_t input) {
  throw Error(
      fmt::format("cannot build the gradient of concatenate (node '{}'): input {} {} "
                  "follows or has an unknown size along the concatenation axis, so its "
                  "offset is not known; concatenate along an axis of known sizes",
                  context.node.name(), input, context.inputs[input].to_string()));
}

std::vector<Value> concatenate_vjp(const VjpContext& context) {
  const Value& grad = context.grad();
  const std::int64_t rank = grad.shape().rank();
  const std::int64_t axis = normalize_axis(context.attrs().get_int("axis"), rank, "concatenate");
  std::vector<Value> grads(context.inputs.size());
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < context.inputs.size(); ++i) {
    const bool last = i + 1 == context.inputs.size();
    const std::int64_t size = context.inputs[i].shape().dim(axis);
    if (context.needs(static_cast<int>(i))) {
      if (offset == Shape::kUnknown || (size == Shape::kUnknown && !last)) {
        fail_unknown_offset(context, i);
      }
      std::vector<std::int64_t> begin(static_cast<std::size_t>(rank), 0);
      std::vector<std::int64_t> sizes(static_cast<std::size_t>(rank), -1);
      begin[static_cast<std::size_t>(axis)] = offset;
      sizes[static_cast<std::size_t>(axis)] = last ? -1 : size;
      grads[i] = ops::slice(grad, begin, sizes);
    }
    offset =
        (offset == Shape::kUnknown || size == Shape::kUnknown) ? Shape::kUnknown : offset + size;
  }
  return grads;
}

}  // namespace

void register_concatenate_vjps(VjpRegistry& registry) {
  registry.add("concatenate", concatenate_vjp);
}

}  // namespace keras::autodiff
