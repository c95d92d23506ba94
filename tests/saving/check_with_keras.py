"""Checks that real Keras loads the files keras-cpp writes, with the same predictions.

keras-cpp converts the fixture models (fixtures/, written by real Keras) to every
format and dialect it writes; the Keras running this script then loads each file,
predicts on the fixture inputs and compares with what the Keras that wrote the
fixture computed (DESIGN.md's tolerance: rtol 1e-4 here, as the MNIST models sum
784 products). Not part of the test suite (it needs Python and Keras):

  KERAS_BACKEND=jax /tmp/keras3-venv/bin/python tests/saving/check_with_keras.py build/tools/keras-cpp
  TF_USE_LEGACY_KERAS=1 /tmp/tfkeras-venv/bin/python tests/saving/check_with_keras.py build/tools/keras-cpp

Prints one line per model and format: ok, FAIL (with the difference or the error),
or refused (keras-cpp refused to write what that dialect cannot express).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
MODELS = ["pima", "mnist_sigmoid", "mnist_relu", "bn_dropout", "shared_two_input",
          "nested_twice", "two_output"]

try:
    import tf_keras as keras  # tf-keras 2.x (TF_USE_LEGACY_KERAS=1)
    KERAS3 = False
except ImportError:
    import keras
    KERAS3 = keras.__version__.startswith("3")
import yaml


def expected(generation, model):
    with open(os.path.join(FIXTURES, generation, model + ".expected.json")) as f:
        e = json.load(f)
    arrays = lambda items: [np.array(i["values"], np.float32).reshape(i["shape"]) for i in items]
    return arrays(e["inputs"]), arrays(e["outputs"])


def convert(cli, source, out, *extra):
    result = subprocess.run([cli, "convert", source, out, *extra], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip())


def cases(cli, tmp, model):
    """(format name, function that writes with keras-cpp and loads with Keras)."""
    if KERAS3:
        source = os.path.join(FIXTURES, "k3", model + ".keras")

        def whole(ext):
            out = os.path.join(tmp, model + ext)
            convert(cli, source, out)
            return keras.models.load_model(out, compile=False)

        def json_weights():
            out = os.path.join(tmp, model + ".json")
            convert(cli, source, out)
            with open(out) as f:
                m = keras.models.model_from_json(f.read())
            m.load_weights(os.path.join(tmp, model + ".weights.h5"))
            return m

        return "k3", [(".keras", lambda: whole(".keras")), (".h5", lambda: whole(".h5")),
                      (".json + .weights.h5", json_weights)]

    source = os.path.join(FIXTURES, "tfk2", model + ".h5")

    def whole_h5():
        out = os.path.join(tmp, model + ".h5")
        convert(cli, source, out, "--dialect", "keras2")
        return keras.models.load_model(out, compile=False)

    def config(ext, load):
        out = os.path.join(tmp, model + ext)
        convert(cli, source, out, "--dialect", "keras2")
        with open(out) as f:
            m = load(f.read())
        m.load_weights(os.path.join(tmp, model + "_weights.h5"))
        return m

    def from_keras3():
        out = os.path.join(tmp, model + "_from_k3.h5")
        convert(cli, os.path.join(FIXTURES, "k3", model + ".keras"), out, "--dialect", "keras2")
        return keras.models.load_model(out, compile=False)

    from_yaml = lambda text: keras.models.model_from_config(yaml.safe_load(text))
    return "tfk2", [(".h5 (keras2)", whole_h5),
                    ("Keras 3's .keras as .h5 (keras2)", from_keras3),
                    (".json (keras2) + legacy .h5 weights",
                     lambda: config(".json", keras.models.model_from_json)),
                    (".yaml + legacy .h5 weights", lambda: config(".yaml", from_yaml))]


def main():
    cli = os.path.abspath(sys.argv[1])
    print(f"Keras {keras.__version__}")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for model in MODELS:
            generation, formats = cases(cli, tmp, model)
            for name, load in formats:
                inputs, outputs = expected("k3" if "Keras 3's" in name else generation, model)
                try:
                    m = load()
                except RuntimeError as e:  # keras-cpp refused to write it
                    print(f"{model:18s} {name:38s} refused: {e}")
                    continue
                except Exception as e:  # Keras could not load it
                    failures += 1
                    print(f"{model:18s} {name:38s} FAIL: Keras cannot load it: {e!r}"[:300])
                    continue
                got = m.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
                got = got if isinstance(got, list) else [got]
                worst = max(float(np.max(np.abs(g - w) / (1e-6 / 1e-4 + np.abs(w))))
                            for g, w in zip(got, outputs))
                ok = all(np.allclose(g, w, rtol=1e-4, atol=1e-6) for g, w in zip(got, outputs))
                failures += 0 if ok else 1
                print(f"{model:18s} {name:38s} {'ok' if ok else 'FAIL'} (max rel diff {worst:.1e})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
