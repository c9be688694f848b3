# cmake --install: the haspec CLI, the reference implementation servers, the
# libraries a C++ project gates its implementation with, their headers (at
# the same paths from <prefix>/include as from the repository root), and a
# package config so that find_package(haspec) gives the haspec:: targets and
# haspec_add_gate_test. Tests and benchmarks are not installed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Per machine (model_registry lists them, as model/registry.h does): its
# model, its reference implementation and that reference's server.
set(HASPEC_INSTALL_LIBRARIES model_core model_registry engine sut_protocol traces_scenarios
    cli_common gate_runner)
set(HASPEC_INSTALL_PROGRAMS haspec)
set(_haspec_machine_dirs "")
get_target_property(_haspec_models model_registry INTERFACE_LINK_LIBRARIES)
foreach(_model IN LISTS _haspec_models)
  string(REGEX REPLACE "^model_" "" _dir ${_model})
  string(REPLACE "_" "-" _machine ${_dir})
  list(APPEND HASPEC_INSTALL_LIBRARIES ${_model} sut_${_dir}_reference)
  list(APPEND HASPEC_INSTALL_PROGRAMS haspec-ref-${_machine})
  list(APPEND _haspec_machine_dirs ${_dir})
endforeach()
set(HASPEC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/haspec)

install(TARGETS ${HASPEC_INSTALL_LIBRARIES} ${HASPEC_INSTALL_PROGRAMS}
        EXPORT haspecTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# Headers. rules.def tables are included by the model headers.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/model ${PROJECT_SOURCE_DIR}/engine
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h" PATTERN "*.def")
# Every protocol header: client.h and server.h include their helpers, and
# the examples/cpp/install test fails when one is left out.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sut/protocol
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sut
        FILES_MATCHING PATTERN "*.h")
foreach(_dir IN LISTS _haspec_machine_dirs)
  install(FILES ${PROJECT_SOURCE_DIR}/sut/${_dir}/reference.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sut/${_dir})
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/traces/scenarios.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/traces)
install(FILES ${PROJECT_SOURCE_DIR}/tools/haspec/gate_runner.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tools/haspec)

install(EXPORT haspecTargets NAMESPACE haspec:: DESTINATION ${HASPEC_INSTALL_CMAKEDIR})
configure_package_config_file(
    ${CMAKE_CURRENT_LIST_DIR}/haspecConfig.cmake.in
    ${PROJECT_BINARY_DIR}/haspecConfig.cmake
    INSTALL_DESTINATION ${HASPEC_INSTALL_CMAKEDIR}
    PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/haspecConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/haspecConfig.cmake
              ${PROJECT_BINARY_DIR}/haspecConfigVersion.cmake
              ${CMAKE_CURRENT_LIST_DIR}/haspecGateTest.cmake
        DESTINATION ${HASPEC_INSTALL_CMAKEDIR})
