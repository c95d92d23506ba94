// Keras 3's callbacks other than the progress bar (keras/src/callbacks/).
#include <cmath>
#include <filesystem>

#include <fmt/ranges.h>

#include "keras/callbacks.hpp"
#include "keras/models/model.hpp"

namespace keras::callbacks {

namespace {

// Keras' "auto" mode: maximize names that measure accuracy or AUC.
bool maximizes(const std::string& mode, const std::string& monitor, const char* who) {
  if (mode == "min") return false;
  if (mode == "max") return true;
  if (mode != "auto") {
    throw Error(
        fmt::format("{}: mode must be \"auto\", \"min\" or \"max\", got \"{}\"", who, mode));
  }
  return monitor.find("acc") != std::string::npos || monitor.find("auc") != std::string::npos ||
         monitor.rfind("fbeta", 0) == 0 || monitor.find("f1") != std::string::npos;
}

std::optional<double> monitored(const Logs& logs, const std::string& monitor, const char* who) {
  auto it = logs.find(monitor);
  if (it != logs.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [name, value] : logs) names.push_back(name);
  fmt::print(stderr,
             "{} conditioned on metric `{}` which is not available. Available metrics are: {}\n",
             who, monitor, fmt::join(names, ", "));
  return std::nullopt;
}

}  // namespace

models::Model& Callback::model() const {
  if (model_ == nullptr)
    throw Error("this callback is not attached to a model: it runs inside fit");
  return *model_;
}

void History::on_train_begin(const Logs& /*logs*/) {
  epoch.clear();
}

void History::on_epoch_end(std::int64_t e, const Logs& logs) {
  epoch.push_back(e);
  for (const auto& [name, value] : logs) history[name].push_back(value);
}

EarlyStopping::EarlyStopping(EarlyStoppingOptions options) : options_(std::move(options)) {
  maximize_ = maximizes(options_.mode, options_.monitor, "EarlyStopping");
  min_delta_ = maximize_ ? std::abs(options_.min_delta) : -std::abs(options_.min_delta);
}

bool EarlyStopping::improved(double current, double reference) const {
  return maximize_ ? current - min_delta_ > reference : current - min_delta_ < reference;
}

void EarlyStopping::on_train_begin(const Logs& /*logs*/) {
  wait_ = 0;
  stopped_epoch_ = 0;
  best_epoch_ = 0;
  best_.reset();
  best_weights_.clear();
}

void EarlyStopping::on_epoch_end(std::int64_t epoch, const Logs& logs) {
  const std::optional<double> current = monitored(logs, options_.monitor, "Early stopping");
  if (!current || epoch < options_.start_from_epoch) return;
  if (options_.restore_best_weights && best_weights_.empty()) {
    best_weights_ = model().get_weights();
  }
  wait_ += 1;
  if (!best_ || improved(*current, *best_)) {
    best_ = *current;
    best_epoch_ = epoch;
    if (options_.restore_best_weights) best_weights_ = model().get_weights();
    // Only restart the wait once the baseline is beaten.
    if (!options_.baseline || improved(*current, *options_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model().set_stop_training(true);
  }
}

void EarlyStopping::on_train_end(const Logs& /*logs*/) {
  if (stopped_epoch_ > 0 && options_.verbose > 0) {
    fmt::print("Epoch {}: early stopping\n", stopped_epoch_ + 1);
  }
  if (options_.restore_best_weights && !best_weights_.empty()) {
    if (options_.verbose > 0) {
      fmt::print("Restoring model weights from the end of the best epoch: {}.\n", best_epoch_ + 1);
    }
    model().set_weights(best_weights_);
  }
}

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : options_(std::move(options)) {
  if (options_.factor >= 1.0) {
    throw Error(
        fmt::format("ReduceLROnPlateau does not support a factor >= 1.0, got {}", options_.factor));
  }
  maximize_ = maximizes(options_.mode, options_.monitor, "ReduceLROnPlateau");
}

void ReduceLROnPlateau::on_train_begin(const Logs& /*logs*/) {
  best_.reset();
  wait_ = 0;
  cooldown_counter_ = 0;
}

void ReduceLROnPlateau::on_epoch_end(std::int64_t epoch, const Logs& logs) {
  const std::optional<double> current =
      monitored(logs, options_.monitor, "Learning rate reduction");
  if (!current) return;
  const auto better = [&](double a, double b) {
    return maximize_ ? a > b + options_.min_delta : a < b - options_.min_delta;
  };
  if (cooldown_counter_ > 0) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (!best_ || better(*current, *best_)) {
    best_ = *current;
    wait_ = 0;
    return;
  }
  if (cooldown_counter_ > 0) return;
  ++wait_;
  if (wait_ < options_.patience) return;
  optimizers::OptimizerImpl& optimizer = model().optimizer().impl();
  const double old_lr = optimizer.learning_rate();
  if (old_lr > options_.min_lr) {
    const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
    optimizer.set_learning_rate(new_lr);
    if (options_.verbose > 0) {
      fmt::print("\nEpoch {}: ReduceLROnPlateau reducing learning rate to {:g}.\n", epoch + 1,
                 new_lr);
    }
    cooldown_counter_ = options_.cooldown;
    wait_ = 0;
  }
}

LearningRateScheduler::LearningRateScheduler(std::function<double(std::int64_t, double)> schedule,
                                             int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {}

void LearningRateScheduler::on_epoch_begin(std::int64_t epoch, const Logs& /*logs*/) {
  optimizers::OptimizerImpl& optimizer = model().optimizer().impl();
  const double lr = schedule_(epoch, optimizer.learning_rate());
  if (!std::isfinite(lr)) {
    throw Error(fmt::format("LearningRateScheduler: the schedule gave {} for epoch {}", lr, epoch));
  }
  optimizer.set_learning_rate(lr);
  if (verbose_ > 0) {
    fmt::print("\nEpoch {}: LearningRateScheduler setting learning rate to {:g}.\n", epoch + 1, lr);
  }
}

CSVLogger::CSVLogger(std::string filename, CSVLoggerOptions options)
    : filename_(std::move(filename)), options_(std::move(options)) {}

void CSVLogger::on_train_begin(const Logs& /*logs*/) {
  append_header_ = !(options_.append && std::filesystem::exists(filename_) &&
                     std::filesystem::file_size(filename_) > 0);
  file_.open(filename_, options_.append ? std::ios::app : std::ios::trunc);
  if (!file_) throw Error(fmt::format("CSVLogger: cannot open '{}' for writing", filename_));
  keys_.clear();
}

void CSVLogger::on_epoch_end(std::int64_t epoch, const Logs& logs) {
  if (keys_.empty()) {
    for (const auto& [name, value] : logs) keys_.push_back(name);
    if (append_header_) {
      file_ << "epoch";
      for (const std::string& k : keys_) file_ << options_.separator << k;
      file_ << '\n';
    }
  }
  file_ << epoch;
  for (const std::string& k : keys_) {
    auto it = logs.find(k);
    file_ << options_.separator;
    if (it == logs.end()) {
      file_ << "NA";
    } else {
      file_ << fmt::format("{}", it->second);
    }
  }
  file_ << '\n';
  file_.flush();
}

void CSVLogger::on_train_end(const Logs& /*logs*/) {
  file_.close();
}

void TerminateOnNaN::on_train_batch_end(std::int64_t batch, const Logs& logs) {
  auto it = logs.find("loss");
  if (it != logs.end() && !std::isfinite(it->second)) {
    fmt::print("Batch {}: Invalid loss, terminating training\n", batch);
    model().set_stop_training(true);
  }
}

LambdaCallback::LambdaCallback(LambdaCallbackOptions options) : options_(std::move(options)) {}

void LambdaCallback::on_epoch_begin(std::int64_t epoch, const Logs& logs) {
  if (options_.on_epoch_begin) options_.on_epoch_begin(epoch, logs);
}
void LambdaCallback::on_epoch_end(std::int64_t epoch, const Logs& logs) {
  if (options_.on_epoch_end) options_.on_epoch_end(epoch, logs);
}
void LambdaCallback::on_train_batch_begin(std::int64_t batch, const Logs& logs) {
  if (options_.on_train_batch_begin) options_.on_train_batch_begin(batch, logs);
}
void LambdaCallback::on_train_batch_end(std::int64_t batch, const Logs& logs) {
  if (options_.on_train_batch_end) options_.on_train_batch_end(batch, logs);
}
void LambdaCallback::on_train_begin(const Logs& logs) {
  if (options_.on_train_begin) options_.on_train_begin(logs);
}
void LambdaCallback::on_train_end(const Logs& logs) {
  if (options_.on_train_end) options_.on_train_end(logs);
}

}  // namespace keras::callbacks
