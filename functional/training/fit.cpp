// Model::compile, fit, evaluate, predict and the *_on_batch methods: Keras
// 3's loops (keras/src/backend/jax/trainer.py) over in-memory arrays.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include <fmt/ranges.h>

#include "../core/batching.hpp"
#include "keras/initializers.hpp"
#include "keras/models/model.hpp"
#include "trainer.hpp"

namespace keras::models {

namespace {

std::int64_t rows_of(const std::vector<Tensor>& arrays, const char* what) {
  if (arrays.empty()) throw Error(fmt::format("{}: no arrays were given", what));
  const std::int64_t n = arrays[0].rank() > 0 ? arrays[0].shape()[0] : -1;
  for (const Tensor& t : arrays) {
    if (t.rank() == 0 || t.shape()[0] != n) {
      throw Error(fmt::format(
          "{}: every array needs the same number of samples along axis 0; got {} and {}", what,
          arrays[0].shape().to_string(), t.shape().to_string()));
    }
  }
  return n;
}

// Keras' per-sample weights: sample_weight times the class weight of each
// sample's label (the index of the largest entry for one-hot targets).
std::optional<Tensor> sample_weights(const std::vector<Tensor>& y,
                                     const std::optional<Tensor>& sample_weight,
                                     const std::map<std::int64_t, double>& class_weight,
                                     std::int64_t n) {
  if (!sample_weight && class_weight.empty()) return std::nullopt;
  std::vector<float> w(static_cast<std::size_t>(n), 1.0f);
  if (sample_weight) {
    if (sample_weight->size() != n) {
      throw Error(fmt::format("sample_weight of shape {} needs one weight per sample ({})",
                              sample_weight->shape().to_string(), n));
    }
    w = sample_weight->to_vector<float>();
  }
  if (!class_weight.empty()) {
    if (y.size() != 1) {
      throw Error("class_weight is only supported for models with one output, as in Keras");
    }
    const Tensor& labels = y[0];
    const std::int64_t width = labels.rank() >= 2 ? labels.size() / n : 1;
    const std::vector<double> values = labels.to_vector<double>();
    for (std::int64_t i = 0; i < n; ++i) {
      std::int64_t label;
      if (width > 1) {
        const auto row = values.begin() + i * width;
        label = std::max_element(row, row + width) - row;
      } else {
        label = static_cast<std::int64_t>(std::llround(values[static_cast<std::size_t>(i)]));
      }
      auto it = class_weight.find(label);
      if (it == class_weight.end()) {
        throw Error(fmt::format("class_weight has no weight for class {}: give one for every class",
                                label));
      }
      w[static_cast<std::size_t>(i)] *= static_cast<float>(it->second);
    }
  }
  return Tensor(Shape{n}, w);
}

// The arrays of one call, cut into batches.
struct Data {
  std::vector<Tensor> x, y;
  std::optional<Tensor> sample_weight;
  std::int64_t n = 0;

