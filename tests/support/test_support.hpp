// Helpers shared by the tests: where the shared data lives, and file reading that fails loudly.
#pragma once

#include <filesystem>
#include <string>

namespace leadcustomers::testing {

// ../shared (the LC_SHARED_DIR the build was configured with, or $LC_SHARED_DIR).
std::filesystem::path shared_dir();
// shared_dir()/data/<relative>; the test fails (not skips) when the file is absent.
std::filesystem::path data_file(const std::string& relative);
// The whole file; fails the current test when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace leadcustomers::testing
