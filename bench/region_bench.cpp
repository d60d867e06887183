// State look-up speed of the region catalog, next to the raw primitive in the same run: an
// absl::flat_hash_map find over the same keys. Goals: by code <= 3x the raw look-up, by name < 1 us.
//
//   ./build/release/bench/region_bench --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "leadcustomers/region_catalog.hpp"
#include "leadcustomers/text.hpp"

namespace {

using leadcustomers::RegionCatalog;
using leadcustomers::Subdivision;

// The same transparent hashing the catalog's indexes use.
struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return absl::Hash<std::string_view>{}(s); }
};
struct ViewEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};
using RawMap = absl::flat_hash_map<std::string, std::uint32_t, ViewHash, ViewEq>;

// Every canonical subdivision code of the catalog, as the raw map's keys.
const RawMap& raw_map() {
  static const RawMap map = [] {
    RawMap m;
    std::uint32_t i = 0;
    for (const auto& region : RegionCatalog::instance().regions())
      for (const Subdivision& s : RegionCatalog::instance().subdivisions(region.code)) m.emplace(s.code, i++);
    return m;
  }();
  return map;
}

// The queries: every US state as a full code, as a bare code, and by name.
struct Queries {
  std::vector<std::string> full, suffix, name;
};
const Queries& queries() {
  static const Queries q = [] {
    Queries out;
    for (const Subdivision& s : RegionCatalog::instance().states("US")) {
      out.full.emplace_back(s.code);
      out.suffix.emplace_back(s.code.substr(3));
      out.name.emplace_back(s.name);
    }
    return out;
  }();
  return q;
}

void BM_RawFlatHashMapFind(benchmark::State& state) {
  const RawMap& map = raw_map();
  const auto& keys = queries().full;
  std::size_t i = 0;
  for (auto _ : state) {
    auto it = map.find(std::string_view(keys[i]));
    benchmark::DoNotOptimize(it);
    i = i + 1 == keys.size() ? 0 : i + 1;
  }
}
BENCHMARK(BM_RawFlatHashMapFind);

void BM_LookupStateByCode(benchmark::State& state) {
  const RegionCatalog& catalog = RegionCatalog::instance();
  const auto& keys = queries().suffix;
  std::size_t i = 0;
  for (auto _ : state) {
    auto s = catalog.lookup_state("US", keys[i]);
    benchmark::DoNotOptimize(s);
    i = i + 1 == keys.size() ? 0 : i + 1;
  }
}
BENCHMARK(BM_LookupStateByCode);

void BM_LookupStateByFullCode(benchmark::State& state) {
  const RegionCatalog& catalog = RegionCatalog::instance();
  const auto& keys = queries().full;
  std::size_t i = 0;
  for (auto _ : state) {
    auto s = catalog.lookup_state("US", keys[i]);
    benchmark::DoNotOptimize(s);
    i = i + 1 == keys.size() ? 0 : i + 1;
  }
}
BENCHMARK(BM_LookupStateByFullCode);

void BM_LookupStateByName(benchmark::State& state) {
  const RegionCatalog& catalog = RegionCatalog::instance();
  const auto& keys = queries().name;
  std::size_t i = 0;
  for (auto _ : state) {
    auto s = catalog.lookup_state("US", keys[i]);
    benchmark::DoNotOptimize(s);
    i = i + 1 == keys.size() ? 0 : i + 1;
  }
}
BENCHMARK(BM_LookupStateByName);

void BM_LookupStateByNameWithDiacritics(benchmark::State& state) {
  const RegionCatalog& catalog = RegionCatalog::instance();
  // Non-ASCII, and not in the case the table has them: the folding path.
  const std::string keys[] = {"québec", "ÎLE-DE-FRANCE", "nuevo león", "TELANGĀNA", "tōkyō"};
  const char* regions[] = {"CA", "FR", "MX", "IN", "JP"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto s = catalog.lookup_state(regions[i], keys[i]);
    benchmark::DoNotOptimize(s);
    i = i + 1 == std::size(keys) ? 0 : i + 1;
  }
}
BENCHMARK(BM_LookupStateByNameWithDiacritics);

// Reference: the folding alone (utf8proc), per name of the previous benchmark.
void BM_FoldForMatchReference(benchmark::State& state) {
  const std::string keys[] = {"québec", "ÎLE-DE-FRANCE", "nuevo león", "TELANGĀNA", "tōkyō"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto folded = leadcustomers::fold_for_match(keys[i]);
    benchmark::DoNotOptimize(folded);
    i = i + 1 == std::size(keys) ? 0 : i + 1;
  }
}
BENCHMARK(BM_FoldForMatchReference);

void BM_ValidateLocation(benchmark::State& state) {
  const RegionCatalog& catalog = RegionCatalog::instance();
  for (auto _ : state) {
    leadcustomers::Diagnostics d;
    auto loc =
        catalog.validate_location({.region = "US", .state = "CA", .city = "Los Angeles", .zip = "90011"}, d);
    benchmark::DoNotOptimize(loc);
  }
}
BENCHMARK(BM_ValidateLocation);

// Keeps each benchmark's times (the median when repeated) to print the ratios after the run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  struct Times {
    double real = 0, cpu = 0;
  };
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median") continue;
      if (run.run_type == Run::RT_Iteration && run.repetitions > 1) continue;
      times_[run.run_name.function_name] = {run.GetAdjustedRealTime(), run.GetAdjustedCPUTime()};
    }
    ConsoleReporter::ReportRuns(runs);
  }
  Times get(const std::string& name) const {
    auto it = times_.find(name);
    return it == times_.end() ? Times{} : it->second;
  }

 private:
  std::map<std::string, Times> times_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  (void)RegionCatalog::instance();  // built once, outside the timings
  (void)raw_map();
  (void)queries();
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  auto raw = reporter.get("BM_RawFlatHashMapFind");
  if (raw.real > 0 && raw.cpu > 0) {
    std::printf(
        "\nratios to the raw flat_hash_map find, real time / CPU time "
        "(goal: by code <= 3x, by name < 1000 ns)\n");
    const char* rows[][2] = {{"state by code (\"CA\")", "BM_LookupStateByCode"},
                             {"state by full code (\"US-CA\")", "BM_LookupStateByFullCode"},
                             {"state by name (\"California\")", "BM_LookupStateByName"},
                             {"state by name to fold (\"québec\")", "BM_LookupStateByNameWithDiacritics"},
                             {"fold_for_match alone (reference)", "BM_FoldForMatchReference"},
                             {"validate_location (US, CA, city, zip)", "BM_ValidateLocation"}};
    for (const auto& row : rows) {
      auto t = reporter.get(row[1]);
      std::printf("  %-40s %6.2fx / %6.2fx   (%.0f ns / %.0f ns)\n", row[0], t.real / raw.real,
                  t.cpu / raw.cpu, t.real, t.cpu);
    }
  }
  benchmark::Shutdown();
  return 0;
}
