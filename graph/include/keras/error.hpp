#pragma once
// keras::Error is what a user can cause (a wrong shape, a bad option, a
// malformed file); its message says what happened, what was received, what was
// expected and how to fix it. keras::InternalError is our bug: a broken
// invariant that no input should reach. Neither aborts the process.
#include <stdexcept>
#include <string>

#include <fmt/core.h>

namespace keras {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

class InternalError : public std::logic_error {
 public:
  explicit InternalError(const std::string& message)
      : std::logic_error("internal error (a keras-cpp bug, please report it): " + message) {}
};

}  // namespace keras

// Checks an invariant that only a bug in keras-cpp can break.
#define KERAS_INTERNAL_CHECK(condition, ...)                                               \
  do {                                                                                     \
    if (!(condition)) {                                                                    \
      throw ::keras::InternalError(fmt::format("{}:{}: {} failed: {}", __FILE__, __LINE__, \
                                               #condition, fmt::format(__VA_ARGS__)));     \
    }                                                                                      \
  } while (false)