  Data slice(std::int64_t begin, std::int64_t count) const {
    Data d;
    for (const Tensor& t : x) d.x.push_back(t.rows(begin, count));
    for (const Tensor& t : y) d.y.push_back(t.rows(begin, count));
    if (sample_weight) d.sample_weight = sample_weight->rows(begin, count);
    d.n = count;
    return d;
  }
  std::int64_t steps(std::int64_t batch_size) const { return (n + batch_size - 1) / batch_size; }
  // Batch `i` in `order` (null: in order, without copying).
  Batch batch(std::int64_t i, std::int64_t batch_size,
              const std::vector<std::int64_t>* order = nullptr) const {
    const std::int64_t begin = i * batch_size;
    const std::int64_t count = std::min(batch_size, n - begin);
    Batch b;
    const auto take = [&](const Tensor& t) {
      if (order == nullptr) return count == n ? t : t.rows(begin, count);
      return layers::gather_rows(t, order->data() + begin, count);
    };
    for (const Tensor& t : x) b.x.push_back(take(t));
    for (const Tensor& t : y) b.y.push_back(take(t));
    if (sample_weight) b.sample_weight = take(*sample_weight);
    return b;
  }
};

class Callbacks {
 public:
  Callbacks(const Model& model, const CallbackList& user, callbacks::History* history, int verbose,
            callbacks::Params params)
      : model_(model) {
    bool has_progbar = false;
    for (callbacks::Callback& c : user) {
      list_.push_back(&c);
      has_progbar = has_progbar || dynamic_cast<callbacks::ProgbarLogger*>(&c) != nullptr;
    }
    users_ = list_.size();
    if (history != nullptr) list_.push_back(history);
    // A ProgbarLogger of the caller's replaces the default one, as in Keras.
    if (verbose != 0 && !has_progbar) {
      progbar_ = std::make_unique<callbacks::ProgbarLogger>();
      list_.push_back(progbar_.get());
    }
    params.verbose = verbose;
    for (callbacks::Callback* c : list_) {
      c->set_model(&model_);
      c->set_params(params);
    }
  }
  template <class F>
  void each(F&& f) {
    for (callbacks::Callback* c : list_) f(*c);
  }
  // Whether anything reads a batch's logs: the user's callbacks or the
  // progress bar (History reads only the epochs').
  bool want_batch_logs() const { return users_ > 0 || progbar_ != nullptr; }

