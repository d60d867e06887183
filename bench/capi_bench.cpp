// The customer document by e-mail through the C ABI against the direct C++ call, in the same process run.
//
//   ./capi_bench                       # ~10 s: 9 repetitions of each, interleaved at random
//   bench/capi_bindings.sh BUILD_DIR   # this, then the same look-up through Python ctypes and Go cgo
//
// Both sides do the same work and both end with the JSON text of the customer document: C++ is
// Engine::get_customer_by_email + customer_document + boost::json::serialize; the C ABI is
// lc_customer_get_by_email (argument checks, the same three steps inside the .so, a result handle) +
// lc_result_json + lc_result_free. Each has its own in-memory store of the same 10 000 customers (the .so
// carries its own copy of the core). The look-ups cycle over 1 024 e-mails spread through the store.
// At the end: C ABI / C++ for the median and the fastest repetition (goal: at most 1.2).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "boost/json.hpp"
#include "leadcustomers.h"
#include "leadcustomers/document.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

namespace {

constexpr int kCustomers = 10000;
constexpr size_t kLookups = 1024;

std::string create_command(int i) {
  return "{\"op\":\"customer.create\",\"customer_type_id\":1,\"first_name\":\"First" + std::to_string(i) +
         "\",\"last_name\":\"Last\",\"email\":\"customer" + std::to_string(i) + "@example.com\"}";
}

std::vector<std::string> lookup_emails() {
  std::vector<std::string> out;
  for (size_t i = 0; i < kLookups; ++i) {
    out.push_back("Customer" + std::to_string((i * 7919) % kCustomers) + "@Example.com");
  }
  return out;
}

// The two stores, filled once (repetitions re-enter the benchmark functions).
struct Stores {
  leadcustomers::MemoryStore cpp_store;
  leadcustomers::Engine engine{cpp_store};
  lc_store* capi = nullptr;
  bool ok = true;
  Stores() {
    ok = lc_store_open_memory(nullptr, &capi, nullptr) == LC_OK;
    for (int i = 0; ok && i < kCustomers; ++i) {
      std::string cmd = create_command(i);
      ok = engine.execute_text(cmd).ok() &&
           lc_execute(capi, cmd.data(), cmd.size(), nullptr, nullptr) == LC_OK;
    }
  }
  ~Stores() { lc_store_close(capi); }
  Stores(const Stores&) = delete;
  Stores& operator=(const Stores&) = delete;
};

Stores& stores() {
  static Stores s;
  return s;
}

void cpp_get_by_email(benchmark::State& state) {
  auto& s = stores();
  if (!s.ok) {
    state.SkipWithError("filling the stores failed");
    return;
  }
  const auto emails = lookup_emails();
  size_t i = 0;
  for (auto _ : state) {
    auto found = s.engine.get_customer_by_email(emails[i++ % kLookups]);
    if (!found.ok()) {
      state.SkipWithError("get_customer_by_email failed");
      break;
    }
    std::string json = boost::json::serialize(leadcustomers::customer_document(*found));
    benchmark::DoNotOptimize(json.data());
  }
}

void capi_get_by_email(benchmark::State& state) {
  auto& s = stores();
  if (!s.ok) {
    state.SkipWithError("filling the stores failed");
    return;
  }
  const auto emails = lookup_emails();
  size_t i = 0;
  for (auto _ : state) {
    const std::string& email = emails[i++ % kLookups];
    lc_result* res = nullptr;
    if (lc_customer_get_by_email(s.capi, email.data(), email.size(), &res, nullptr) != LC_OK) {
      state.SkipWithError("lc_customer_get_by_email failed");
      break;
    }
    size_t len = 0;
    const char* json = lc_result_json(res, &len);
    benchmark::DoNotOptimize(json);
    benchmark::DoNotOptimize(len);
    lc_result_free(res);
  }
}

// The console output as usual, plus the per-repetition times kept by name for the ratio line.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type == Run::RT_Iteration && !r.error_occurred) {
        times_[r.run_name.function_name].push_back(r.real_accumulated_time /
                                                   static_cast<double>(r.iterations));
      }
    }
  }

  void Finalize() override {
    auto& out = GetOutputStream();
    const Stats cpp = stats("get_by_email/cpp");
    const Stats capi = stats("get_by_email/capi");
    char line[4096];
    if (cpp.median > 0 && capi.median > 0) {
      std::snprintf(line, sizeof line,
                    "\nget-by-email, JSON text out, real time per op (median / fastest of the repetitions)\n"
                    "  C++ direct  %8.0f ns / %8.0f ns\n"
                    "  C ABI       %8.0f ns / %8.0f ns\n"
                    "  C ABI / C++ %8.3f    / %8.3f      (goal <= 1.2)\n",
                    cpp.median * 1e9, cpp.fastest * 1e9, capi.median * 1e9, capi.fastest * 1e9,
                    capi.median / cpp.median, capi.fastest / cpp.fastest);
      out << line;
    }
    ConsoleReporter::Finalize();
  }

 private:
  struct Stats {
    double median = 0;
    double fastest = 0;
  };
  Stats stats(const std::string& name) const {
    auto it = times_.find(name);
    if (it == times_.end() || it->second.empty()) return {};
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return {n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.front()};
  }

  std::map<std::string, std::vector<double>> times_;
};

}  // namespace

int main(int argc, char** argv) {
  // Interleave the repetitions so a slow phase of the shared machine hits both sides alike (flags given on
  // the command line come later and win).
  std::vector<char*> args(argv, argv + argc);
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  static char repetitions[] = "--benchmark_repetitions=9";
  args.insert(args.begin() + 1, {interleave, repetitions});
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  benchmark::RegisterBenchmark("get_by_email/cpp", cpp_get_by_email)
      ->UseRealTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("get_by_email/capi", capi_get_by_email)
      ->UseRealTime()
      ->Unit(benchmark::kNanosecond);
  RatioReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                               : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
