// The portal login through the engine at the DEFAULT limits (libsodium interactive: 2 passes, 64 MiB),
// against the raw libsodium calls in the same run.
//
//   ./portal_bench                      # ~10 s: 3 repetitions of 3 iterations, interleaved at random
//   ./portal_bench --benchmark_filter=verify
//
// Every time is per command (or per raw call). What each command costs in Argon2id work:
//   set_login/password        one hash                    (compare hash/raw)
//   set_login/pair+password   two hashes                  (compare 2 x hash/raw)
//   verify_password/right     one verification            (compare verify/raw)
//   verify_password/wrong     one verification + the failure count written (lockout out of reach here)
//   verify_password/unknown   one verification against a throw-away hash: must cost the same as "wrong",
//                             or the time would tell whether an e-mail has a login
//   customer.get              no hash at all: a hot path must never hash (expect microseconds)
// At the end a table gives each one's median and fastest per-op time and its CPU-time ratio to the raw
// primitive.
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/secret.hpp"

namespace {

namespace lc = leadcustomers;

constexpr char kPassword[] = "correct horse battery staple";
constexpr size_t kPasswordLen = sizeof kPassword - 1;
constexpr char kId[] = "018f0000-0000-7000-8000-000000000001";

// An engine at the default limits with one customer who has a login. The lockout limit is out of reach so
// that "wrong" measures a verification (and the failure count written) every time instead of a refusal.
struct World {
  lc::MemoryStore store;
  std::unique_ptr<lc::Engine> engine;
  World() {
    lc::EngineOptions options;  // hash_limits = interactive, the default
    options.lockout_attempts = 1'000'000'000;
    engine = std::make_unique<lc::Engine>(store, options);
    must(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001","customer_type_id":1,
             "first_name":"Ana","email":"ana@example.com"})");
    must(R"({"op":"portal.set_login","customer_id":"018f0000-0000-7000-8000-000000000001",
             "secret_question":"Pet?","secret_answer":"Blue Whale","password":"correct horse battery staple"})");
  }
  lc::Result run(const boost::json::object& cmd) { return engine->execute(cmd); }
  void must(const char* json) {
    auto r = engine->execute(boost::json::parse(json).as_object());
    if (!r.ok()) std::fprintf(stderr, "setup failed: %s\n", std::string(r.status.message()).c_str());
  }
};

