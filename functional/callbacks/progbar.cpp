// ProgbarLogger and Keras 3's Progbar (keras/src/utils/progbar.py): the
// same text and the same timings.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "keras/callbacks.hpp"
#include "keras/error.hpp"

namespace keras::callbacks {

namespace {

double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

std::string format_time(double time_per_unit, const std::string& unit) {
  if (time_per_unit >= 1 || time_per_unit == 0) {
    return fmt::format(" {:.0f}s/{}", time_per_unit, unit);
  }
  if (time_per_unit >= 1e-3) return fmt::format(" {:.0f}ms/{}", time_per_unit * 1e3, unit);
  return fmt::format(" {:.0f}us/{}", time_per_unit * 1e6, unit);
}

std::string format_value(double avg, bool absolute) {
  const bool fixed = absolute ? std::abs(avg) > 1e-3 : avg > 1e-3;
  return fixed ? fmt::format(" {:.4f}", avg) : fmt::format(" {:.4e}", avg);
}

// Display width of UTF-8 text: one column per code point.
std::size_t columns(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

class ProgbarLogger::Bar {
 public:
  Bar(std::optional<std::int64_t> target, int verbose, bool dynamic,
      std::function<void(const std::string&)> out, std::function<double()> clock)
      : target_(target),
        verbose_(verbose),
        dynamic_(dynamic),
        out_(std::move(out)),
        clock_(std::move(clock)) {
    start_ = clock_();
  }

  void update(std::int64_t current, const Logs& logs, bool finalize) {
    // Keras' ProgbarLogger shows every log as it is (its metrics are
    // already running means), in the order they first appeared.
    for (const auto& [key, value] : logs) {
      if (std::find(order_.begin(), order_.end(), key) == order_.end()) order_.push_back(key);
      values_[key] = value;
    }
    const double now = clock_();
    const double per_unit = step_duration(current, now);
    if (verbose_ == 1) {
      // Off a terminal only the final line is written: redraws would
      // fill a log file.
      if (!dynamic_ && !finalize) return;
      if (dynamic_ && now - last_update_ < 0.05 && !finalize) return;
      std::string message;
      if (dynamic_) {
        message += std::string(prev_width_, '\b');
        message += '\r';
      }
      std::string bar;
      std::size_t special = 0;
      if (target_) {
        const int digits = static_cast<int>(std::log10(static_cast<double>(*target_))) + 1;
        bar = fmt::format("\x1b[1m{:>{}}/{}\x1b[0m ", current, digits, *target_);
        special += 8;
        const double progress = static_cast<double>(current) / static_cast<double>(*target_);
        const int filled = static_cast<int>(20 * progress);
        if (filled > 0) {
          bar += "\x1b[32m";
          for (int i = 0; i < filled; ++i) bar += "━";
          bar += "\x1b[0m";
          special += 9;
        }
        bar += "\x1b[37m";
        for (int i = filled; i < 20; ++i) bar += "━";
        bar += "\x1b[0m";
        special += 9;
      } else {
        bar = fmt::format("{:>7}/Unknown", current);
      }
      message += bar;
      std::string info;
      if (target_ && !finalize) {
        const double eta = per_unit * static_cast<double>(*target_ - current);
        std::string eta_text;
        if (eta > 3600) {
          eta_text = fmt::format("{}:{:02}:{:02}", static_cast<long>(eta / 3600),
                                 static_cast<long>(std::fmod(eta, 3600) / 60),
                                 static_cast<long>(std::fmod(eta, 60)));
        } else if (eta > 60) {
          eta_text = fmt::format("{}:{:02}", static_cast<long>(eta / 60),
                                 static_cast<long>(std::fmod(eta, 60)));
        } else {
          eta_text = fmt::format("{}s", static_cast<long>(eta));
        }
        info = fmt::format(" \x1b[1m{}\x1b[0m", eta_text);
      } else {
        info = fmt::format(" \x1b[1m{:.0f}s\x1b[0m", now - start_);
      }
      special += 8;
      info += format_time(per_unit, "step");
      for (const std::string& key : order_) {
        info += fmt::format(" - {}:{}", key, format_value(values_.at(key), true));
      }
      message += info;
      const std::size_t width = columns(bar) + columns(info) - special;
      if (dynamic_ && prev_width_ > width) message += std::string(prev_width_ - width, ' ');
      if (finalize) message += '\n';
      out_(dynamic_ ? message : strip_escapes(message));
      prev_width_ = width;
    } else if (verbose_ == 2 && finalize) {
      const std::int64_t target = target_.value_or(current);
      const int digits =
          static_cast<int>(std::log10(static_cast<double>(std::max<std::int64_t>(target, 1)))) + 1;
      std::string info =
          fmt::format("{:>{}}/{} - {:.0f}s -", current, digits, target, now - start_);
      info += format_time(per_unit, "step");
      for (const std::string& key : order_) {
        info += fmt::format(" - {}:{}", key, format_value(values_.at(key), false));
      }
      out_(info + "\n");
    }
    last_update_ = now;
  }

  void set_target(std::int64_t target) { target_ = target; }

 private:
  static std::string strip_escapes(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\x1b') {
        while (i < text.size() && text[i] != 'm') ++i;
        continue;
      }
      out += text[i];
    }
    return out;
  }

