#pragma once
// Keras 3's callbacks (keras.callbacks): hooks that fit, evaluate and
// predict call around epochs and batches, with the logs of the moment.
//
//   keras::callbacks::EarlyStopping stop({.monitor = "val_loss", .patience = 3,
//                                         .restore_best_weights = true});
//   auto history = model.fit(x, y, {.epochs = 50, .callbacks = {stop},
//                                   .validation_split = 0.1});
//   stop.stopped_epoch();
//
// Callbacks are passed by reference: the caller owns them, and reads them
// after fit as Keras users read theirs. A user's own callback derives from
// Callback and overrides the hooks it needs.
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keras/tensor.hpp"

namespace keras::models {
class Model;
}

namespace keras::callbacks {

// A batch's or an epoch's numbers by name, sorted by name as Keras sorts
// its logs ("accuracy", "loss", "val_accuracy", "val_loss").
using Logs = std::map<std::string, double>;

// What fit tells its callbacks (Keras' callback.params).
struct Params {
  int verbose = 1;
  std::int64_t epochs = 1;
  std::optional<std::int64_t> steps;  // batches per epoch
};

class Callback {
 public:
  virtual ~Callback() = default;

  void set_model(models::Model* model) { model_ = model; }
  void set_params(const Params& params) { params_ = params; }
  // The model being trained; a keras::Error outside fit/evaluate/predict.
  models::Model& model() const;
  const Params& params() const { return params_; }

  virtual void on_train_begin(const Logs& /*logs*/) {}
  virtual void on_train_end(const Logs& /*logs*/) {}
  virtual void on_epoch_begin(std::int64_t /*epoch*/, const Logs& /*logs*/) {}
  virtual void on_epoch_end(std::int64_t /*epoch*/, const Logs& /*logs*/) {}
  virtual void on_test_begin(const Logs& /*logs*/) {}
  virtual void on_test_end(const Logs& /*logs*/) {}
  virtual void on_predict_begin(const Logs& /*logs*/) {}
  virtual void on_predict_end(const Logs& /*logs*/) {}
  virtual void on_train_batch_begin(std::int64_t /*batch*/, const Logs& /*logs*/) {}
  virtual void on_train_batch_end(std::int64_t /*batch*/, const Logs& /*logs*/) {}
  virtual void on_test_batch_begin(std::int64_t /*batch*/, const Logs& /*logs*/) {}
  virtual void on_test_batch_end(std::int64_t /*batch*/, const Logs& /*logs*/) {}
  virtual void on_predict_batch_begin(std::int64_t /*batch*/, const Logs& /*logs*/) {}
  virtual void on_predict_batch_end(std::int64_t /*batch*/, const Logs& /*logs*/) {}

 private:
  models::Model* model_ = nullptr;
  Params params_;
};

// The numbers of every epoch: fit returns it, and it is model.history().
class History : public Callback {
 public:
  std::map<std::string, std::vector<double>> history;
  std::vector<std::int64_t> epoch;

  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, const Logs& logs) override;
};

// Keras 3's progress bar: `Epoch 1/5`, then
// `422/422 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - accuracy: 0.8214 - loss: 0.5012`,
// redrawn in place on a terminal. Off a terminal only each epoch's final line
// is printed (Keras prints every redraw there). verbose 2: one line per epoch.
class ProgbarLogger : public Callback {
 public:
  // `out` receives the text; `interactive` says whether it is a terminal
  // (by default: whether stdout is one); `clock` gives the time in seconds
  // (by default a steady clock; tests pass a fake one, as Keras' do).
  explicit ProgbarLogger(std::function<void(const std::string&)> out = nullptr,
                         std::optional<bool> interactive = std::nullopt,
                         std::function<double()> clock = nullptr);

  void on_train_begin(const Logs& logs) override;
  void on_epoch_begin(std::int64_t epoch, const Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, const Logs& logs) override;
  void on_test_begin(const Logs& logs) override;
  void on_test_batch_end(std::int64_t batch, const Logs& logs) override;
  void on_test_end(const Logs& logs) override;
  void on_predict_begin(const Logs& logs) override;
  void on_predict_batch_end(std::int64_t batch, const Logs& logs) override;
  void on_predict_end(const Logs& logs) override;

