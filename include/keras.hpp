#pragma once
// keras-cpp: Keras for C++. The one header a program needs.
#include "keras/autodiff/gradients.hpp"
#include "keras/backend/backend.hpp"
#include "keras/backend/function.hpp"
#include "keras/dtype.hpp"
#include "keras/error.hpp"
#include "keras/graph/graph.hpp"
#include "keras/graph/ops.hpp"
#include "keras/shape.hpp"
#include "keras/tensor.hpp"
#include "keras/variable.hpp"
