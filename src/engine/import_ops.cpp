// import.csv: imports a file given as text inside one command (SPEC §5), in the command's transaction. The
// result is the import result of SPEC §5; the import as a whole is ok even when records are rejected.
#include <istream>
#include <streambuf>

#include "detail/strings.hpp"
#include "engine/context.hpp"
#include "leadcustomers/importer.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

// An istream over text the command already holds (no copy).
class TextBuffer final : public std::streambuf {
 public:
  explicit TextBuffer(std::string_view text) {
    char* p = const_cast<char*>(text.data());  // read-only: the get area is never written
    setg(p, p, p + text.size());
  }
};

absl::StatusOr<boost::json::value> op_import_csv(OpContext& ctx) {
  auto& f = ctx.fields;
  auto format = f.str("format");
  auto text = f.str("csv");
  const auto* mapping = f.raw("mapping");
  auto dry_run = f.boolean("dry_run");
  auto type = f.int64("customer_type_id");
  if (mapping && !mapping->is_null() && !mapping->is_object() && !mapping->is_string()) {
    f.wrong_type("mapping", "an object or a JSON string");
  }
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  if (ctx.actor == Actor::customer) {
    return make_error(ErrorCode::permission_denied, "a customer cannot import customers");
  }
  if (!format.has_value()) {
    return field_error(ErrorCode::invalid_argument, "format", "import.format_required", "format is required");
  }
  auto parsed = parse_import_format(format.value);
  if (!parsed) {
    return field_error(
        ErrorCode::invalid_argument, "format", "import.unknown_format",
        cat("format ", quoted(format.value),
            " is not shopify, shopify-json, magento-customer, magento-address, magento-composite, "
            "generic, generic-json or jsonl"));
  }
  if (!text.has_value()) {
    return field_error(ErrorCode::invalid_argument, "csv", "import.input_required",
                       "csv (the file's text) is required");
  }
  ImportOptions options;
  options.format = *parsed;
  if (mapping && mapping->is_object()) {
    options.mapping = mapping->as_object();
  } else if (mapping && mapping->is_string()) {
    boost::system::error_code ec;
    auto m = boost::json::parse(std::string_view(mapping->as_string()), ec);
    if (ec || !m.is_object()) {
      return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                         "mapping is not a JSON object");
    }
    options.mapping = m.as_object();
  }
  if ((options.format == ImportFormat::generic || options.format == ImportFormat::generic_json) &&
      options.mapping.empty()) {
    return field_error(ErrorCode::invalid_argument, "mapping", "import.mapping_required",
                       cat("format ", format.value, " needs a mapping"));
  }
  if (dry_run.has_value()) options.dry_run = dry_run.value;
  if (type.has_value()) options.customer_type_id = type.value;
  TextBuffer buffer(text.value);
  std::istream in(&buffer);
  auto result = import_customers_in(*ctx.engine.self, ctx.tx, in, options);
  if (!result.ok()) return result.status();
  ctx.warnings = result->warnings;
  return import_result_json(*result);
}

}  // namespace

void add_import_ops(OpTable& t) { t["import.csv"] = {true, op_import_csv}; }

}  // namespace leadcustomers::detail
