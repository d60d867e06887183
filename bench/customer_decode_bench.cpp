// Decoding and validating customer documents against raw boost::json::parse of the same bytes.
//
// 100k `customer.create` commands (names with diacritics and typographic apostrophes, IDN and ASCII e-mails,
// tags, notes, attributes; no phone numbers — their cost is measured in phone_bench) are
//   raw:    parsed with boost::json::parse (the floor), and
//   engine: parsed, decoded and fully validated by Engine::validate (the dry run: nothing is stored)
// in the same run; the ratio engine/raw is printed at the end (goal: at most 2x).
// Both paths run once untimed before the timed runs, then `--rounds N` (5) interleaved rounds of each; the
// ratio is that of their fastest rounds. `--docs N` runs on N documents instead of 100k (a small run for
// profiling: valgrind --tool=callgrind).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>

#include <algorithm>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "boost/json.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

namespace lc = leadcustomers;

namespace {

size_t g_docs = 100000;

const std::vector<std::string>& documents() {
  static const std::vector<std::string> docs = [] {
    std::vector<std::string> out;
    out.reserve(g_docs);
    std::mt19937 rng(42);
    const char* first[] = {"Ana", "Zoë",  "José",  "Bjørn",     "Siobhán",
                           "Li",  "Ömer", "Chloé", "Mary-Jane", "Ngozi"};
    const char* last[] = {"Example",        "O’Example", "Müller", "Sørensen",
                          "García Márquez", "D'Sample",  "Nguyễn"};
    const char* domains[] = {"example.com", "example.org", "MÜNCHEN.example", "shop.example.co.uk",
                             "example.net"};
    for (size_t i = 0; i < g_docs; ++i) {
      boost::json::object o;
      o["op"] = "customer.create";
      o["customer_type_id"] = 1;
      o["first_name"] = first[rng() % 10];
      o["last_name"] = last[rng() % 7];
      o["email"] = "customer." + std::to_string(i) + "+tag@" + domains[rng() % 5];
      o["newsletter"] = (rng() % 2) == 0;
      o["tags"] = boost::json::array{"vip", "wholesale", "VIP"};
      o["note"] = "Prefers delivery after 5 pm.\nCall first.";
      o["tax_exempt"] = nullptr;
      o["attributes"] = boost::json::object{{"magento.dob", "1980-05-06"}, {"magento.gender", "Female"}};
      out.push_back(boost::json::serialize(o));
    }
    return out;
  }();
  return docs;
}

// CPU time per pass over all documents, one entry per round, in the order the rounds ran.
std::vector<double> g_raw_ns, g_engine_ns;
int g_rounds = 5;

void BM_RawParse(benchmark::State& state) {
  const auto& docs = documents();
  size_t bytes = 0;
  for (auto _ : state) {
    for (const auto& d : docs) {
      auto v = boost::json::parse(d);
      benchmark::DoNotOptimize(v);
      bytes += d.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["ns_per_doc"] =
      benchmark::Counter(static_cast<double>(state.iterations() * g_docs),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_EngineDecodeValidate(benchmark::State& state) {
  const auto& docs = documents();
  size_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto store = std::make_unique<lc::MemoryStore>();
    lc::Engine engine(*store);
    state.ResumeTiming();
    for (const auto& d : docs) {
      auto v = boost::json::parse(d);
      auto r = engine.validate(v.as_object());
      if (!r.ok()) state.SkipWithError(std::string(r.status.message()).c_str());
      bytes += d.size();
    }
    state.PauseTiming();
    store.reset();
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["ns_per_doc"] =
      benchmark::Counter(static_cast<double>(state.iterations() * g_docs),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Iteration) continue;
      double per_iter = r.GetAdjustedCPUTime();  // CPU time: the machine is shared and noisy
      if (r.benchmark_name().rfind("BM_RawParse", 0) == 0) g_raw_ns.push_back(per_iter);
      if (r.benchmark_name().rfind("BM_EngineDecodeValidate", 0) == 0) g_engine_ns.push_back(per_iter);
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  // Our own flag first (google-benchmark refuses flags it does not know).
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--docs") == 0 && i + 1 < argc) {
      g_docs = std::strtoull(argv[i + 1], nullptr, 10);
      for (int j = i; j + 2 <= argc; ++j) argv[j] = argv[j + 2];
      argc -= 2;
      break;
    }
  }
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      g_rounds = std::max(1, std::atoi(argv[i + 1]));
      for (int j = i; j + 2 <= argc; ++j) argv[j] = argv[j + 2];
      argc -= 2;
      break;
    }
  }
  if (g_docs == 0) g_docs = 1;
  // Rounds of raw then engine, interleaved, so that a slow spell of the shared machine falls on both alike;
  // the ratio is taken from each one's fastest round (the least disturbed), and each round's own ratio is
  // shown too.
  for (int round = 0; round < g_rounds; ++round) {
    benchmark::RegisterBenchmark("BM_RawParse", BM_RawParse)->Unit(benchmark::kMillisecond)->Iterations(3);
    benchmark::RegisterBenchmark("BM_EngineDecodeValidate", BM_EngineDecodeValidate)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(3);
  }
  benchmark::Initialize(&argc, argv);
  // One untimed pass of each path first, so that neither timed run pays for first touches (the allocator's
  // arena growing, the documents' pages, the engine's per-process caches) that the other does not.
  for (const auto& d : documents()) {
    auto v = boost::json::parse(d);
    benchmark::DoNotOptimize(v);
  }
  {
    lc::MemoryStore store;
    lc::Engine engine(store);
    for (const auto& d : documents()) {
      auto v = boost::json::parse(d);
      auto r = engine.validate(v.as_object());
      if (!r.ok()) {
        std::cerr << "document refused: " << r.status.message() << "\n";
        return 1;
      }
    }
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  if (!g_raw_ns.empty() && g_raw_ns.size() == g_engine_ns.size()) {
    const double raw = *std::min_element(g_raw_ns.begin(), g_raw_ns.end());
    const double engine = *std::min_element(g_engine_ns.begin(), g_engine_ns.end());
    std::vector<double> ratios;
    for (size_t i = 0; i < g_raw_ns.size(); ++i) ratios.push_back(g_engine_ns[i] / g_raw_ns[i]);
    std::sort(ratios.begin(), ratios.end());
    std::cout << "\ncustomer documents: " << g_docs << ", rounds: " << g_raw_ns.size()
              << " (raw and engine interleaved; fastest round of each)\n"
              << "raw boost::json::parse:        " << raw / g_docs * 1e6 << " ns/doc\n"
              << "parse + decode + validate:     " << engine / g_docs * 1e6 << " ns/doc\n"
              << "ratio engine / raw parse:      " << engine / raw << "x (goal <= 2x)\n"
              << "per-round ratios:              " << ratios.front() << "x .. " << ratios.back()
              << "x, median " << ratios[ratios.size() / 2] << "x\n";
  }
  return 0;
}
