// Every behaviour case in ../shared/cases against the in-memory store. A case that uses an op not built yet
// is reported as skipped with the op's name (never as a pass); a missing folder fails.
#include <filesystem>

#include "gtest/gtest.h"
#include "leadcustomers/case_runner.hpp"
#include "leadcustomers/memory_store.hpp"
#include "support/test_support.hpp"

namespace leadcustomers {
namespace {

TEST(SharedCases, EveryCasePassesOrNamesTheMissingOp) {
  auto dir = testing::shared_dir() / "cases";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << "missing " << dir;
  EngineOptions options;
  options.hash_limits = HashLimits::minimum();
  int passed = 0, skipped = 0, total = 0;
  for (const auto& file : case_files(dir)) {
    ++total;
    auto outcome = run_case_file(
        file, [] { return std::make_unique<MemoryStore>(); }, options);
    switch (outcome.verdict) {
      case CaseVerdict::pass:
        ++passed;
        break;
      case CaseVerdict::skip:
        ++skipped;
        std::cout << "SKIP " << outcome.id << ": " << outcome.detail << "\n";
        break;
      case CaseVerdict::fail:
        ADD_FAILURE() << "FAIL " << outcome.id << ": " << outcome.detail;
        break;
    }
  }
  EXPECT_GE(total, 10);
  std::cout << "shared cases (memory store): " << passed << " passed, " << skipped << " skipped of " << total
            << "\n";
  RecordProperty("cases_passed", passed);
  RecordProperty("cases_skipped", skipped);
}

}  // namespace
}  // namespace leadcustomers
