// Batching of in-memory arrays: gathered rows (a shuffled batch) are the
// rows asked for, whatever the row size, count or dtype.
#include <catch2/catch.hpp>

#include <cstring>
#include <numeric>
#include <random>

#include "core/batching.hpp"

using keras::DType;
using keras::Shape;
using keras::Tensor;

TEST_CASE("gather_rows copies the rows asked for, in their order", "[batching]") {
  std::mt19937 rng(3);
  // Rows shorter than a cache line, a line and a bit, whole lines (784
  // floats, a Fashion-MNIST image), of a three-axis array; counts around the
  // four rows copied at once, and one large enough to split over threads.
  for (Shape row : {Shape{3}, Shape{20}, Shape{784}, Shape{2, 5}}) {
    for (std::int64_t count : {0, 1, 3, 4, 5, 9, 100}) {
      INFO(row.to_string() << " rows, " << count << " of them");
      std::vector<std::int64_t> dims{150};
      dims.insert(dims.end(), row.dims().begin(), row.dims().end());
      Tensor t(DType::float32, Shape(dims));
      std::iota(t.data<float>(), t.data<float>() + t.size(), 0.0f);
      std::vector<std::int64_t> indices(static_cast<std::size_t>(count));
      std::uniform_int_distribution<std::int64_t> pick(0, 149);
      for (auto& i : indices) i = pick(rng);
      const Tensor got = keras::layers::gather_rows(t, indices.data(), count);
      dims[0] = count;
      REQUIRE(got.shape() == Shape(dims));
      const std::int64_t width = row.num_elements();
      for (std::int64_t r = 0; r < count; ++r) {
        const float* want = t.data<float>() + indices[static_cast<std::size_t>(r)] * width;
        CHECK(std::memcmp(got.data<float>() + r * width, want,
                          static_cast<std::size_t>(width) * sizeof(float)) == 0);
      }
    }
  }
  // Integer labels, one byte wide rows.
  Tensor labels(DType::uint8, Shape{6});
  for (std::int64_t i = 0; i < 6; ++i)
    labels.data<std::uint8_t>()[i] = static_cast<std::uint8_t>(10 + i);
  const std::vector<std::int64_t> order{5, 0, 3};
  const Tensor got = keras::layers::gather_rows(labels, order.data(), 3);
  CHECK(got.to_vector<std::uint8_t>() == std::vector<std::uint8_t>{15, 10, 13});
}
