#pragma once
// What the hdf5 codec's files share: the lock every libhdf5 call holds, an
// owning hid_t, and checked calls.
#include <hdf5.h>

#include <mutex>
#include <string>

#include "keras/error.hpp"
#include "keras/serialize/hdf5.hpp"

namespace keras::serialize::hdf5 {

// Debian's libhdf5 is built without thread safety: one caller at a time.
// The first lock also silences libhdf5's own error printing (our errors say
// what went wrong) and turns off filter plugins, which a hostile file could
// otherwise make it load.
std::unique_lock<std::recursive_mutex> lock();

class Handle {
 public:
  explicit Handle(hid_t id) : id_(id) {}
  ~Handle();
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t id() const { return id_; }

 private:
  hid_t id_;
};

// Owns an id for the length of one function.
class Scoped {
 public:
  explicit Scoped(hid_t id) : id_(id) {}
  ~Scoped();
  Scoped(const Scoped&) = delete;
  Scoped& operator=(const Scoped&) = delete;
  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
};

// `result` of a libhdf5 call, or a keras::Error saying what failed where.
template <class T>
T checked(T result, const std::string& what) {
  if (result < 0) throw Error(what);
  return result;
}

}  // namespace keras::serialize::hdf5
