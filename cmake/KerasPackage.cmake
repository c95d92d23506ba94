# Debian packages with CPack (cpack -G DEB in the build folder):
#   libkeras-cpp-dev  headers, libraries, CMake package and pkg-config file
#   keras-cpp         the keras-cpp command-line tool
# Both depend only on Debian 12 packages.
set(CPACK_PACKAGE_NAME keras-cpp)
set(CPACK_PACKAGE_VENDOR "keras-cpp")
set(CPACK_PACKAGE_CONTACT "keras-cpp developers <keras-cpp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Keras for C++: layers, models, training and Keras' file formats")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL dev tool)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libkeras-cpp-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# What a program built against the headers and the static libraries needs.
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "libdnnl-dev, ocl-icd-opencl-dev, libfmt-dev, libsimdjson-dev, libyaml-cpp-dev, libhdf5-dev, libzip-dev, zlib1g-dev, pkg-config, g++ (>= 4:12)")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "Keras for C++ (development files)\n Headers, libraries, the CMake package (find_package(KerasCpp)) and the\n pkg-config file (keras-cpp) of keras-cpp.")

set(CPACK_DEBIAN_TOOL_PACKAGE_NAME keras-cpp)
set(CPACK_DEBIAN_TOOL_PACKAGE_SECTION science)
# The shared libraries the tool links, found by dpkg-shlibdeps.
set(CPACK_DEBIAN_TOOL_PACKAGE_SHLIBDEPS ON)
set(CPACK_COMPONENT_TOOL_DESCRIPTION
    "Keras model files from the command line\n keras-cpp summary, predict, convert and plot for .keras, .h5, .json and\n .yaml files of every Keras generation.")
include(CPack)
