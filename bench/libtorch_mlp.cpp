// The workloads of mlp_train_step.cpp and model_predict.cpp in libtorch
// (PyTorch's C++ API), the way compare_pytorch.py runs them in PyTorch.
// A training step is zero_grad, forward, loss, backward, SGD update and
// reading the loss:
//   MLP 784-512-512-10 relu, cross-entropy, batch 128 (compute-bound)
//   MLP 8-12-8-1 relu, BCE with logits, batch 10 (per-step overhead)
//   the same with Adam (lr 1e-3, eps 1e-7, Keras' defaults): compare_fit.py's
//   libtorch side of the Pima workload (batches of 10, as fit takes them)
// A prediction is the forward pass of the 784-512-512-10 MLP with a softmax,
// in eval mode under InferenceMode, at batch 128 and batch 1.
// Built only where libtorch is installed (scripts/setup --bench).
//
// Usage: bench_libtorch_mlp [WORKLOAD [REPEATS] | --info]
// Runs every workload, or only the one named (--info: none, only the setup).
// Warms up for 1 s, then times 7 repeats of k steps, k sized so that a repeat
// takes about 0.7 s, and prints one JSON object a line:
//   {"workload": "...", "samples_per_s": [7 values]}
// Threads: KERAS_NUM_THREADS, or all cores. The version, the threads and the
// BLAS libraries loaded go to stderr: Debian's libtorch calls whichever
// libblas.so.3 the alternatives (or LD_LIBRARY_PATH) select, and the netlib
// reference BLAS is about 20x slower than OpenBLAS here.
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int kRepeats = 7;

struct Workload {
  const char* name;
  bool train;
  std::vector<std::int64_t> widths;
  std::int64_t batch;
  bool adam = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Warms up for 1 s, then times `repeats` repeats of k steps, k sized so
// that a repeat takes about 0.7 s.
template <class Step>
std::vector<double> time_steps(const Step& step, std::int64_t batch, int repeats) {
  auto start = std::chrono::steady_clock::now();
  while (seconds_since(start) < 1.0) step();
  std::int64_t k = 1;
  double t = 0;
  while (t < 0.1) {
    k *= 2;
    start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < k; ++i) step();
    t = seconds_since(start);
  }
  k = std::max<std::int64_t>(1, static_cast<std::int64_t>(static_cast<double>(k) * 0.7 / t));
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) {
    start = std::chrono::steady_clock::now();
    for (std::int64_t i = 0; i < k; ++i) step();
    rates.push_back(static_cast<double>(k * batch) / seconds_since(start));
  }
  return rates;
}

torch::nn::Sequential mlp(const std::vector<std::int64_t>& widths) {
  torch::manual_seed(7);
  torch::nn::Sequential model;
  for (std::size_t i = 1; i < widths.size(); ++i) {
    model->push_back(torch::nn::Linear(widths[i - 1], widths[i]));
    if (i + 1 < widths.size()) model->push_back(torch::nn::ReLU());
  }
  return model;
}

std::vector<double> train_samples_per_second(const std::vector<std::int64_t>& widths,
                                             std::int64_t batch, int repeats, bool adam) {
  torch::nn::Sequential model = mlp(widths);
  std::unique_ptr<torch::optim::Optimizer> owned;
  if (adam) {
    owned = std::make_unique<torch::optim::Adam>(model->parameters(),
                                                 torch::optim::AdamOptions(1e-3).eps(1e-7));
  } else {
    owned =
        std::make_unique<torch::optim::SGD>(model->parameters(), torch::optim::SGDOptions(0.01));
  }
  torch::optim::Optimizer& optimizer = *owned;
  const torch::Tensor x = torch::rand({batch, widths.front()}) * 2 - 1;
  const bool classes = widths.back() > 1;
  const torch::Tensor y =
      classes ? torch::arange(batch, torch::kLong) % widths.back()
              : (torch::arange(batch, torch::kLong) % 2).to(torch::kFloat).unsqueeze(1);
  torch::nn::CrossEntropyLoss cross_entropy;
  torch::nn::BCEWithLogitsLoss bce;

  float sink = 0;
  const std::vector<double> rates = time_steps(
      [&] {
        optimizer.zero_grad();
        const torch::Tensor logits = model->forward(x);
        torch::Tensor loss = classes ? cross_entropy(logits, y) : bce(logits, y);
        loss.backward();
        optimizer.step();
        sink += loss.item<float>();
      },
      batch, repeats);
  if (sink != sink) std::fprintf(stderr, "loss is NaN\n");
  return rates;
}

