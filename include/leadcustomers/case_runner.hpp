// Runs the behaviour cases of ../shared/cases (format in its README): each case against a fresh, empty store,
// its steps in order, each result compared with the step's expectation (ok, code, field, result subset).
//
//   auto outcome = run_case_file("C01-email-case-duplicate.json", [] { return
//   std::make_unique<MemoryStore>(); });
//   // outcome.verdict == CaseVerdict::pass
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "boost/json.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/store.hpp"

namespace leadcustomers {

enum class CaseVerdict { pass, fail, skip };

struct CaseOutcome {
  std::string id;
  CaseVerdict verdict = CaseVerdict::fail;
  std::string detail;  // FAIL: "step <n>: <what differed>"; SKIP: "uses <op>"
};

using StoreFactory = std::function<std::unique_ptr<Store>()>;

// Runs one parsed case. `options` configure the engine (tests use minimum hash limits).
[[nodiscard]] CaseOutcome run_case(const boost::json::object& test_case, const StoreFactory& make_store,
                                   const EngineOptions& options = {});
// Reads and runs one case file (a read or parse failure is a FAIL naming the file).
[[nodiscard]] CaseOutcome run_case_file(const std::filesystem::path& file, const StoreFactory& make_store,
                                        const EngineOptions& options = {});
// Case files under `path` (a file, or every *.json of a folder, sorted).
[[nodiscard]] std::vector<std::filesystem::path> case_files(const std::filesystem::path& path);
// "" when `actual` matches `expected` as the cases README says (objects as subsets, arrays element-wise),
// else a description of the first difference at `where`.
[[nodiscard]] std::string subset_mismatch(const boost::json::value& expected,
                                          const boost::json::value& actual, const std::string& where);

}  // namespace leadcustomers
