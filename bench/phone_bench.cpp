// parse_phone against the raw libphonenumber steps it wraps (Parse + IsValidNumber + Format(E164)), on the
// same inputs in the same run; prints the ratio after the run.
//
//   ./phone_bench --benchmark_repetitions=5
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "leadcustomers/phone.hpp"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

struct Input {
  std::string text;
  std::string region;
};

// 2 000 distinct numbers: fixed and mobile examples of six regions with their last three digits varied,
// written in national, international and E.164 form; every fifth carries an extension.
const std::vector<Input>& inputs() {
  static const std::vector<Input> all = [] {
    const auto& util = *PhoneNumberUtil::GetInstance();
    std::vector<Input> out;
    const char* regions[] = {"US", "GB", "DE", "IN", "FR", "BR"};
    const PhoneNumberUtil::PhoneNumberType types[] = {PhoneNumberUtil::FIXED_LINE, PhoneNumberUtil::MOBILE};
    const PhoneNumberUtil::PhoneNumberFormat formats[] = {
        PhoneNumberUtil::NATIONAL, PhoneNumberUtil::INTERNATIONAL, PhoneNumberUtil::E164};
    for (int variant = 0; out.size() < 2000; ++variant) {
      for (const char* region : regions) {
        for (auto type : types) {
          PhoneNumber n;
          if (!util.GetExampleNumberForType(region, type, &n)) continue;
          n.set_national_number(n.national_number() / 1000 * 1000 + static_cast<uint64_t>(variant % 1000));
          std::string text;
          util.Format(n, formats[out.size() % 3], &text);
          if (out.size() % 5 == 0) text += " x" + std::to_string(10 + variant % 90);
          out.push_back({std::move(text), region});
        }
      }
    }
    out.resize(2000);
    return out;
  }();
  return all;
}

void BM_ParsePhone(benchmark::State& state) {
  const auto& in = inputs();
  size_t i = 0;
  for (auto _ : state) {
    const auto& x = in[i++ % in.size()];
    leadcustomers::Diagnostics d;
    auto p = leadcustomers::parse_phone(x.text, x.region, "phone", d);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParsePhone);

void BM_RawLibphonenumber(benchmark::State& state) {
  const auto& in = inputs();
  const auto& util = *PhoneNumberUtil::GetInstance();
  size_t i = 0;
  for (auto _ : state) {
    const auto& x = in[i++ % in.size()];
    PhoneNumber n;
    std::string e164;
    if (util.Parse(x.text, x.region, &n) == PhoneNumberUtil::NO_PARSING_ERROR) {
      bool valid = util.IsValidNumber(n);
      benchmark::DoNotOptimize(valid);
      util.Format(n, PhoneNumberUtil::E164, &e164);
    }
    benchmark::DoNotOptimize(e164);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawLibphonenumber);

// Console output as usual, plus each benchmark's CPU time per iteration (the median when repeated).
// Plain (uncoloured) text so that logs stay readable.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : ConsoleReporter(OO_None) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      std::string name = run.run_name.function_name;
      if (median || (run.run_type == Run::RT_Iteration && !medians_.count(name)))
        times_[name] = run.GetAdjustedCPUTime();
      if (median) medians_[name] = true;
    }
  }
  double time(const std::string& name) const {
    auto it = times_.find(name);
    return it == times_.end() ? 0.0 : it->second;
  }

 private:
  std::map<std::string, double> times_;
  std::map<std::string, bool> medians_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Build the inputs (and load libphonenumber's metadata) outside the timing, and say what they are.
  size_t clean = 0, with_extension = 0;
  for (const auto& x : inputs()) {
    leadcustomers::Diagnostics d;
    auto p = leadcustomers::parse_phone(x.text, x.region, "phone", d);
    clean += p && d.warnings().empty();
    with_extension += p && p->extension;
  }
  std::printf("inputs: %zu (e.g. '%s' in %s), accepted without warning: %zu, with extension: %zu\n",
              inputs().size(), inputs()[1].text.c_str(), inputs()[1].region.c_str(), clean, with_extension);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  double ours = reporter.time("BM_ParsePhone");
  double raw = reporter.time("BM_RawLibphonenumber");
  if (ours > 0 && raw > 0) {
    std::printf(
        "parse_phone / raw libphonenumber (Parse+IsValidNumber+Format E164): %.3f (%.2f us vs %.2f us)\n",
        ours / raw, ours / 1000.0, raw / 1000.0);
  }
  benchmark::Shutdown();
  return 0;
}