std::vector<double> predict_samples_per_second(const std::vector<std::int64_t>& widths,
                                               std::int64_t batch, int repeats) {
  torch::nn::Sequential model = mlp(widths);
  model->push_back(torch::nn::Softmax(1));
  model->eval();
  torch::InferenceMode inference;
  const torch::Tensor x = torch::rand({batch, widths.front()});
  float sink = 0;
  const std::vector<double> rates = time_steps(
      [&] {
        const torch::Tensor y = model->forward(x);
        sink += y.data_ptr<float>()[0];
      },
      batch, repeats);
  if (sink != sink) std::fprintf(stderr, "prediction is NaN\n");
  return rates;
}

// The BLAS and LAPACK libraries mapped into this process.
std::string blas_libraries() {
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> paths;
  for (std::string line; std::getline(maps, line);) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string file = path.substr(path.rfind('/') + 1);
    if (file.find("blas") != std::string::npos || file.find("lapack") != std::string::npos) {
      paths.insert(path);
    }
  }
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : " ") + p;
  return out.empty() ? "none found" : out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<Workload> workloads = {
      {"BM_TrainStep_MLP_784_512_512_10_batch128", true, {784, 512, 512, 10}, 128},
      {"BM_TrainStep_MLP_8_12_8_1_batch10", true, {8, 12, 8, 1}, 10},
      {"BM_Fit_Pima_8_12_8_1_Adam_batch10", true, {8, 12, 8, 1}, 10, true},
      {"BM_Predict_MLP_784_512_512_10_batch128", false, {784, 512, 512, 10}, 128},
      {"BM_Predict_MLP_784_512_512_10_batch1", false, {784, 512, 512, 10}, 1},
  };
  const bool info = argc == 2 && std::strcmp(argv[1], "--info") == 0;
  const int repeats = argc == 3 ? std::atoi(argv[2]) : kRepeats;
  if (argc > 3 || repeats < 1 ||
      (argc >= 2 && !info && std::none_of(workloads.begin(), workloads.end(), [&](auto& w) {
         return std::strcmp(w.name, argv[1]) == 0;
       }))) {
    std::fprintf(stderr, "usage: %s [WORKLOAD [REPEATS] | --info]\nworkloads:\n", argv[0]);
    for (const auto& w : workloads) std::fprintf(stderr, "  %s\n", w.name);
    return 2;
  }

  int threads = static_cast<int>(std::thread::hardware_concurrency());
  if (const char* env = std::getenv("KERAS_NUM_THREADS"); env != nullptr && std::atoi(env) > 0) {
    threads = std::atoi(env);
  }
  at::set_num_threads(std::max(threads, 1));
  std::fprintf(stderr, "libtorch %s, threads %d\nBLAS: %s\n%s", TORCH_VERSION,
               at::get_num_threads(), blas_libraries().c_str(), at::show_config().c_str());
  if (info) return 0;

  for (const auto& w : workloads) {
    if (argc >= 2 && std::strcmp(w.name, argv[1]) != 0) continue;
    const std::vector<double> rates =
        w.train ? train_samples_per_second(w.widths, w.batch, repeats, w.adam)
                : predict_samples_per_second(w.widths, w.batch, repeats);
    std::printf("{\"workload\": \"%s\", \"samples_per_s\": [", w.name);
    for (std::size_t i = 0; i < rates.size(); ++i) {
      std::printf("%s%.1f", i == 0 ? "" : ", ", rates[i]);
    }
    std::printf("]}\n");
    std::fflush(stdout);
  }
  return 0;
}
