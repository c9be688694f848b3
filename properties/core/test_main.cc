// Test main for property binaries: sets haspec's RapidCheck defaults while
// letting the user's RC_PARAMS win (later keys override earlier ones).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  const char* user = std::getenv("RC_PARAMS");
  std::string params = "max_success=150 max_size=60";
  if (user != nullptr) params += std::string(" ") + user;
  setenv("RC_PARAMS", params.c_str(), 1);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
