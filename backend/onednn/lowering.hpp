#pragma once
// The oneDNN backend's lowering table: for every op, a lowering to oneDNN
// primitives or an explicit "runs on the reference kernels" entry (the
// completeness test checks that each op has one or the other).
#include <cstdint>
#include <string_view>

namespace keras::backend::onednn {

class Compiler;
struct Step;

// Emits the primitives of `step`; returns false when oneDNN cannot take these
// types or shapes (float64, a broadcast it lacks, ...), and the step then runs
// on the reference kernel. Validates before calling oneDNN.
using Lowering = bool (*)(const Step& step, Compiler& compiler);

bool has_entry(std::string_view op);
bool runs_on_reference(std::string_view op);
// Why an op runs on the reference kernels (for plan printouts); "" otherwise.
std::string_view reference_reason(std::string_view op);
// Ops whose output holds the input's bytes unchanged (reshape, identity, ...):
// the memory planner may alias the output to the input's buffer.
bool is_view(std::string_view op);
// The lowering of `op`, or nullptr for ops that run on the reference kernels.
Lowering find_lowering(std::string_view op);

// dnnl primitives created in this process: a plan creates its primitives once,
// when it is compiled, never when it runs.
std::uint64_t primitive_creations();

}  // namespace keras::backend::onednn
