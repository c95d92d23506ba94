// Metrics over confusion counts at thresholds (Precision, Recall, AUC) and
// per class (F1Score, FBetaScore), as Keras 3 computes them.
#include <cmath>

#include "../core/rank_alignment.hpp"
#include "keras/backend/config.hpp"
#include "keras/graph/ops.hpp"
#include "keras/losses.hpp"
#include "keras/metrics.hpp"

namespace keras::metrics {

namespace {

using serialize::Config;

Value as_float(const Value& x) {
  return ops::cast(x, DType::float32);
}

double divide_no_nan(double a, double b) {
  return b == 0.0 ? 0.0 : a / b;
}

// Counts of (label, prediction > threshold) over every element, weighted:
// for each threshold, true positives, false positives, true negatives and
// false negatives (the `wanted` ones, in that order).
struct Counts {
  bool tp, fp, tn, fn;
};

std::vector<Value> confusion_counts(const Value& y_true, const Value& y_pred,
                                    const std::optional<Value>& sample_weight,
                                    const std::vector<double>& thresholds, Counts wanted) {
  const Value pred = ops::reshape(as_float(y_pred), {-1, 1});
  Value label = ops::reshape(as_float(y_true), {-1, 1});
  std::vector<float> t(thresholds.begin(), thresholds.end());
  const Value th = ops::constant(Tensor(Shape{static_cast<std::int64_t>(t.size())}, t));
  const Value predicted_positive = as_float(ops::greater(pred, th));  // (M, T)
  const Value predicted_negative = 1.0 - predicted_positive;
  Value is_true = as_float(ops::greater(label, ops::scalar_like(label, 0.5)));
  Value is_false = 1.0 - is_true;
  if (sample_weight) {
    // One weight per element: broadcast against the predictions first.
    const Value w =
        ops::reshape(ops::broadcast_like(losses::aligned_weights(as_float(y_pred), *sample_weight),
                                         as_float(y_pred)),
                     {-1, 1});
    is_true = is_true * w;
    is_false = is_false * w;
  }
  std::vector<Value> out;
  if (wanted.tp) out.push_back(ops::sum(predicted_positive * is_true, {0}));
  if (wanted.fp) out.push_back(ops::sum(predicted_positive * is_false, {0}));
  if (wanted.tn) out.push_back(ops::sum(predicted_negative * is_false, {0}));
  if (wanted.fn) out.push_back(ops::sum(predicted_negative * is_true, {0}));
  return out;
}

Config thresholds_config(const std::vector<double>& thresholds, bool given) {
  if (!given) return nullptr;
  if (thresholds.size() == 1) return thresholds[0];
  Config list = Config::list();
  for (double t : thresholds) list.push_back(t);
  return list;
}

class PrecisionRecall final : public MetricImpl {
 public:
  PrecisionRecall(bool precision, PrecisionRecallOptions o)
      : MetricImpl(precision ? "Precision" : "Recall",
                   o.name.empty() ? (precision ? "precision" : "recall") : o.name),
        precision_(precision),
        given_(!o.thresholds.empty()),
        thresholds_(o.thresholds.empty() ? std::vector<double>{0.5} : o.thresholds) {}

  std::vector<Value> batch_state(const Value& y_true, const Value& y_pred,
                                 const std::optional<Value>& sample_weight) const override {
    return confusion_counts(y_true, y_pred, sample_weight, thresholds_,
                            {true, precision_, false, !precision_});
  }
  Tensor result() const override {
    const std::size_t n = thresholds_.size();
    std::vector<float> out(n, 0.0f);
    const auto& s = state();
    for (std::size_t i = 0; i < n && !s.empty(); ++i) {
      out[i] = static_cast<float>(divide_no_nan(s[i], s[i] + s[n + i]));
    }
    if (n == 1) return Tensor::scalar(out[0]);
    return Tensor(Shape{static_cast<std::int64_t>(n)}, out);
  }
  Config get_config() const override {
    Config config = Config::dict();
    config["name"] = name();
    config["dtype"] = "float32";
    config["thresholds"] = thresholds_config(thresholds_, given_);
    config["top_k"] = nullptr;
    config["class_id"] = nullptr;
    return config;
  }

