# What `cmake --install` puts under the prefix: one include root
# (include/keras.hpp, include/keras/...), the libraries, the keras-cpp tool,
# the CMake package (find_package(KerasCpp)) and the pkg-config file
# (pkg-config keras-cpp).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KERAS_LIBRARIES keras_graph keras_autodiff keras_backend keras_serialize keras_functional)
foreach(folder graph autodiff backend serialize functional)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${folder}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          COMPONENT dev)
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/include/keras.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT dev)

if(BUILD_SHARED_LIBS)
  install(TARGETS keras_cpp EXPORT KerasCppTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev NAMELINK_COMPONENT dev)
  install(TARGETS keras EXPORT KerasCppTargets COMPONENT dev)
  set(KERAS_PC_LIBS "-lkeras-cpp")
else()
  install(TARGETS keras ${KERAS_LIBRARIES} EXPORT KerasCppTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  # The order a static link needs: users before what they use.
  set(KERAS_PC_LIBS "-lkeras_functional -lkeras_serialize -lkeras_backend -lkeras_autodiff -lkeras_graph")
endif()
install(TARGETS keras_cpp_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tool)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/KerasCpp)
install(EXPORT KerasCppTargets NAMESPACE KerasCpp:: DESTINATION ${config_dir} COMPONENT dev)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/KerasCppConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/KerasCppConfig.cmake
                              INSTALL_DESTINATION ${config_dir})
# 0.x: minor versions may break the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/KerasCppConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/KerasCppConfig.cmake
              ${PROJECT_BINARY_DIR}/KerasCppConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/KerasDependencies.cmake
        DESTINATION ${config_dir} COMPONENT dev)
# The prefix relative to the .pc file, so that a staged or moved install
# still points at itself: one ".." per level of libdir/pkgconfig.
set(KERAS_PC_PREFIX "\${pcfiledir}/..")
string(REPLACE "/" ";" libdir_parts "${CMAKE_INSTALL_LIBDIR}")
foreach(part ${libdir_parts})
  string(APPEND KERAS_PC_PREFIX "/..")
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/keras-cpp.pc.in ${PROJECT_BINARY_DIR}/keras-cpp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/keras-cpp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT dev)
