#pragma once
// Keras' global settings (keras.config / keras.backend in Keras 3,
// keras/src/backend/config.py): the default float type, the fuzz factor and
// the image data format.
//
//   keras::backend::set_floatx("float64");        // new layers and Inputs are float64
//   keras::backend::epsilon();                    // 1e-07 unless keras.json says otherwise
//
// Their starting values come from `$KERAS_HOME/keras.json` (`~/.keras/keras.json`
// when KERAS_HOME is unset), the file Keras reads, for instance
//
//   {"floatx": "float32", "epsilon": 1e-07, "image_data_format": "channels_last",
//    "backend": "tensorflow"}
//
// It is read once, on the first use of a setting (never while a program
// starts); a missing file or key means Keras' default; "backend" and unknown
// keys are ignored. keras-cpp never writes the file (Keras creates it on
// import). A file that is not a JSON object, or holds an unknown value, makes
// each use of the settings it would give throw a keras::Error naming the
// file, the key and the accepted values. The setters override the file for
// the rest of the process (or until reload_config()); all functions are
// thread-safe.
//
// The kernel thread count is not here: it is KERAS_NUM_THREADS or
// backend::set_num_threads (keras/backend/backend.hpp).
#include <optional>
#include <string>
#include <string_view>

#include "keras/dtype.hpp"

namespace keras::backend {

// The default float type, as a string: "float32" (Keras' default),
// "float64", "float16" or "bfloat16". It is the dtype of layers, Inputs and
// the weights their initializers make when none is given, and of the total
// training loss (Keras' floatx()).
std::string floatx();
// Keras' set_floatx: "float16", "bfloat16", "float32" or "float64"; other
// values throw keras::Error. keras-cpp computes in float32 and float64 only:
// float16 and bfloat16 are accepted here, as Keras accepts them, and fail
// with a keras::Error where a dtype is made from them (floatx_dtype()).
void set_floatx(std::string_view value);
void set_floatx(DType value);  // float32 or float64
// floatx() as the DType layers use: float32 or float64. A keras::Error for
// float16 and bfloat16, naming where the value came from (keras.json or
// set_floatx) and how to change it. float64 runs on both backends: the oneDNN
// backend has no float64 primitives and runs those steps on its reference
// kernels (Plan::to_string() says so), so float64 models are slower.
DType floatx_dtype();

// Keras' fuzz factor (default 1e-07): the clipping of probabilities in the
// crossentropies, the guards of MAPE, MSLE, KLD, Poisson, the loss mask,
// Precision/Recall/AUC thresholds and F-scores, the norm constraints and
// normalize() in Dot and OrthogonalRegularizer. A loss or metric reads it
// when it is traced or built. Optimizers keep their own `epsilon` argument, as
// in Keras.
double epsilon();
// A finite number >= 0; anything else throws keras::Error.
void set_epsilon(double value);

// "channels_last" (Keras' default) or "channels_first": the default
// `data_format` of the layers that have one (Flatten today; the convolution
// and pooling layers take theirs from it the same way).
std::string image_data_format();
// Keras' set_image_data_format (case-insensitive, as in Keras); other values
// throw keras::Error.
void set_image_data_format(std::string_view data_format);
// Keras' standardize_data_format: image_data_format() when none is given,
// else the given one lowercased and checked.
std::string standardize_data_format(const std::optional<std::string>& data_format);

// The folder of keras.json: $KERAS_HOME, else $HOME/.keras (Keras' keras_home()).
std::string keras_home();
// Forgets the values set in code and what was read, so that the next use
// reads keras.json again (after changing the file or KERAS_HOME). Layers
// already made keep their dtype and data_format.
void reload_config();

}  // namespace keras::backend