 private:
  bool precision_;
  bool given_;
  std::vector<double> thresholds_;
};

class AUCImpl final : public MetricImpl {
 public:
  explicit AUCImpl(AUCOptions o) : MetricImpl("AUC", o.name.empty() ? "auc" : o.name), o_(o) {
    if (o_.curve != "ROC" && o_.curve != "PR") {
      throw Error(fmt::format("AUC: curve must be \"ROC\" or \"PR\", got \"{}\"", o_.curve));
    }
    if (o_.summation_method != "interpolation" && o_.summation_method != "minoring" &&
        o_.summation_method != "majoring") {
      throw Error(fmt::format(
          "AUC: summation_method must be interpolation, minoring or majoring, got \"{}\"",
          o_.summation_method));
    }
    if (!o_.thresholds.empty()) {
      // Keras adds the end points to given thresholds.
      thresholds_.push_back(0.0 - backend::epsilon());
      thresholds_.insert(thresholds_.end(), o_.thresholds.begin(), o_.thresholds.end());
      thresholds_.push_back(1.0 + backend::epsilon());
    } else {
      if (o_.num_thresholds < 2) {
        throw Error(fmt::format("AUC: num_thresholds must be > 1, got {}", o_.num_thresholds));
      }
      thresholds_.push_back(0.0 - backend::epsilon());
      for (std::int64_t i = 0; i < o_.num_thresholds - 2; ++i) {
        thresholds_.push_back(static_cast<double>(i + 1) /
                              static_cast<double>(o_.num_thresholds - 1));
      }
      thresholds_.push_back(1.0 + backend::epsilon());
    }
  }

  std::vector<Value> batch_state(const Value& y_true, const Value& y_pred,
                                 const std::optional<Value>& sample_weight) const override {
    const Value p = o_.from_logits ? ops::sigmoid(y_pred) : y_pred;
    if (!o_.multi_label) {
      return confusion_counts(y_true, p, sample_weight, thresholds_, {true, true, true, true});
    }
    // Per label: (samples, labels, 1) against the thresholds, summed over
    // the samples: (labels, thresholds) for each count.
    const std::int64_t labels = p.shape().dim(-1);
    const Value pred = ops::expand_dims(ops::reshape(as_float(p), {-1, labels}), -1);
    const Value truth = ops::expand_dims(ops::reshape(as_float(y_true), {-1, labels}), -1);
    std::vector<float> t(thresholds_.begin(), thresholds_.end());
    const Value th = ops::constant(Tensor(Shape{static_cast<std::int64_t>(t.size())}, t));
    const Value positive = as_float(ops::greater(pred, th));
    const Value negative = 1.0 - positive;
    Value is_true = as_float(ops::greater(truth, ops::scalar_like(truth, 0.5)));
    Value is_false = 1.0 - is_true;
    if (sample_weight) {
      const Value w = ops::reshape(as_float(*sample_weight), {-1, 1, 1});
      is_true = is_true * w;
      is_false = is_false * w;
    }
    return {ops::sum(positive * is_true, {0}), ops::sum(positive * is_false, {0}),
            ops::sum(negative * is_false, {0}), ops::sum(negative * is_true, {0})};
  }

  Tensor result() const override {
    const std::size_t n = thresholds_.size();
    const auto& s = state();
    if (s.empty()) return Tensor::scalar(0.0);
    const std::size_t labels = s.size() / (4 * n);
    // Counts lie as [tp | fp | tn | fn], each (labels, thresholds).
    std::vector<double> by_label(labels);
    for (std::size_t l = 0; l < labels; ++l) {
      const auto at = [&](std::size_t count, std::size_t i) {
        return s[(count * labels + l) * n + i];
      };
      by_label[l] = area(at);
    }
    if (labels == 1) return Tensor::scalar(by_label[0]);
    double total = 0.0, weights = 0.0;
    for (std::size_t l = 0; l < labels; ++l) {
      const double w = o_.label_weights.empty() ? 1.0 : o_.label_weights.at(l);
      total += w * by_label[l];
      weights += w;
    }
    return Tensor::scalar(divide_no_nan(total, weights));
  }