 private:
  Model model_;
  std::vector<callbacks::Callback*> list_;
  std::size_t users_ = 0;
  std::unique_ptr<callbacks::ProgbarLogger> progbar_;
};

Trainer& trainer_of(const Model& model, const char* what) {
  if (!model.impl().trainer) {
    throw Error(fmt::format(
        "model '{}' is not compiled: call compile({{.optimizer = ..., .loss = ...}}) before {}",
        model.name(), what));
  }
  return *model.impl().trainer;
}

Data make_data(const Model& model, const std::vector<Tensor>& x, const std::vector<Tensor>& y,
               const std::optional<Tensor>& sample_weight,
               const std::map<std::int64_t, double>& class_weight, const char* what) {
  Trainer& trainer = trainer_of(model, what);
  if (x.size() != model.inputs().size()) {
    throw Error(fmt::format("{}: model '{}' takes {} inputs but {} arrays were given", what,
                            model.name(), model.inputs().size(), x.size()));
  }
  const std::int64_t n = rows_of(x, what);
  const std::int64_t ny = rows_of(y, what);
  if (n != ny) {
    throw Error(fmt::format("{}: x holds {} samples but y holds {}; give one target per sample",
                            what, n, ny));
  }
  trainer.check_targets(y);
  return Data{x, y, sample_weights(y, sample_weight, class_weight, n), n};
}

std::vector<double> in_order(const Trainer& trainer, const callbacks::Logs& logs) {
  std::vector<double> out;
  std::vector<std::string> names = trainer.metrics_names();
  for (const std::string& name : names) {
    if (auto it = logs.find(name); it != logs.end()) out.push_back(it->second);
  }
  for (const auto& [name, value] : logs) {
    if (std::find(names.begin(), names.end(), name) == names.end()) out.push_back(value);
  }
  return out;
}

void check_batch_size(std::int64_t batch_size, const char* what) {
  if (batch_size < 1)
    throw Error(fmt::format("{}: batch_size must be >= 1, got {}", what, batch_size));
}

// Batch `i` of a pass, or nothing when the data ends.
using BatchSource = std::function<std::optional<Batch>(std::int64_t i)>;

// Batches of in-memory arrays, `steps` of them (in `order` when shuffled).
BatchSource array_batches(const Data& data, std::int64_t batch_size, std::int64_t steps,
                          const std::vector<std::int64_t>* order = nullptr) {
  return [&data, batch_size, steps, order](std::int64_t i) -> std::optional<Batch> {
    if (i >= steps) return std::nullopt;
    return data.batch(i, batch_size, order);
  };
}

// Batches of a generator: each checked against the model, with class
// weights applied; at most `steps` of them.
BatchSource generator_batches(const Model& model, const BatchGenerator& generator,
                              std::optional<std::int64_t> steps,
                              const std::map<std::int64_t, double>& class_weight,
                              const char* what) {
  return [&model, &generator, steps, class_weight, what](std::int64_t i) -> std::optional<Batch> {
    if (steps && i >= *steps) return std::nullopt;
    std::optional<DataBatch> b = generator();
    if (!b) return std::nullopt;
    Data d = make_data(model, b->x, b->y, b->sample_weight, class_weight, what);
    return d.batch(0, std::max<std::int64_t>(d.n, 1));
  };
}

// Runs a pass through the test step; the logs of the whole pass.
callbacks::Logs run_evaluation(Trainer& trainer, const BatchSource& batches, Callbacks& callbacks) {
  trainer.reset_metrics();
  callbacks.each([](auto& c) { c.on_test_begin({}); });
  for (std::int64_t i = 0;; ++i) {
    std::optional<Batch> batch = batches(i);
    if (!batch) break;
    callbacks.each([&](auto& c) { c.on_test_batch_begin(i, {}); });
    trainer.test_batch(*batch);
    const callbacks::Logs logs = callbacks.want_batch_logs() ? trainer.logs() : callbacks::Logs{};
    callbacks.each([&](auto& c) { c.on_test_batch_end(i, logs); });
  }
  callbacks::Logs logs = trainer.logs();
  callbacks.each([&](auto& c) { c.on_test_end(logs); });
  return logs;
}

// Keras' fit loop over epochs of `epoch_batches` (given the epoch).
callbacks::History run_fit(const Model& model, Trainer& trainer, const FitOptions& options,
                           std::optional<std::int64_t> steps,
                           const std::function<BatchSource(std::int64_t epoch)>& epoch_batches,
                           const std::optional<Data>& validation) {
  FunctionalImpl& impl = model.impl();
  impl.history = callbacks::History();
  Callbacks callbacks(model, options.callbacks, &impl.history, options.verbose,
                      {options.verbose, options.epochs, steps});
  impl.stop_training = false;
  callbacks.each([](auto& c) { c.on_train_begin({}); });
  callbacks::Logs epoch_logs;
  for (std::int64_t epoch = options.initial_epoch; epoch < options.epochs; ++epoch) {
    trainer.reset_metrics();
    callbacks.each([&](auto& c) { c.on_epoch_begin(epoch, {}); });
    const BatchSource batches = epoch_batches(epoch);
    std::int64_t done = 0;
    for (std::int64_t i = 0;; ++i) {
      std::optional<Batch> batch = batches(i);
      if (!batch) break;
      callbacks.each([&](auto& c) { c.on_train_batch_begin(i, {}); });
      trainer.train_batch(*batch);
      ++done;
      const callbacks::Logs logs = callbacks.want_batch_logs() ? trainer.logs() : callbacks::Logs{};
      callbacks.each([&](auto& c) { c.on_train_batch_end(i, logs); });
      if (impl.stop_training) break;
    }
    if (done == 0) {
      throw Error(fmt::format("fit: epoch {} had no batches: the data ran out", epoch + 1));
    }
    if (steps && done < *steps && !impl.stop_training) {
      // Keras: "Your input ran out of data; interrupting training."
      std::fprintf(stderr,
                   "fit: the data ran out after %lld of %lld steps; interrupting training\n",
                   static_cast<long long>(done), static_cast<long long>(*steps));
      impl.stop_training = true;
    }
    epoch_logs = trainer.logs();
    if (validation && (epoch + 1) % options.validation_freq == 0) {
      const std::int64_t batch_size = options.validation_batch_size.value_or(options.batch_size);
      const std::int64_t val_steps =
          std::min(validation->steps(batch_size),
                   options.validation_steps.value_or(validation->steps(batch_size)));
      const callbacks::Logs val =
          run_evaluation(trainer, array_batches(*validation, batch_size, val_steps), callbacks);
      for (const auto& [name, value] : val) epoch_logs["val_" + name] = value;
    }
    callbacks.each([&](auto& c) { c.on_epoch_end(epoch, epoch_logs); });
    if (impl.stop_training) break;
  }
  if (options.epochs > options.initial_epoch) {
    trainer.optimizer()->finalize_variable_values(impl.trainable_weights());
  }
  callbacks.each([&](auto& c) { c.on_train_end(epoch_logs); });
  return impl.history;
}

// fit's validation_data, checked against the model.
std::optional<Data> validation_data(const Model& model, const FitOptions& options) {
  if (!options.validation_data) return std::nullopt;
  const ValidationData& v = *options.validation_data;
  return make_data(model, v.x, v.y, v.sample_weight, {}, "fit (validation_data)");
}

void check_fit_options(const FitOptions& options) {
  check_batch_size(options.batch_size, "fit");
  if (options.validation_split < 0 || options.validation_split >= 1) {
    throw Error(
        fmt::format("fit: validation_split must be in [0, 1), got {}", options.validation_split));
  }
  if (options.validation_freq < 1) {
    throw Error(fmt::format("fit: validation_freq must be >= 1, got {}", options.validation_freq));
  }
}

}  // namespace

void Model::compile(CompileOptions options) const {
  impl().trainer = std::make_shared<Trainer>(impl(), std::move(options));
  impl().stop_training = false;
}

bool Model::compiled() const {
  return impl().trainer != nullptr;
}

optimizers::Optimizer Model::optimizer() const {
  return trainer_of(*this, "optimizer()").optimizer();
}

std::vector<std::string> Model::metrics_names() const {
  return trainer_of(*this, "metrics_names()").metrics_names();
}

callbacks::History Model::fit(const Tensor& x, const Tensor& y, FitOptions options) const {
  return fit(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}

callbacks::History Model::fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                              FitOptions options) const {
  Trainer& trainer = trainer_of(*this, "fit");
  check_fit_options(options);
  Data all = make_data(*this, x, y, options.sample_weight, options.class_weight, "fit");
  Data train = all;
  std::optional<Data> validation = validation_data(*this, options);
  if (!validation && options.validation_split > 0) {
    // The last fraction, taken before shuffling, as Keras does.
    const auto split_at = static_cast<std::int64_t>(
        std::floor(static_cast<double>(all.n) * (1.0 - options.validation_split)));
    if (split_at == 0 || split_at == all.n) {
      throw Error(fmt::format("fit: validation_split {} of {} samples leaves no {} samples",
                              options.validation_split, all.n,
                              split_at == 0 ? "training" : "validation"));
    }
    train = all.slice(0, split_at);
    validation = all.slice(split_at, all.n - split_at);
  }
  const std::int64_t batch_size = options.batch_size;
  const std::int64_t steps =
      std::min(train.steps(batch_size), options.steps_per_epoch.value_or(train.steps(batch_size)));
  // Shuffling draws from (seed, epoch) alone, so a resumed run repeats it.
  const std::uint64_t seed = utils::next_random_seed();
  std::vector<std::int64_t> order;
  return run_fit(
      *this, trainer, options, steps,
      [&](std::int64_t epoch) {
        order.clear();
        if (options.shuffle) {
          order.resize(static_cast<std::size_t>(train.n));
          std::iota(order.begin(), order.end(), 0);
          std::mt19937_64 rng(seed ^
                              (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(epoch + 1)));
          std::shuffle(order.begin(), order.end(), rng);
        }
        return array_batches(train, batch_size, steps, options.shuffle ? &order : nullptr);
      },
      validation);
}

namespace {

std::vector<Tensor> in_order_of(const std::vector<KerasTensor>& tensors, const NamedTensors& named,
                                const std::string& model, const char* what) {
  std::vector<std::string> names;
  for (const KerasTensor& t : tensors) names.push_back(t.history().layer->name());
  std::vector<Tensor> out;
  for (const std::string& name : names) {
    auto it = named.tensors().find(name);
    if (it == named.tensors().end()) {
      throw Error(fmt::format("no array is given for {} '{}' of model '{}'; its {}s are: {}", what,
                              name, model, what, fmt::join(names, ", ")));
    }
    out.push_back(it->second);
  }
  for (const auto& [name, tensor] : named.tensors()) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      throw Error(fmt::format("model '{}' has no {} named '{}'; its {}s are: {}", model, what, name,
                              what, fmt::join(names, ", ")));
    }
  }
  return out;
}

}  // namespace

