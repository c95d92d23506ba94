// A program outside keras-cpp: builds a model, trains it a step, saves and
// reloads it, and checks that the reloaded model predicts the same.
#include <cstdio>
#include <filesystem>

#include <keras.hpp>

int main() {
  using namespace keras;
  auto x = layers::Input({4});
  auto y = layers::Dense(2, {.activation = "softmax"})(layers::Dense(8, {.activation = "relu"})(x));
  models::Model model(x, y);
  model.compile({.optimizer = "sgd", .loss = "categorical_crossentropy"});
  const Tensor inputs = Tensor::full({3, 4}, 0.5);
  const Tensor targets(Shape{3, 2}, std::vector<float>{1, 0, 0, 1, 1, 0});
  model.train_on_batch(inputs, targets);
  const std::string path =
      (std::filesystem::temp_directory_path() / "keras_cpp_consumer.keras").string();
  model.save(path);
  const bool same = models::load_model(path).predict(inputs).to_vector<float>() ==
                    model.predict(inputs).to_vector<float>();
  std::filesystem::remove(path);
  try {
    models::load_model(path);
  } catch (const keras::Error& e) {  // errors cross the library boundary
    std::printf("%s\n", same ? "consumer ok" : "consumer FAILED: predictions differ");
    return same ? 0 : 1;
  }
  return 1;
}
