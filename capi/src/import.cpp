// Imports through the C ABI: a file or a buffer, options as JSON, progress through a C callback.
#include <fstream>
#include <sstream>
#include <string>

#include "boost/json.hpp"
#include "capi_internal.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/importer.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

struct ParsedImportOptions {
  ImportOptions options;
  std::string rejects_path;
};

absl::StatusOr<ParsedImportOptions> parse_import_options(std::string_view text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  if (ec || !value.is_object()) {
    return field_error(ErrorCode::invalid_argument, "options", "capi.bad_options",
                       "import options must be a JSON object");
  }
  ParsedImportOptions out;
  bool has_format = false;
  for (const auto& [key, v] : value.as_object()) {
    auto wrong = [&](std::string_view expected) {
      return field_error(ErrorCode::invalid_argument, std::string_view(key), "command.wrong_type",
                         cat("import option '", std::string_view(key), "' must be ", expected));
    };
    if (key == "format") {
      if (!v.is_string()) return wrong("a string");
      auto f = parse_import_format(std::string_view(v.as_string()));
      if (!f) {
        return field_error(ErrorCode::invalid_argument, "format", "import.unknown_format",
                           cat("unknown import format ", quoted(std::string_view(v.as_string()))));
      }
      out.options.format = *f;
      has_format = true;
    } else if (key == "mapping") {
      if (!v.is_object()) return wrong("an object");
      out.options.mapping = v.as_object();
    } else if (key == "dry_run") {
      if (!v.is_bool()) return wrong("a boolean");
      out.options.dry_run = v.as_bool();
    } else if (key == "import_passwords") {
      if (!v.is_bool()) return wrong("a boolean");
      out.options.import_passwords = v.as_bool();
    } else if (key == "customer_type_id") {
      if (!v.is_int64()) return wrong("an integer");
      out.options.customer_type_id = v.as_int64();
    } else if (key == "batch_size") {
      if (!v.is_int64() || v.as_int64() < 1 || v.as_int64() > 100000)
        return wrong("an integer from 1 to 100000");
      out.options.batch_size = static_cast<size_t>(v.as_int64());
    } else if (key == "rejects_path") {
      if (!v.is_string()) return wrong("a string");
      out.rejects_path = std::string(v.as_string());
    } else {
      return field_error(ErrorCode::invalid_argument, std::string_view(key), "command.unknown_field",
                         cat("import options have no member '", std::string_view(key), "'"));
    }
  }
  if (!has_format) {
    return field_error(ErrorCode::invalid_argument, "format", "import.format_required",
                       "import options need a \"format\"");
  }
  return out;
}

lc_status run_import(lc_store* store, std::istream& in, std::string_view options_text,
                     lc_progress_fn progress, void* user_data, lc_result** out, lc_error** err) {
  auto parsed = parse_import_options(options_text);
  if (!parsed.ok()) return fail(err, parsed.status());
  std::ofstream rejects;
  if (!parsed->rejects_path.empty()) {
    rejects.open(parsed->rejects_path, std::ios::binary | std::ios::trunc);
    if (!rejects) {
      return fail(err, field_error(ErrorCode::invalid_argument, "rejects_path", "capi.cannot_write",
                                   cat("cannot write the rejects file ", quoted(parsed->rejects_path))));
    }
    parsed->options.rejects = &rejects;
  }
  if (progress) {
    parsed->options.on_progress = [progress, user_data](const ImportProgress& p) {
      progress(user_data, p.rows_read, p.accepted, p.rejected, p.bytes_read);
    };
  }
  auto result = import_customers(*store->engine, in, parsed->options);
  if (!result.ok()) return fail(err, result.status());
  if (out) deliver(out, boost::json::serialize(import_result_json(*result)), result->warnings);
  return LC_OK;
}

}  // namespace
}  // namespace leadcustomers::detail

namespace lc = leadcustomers;
namespace lcd = leadcustomers::detail;

extern "C" {

lc_status lc_import_file(lc_store* store, const char* path, size_t path_len, const char* options,
                         size_t options_len, lc_progress_fn progress, void* user_data, lc_result** out,
                         lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    if (!store) return lcd::fail(err, lcd::null_argument("store"));
    auto file = lcd::input_text(path, path_len, "path", lcd::kMaxKeyBytes);
    if (!file.ok()) return lcd::fail(err, file.status());
    auto opts = lcd::input_text(options, options_len, "options", lcd::kMaxKeyBytes * 16);
    if (!opts.ok()) return lcd::fail(err, opts.status());
    std::ifstream in{std::string(*file), std::ios::binary};
    if (!in) {
      return lcd::fail(err, lc::field_error(lc::ErrorCode::not_found, "path", "capi.cannot_read",
                                            lcd::cat("cannot read ", lc::quoted(*file))));
    }
    return lcd::run_import(store, in, *opts, progress, user_data, out, err);
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

lc_status lc_import_buffer(lc_store* store, const char* data, size_t data_len, const char* options,
                           size_t options_len, lc_progress_fn progress, void* user_data, lc_result** out,
                           lc_error** err) noexcept {
  try {
    lcd::clear(err);
    if (out) *out = nullptr;
    if (!store) return lcd::fail(err, lcd::null_argument("store"));
    if (!data && data_len > 0) return lcd::fail(err, lcd::null_argument("data"));
    if (data_len > store->max_input_bytes) {
      return lcd::fail(err, lc::field_error(lc::ErrorCode::resource_exhausted, "data", "capi.too_large",
                                            lcd::cat("the buffer is ", data_len, " bytes (at most ",
                                                     store->max_input_bytes, ")")));
    }
    auto opts = lcd::input_text(options, options_len, "options", lcd::kMaxKeyBytes * 16);
    if (!opts.ok()) return lcd::fail(err, opts.status());
    // The importer reports invalid UTF-8 per record, with its offset, so the bytes are passed on unchecked.
    std::istringstream in(std::string(data ? data : "", data_len), std::ios::binary);
    return lcd::run_import(store, in, *opts, progress, user_data, out, err);
  } catch (...) {
    return lcd::fail_current_exception(err);
  }
}

}  // extern "C"
