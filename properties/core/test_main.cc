// Test main for property binaries: sets haspec's RapidCheck defaults while
// letting the user's RC_PARAMS win (later keys override earlier ones).
//
// The default seed is fixed so that ctest is deterministic: a mutant must be
// caught on every run, not on most. Explore other seeds with
//   RC_PARAMS="seed=12345" ctest --preset default
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const char* user = std::getenv("RC_PARAMS");
  std::string params = "seed=20261122 max_success=150 max_size=60";
  if (user != nullptr) params += std::string(" ") + user;
  setenv("RC_PARAMS", params.c_str(), 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