  // The area under one curve from its counts per threshold: at(k, i) is
  // count k (tp, fp, tn, fn) at threshold i.
  template <class At>
  double area(const At& at) const {
    const auto tp = [&](std::size_t i) { return at(0, i); };
    const auto fp = [&](std::size_t i) { return at(1, i); };
    const auto tn = [&](std::size_t i) { return at(2, i); };
    const auto fn = [&](std::size_t i) { return at(3, i); };
    const std::size_t n = thresholds_.size();
    double area = 0.0;
    if (o_.curve == "PR" && o_.summation_method == "interpolation") {
      // Davis & Goadrich's interpolation, as Keras' interpolate_pr_auc.
      for (std::size_t i = 0; i + 1 < n; ++i) {
        const double dtp = tp(i) - tp(i + 1);
        const double p0 = tp(i) + fp(i);
        const double p1 = tp(i + 1) + fp(i + 1);
        const double dp = p0 - p1;
        const double slope = divide_no_nan(dtp, std::max(dp, 0.0));
        const double intercept = tp(i + 1) - slope * p1;
        const double ratio = (p0 > 0 && p1 > 0) ? divide_no_nan(p0, std::max(p1, 0.0)) : 1.0;
        area += divide_no_nan(slope * (dtp + intercept * std::log(ratio)),
                              std::max(tp(i + 1) + fn(i + 1), 0.0));
      }
      return area;
    }
    std::vector<double> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double recall = divide_no_nan(tp(i), tp(i) + fn(i));
      if (o_.curve == "ROC") {
        x[i] = divide_no_nan(fp(i), fp(i) + tn(i));
        y[i] = recall;
      } else {
        x[i] = recall;
        y[i] = divide_no_nan(tp(i), tp(i) + fp(i));
      }
    }
    for (std::size_t i = 0; i + 1 < n; ++i) {
      double height = (y[i] + y[i + 1]) / 2.0;
      if (o_.summation_method == "minoring") height = std::min(y[i], y[i + 1]);
      if (o_.summation_method == "majoring") height = std::max(y[i], y[i + 1]);
      area += (x[i] - x[i + 1]) * height;
    }
    return area;
  }

  Config get_config() const override {
    Config config = Config::dict();
    config["name"] = name();
    config["dtype"] = "float32";
    config["num_thresholds"] = static_cast<std::int64_t>(thresholds_.size());
    config["curve"] = o_.curve;
    config["summation_method"] = o_.summation_method;
    config["multi_label"] = o_.multi_label;
    config["num_labels"] = nullptr;
    if (o_.label_weights.empty()) {
      config["label_weights"] = nullptr;
    } else {
      Config weights = Config::list();
      for (double w : o_.label_weights) weights.push_back(w);
      config["label_weights"] = weights;
    }
    config["from_logits"] = o_.from_logits;
    return config;
  }

 private:
  AUCOptions o_;
  std::vector<double> thresholds_;
};

class FBetaImpl final : public MetricImpl {
 public:
  FBetaImpl(std::string class_name, std::string default_name, FBetaOptions o)
      : MetricImpl(std::move(class_name), o.name.empty() ? std::move(default_name) : o.name),
        o_(std::move(o)) {
    if (!o_.average.empty() && o_.average != "micro" && o_.average != "macro" &&
        o_.average != "weighted") {
      throw Error(fmt::format(
          "{}: average must be empty (None), \"micro\", \"macro\" or \"weighted\", got \"{}\"",
          this->class_name(), o_.average));
    }
    if (o_.beta <= 0) throw Error(fmt::format("FBetaScore: beta must be > 0, got {}", o_.beta));
  }

