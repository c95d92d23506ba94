#!/usr/bin/env bash
# Builds and runs tests/consumer/main.cpp with the flags pkg-config gives for
# an installed keras-cpp (static libraries: --static adds their dependencies).
#   build_with_pkg_config.sh PREFIX WORKDIR
set -euo pipefail
prefix=$1
work=$2
mkdir -p "$work"
pc_dir=$(dirname "$(find "$prefix" -name keras-cpp.pc | head -1)")
export PKG_CONFIG_PATH="$pc_dir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# shellcheck disable=SC2046
g++ -O1 "$(dirname "$0")/main.cpp" -o "$work/consumer_pkg_config" \
  $(pkg-config --cflags keras-cpp) $(pkg-config --libs --static keras-cpp)
"$work/consumer_pkg_config"
