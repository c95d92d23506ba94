#include <catch2/catch.hpp>

#include "keras/tensor.hpp"
#include "keras/variable.hpp"

using Catch::Matchers::Contains;
using keras::DType;
using keras::Shape;
using keras::Tensor;

TEST_CASE("Shape prints as Keras does and refuses to count unknown elements", "[graph][shape]") {
  CHECK(Shape({Shape::kUnknown, 28, 28, 1}).to_string() == "(None, 28, 28, 1)");
  CHECK(Shape({5}).to_string() == "(5,)");
  CHECK(Shape().to_string() == "()");
  CHECK(Shape({2, 3, 4}).num_elements() == 24);
  CHECK(Shape().num_elements() == 1);
  CHECK(Shape({2, -1}).dim(-1) == Shape::kUnknown);
  CHECK_THROWS_WITH(Shape({Shape::kUnknown, 3}).num_elements(), Contains("(None, 3)"));
  CHECK_THROWS_WITH(Shape({2, -3}), Contains("-3"));
  CHECK(Shape({-1, 3}).is_compatible_with(Shape({7, 3})));
  CHECK_FALSE(Shape({-1, 3}).is_compatible_with(Shape({7, 4})));
  CHECK_THROWS_WITH(keras::normalize_axis(2, 2, "softmax"), Contains("axis 2 is out of range"));
  CHECK(keras::normalize_axis(-1, 3, "softmax") == 2);
}

TEST_CASE("Tensor holds row-major values, shares storage on copy, clones on request",
          "[graph][tensor]") {
  Tensor x(Shape{2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(x.dtype() == DType::float32);
  CHECK(x.size() == 6);
  CHECK(x.at<float>({1, 2}) == 6.0f);
  CHECK(x.at<float>({0, 1}) == 2.0f);
  CHECK(reinterpret_cast<std::uintptr_t>(x.raw_data()) % 64 == 0);

  Tensor view = x.reshape({3, 2});
  CHECK(view.shares_storage_with(x));
  view.at<float>({2, 1}) = 60.0f;
  CHECK(x.at<float>({1, 2}) == 60.0f);

  Tensor copy = x.clone();
  copy.at<float>({0, 0}) = -1.0f;
  CHECK(x.at<float>({0, 0}) == 1.0f);

  Tensor ints = Tensor(Shape{3}, std::vector<double>{-1.5, 0.0, 2.7}).astype(DType::int32);
  CHECK(ints.to_vector<int>() == std::vector<int>{-1, 0, 2});
  Tensor bools = ints.astype(DType::bool_);
  CHECK(bools.to_vector<int>() == std::vector<int>{1, 0, 1});
  CHECK(Tensor::scalar(3.5).item() == 3.5);
  CHECK(Tensor::full({2}, 7.0, DType::int64).to_vector<std::int64_t>() ==
        std::vector<std::int64_t>{7, 7});
}

TEST_CASE("Tensor rejects wrong element types, counts and indices with clear messages",
          "[graph][tensor]") {
  Tensor x(Shape{2, 2}, std::vector<float>{1, 2, 3, 4});
  CHECK_THROWS_WITH(x.data<double>(), Contains("holds float32 values, not float64"));
  CHECK_THROWS_WITH(Tensor(Shape{2, 2}, std::vector<float>{1, 2, 3}),
                    Contains("shape (2, 2) holds 4 elements but 3 values were given"));
  CHECK_THROWS_WITH(x.at<float>({2, 0}), Contains("index 2 is out of range for axis 0"));
  CHECK_THROWS_WITH(x.reshape({3}), Contains("cannot reshape a tensor of shape (2, 2)"));
  CHECK_THROWS_WITH(Tensor(DType::float32, Shape{Shape::kUnknown, 2}),
                    Contains("fully known shape, got (None, 2)"));
  CHECK_THROWS_WITH(x.item(), Contains("one element"));
}

TEST_CASE("Variable is a handle whose assign writes in place", "[graph][variable]") {
  keras::Variable v("dense/kernel", Tensor::zeros({2, 2}));
  keras::Variable same = v;
  const void* storage = v.value().raw_data();
  v.assign(Tensor(Shape{2, 2}, std::vector<float>{1, 2, 3, 4}));
  CHECK(same.value().at<float>({1, 1}) == 4.0f);
  CHECK(v.value().raw_data() == storage);
  CHECK(v == same);
  CHECK(v.trainable());
  CHECK_THROWS_WITH(v.assign(Tensor::zeros({3})),
                    Contains("cannot assign a float32 tensor of shape (3,) to variable "
                             "'dense/kernel', which holds float32 of shape (2, 2)"));
}
