# Included by examples/CMakeLists.txt (haspec's own suite; this folder's
# CMakeLists.txt is the standalone example project).
#
# examples/cpp/install: install haspec from this build tree to a temporary
# prefix, build the example project against it with find_package(haspec) and
# run its gate tests. Needs every installed target built (the default build).
# Under sanitizers the example gets the same flags: the installed libraries
# need their runtimes.
if(NOT HASPEC_FUZZ)
  list(JOIN _haspec_san " " _example_flags)
  add_test(NAME examples/cpp/install
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/install_test.sh ${PROJECT_BINARY_DIR}
                   -DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}
                   "-DCMAKE_CXX_FLAGS=${_example_flags}"
                   "-DCMAKE_EXE_LINKER_FLAGS=${_example_flags}")
  set_tests_properties(examples/cpp/install PROPERTIES
                       ENVIRONMENT "CMAKE=${CMAKE_COMMAND};CTEST=${CMAKE_CTEST_COMMAND}"
                       TIMEOUT 300)
endif()
