# Thin helpers so each folder's CMakeLists.txt stays a few lines.
#
#   haspec_library(NAME model_dsm SRCS dsm.cc rules.cc DEPS model_core)
#   haspec_test(NAME dsm_properties SRCS dsm_test.cc DEPS model_dsm properties_core)
#   haspec_binary(NAME haspec SRCS main.cc DEPS ...)
#   haspec_bench(NAME steps_bench SRCS steps_bench.cc DEPS ...)
#
# Include paths start at the repository root: #include "model/dsm/dsm.h".
# Every library also gets the alias haspec::NAME, the name an installed
# haspec exports it under (cmake/haspec_install.cmake), so in-tree and
# installed use look the same.

set(HASPEC_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wno-missing-field-initializers)

if(HASPEC_SANITIZE)
  set(_haspec_san -fsanitize=address,undefined -fno-sanitize-recover=all
                  -fno-omit-frame-pointer)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # g++ leaves float-cast-overflow out of -fsanitize=undefined.
    list(APPEND _haspec_san -fsanitize=float-cast-overflow)
  endif()
  add_compile_options(${_haspec_san})
  add_link_options(${_haspec_san})
endif()

if(HASPEC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HASPEC_FUZZ needs clang (use the 'fuzz' preset)")
  endif()
  # Instrument everything for coverage so fuzz targets are not blind; the
  # fuzzer main is linked only into the fuzz targets themselves
  # (fuzz/CMakeLists.txt). OSS-Fuzz and ClusterFuzzLite bring their own
  # sanitizer and coverage flags in $CXXFLAGS (.clusterfuzzlite/build.sh).
  option(HASPEC_FUZZ_FLAGS_FROM_ENV "Take sanitizer and coverage flags from CXXFLAGS only" OFF)
  if(NOT HASPEC_FUZZ_FLAGS_FROM_ENV)
    add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                        -fno-sanitize-recover=all -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined)
  endif()
endif()

function(_haspec_common target)
  # Installed, the same paths resolve under <prefix>/include.
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>)
  target_compile_options(${target} PRIVATE ${HASPEC_WARNINGS})
endfunction()

function(haspec_library)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  if(A_SRCS)
    add_library(${A_NAME} STATIC ${A_SRCS})
    target_link_libraries(${A_NAME} PUBLIC ${A_DEPS})
    # The headers need C++20 (concepts): users of an installed haspec too.
    target_compile_features(${A_NAME} PUBLIC cxx_std_20)
    _haspec_common(${A_NAME})
  else()
    add_library(${A_NAME} INTERFACE)
    target_include_directories(${A_NAME} INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>)
    target_link_libraries(${A_NAME} INTERFACE ${A_DEPS})
    target_compile_features(${A_NAME} INTERFACE cxx_std_20)
  endif()
  add_library(haspec::${A_NAME} ALIAS ${A_NAME})
endfunction()

function(haspec_binary)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  _haspec_common(${A_NAME})
endfunction()

# A GoogleTest binary; every test in it is registered with ctest.
function(haspec_test)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} GTest::gtest)
  target_compile_definitions(${A_NAME} PRIVATE
      HASPEC_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      HASPEC_SHARED_DIR="${HASPEC_SHARED_DIR}")
  _haspec_common(${A_NAME})
  gtest_discover_tests(${A_NAME} DISCOVERY_TIMEOUT 60
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()

function(haspec_bench)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} benchmark::benchmark)
  _haspec_common(${A_NAME})
endfunction()

# haspec_add_gate_test(NAME ... HEADER ... FACTORY ... LIBRARIES ...): the
# same function an installed haspec gives C++ projects.
include(${CMAKE_CURRENT_LIST_DIR}/haspecGateTest.cmake)