std::vector<Tensor> Model::inputs_by_name(const NamedTensors& named) const {
  return in_order_of(inputs(), named, name(), "input");
}

std::vector<Tensor> Model::outputs_by_name(const NamedTensors& named) const {
  return in_order_of(outputs(), named, name(), "output");
}

callbacks::History Model::fit(const NamedTensors& x, const NamedTensors& y,
                              FitOptions options) const {
  return fit(inputs_by_name(x), outputs_by_name(y), std::move(options));
}

std::vector<double> Model::evaluate(const NamedTensors& x, const NamedTensors& y,
                                    EvaluateOptions options) const {
  return evaluate(inputs_by_name(x), outputs_by_name(y), std::move(options));
}

callbacks::History Model::fit(const BatchGenerator& data, FitOptions options) const {
  Trainer& trainer = trainer_of(*this, "fit");
  check_fit_options(options);
  if (options.validation_split > 0) {
    throw Error(
        "fit: validation_split needs arrays; give a generator's validation data as "
        "validation_data");
  }
  if (options.sample_weight) {
    throw Error(
        "fit: with a generator, give sample weights in its batches (DataBatch::sample_weight)");
  }
  if (!data) throw Error("fit: the generator is empty");
  std::optional<Data> validation = validation_data(*this, options);
  return run_fit(
      *this, trainer, options, options.steps_per_epoch,
      [&](std::int64_t) {
        return generator_batches(*this, data, options.steps_per_epoch, options.class_weight, "fit");
      },
      validation);
}