void run_command(benchmark::State& state, const boost::json::object& cmd, lc::ErrorCode expected) {
  World world;
  // The throw-away hash of the unknown-e-mail path is made once per process; make it before timing.
  (void)world.run({{"op", "portal.verify_password"}, {"email", "warm@example.com"}, {"password", "x"}});
  for (auto _ : state) {
    auto r = world.run(cmd);
    if (lc::error_code_of(r.status) != expected) {
      state.SkipWithError(std::string(r.status.message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(r.result);
  }
}

void set_password(benchmark::State& state) {
  run_command(
      state, {{"op", "portal.set_login"}, {"customer_id", kId}, {"password", "another horse battery staple"}},
      lc::ErrorCode::ok);
}

void set_pair_and_password(benchmark::State& state) {
  run_command(state,
              {{"op", "portal.set_login"},
               {"customer_id", kId},
               {"secret_question", "Pet?"},
               {"secret_answer", "Blue Whale"},
               {"password", "another horse battery staple"}},
              lc::ErrorCode::ok);
}

void verify_right(benchmark::State& state) {
  run_command(state,
              {{"op", "portal.verify_password"}, {"email", "ana@example.com"}, {"password", kPassword}},
              lc::ErrorCode::ok);
}

void verify_wrong(benchmark::State& state) {
  run_command(state,
              {{"op", "portal.verify_password"}, {"email", "ana@example.com"}, {"password", "wrong horse"}},
              lc::ErrorCode::unauthenticated);
}

void verify_unknown(benchmark::State& state) {
  run_command(state,
              {{"op", "portal.verify_password"}, {"email", "nobody@example.com"}, {"password", kPassword}},
              lc::ErrorCode::unauthenticated);
}

void customer_get(benchmark::State& state) {
  run_command(state, {{"op", "customer.get"}, {"email", "ana@example.com"}}, lc::ErrorCode::ok);
}

void hash_raw(benchmark::State& state) {
  const auto limits = lc::HashLimits::interactive();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  for (auto _ : state) {
    if (crypto_pwhash_str(out.data(), kPassword, kPasswordLen, limits.ops_limit, limits.mem_limit) != 0) {
      state.SkipWithError("crypto_pwhash_str failed");
      break;
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
}

void verify_raw(benchmark::State& state) {
  const auto limits = lc::HashLimits::interactive();
  std::array<char, crypto_pwhash_STRBYTES> h{};
  if (crypto_pwhash_str(h.data(), kPassword, kPasswordLen, limits.ops_limit, limits.mem_limit) != 0) {
    state.SkipWithError("crypto_pwhash_str failed");
    return;
  }
  for (auto _ : state) {
    int rc = crypto_pwhash_str_verify(h.data(), kPassword, kPasswordLen);
    if (rc != 0) {
      state.SkipWithError("crypto_pwhash_str_verify refused the right secret");
      break;
    }
    benchmark::DoNotOptimize(rc);
  }
}

struct Entry {
  const char* name;
  void (*fn)(benchmark::State&);
  const char* raw;   // the primitive it is compared with
  double raw_calls;  // how many raw calls the command should cost
  benchmark::IterationCount iterations;
};

const Entry kEntries[] = {
    {"hash/raw", hash_raw, "hash/raw", 1, 3},
    {"verify/raw", verify_raw, "verify/raw", 1, 3},
    {"portal.set_login/password", set_password, "hash/raw", 1, 3},
    {"portal.set_login/pair+password", set_pair_and_password, "hash/raw", 2, 3},
    {"portal.verify_password/right", verify_right, "verify/raw", 1, 3},
    {"portal.verify_password/wrong", verify_wrong, "verify/raw", 1, 3},
    {"portal.verify_password/unknown_email", verify_unknown, "verify/raw", 1, 3},
    {"customer.get/with_login", customer_get, "verify/raw", 0, 2000},
};

class TableReporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type == Run::RT_Iteration && !r.error_occurred) {
        auto n = static_cast<double>(r.iterations);
        real_[r.run_name.function_name].push_back(r.real_accumulated_time / n);
        cpu_[r.run_name.function_name].push_back(r.cpu_accumulated_time / n);
      }
    }
  }
  void Finalize() override {
    auto& out = GetOutputStream();
    out << "\nper-op time at the default (interactive) limits, median and fastest of the repetitions. On a "
           "shared\n"
           "machine the CPU time of the benchmark thread is the steadier figure (real time includes "
           "waiting).\n";
    char line[240];
    std::snprintf(line, sizeof line, "%-38s %12s %12s %12s  %s\n", "operation", "real median", "real fastest",
                  "cpu median", "cpu median / (raw cpu median x Argon2id calls)");
    out << line;
    for (const auto& e : kEntries) {
      auto real = stats(real_, e.name);
      auto cpu = stats(cpu_, e.name);
      auto raw = stats(cpu_, e.raw);
      if (real.median <= 0) {
        std::snprintf(line, sizeof line, "%-38s %12s\n", e.name, "(not run)");
      } else if (e.raw_calls == 0 || raw.median <= 0) {
        std::snprintf(line, sizeof line, "%-38s %9.3f us %9.3f us %9.3f us  (no hash)\n", e.name,
                      real.median * 1e6, real.fastest * 1e6, cpu.median * 1e6);
      } else {
        std::snprintf(line, sizeof line, "%-38s %9.1f ms %9.1f ms %9.1f ms  %.2f\n", e.name,
                      real.median * 1e3, real.fastest * 1e3, cpu.median * 1e3,
                      cpu.median / (raw.median * e.raw_calls));
      }
      out << line;
    }
    ConsoleReporter::Finalize();
  }

 private:
  struct Stats {
    double median = 0;
    double fastest = 0;
  };
  using Times = std::map<std::string, std::vector<double>>;  // seconds per op, one entry per repetition
  static Stats stats(const Times& times, const std::string& name) {
    auto it = times.find(name);
    if (it == times.end() || it->second.empty()) return {};
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return {n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.front()};
  }
  Times real_;
  Times cpu_;
};

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::fprintf(stderr, "sodium_init failed\n");
    return 1;
  }
  std::vector<char*> args(argv, argv + argc);
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  args.insert(args.begin() + 1, interleave);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  for (const auto& e : kEntries) {
    benchmark::RegisterBenchmark(e.name, e.fn)
        ->Iterations(e.iterations)
        ->Repetitions(3)
        ->Unit(e.raw_calls == 0 ? benchmark::kMicrosecond : benchmark::kMillisecond)
        ->UseRealTime();
  }
  TableReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                               : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
