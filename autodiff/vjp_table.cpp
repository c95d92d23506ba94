#include <map>
#include <string>

#include "vjp/vjp_families.hpp"

namespace keras::autodiff {

void register_all_vjps(VjpRegistry& registry);

namespace {

class Table : public VjpRegistry {
 public:
  Table() { register_all_vjps(*this); }
  void add(std::string_view op, VjpFn fn) override { insert(op, VjpRule{fn, true}); }
  void add_not_differentiable(std::string_view op) override { insert(op, VjpRule{nullptr, false}); }
  const VjpRule* find(std::string_view op) const {
    auto it = rules_.find(op);
    return it == rules_.end() ? nullptr : &it->second;
  }

 private:
  void insert(std::string_view op, VjpRule rule) {
    auto [it, inserted] = rules_.emplace(std::string(op), rule);
    KERAS_INTERNAL_CHECK(inserted, "VJP rule for '{}' registered twice", op);
  }
  std::map<std::string, VjpRule, std::less<>> rules_;
};

}  // namespace

const VjpRule* find_vjp(std::string_view op) {
  static const Table table;
  return table.find(op);
}

}  // namespace keras::autodiff