 private:
  class Bar;
  void start(std::optional<std::int64_t> target);
  // Batch `batch` is done: redraws the bar (verbose 1).
  void step(std::int64_t batch, const Logs& logs);
  // The pass is done: its final line.
  void finish(const Logs& logs);

  std::function<void(const std::string&)> out_;
  bool interactive_;
  std::function<double()> clock_;
  bool in_fit_ = false;
  std::shared_ptr<Bar> bar_;
  std::int64_t seen_ = 0;
};

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0.0;
  std::int64_t patience = 0;
  int verbose = 0;
  std::string mode = "auto";  // "min", "max" or "auto" (max for accuracy-like names)
  std::optional<double> baseline = std::nullopt;
  bool restore_best_weights = false;
  std::int64_t start_from_epoch = 0;
};

class EarlyStopping : public Callback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});
  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, const Logs& logs) override;
  void on_train_end(const Logs& logs) override;

  // The epoch (0-based) in which training stopped; 0 when it ran to the end.
  std::int64_t stopped_epoch() const { return stopped_epoch_; }
  std::int64_t best_epoch() const { return best_epoch_; }
  std::optional<double> best() const { return best_; }

 private:
  bool improved(double current, double reference) const;

  EarlyStoppingOptions options_;
  bool maximize_ = false;
  double min_delta_ = 0.0;
  std::int64_t wait_ = 0;
  std::int64_t stopped_epoch_ = 0;
  std::int64_t best_epoch_ = 0;
  std::optional<double> best_;
  std::vector<Tensor> best_weights_;
};

struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;
  std::int64_t patience = 10;
  int verbose = 0;
  std::string mode = "auto";
  double min_delta = 1e-4;
  std::int64_t cooldown = 0;
  double min_lr = 0.0;
};

class ReduceLROnPlateau : public Callback {
 public:
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, const Logs& logs) override;

 private:
  ReduceLROnPlateauOptions options_;
  bool maximize_ = false;
  std::optional<double> best_;
  std::int64_t wait_ = 0;
  std::int64_t cooldown_counter_ = 0;
};

// Sets the optimizer's learning rate at the start of each epoch from
// schedule(epoch, current learning rate).
class LearningRateScheduler : public Callback {
 public:
  explicit LearningRateScheduler(std::function<double(std::int64_t, double)> schedule,
                                 int verbose = 0);
  void on_epoch_begin(std::int64_t epoch, const Logs& logs) override;

 private:
  std::function<double(std::int64_t, double)> schedule_;
  int verbose_;
};

struct CSVLoggerOptions {
  std::string separator = ",";
  bool append = false;
};

// Writes epoch, then each log value, one row per epoch (Keras' CSVLogger).
class CSVLogger : public Callback {
 public:
  explicit CSVLogger(std::string filename, CSVLoggerOptions options = {});
  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, const Logs& logs) override;
  void on_train_end(const Logs& logs) override;

 private:
  std::string filename_;
  CSVLoggerOptions options_;
  std::ofstream file_;
  std::vector<std::string> keys_;
  bool append_header_ = true;
};

// Stops training when the loss becomes NaN or infinite.
class TerminateOnNaN : public Callback {
 public:
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override;
};

// Keras' LambdaCallback: any hooks as std::functions, in Keras' order.
struct LambdaCallbackOptions {
  std::function<void(std::int64_t, const Logs&)> on_epoch_begin = nullptr;
  std::function<void(std::int64_t, const Logs&)> on_epoch_end = nullptr;
  std::function<void(const Logs&)> on_train_begin = nullptr;
  std::function<void(const Logs&)> on_train_end = nullptr;
  std::function<void(std::int64_t, const Logs&)> on_train_batch_begin = nullptr;
  std::function<void(std::int64_t, const Logs&)> on_train_batch_end = nullptr;
};

class LambdaCallback : public Callback {
 public:
  explicit LambdaCallback(LambdaCallbackOptions options);
  void on_epoch_begin(std::int64_t epoch, const Logs& logs) override;
  void on_epoch_end(std::int64_t epoch, const Logs& logs) override;
  void on_train_batch_begin(std::int64_t batch, const Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override;
  void on_train_begin(const Logs& logs) override;
  void on_train_end(const Logs& logs) override;

 private:
  LambdaCallbackOptions options_;
};

}  // namespace keras::callbacks