  double step_duration(std::int64_t current, double now) {
    if (current == 0) return 0.0;
    double per_unit;
    if (after_first_step_ && current > 1) {
      per_unit = (now - *after_first_step_) / static_cast<double>(current - 1);
    } else {
      per_unit = (now - start_) / static_cast<double>(current);
    }
    if (current == 1) after_first_step_ = now;
    return per_unit;
  }

  std::optional<std::int64_t> target_;
  int verbose_;
  bool dynamic_;
  std::function<void(const std::string&)> out_;
  std::function<double()> clock_;
  double start_ = 0.0;
  double last_update_ = 0.0;
  std::optional<double> after_first_step_;
  std::size_t prev_width_ = 0;
  std::vector<std::string> order_;
  std::map<std::string, double> values_;
};

ProgbarLogger::ProgbarLogger(std::function<void(const std::string&)> out,
                             std::optional<bool> interactive, std::function<double()> clock)
    : out_(std::move(out)),
      interactive_(interactive.value_or(isatty(STDOUT_FILENO) != 0)),
      clock_(clock ? std::move(clock) : now_seconds) {
  if (!out_) {
    out_ = [](const std::string& text) {
      std::fputs(text.c_str(), stdout);
      std::fflush(stdout);
    };
  }
}

void ProgbarLogger::start(std::optional<std::int64_t> target) {
  bar_ = std::make_shared<Bar>(target, params().verbose, interactive_, out_, clock_);
  seen_ = 0;
}

void ProgbarLogger::step(std::int64_t batch, const Logs& logs) {
  seen_ = batch + 1;
  if (params().verbose != 1) return;
  if (!bar_) start(params().steps);
  bar_->update(seen_, logs, false);
}

void ProgbarLogger::finish(const Logs& logs) {
  // The target is the steps fit was told, or those seen.
  const std::int64_t target = params().steps.value_or(seen_);
  if (!bar_) start(target);
  bar_->set_target(target);
  bar_->update(target, logs, true);
}

void ProgbarLogger::on_train_begin(const Logs& /*logs*/) {
  in_fit_ = true;
}

void ProgbarLogger::on_epoch_begin(std::int64_t epoch, const Logs& /*logs*/) {
  start(params().steps);
  if (params().verbose != 0 && params().epochs > 1) {
    out_(fmt::format("Epoch {}/{}\n", epoch + 1, params().epochs));
  }
}

void ProgbarLogger::on_train_batch_end(std::int64_t batch, const Logs& logs) {
  step(batch, logs);
}

void ProgbarLogger::on_epoch_end(std::int64_t /*epoch*/, const Logs& logs) {
  finish(logs);
}

void ProgbarLogger::on_test_begin(const Logs& /*logs*/) {
  if (!in_fit_) start(params().steps);
}

void ProgbarLogger::on_test_batch_end(std::int64_t batch, const Logs& logs) {
  if (!in_fit_) step(batch, logs);
}

void ProgbarLogger::on_test_end(const Logs& logs) {
  if (!in_fit_) finish(logs);
}

void ProgbarLogger::on_predict_begin(const Logs& /*logs*/) {
  start(params().steps);
}

void ProgbarLogger::on_predict_batch_end(std::int64_t batch, const Logs& /*logs*/) {
  step(batch, {});
}

void ProgbarLogger::on_predict_end(const Logs& /*logs*/) {
  finish({});
}

}  // namespace keras::callbacks
