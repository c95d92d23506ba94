#include <map>
#include <string>

#include "kernel_families.hpp"

namespace keras::backend::reference {

void register_all_kernels(KernelRegistry& registry);

namespace {

class Table : public KernelRegistry {
 public:
  Table() { register_all_kernels(*this); }
  void add(std::string_view op, Kernel kernel) override {
    auto [it, inserted] = kernels_.emplace(std::string(op), kernel);
    KERAS_INTERNAL_CHECK(inserted, "reference kernel for '{}' registered twice", op);
  }
  Kernel find(std::string_view op) const {
    auto it = kernels_.find(op);
    return it == kernels_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, Kernel, std::less<>> kernels_;
};

const Table& table() {
  static const Table instance;
  return instance;
}

}  // namespace

Kernel find_kernel(std::string_view op) {
  return table().find(op);
}

std::vector<Tensor> run_node(const graph::Node& node, const std::vector<Tensor>& inputs,
                             std::uint64_t step) {
  Kernel kernel = find_kernel(node.op());
  if (kernel == nullptr) {
    throw Error(fmt::format("the reference backend has no kernel for op '{}' (node '{}')",
                            node.op(), node.name()));
  }
  std::vector<Tensor> outputs;
  for (int i = 0; i < node.num_outputs(); ++i) {
    const graph::TensorType& type = node.output_type(i);
    outputs.emplace_back(type.dtype, type.shape);
  }
  KernelContext context{node, {}, {}, step};
  for (const Tensor& t : inputs) context.inputs.push_back(&t);
  for (Tensor& t : outputs) context.outputs.push_back(&t);
  kernel(context);
  return outputs;
}

}  // namespace keras::backend::reference
