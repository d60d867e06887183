#include "support/test_support.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace leadcustomers::testing {

std::filesystem::path shared_dir() {
  if (const char* env = std::getenv("LC_SHARED_DIR"); env && *env) return env;
  return LC_SHARED_DIR;
}

std::filesystem::path data_file(const std::string& relative) {
  auto p = shared_dir() / "data" / relative;
  EXPECT_TRUE(std::filesystem::exists(p)) << "missing shared data file: " << p;
  return p;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace leadcustomers::testing
