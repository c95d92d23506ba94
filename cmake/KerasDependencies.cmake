# The libraries keras-cpp is built on, found the same way by its own build and
# by the projects that use an installed keras-cpp (KerasCppConfig.cmake
# includes this file), so that the imported targets have the same names.
# Only C++ is needed: HDF5 and libzip come through pkg-config (CMake's
# FindHDF5 would need the C language), and Debian's oneDNN package brings
# OpenCL's headers as a dependency of its own CMake config.
if(KERAS_FINDING_AS_PACKAGE)
  include(CMakeFindDependencyMacro)
  macro(keras_find_dependency)
    find_dependency(${ARGV})
  endmacro()
else()
  macro(keras_find_dependency)
    find_package(${ARGV} REQUIRED)
  endmacro()
endif()

keras_find_dependency(fmt)
keras_find_dependency(dnnl)
keras_find_dependency(OpenMP)
keras_find_dependency(simdjson)
keras_find_dependency(yaml-cpp)
keras_find_dependency(ZLIB)
keras_find_dependency(PkgConfig)
pkg_check_modules(KERAS_HDF5 REQUIRED QUIET IMPORTED_TARGET hdf5)
pkg_check_modules(KERAS_LIBZIP REQUIRED QUIET IMPORTED_TARGET libzip)