  std::vector<Value> batch_state(const Value& y_true, const Value& y_pred,
                                 const std::optional<Value>& sample_weight) const override {
    const Value t = as_float(y_true);
    const Value p = as_float(y_pred);
    Value predicted;
    if (o_.threshold) {
      predicted = as_float(ops::greater(p, ops::scalar_like(p, *o_.threshold)));
    } else {
      const Value top = ops::max(p, {-1}, true);
      predicted = as_float(ops::greater_equal(p, top)) *
                  as_float(ops::greater(ops::abs(p), ops::scalar_like(p, 1e-9)));
    }
    const auto weighted_sum = [&](const Value& v) {
      if (!sample_weight) return ops::sum(v, {0});
      return ops::sum(v * ops::expand_dims(as_float(*sample_weight), 1), {0});
    };
    return {weighted_sum(predicted * t), weighted_sum(predicted * (1.0 - t)),
            weighted_sum((1.0 - predicted) * t), weighted_sum(t)};
  }

  Tensor result() const override {
    const auto& s = state();
    const std::size_t n = s.size() / 4;
    if (n == 0) return Tensor::scalar(0.0);
    const double beta2 = o_.beta * o_.beta;
    const double eps = backend::epsilon();
    const auto score = [&](double tp, double fp, double fn) {
      const double precision = tp / (tp + fp + eps);
      const double recall = tp / (tp + fn + eps);
      return precision * recall / (beta2 * precision + recall + eps) * (1 + beta2);
    };
    if (o_.average == "micro") {
      double tp = 0, fp = 0, fn = 0;
      for (std::size_t i = 0; i < n; ++i) {
        tp += s[i];
        fp += s[n + i];
        fn += s[2 * n + i];
      }
      return Tensor::scalar(score(tp, fp, fn));
    }
    std::vector<double> per_class(n);
    for (std::size_t i = 0; i < n; ++i) per_class[i] = score(s[i], s[n + i], s[2 * n + i]);
    if (o_.average.empty()) {
      return Tensor(Shape{static_cast<std::int64_t>(n)},
                    std::vector<float>(per_class.begin(), per_class.end()));
    }
    double total = 0.0;
    if (o_.average == "weighted") {
      double support = 0.0;
      for (std::size_t i = 0; i < n; ++i) support += s[3 * n + i];
      for (std::size_t i = 0; i < n; ++i) total += per_class[i] * s[3 * n + i] / (support + eps);
      return Tensor::scalar(total);
    }
    for (double v : per_class) total += v;
    return Tensor::scalar(total / static_cast<double>(n));
  }

  Config get_config() const override {
    Config config = Config::dict();
    config["name"] = name();
    config["dtype"] = "float32";
    config["average"] = o_.average.empty() ? Config() : Config(o_.average);
    if (class_name() == "FBetaScore") config["beta"] = o_.beta;
    config["threshold"] = o_.threshold ? Config(*o_.threshold) : Config();
    return config;
  }

 private:
  FBetaOptions o_;
};

}  // namespace

Metric Precision(PrecisionRecallOptions o) {
  return Metric(std::make_shared<PrecisionRecall>(true, std::move(o)));
}

Metric Recall(PrecisionRecallOptions o) {
  return Metric(std::make_shared<PrecisionRecall>(false, std::move(o)));
}

Metric AUC(AUCOptions o) {
  return Metric(std::make_shared<AUCImpl>(std::move(o)));
}

Metric F1Score(FBetaOptions o) {
  o.beta = 1.0;
  return Metric(std::make_shared<FBetaImpl>("F1Score", "f1_score", std::move(o)));
}

Metric FBetaScore(FBetaOptions o) {
  return Metric(std::make_shared<FBetaImpl>("FBetaScore", "fbeta_score", std::move(o)));
}

}  // namespace keras::metrics