std::vector<double> Model::evaluate(const Tensor& x, const Tensor& y,
                                    EvaluateOptions options) const {
  return evaluate(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}

std::vector<double> Model::evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                    EvaluateOptions options) const {
  Trainer& trainer = trainer_of(*this, "evaluate");
  check_batch_size(options.batch_size, "evaluate");
  Data data = make_data(*this, x, y, options.sample_weight, {}, "evaluate");
  const std::int64_t steps = std::min(data.steps(options.batch_size),
                                      options.steps.value_or(data.steps(options.batch_size)));
  Callbacks callbacks(*this, options.callbacks, nullptr, options.verbose,
                      {options.verbose, 1, steps});
  return in_order(
      trainer, run_evaluation(trainer, array_batches(data, options.batch_size, steps), callbacks));
}

std::vector<double> Model::evaluate(const BatchGenerator& data, EvaluateOptions options) const {
  Trainer& trainer = trainer_of(*this, "evaluate");
  if (!data) throw Error("evaluate: the generator is empty");
  Callbacks callbacks(*this, options.callbacks, nullptr, options.verbose,
                      {options.verbose, 1, options.steps});
  return in_order(
      trainer,
      run_evaluation(trainer, generator_batches(*this, data, options.steps, {}, "evaluate"),
                     callbacks));
}

