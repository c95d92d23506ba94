// The reference kernels' element walk: every output position once, in
// row-major order, with each input's broadcast index, however the axes merge.
#include <catch2/catch.hpp>

#include <vector>

#include "reference/indexing.hpp"

using keras::Shape;
namespace reference = keras::backend::reference;

namespace {

// The flat input index of output position `flat` through `strides`, the slow way.
std::int64_t index_through(const Shape& shape, const std::vector<std::int64_t>& strides,
                           std::int64_t flat) {
  std::int64_t index = 0;
  for (std::int64_t axis = shape.rank() - 1; axis >= 0; --axis) {
    const auto a = static_cast<std::size_t>(axis);
    index += (flat % shape[a]) * strides[a];
    flat /= shape[a];
  }
  return index;
}

}  // namespace

TEST_CASE("for_each_element visits every position with its broadcast indices", "[reference]") {
  struct Case {
    Shape out, a, b;
  };
  // Same shapes (one flat loop), scalars, rows and columns broadcast, a
  // broadcast middle axis, size-1 axes in the output, and a scalar output.
  const std::vector<Case> cases{
      {{128, 10}, {128, 10}, {128, 10}}, {{128, 10}, {128, 10}, {}},
      {{128, 10}, {128, 1}, {128, 10}},  {{128, 10}, {10}, {128, 1}},
      {{4, 3, 5}, {4, 1, 5}, {3, 1}},    {{2, 1, 3, 1, 4}, {1, 3, 1, 4}, {2, 1, 1, 1, 1}},
      {{6, 7}, {1, 1}, {6, 7}},          {{}, {}, {}},
      {{3, 4, 5}, {5}, {3, 4, 1}}};
  for (const Case& c : cases) {
    INFO(c.out.to_string() << " from " << c.a.to_string() << " and " << c.b.to_string());
    const auto sa = reference::broadcast_strides(c.a, c.out);
    const auto sb = reference::broadcast_strides(c.b, c.out);
    std::vector<std::int64_t> seen;
    bool indices_match = true;
    reference::for_each_element(
        c.out,
        [&](std::int64_t o, std::int64_t ia, std::int64_t ib) {
          seen.push_back(o);
          indices_match = indices_match && ia == index_through(c.out, sa, o) &&
                          ib == index_through(c.out, sb, o);
        },
        sa, sb);
    std::vector<std::int64_t> expected(static_cast<std::size_t>(c.out.num_elements()));
    for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<std::int64_t>(i);
    CHECK(seen == expected);
    CHECK(indices_match);
  }
}
