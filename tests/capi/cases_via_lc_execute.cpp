// The shared behaviour cases (../shared/cases), each run through the C ABI: every step's command goes in as
// JSON text through lc_execute, and the outcome is read back only through lc_result / lc_error accessors.
// A case that uses an op the engine does not know yet is skipped (as the CLI reports SKIP); a missing
// cases folder fails.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "boost/json.hpp"
#include "gtest/gtest.h"
#include "leadcustomers.h"
#include "leadcustomers/case_runner.hpp"

namespace {

std::filesystem::path cases_dir() {
  if (const char* env = std::getenv("LC_SHARED_DIR")) return std::filesystem::path(env) / "cases";
  return std::filesystem::path(LC_SHARED_DIR) / "cases";
}

std::vector<std::filesystem::path> all_cases() { return leadcustomers::case_files(cases_dir()); }

std::string test_name(const ::testing::TestParamInfo<std::filesystem::path>& info) {
  std::string name = info.param.stem().string();
  for (auto& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

struct Store {
  lc_store* handle = nullptr;
  Store() {
    lc_options* options = nullptr;
    EXPECT_EQ(lc_options_new(&options, nullptr), LC_OK);
    EXPECT_EQ(lc_options_set_int(options, LC_OPTION_HASH_COST, LC_HASH_COST_MINIMUM, nullptr), LC_OK);
    EXPECT_EQ(lc_store_open_memory(options, &handle, nullptr), LC_OK);
    lc_options_free(options);
  }
  ~Store() { lc_store_close(handle); }
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
};

// What one step gave, read back through the C accessors.
struct Outcome {
  lc_status status = LC_INTERNAL;
  boost::json::value result;
  std::vector<std::string> violation_fields;
  std::string error_message;
};

Outcome run_step(lc_store* store, const boost::json::object& cmd) {
  std::string text = boost::json::serialize(cmd);
  lc_result* res = nullptr;
  lc_error* err = nullptr;
  Outcome out;
  out.status = lc_execute(store, text.data(), text.size(), &res, &err);
  if (out.status == LC_OK) {
    size_t len = 0;
    const char* json = lc_result_json(res, &len);
    out.result = boost::json::parse(std::string_view(json, len));
  } else {
    out.error_message = lc_error_message(err, nullptr);
    for (size_t i = 0; i < lc_error_violation_count(err); ++i) {
      out.violation_fields.emplace_back(lc_error_violation_field(err, i, nullptr));
    }
  }
  lc_result_free(res);
  lc_error_free(err);
  return out;
}

// A violation on `field` in the error, or (for an import) in one of its rows.
bool has_field(const Outcome& o, std::string_view field) {
  for (const auto& f : o.violation_fields) {
    if (f == field) return true;
  }
  if (o.status != LC_OK || !o.result.is_object()) return false;
  const auto* rows = o.result.as_object().if_contains("rows");
  if (!rows || !rows->is_array()) return false;
  for (const auto& row : rows->as_array()) {
    const auto* vs = row.is_object() ? row.as_object().if_contains("violations") : nullptr;
    if (!vs || !vs->is_array()) continue;
    for (const auto& v : vs->as_array()) {
      const auto* f = v.is_object() ? v.as_object().if_contains("field") : nullptr;
      if (f && f->is_string() && f->as_string() == field) return true;
    }
  }
  return false;
}

class CasesViaLcExecute : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(CasesViaLcExecute, PassesThroughTheCAbi) {
  std::ifstream in(GetParam(), std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << GetParam();
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto parsed = boost::json::parse(ss.str(), ec);
  ASSERT_FALSE(ec) << GetParam() << " is not JSON";
  const auto& steps = parsed.at("steps").as_array();

  Store store;
  for (const auto& step : steps) {
    std::string op(step.at("cmd").at("op").as_string());
    if (!lc_store_supports(store.handle, op.data(), op.size())) GTEST_SKIP() << "uses " << op;
  }
  size_t n = 0;
  for (const auto& step : steps) {
    ++n;
    SCOPED_TRACE(::testing::Message() << "step " << n << ": " << boost::json::serialize(step.at("cmd")));
    Outcome o = run_step(store.handle, step.at("cmd").as_object());
    const auto* expect = step.as_object().if_contains("expect");
    if (!expect) continue;
    const auto& e = expect->as_object();
    if (const auto* ok = e.if_contains("ok")) {
      ASSERT_EQ(ok->as_bool(), o.status == LC_OK) << lc_status_name(o.status) << ": " << o.error_message;
    }
    if (const auto* code = e.if_contains("code")) {
      ASSERT_EQ(std::string_view(code->as_string()), lc_status_name(o.status)) << o.error_message;
    }
    if (const auto* field = e.if_contains("field")) {
      ASSERT_TRUE(has_field(o, std::string_view(field->as_string())))
          << "no violation on " << field->as_string() << ": " << o.error_message;
    }
    if (const auto* result = e.if_contains("result")) {
      ASSERT_EQ(leadcustomers::subset_mismatch(*result, o.result, "result"), "");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SharedCases, CasesViaLcExecute, ::testing::ValuesIn(all_cases()), test_name);

TEST(SharedCases, FolderIsPresent) {
  ASSERT_TRUE(std::filesystem::is_directory(cases_dir())) << cases_dir() << " is missing";
  EXPECT_GE(all_cases().size(), 10u);
}

}  // namespace