std::vector<double> Model::train_on_batch(const Tensor& x, const Tensor& y,
                                          BatchOptions options) const {
  return train_on_batch(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}

std::vector<double> Model::train_on_batch(const std::vector<Tensor>& x,
                                          const std::vector<Tensor>& y,
                                          BatchOptions options) const {
  Trainer& trainer = trainer_of(*this, "train_on_batch");
  Data data = make_data(*this, x, y, options.sample_weight, options.class_weight, "train_on_batch");
  // Keras 3 reports this batch alone.
  trainer.reset_metrics();
  trainer.train_batch(data.batch(0, data.n));
  return in_order(trainer, trainer.logs());
}

std::vector<double> Model::test_on_batch(const Tensor& x, const Tensor& y,
                                         BatchOptions options) const {
  return test_on_batch(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}

std::vector<double> Model::test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                         BatchOptions options) const {
  Trainer& trainer = trainer_of(*this, "test_on_batch");
  Data data = make_data(*this, x, y, options.sample_weight, options.class_weight, "test_on_batch");
  trainer.reset_metrics();
  trainer.test_batch(data.batch(0, data.n));
  return in_order(trainer, trainer.logs());
}

std::vector<Tensor> Model::predict_on_batch(const std::vector<Tensor>& x) const {
  const std::int64_t n = rows_of(x, "predict_on_batch");
  return impl().predict(x, std::max<std::int64_t>(n, 1));
}

Tensor Model::predict(const Tensor& x, const PredictOptions& options) const {
  std::vector<Tensor> out = predict(std::vector<Tensor>{x}, options);
  if (out.size() != 1) {
    throw Error(fmt::format("model '{}' has {} outputs: call predict with a vector of inputs",
                            name(), out.size()));
  }
  return out[0];
}

namespace {

// Runs batches of inputs from `next` (nothing at the end) through predict
// with the callbacks' hooks, and joins the outputs' rows.
std::vector<Tensor> predict_batches(
    FunctionalImpl& impl,
    const std::function<std::optional<std::vector<Tensor>>(std::int64_t)>& next,
    Callbacks& callbacks) {
  callbacks.each([](auto& c) { c.on_predict_begin({}); });
  std::vector<std::vector<Tensor>> parts;  // per output
  for (std::int64_t i = 0;; ++i) {
    std::optional<std::vector<Tensor>> batch = next(i);
    if (!batch) break;
    callbacks.each([&](auto& c) { c.on_predict_batch_begin(i, {}); });
    const std::int64_t rows = rows_of(*batch, "predict");
    std::vector<Tensor> out = impl.predict(*batch, std::max<std::int64_t>(rows, 1));
    parts.resize(out.size());
    for (std::size_t k = 0; k < out.size(); ++k) parts[k].push_back(out[k]);
    callbacks.each([&](auto& c) { c.on_predict_batch_end(i, {}); });
  }
  callbacks.each([](auto& c) { c.on_predict_end({}); });
  return layers::join_batches(parts);
}

}  // namespace

std::vector<Tensor> Model::predict(const std::vector<Tensor>& x,
                                   const PredictOptions& options) const {
  check_batch_size(options.batch_size, "predict");
  if (options.verbose == 0 && options.callbacks.empty() && !options.steps) {
    return impl().predict(x, options.batch_size);
  }
  const std::int64_t n = rows_of(x, "predict");
  std::int64_t steps = (n + options.batch_size - 1) / options.batch_size;
  if (options.steps) steps = std::min(steps, *options.steps);
  Callbacks callbacks(*this, options.callbacks, nullptr, options.verbose,
                      {options.verbose, 1, steps});
  return predict_batches(
      impl(),
      [&](std::int64_t i) -> std::optional<std::vector<Tensor>> {
        if (i >= steps) return std::nullopt;
        const std::int64_t begin = i * options.batch_size;
        const std::int64_t count = std::min(options.batch_size, n - begin);
        std::vector<Tensor> batch;
        for (const Tensor& t : x) batch.push_back(t.rows(begin, count));
        return batch;
      },
      callbacks);
}

std::vector<Tensor> Model::predict(const InputGenerator& data,
                                   const PredictOptions& options) const {
  if (!data) throw Error("predict: the generator is empty");
  Callbacks callbacks(*this, options.callbacks, nullptr, options.verbose,
                      {options.verbose, 1, options.steps});
  return predict_batches(
      impl(),
      [&](std::int64_t i) -> std::optional<std::vector<Tensor>> {
        if (options.steps && i >= *options.steps) return std::nullopt;
        return data();
      },
      callbacks);
}

}  // namespace keras::models
