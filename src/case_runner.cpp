#include "leadcustomers/case_runner.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "detail/strings.hpp"

namespace leadcustomers {

using detail::cat;

std::string subset_mismatch(const boost::json::value& expected, const boost::json::value& actual,
                            const std::string& where) {
  if (expected.is_object()) {
    if (!actual.is_object()) return cat(where, ": expected an object, got ", boost::json::serialize(actual));
    for (const auto& [k, v] : expected.as_object()) {
      std::string path = where.empty() ? std::string(k) : cat(where, ".", std::string_view(k));
      const auto* a = actual.as_object().if_contains(k);
      if (!a) return cat(path, ": missing");
      if (auto m = subset_mismatch(v, *a, path); !m.empty()) return m;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual.is_array()) return cat(where, ": expected an array, got ", boost::json::serialize(actual));
    const auto& e = expected.as_array();
    const auto& a = actual.as_array();
    if (e.size() != a.size()) return cat(where, ": expected ", e.size(), " elements, got ", a.size());
    for (size_t i = 0; i < e.size(); ++i) {
      if (auto m = subset_mismatch(e[i], a[i], cat(where, "[", i, "]")); !m.empty()) return m;
    }
    return "";
  }
  if (expected.is_number() && actual.is_number()) {
    boost::system::error_code e1, e2;
    auto x = expected.to_number<double>(e1);
    auto y = actual.to_number<double>(e2);
    if (!e1 && !e2 && x == y) return "";
  }
  if (expected == actual) return "";
  return cat(where, ": expected ", boost::json::serialize(expected), ", got ",
             boost::json::serialize(actual));
}

CaseOutcome run_case(const boost::json::object& test_case, const StoreFactory& make_store,
                     const EngineOptions& options) {
  CaseOutcome out;
  if (const auto* id = test_case.if_contains("id"); id && id->is_string())
    out.id = std::string(id->as_string());
  const auto* steps = test_case.if_contains("steps");
  if (!steps || !steps->is_array()) {
    out.detail = "the case has no steps";
    return out;
  }
  auto store = make_store();
  Engine engine(*store, options);
  for (const auto& step : steps->as_array()) {
    const auto* cmd = step.is_object() ? step.as_object().if_contains("cmd") : nullptr;
    if (!cmd || !cmd->is_object()) continue;
    const auto* op = cmd->as_object().if_contains("op");
    if (op && op->is_string() && !engine.supports(std::string(op->as_string()))) {
      out.verdict = CaseVerdict::skip;
      out.detail = cat("uses ", std::string_view(op->as_string()));
      return out;
    }
  }
  size_t n = 0;
  for (const auto& step : steps->as_array()) {
    ++n;
    const auto& s = step.as_object();
    Result r = engine.execute(s.at("cmd").as_object());
    auto doc = result_to_json(r);
    const auto* expect = s.if_contains("expect");
    if (!expect || !expect->is_object()) continue;
    const auto& e = expect->as_object();
    auto fail = [&](std::string what) {
      out.verdict = CaseVerdict::fail;
      out.detail = cat("step ", n, ": ", what);
      return out;
    };
    if (const auto* ok = e.if_contains("ok"); ok && ok->is_bool() && ok->as_bool() != r.ok()) {
      return fail(
          cat("expected ok=", ok->as_bool() ? "true" : "false", ", got ", boost::json::serialize(doc)));
    }
    if (const auto* code = e.if_contains("code"); code && code->is_string()) {
      std::string actual = r.ok() ? "OK" : std::string(error_code_name(error_code_of(r.status)));
      if (actual != code->as_string()) {
        return fail(cat("expected code ", std::string_view(code->as_string()), ", got ", actual, ": ",
                        std::string(r.status.message())));
      }
    }
    if (const auto* field = e.if_contains("field"); field && field->is_string()) {
      bool found = false;
      for (const auto& v : violations_of(r.status)) found |= v.field == field->as_string();
      if (!found && r.ok() && r.result.is_object()) {
        // An import: a violation of one of its rows.
        if (const auto* rows = r.result.as_object().if_contains("rows"); rows && rows->is_array()) {
          for (const auto& row : rows->as_array()) {
            const auto* vs = row.is_object() ? row.as_object().if_contains("violations") : nullptr;
            if (!vs || !vs->is_array()) continue;
            for (const auto& v : vs->as_array()) {
              const auto* f = v.is_object() ? v.as_object().if_contains("field") : nullptr;
              found |= f && *f == *field;
            }
          }
        }
      }
      if (!found) {
        return fail(cat("expected a violation on field ", std::string_view(field->as_string()), ", got ",
                        boost::json::serialize(doc)));
      }
    }
    if (const auto* result = e.if_contains("result")) {
      if (auto m = subset_mismatch(*result, r.result, "result"); !m.empty()) return fail(m);
    }
  }
  out.verdict = CaseVerdict::pass;
  return out;
}

CaseOutcome run_case_file(const std::filesystem::path& file, const StoreFactory& make_store,
                          const EngineOptions& options) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  CaseOutcome out;
  out.id = file.stem().string();
  if (!in.good() && !in.eof()) {
    out.detail = cat("cannot read ", file.string());
    return out;
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(ss.str(), ec);
  if (ec || !value.is_object()) {
    out.detail = cat("not a JSON case: ", file.string());
    return out;
  }
  return run_case(value.as_object(), make_store, options);
}

std::vector<std::filesystem::path> case_files(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> out;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json") out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
  } else {
    out.push_back(path);
  }
  return out;
}

}  // namespace leadcustomers
