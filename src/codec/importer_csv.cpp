// CSV formats: Shopify (every layout of data/README.md §1.1, header-driven), Magento 2's customer, address
// and composite files, and any CSV with a user mapping. Each built-in format is a table from column names to
// mapping targets (import_record.hpp), so all of them share one row reader.
#include <algorithm>
#include <array>

#include "absl/container/flat_hash_map.h"
#include "codec/import_record.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/csv_reader.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

using Column = std::pair<std::string_view, std::string_view>;

// The error column of our own reject files; ignored when such a file is imported again.
constexpr std::string_view kErrorColumn = "import_error";

// Shopify: current export and import template, 2022-23 exports, pre-2022 exports, the Transporter app layout.
constexpr std::array<Column, 38> kShopify{{
    {"Customer ID", "external_refs.shopify"},
    {"First Name", "first_name"},
    {"Last Name", "last_name"},
    {"Email", "email"},
    {"Accepts Email Marketing", "newsletter"},
    {"Accepts Marketing", "newsletter"},
    {"Accepts SMS Marketing", "attributes.shopify.Accepts SMS Marketing"},
    {"Accepts WhatsApp Marketing", "attributes.shopify.Accepts WhatsApp Marketing"},
    {"Default Address Company", "addresses[0].business_name"},
    {"Default Address Address1", "addresses[0].address1"},
    {"Default Address Address2", "addresses[0].address2"},
    {"Default Address City", "addresses[0].city"},
    {"Default Address Province Code", "addresses[0].state"},
    {"Default Address Country Code", "addresses[0].region"},
    {"Default Address Zip", "addresses[0].zip"},
    {"Default Address Phone", "addresses[0].phone"},
    {"Company", "addresses[0].business_name"},
    {"Address1", "addresses[0].address1"},
    {"Address2", "addresses[0].address2"},
    {"City", "addresses[0].city"},
    {"Province", "addresses[0].state_name"},
    {"Province Code", "addresses[0].state"},
    {"Country", "addresses[0].region_name"},
    {"Country Code", "addresses[0].region"},
    {"Zip", "addresses[0].zip"},
    {"Phone", "phone"},
    {"Total Spent", "ignore"},  // export-only (Shopify ignores them on import)
    {"Total Orders", "ignore"},
    {"Note", "note"},
    {"Tags", "tags"},
    {"Tax Exempt", "tax_exempt"},
    {"State", "attributes.shopify.State"},  // account state (disabled/invited/enabled/declined)
    {"Metafield Namespace", "ignore"},      // Transporter rows: combined into attributes below
    {"Metafield Key", "ignore"},
    {"Metafield Value", "ignore"},
    {"Metafield Value Type", "ignore"},
    {"Customer State", "attributes.shopify.State"},
    {"Verified Email", "attributes.shopify.Verified Email"},
}};

// Magento 2 customer main file columns (import-samples/customer.csv and the integration fixtures).
constexpr std::array<Column, 27> kMagentoCustomer{{
    {"email", "email"},
    {"_website", "magento.website"},
    {"firstname", "first_name"},
    {"lastname", "last_name"},
    {"password_hash", "password_hash"},
    {"password", "password"},
    {"rp_token", "secret"},
    {"rp_token_created_at", "secret"},
    {"confirmation", "secret"},
    {"_store", "attributes.magento._store"},
    {"created_at", "attributes.magento.created_at"},
    {"created_in", "attributes.magento.created_in"},
    {"disable_auto_group_change", "attributes.magento.disable_auto_group_change"},
    {"dob", "attributes.magento.dob"},
    {"gender", "attributes.magento.gender"},
    {"group_id", "attributes.magento.group_id"},
    {"middlename", "attributes.magento.middlename"},
    {"prefix", "attributes.magento.prefix"},
    {"suffix", "attributes.magento.suffix"},
    {"taxvat", "attributes.magento.taxvat"},
    {"updated_at", "attributes.magento.updated_at"},
    {"website_id", "attributes.magento.website_id"},
    {"store_id", "attributes.magento.store_id"},
    {"reward_update_notification", "attributes.magento.reward_update_notification"},
    {"reward_warning_notification", "attributes.magento.reward_warning_notification"},
    {"default_billing", "ignore"},  // Magento address entity ids: meaningless outside that database
    {"default_shipping", "ignore"},
}};

// Magento 2 address columns; `prefix` is the composite file's "_address_" or "" for the address file.
struct AddressColumn {
  std::string_view name;
  std::string_view target;
};
constexpr std::array<AddressColumn, 21> kMagentoAddress{{
    {"city", "addresses[0].city"},
    {"company", "addresses[0].business_name"},
    {"country_id", "addresses[0].region"},
    {"fax", "addresses[0].fax"},
    {"firstname", "addresses[0].first_name"},
    {"lastname", "addresses[0].last_name"},
    {"middlename", "addresses[0].middle_name"},
    {"postcode", "addresses[0].zip"},
    {"prefix", "ignore_warn"},
    {"suffix", "ignore_warn"},
    {"region", "addresses[0].state"},
    {"region_id", "ignore"},  // Magento's internal region id; the region name is used
    {"street", "addresses[0].street"},
    {"telephone", "addresses[0].phone"},
    {"vat_id", "ignore_warn"},
    {"vat_is_valid", "ignore_warn"},
    {"vat_request_date", "ignore_warn"},
    {"vat_request_id", "ignore_warn"},
    {"vat_request_success", "ignore_warn"},
    {"default_billing_", "addresses[0].default_billing"},
    {"default_shipping_", "addresses[0].default_shipping"},
}};

enum class Continuation { none, magento, same_email };

struct CsvFormatSpec {
  std::vector<std::pair<std::string, std::string>> columns;  // column name -> target
  std::vector<std::pair<std::string, std::string>> constants;
  std::vector<std::string> required;  // columns the header must have
  std::string required_target;        // or: some column must map to this target
  Continuation continuation = Continuation::none;
  bool addresses_only = false;
  bool shopify = false;  // metafield columns, Transporter continuation rows
  bool warn_missing_mapped = false;
};

CsvFormatSpec spec_for(ImportFormat format) {
  CsvFormatSpec s;
  switch (format) {
    case ImportFormat::shopify:
      for (const auto& [c, t] : kShopify) s.columns.emplace_back(c, t);
      s.constants.emplace_back("addresses[0].default", "yes");  // the Default Address is the default
      s.required = {"Email"};
      s.shopify = true;
      break;
    case ImportFormat::magento_customer:
      for (const auto& [c, t] : kMagentoCustomer) s.columns.emplace_back(c, t);
      s.required = {"email"};
      break;
    case ImportFormat::magento_address:
      s.columns = {{"_email", "email"}, {"_website", "ignore"}, {"_entity_id", "ignore"}};
      for (const auto& a : kMagentoAddress) {
        std::string name(a.name);
        if (name == "default_billing_" || name == "default_shipping_") name = cat("_address_", name);
        s.columns.emplace_back(name, a.target);
      }
      s.required = {"_email"};
      s.addresses_only = true;
      break;
    case ImportFormat::magento_composite:
      for (const auto& [c, t] : kMagentoCustomer) s.columns.emplace_back(c, t);
      for (const auto& a : kMagentoAddress) s.columns.emplace_back(cat("_address_", a.name), a.target);
      s.required = {"email"};
      s.continuation = Continuation::magento;
      break;
    default:
      break;
  }
  return s;
}

absl::StatusOr<CsvFormatSpec> spec_from_mapping(const boost::json::object& mapping) {
  CsvFormatSpec s;
  const boost::json::object* columns = &mapping;
  if (const auto* c = mapping.if_contains("columns")) {
    if (!c->is_object()) {
      return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                         "mapping 'columns' must be an object {\"Column\": \"field\"}");
    }
    columns = &c->as_object();
    if (const auto* k = mapping.if_contains("constants")) {
      if (!k->is_object()) {
        return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                           "mapping 'constants' must be an object {\"field\": \"value\"}");
      }
      for (const auto& [target, value] : k->as_object()) {
        if (!value.is_string()) {
          return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                             cat("mapping constant ", quoted(target), " must be a string"));
        }
        s.constants.emplace_back(std::string(target), std::string(value.as_string()));
      }
    }
    if (const auto* m = mapping.if_contains("mode")) {
      if (!m->is_string() || (m->as_string() != "customers" && m->as_string() != "addresses")) {
        return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                           "mapping 'mode' must be \"customers\" or \"addresses\"");
      }
      s.addresses_only = m->as_string() == "addresses";
    }
  }
  for (const auto& [column, target] : *columns) {
    if (target.is_null()) {
      s.columns.emplace_back(std::string(column), "ignore");
    } else if (target.is_string()) {
      s.columns.emplace_back(std::string(column), std::string(target.as_string()));
    } else {
      return field_error(ErrorCode::invalid_argument, "mapping", "import.bad_mapping",
                         cat("mapping of column ", quoted(column), " must be a field name or null"));
    }
  }
  s.required_target = "email";
  s.warn_missing_mapped = true;
  return s;
}

class CsvSource final : public RecordSource {
 public:
  CsvSource(std::istream& in, CsvFormatSpec spec) : reader_(in), spec_(std::move(spec)) {}

  absl::Status init() {
    CsvRecord header;
    if (!reader_.next(header)) {
      if (!reader_.status().ok()) return reader_.status();
      eof_ = true;  // an empty file holds no records
      warnings_.push_back(
          {"", "import.empty_file", "the file is empty (not even a header line): nothing to import"});
      return absl::OkStatus();
    }
    if (header.invalid_utf8_at) {
      return make_error(ErrorCode::invalid_argument, cat("the header line is not valid UTF-8 (byte offset ",
                                                         *header.invalid_utf8_at, ")"));
    }
    header_ = header.cells;
    for (auto& h : header_) h = std::string(trim(h));
    targets_.resize(header_.size());
    bool required_target_found = spec_.required_target.empty();
    for (size_t i = 0; i < header_.size(); ++i) {
      const std::string& name = header_[i];
      Target t;
      t.kind = Target::Kind::ignore;
      if (name == kErrorColumn) {
        targets_[i] = t;
        continue;
      }
      std::optional<std::string> target = find_column(name);
      if (!target && spec_.shopify) target = shopify_metafield_column(name);
      if (spec_.shopify) {
        if (name == "Metafield Namespace") meta_ns_ = i;
        if (name == "Metafield Key") meta_key_ = i;
        if (name == "Metafield Value") meta_value_ = i;
      }
      if (spec_.continuation == Continuation::magento && name == "_website") website_col_ = i;
      if (!target) {
        warnings_.push_back({name, "import.unknown_column",
                             cat("column ", quoted(name),
                                 " is not a column of this format; its values are not "
                                 "imported")});
        // Not imported either way; one whose name says it holds a secret is also never written out.
        if (names_a_secret(name)) t.kind = Target::Kind::secret;
        targets_[i] = t;
        continue;
      }
      if (*target == "magento.website") {
        t.kind = Target::Kind::magento_website;
        t.path = "_website";
      } else {
        auto parsed = parse_target(*target);
        if (!parsed.ok()) return parsed.status();
        t = *parsed;
      }
      if (t.kind == Target::Kind::email) {
        required_target_found = true;
        if (!email_col_) email_col_ = i;
      }
      if ((t.kind == Target::Kind::ignore || t.kind == Target::Kind::ignore_warn) && names_a_secret(name)) {
        t.kind = Target::Kind::secret;
      }
      targets_[i] = t;
    }
    secret_columns_ =
        std::any_of(targets_.begin(), targets_.end(), [](const Target& t) { return t.is_secret(); });
    // Two columns of one name that both carry data: which one holds the value cannot be told, and taking
    // either would drop the other silently (the first such column and its first namesake are named). Two
    // differently named columns that give one single-valued field (Shopify's `Address1` beside `Default
    // Address Address1`): a row with both filled keeps one of them, which the file is told once per pair.
    // Columns are grouped by name and by field in one pass each (a header may be hostile and wide).
    absl::flat_hash_map<std::string, size_t> first_of_name;
    std::optional<std::pair<size_t, size_t>> duplicate;
    for (size_t j = 0; j < header_.size(); ++j) {
      const auto kind = targets_[j].kind;
      if (kind == Target::Kind::ignore || kind == Target::Kind::ignore_warn) continue;
      auto [seen, fresh] = first_of_name.try_emplace(ascii_lower(trim(header_[j])), j);
      if (!fresh && (!duplicate || seen->second < duplicate->first)) duplicate.emplace(seen->second, j);
    }
    if (duplicate) {
      const auto [i, j] = *duplicate;
      return field_error(ErrorCode::invalid_argument, header_[i], "import.duplicate_column",
                         cat("the header has column ", quoted(header_[i]), " twice (columns ", i + 1, " and ",
                             j + 1, "); which one holds the value cannot be told — rename or remove one"));
    }
    absl::flat_hash_map<std::string, std::vector<size_t>> columns_of_field;
    for (size_t j = 0; j < header_.size(); ++j) {
      if (single_valued(targets_[j])) columns_of_field[field_of_column(j)].push_back(j);
    }
    std::vector<std::pair<size_t, size_t>> overlaps;
    for (const auto& [field, columns] : columns_of_field) {
      for (size_t a = 0; a < columns.size(); ++a) {
        for (size_t b = a + 1; b < columns.size(); ++b) overlaps.emplace_back(columns[a], columns[b]);
      }
    }
    std::sort(overlaps.begin(), overlaps.end());
    for (const auto& [i, j] : overlaps) {
      const std::string field = field_of_column(i);
      warnings_.push_back({field, "import.columns_overlap",
                           cat("columns ", quoted(header_[i]), " and ", quoted(header_[j]), " both give ",
                               field, "; where a row fills both, only one value is kept")});
    }
    for (const auto& r : spec_.required) {
      if (std::find(header_.begin(), header_.end(), r) == header_.end()) {
        return field_error(ErrorCode::invalid_argument, r, "import.missing_column",
                           cat("the file has no ", quoted(r), " column, which this format requires"));
      }
    }
    if (!required_target_found) {
      return field_error(ErrorCode::invalid_argument, "mapping", "import.missing_column",
                         cat("the mapping maps no column of the file to '", spec_.required_target, "'"));
    }
    if (spec_.warn_missing_mapped) {
      for (const auto& [column, target] : spec_.columns) {
        if (!std::any_of(header_.begin(), header_.end(),
                         [&](const std::string& h) { return same_name(h, column); })) {
          warnings_.push_back(
              {column, "import.mapped_column_missing",
               cat("the mapping names column ", quoted(column), ", which the file does not have")});
        }
      }
    }
    for (const auto& [target, value] : spec_.constants) {
      auto parsed = parse_target(target);
      if (!parsed.ok()) return parsed.status();
      constants_.emplace_back(*parsed, value);
    }
    if (spec_.shopify && meta_ns_ && meta_key_ && meta_value_) continuation_ = Continuation::same_email;
    if (spec_.continuation == Continuation::magento && email_col_ && website_col_) {
      continuation_ = Continuation::magento;
    }
    ignored_warned_.assign(header_.size(), false);
    return absl::OkStatus();
  }

  bool next(ImportRecord& record) override {
    RawRecord raw;
    record.clear();
    if (!read(raw)) return false;
    decode(raw, record);
    accept(record);
    return true;
  }

  bool splits() const override { return true; }

  bool read(RawRecord& raw) override {
    raw.rows.clear();
    if (eof_) return false;
    if (!pending_) {
      CsvRecord r;
      if (!read_data(r)) return false;
      pending_ = std::move(r);
    }
    raw.rows.push_back(std::move(*pending_));
    pending_.reset();
    for (;;) {
      CsvRecord r;
      if (!read_data(r)) break;
      if (!continues(raw.rows.front().cells, r)) {
        pending_ = std::move(r);
        break;
      }
      raw.rows.push_back(std::move(r));
    }
    return true;
  }

  void decode(RawRecord& raw, ImportRecord& record) const override {
    std::vector<RowData> rows;
    record.line = raw.rows.front().line;
    record.addresses_only = spec_.addresses_only;
    for (auto& r : raw.rows) {
      rows.push_back(convert(r, record.ignored_columns));
      record.rows.push_back(std::move(r.cells));
    }
    if (!record.rows.front().empty() && email_col_ && *email_col_ < record.rows.front().size()) {
      auto email = trim(record.rows.front()[*email_col_]);
      if (!email.empty() && is_valid_utf8(email)) record.email = std::string(email);
    }
    build_record(rows, record);
    // A misaligned row cannot say which cell is the e-mail: in a file with secret columns the cell in the
    // e-mail's place may be a password, so such a record is reported without its e-mail.
    if (secret_columns_ && (std::any_of(record.rows.begin(), record.rows.end(),
                                        [&](const auto& row) { return misaligned(row); }) ||
                            std::any_of(record.errors.begin(), record.errors.end(), [](const Violation& v) {
                              return v.rule == "csv.unterminated_quote";
                            }))) {
      record.email.reset();
    }
  }

  void accept(const ImportRecord& record) override {
    for (size_t i : record.ignored_columns) {
      if (ignored_warned_[i]) continue;
      ignored_warned_[i] = true;
      warnings_.push_back(
          {header_[i], "import.column_ignored",
           cat("column ", quoted(header_[i]),
               " has values, which the customer model does not hold; they are not imported")});
    }
  }

  const absl::Status& status() const override { return reader_.status(); }
  const Violations& warnings() const override { return warnings_; }
  uint64_t bytes_read() const override { return reader_.bytes_read(); }

  void write_reject(std::ostream& out, const ImportRecord& record, std::string_view error) override {
    char d = reader_.delimiter();
    if (!reject_header_written_) {
      auto header = header_;
      header.emplace_back(kErrorColumn);
      out << csv_line(header, d);
      reject_header_written_ = true;
    }
    bool first = true;
    for (auto row : record.rows) {
      // A reject file is the input again, minus its secrets: a password (or hash, or token) cell is left
      // blank. A row with the wrong number of cells cannot say which cell is which, so in a file with secret
      // columns none of its cells is copied (the error names its line in the input).
      if (secret_columns_ && misaligned(row)) {
        for (auto& cell : row) cell.clear();
      }
      for (size_t i = 0; i < row.size() && i < targets_.size(); ++i) {
        if (targets_[i].is_secret()) row[i].clear();
      }
      // A hash in a column not named as a secret (a note, a Magento custom attribute) is not copied either.
      for (auto& cell : row) {
        if (looks_like_a_hash(cell)) cell = scrub_hashes(cell);
      }
      // The error goes under the import_error heading; a row with too many cells keeps its surplus after it.
      if (row.size() < header_.size()) row.resize(header_.size());
      row.insert(row.begin() + static_cast<std::ptrdiff_t>(header_.size()),
                 first ? std::string(error) : std::string());
      out << csv_line(row, d);
      first = false;
    }
  }

 private:
  // A target that holds one value per record (tags, attributes, external refs and Magento's street lines
  // gather several).
  static bool single_valued(const Target& t) {
    using K = Target::Kind;
    switch (t.kind) {
      case K::first_name:
      case K::last_name:
      case K::email:
      case K::phone:
      case K::fax:
      case K::note:
      case K::tax_exempt:
      case K::newsletter:
      case K::status:
      case K::active:
        return true;
      case K::address:
        return !t.any_index && t.key != "street";
      default:
        return false;
    }
  }

  // A row whose cells do not line up with the header: too few, or a non-empty one past it.
  bool misaligned(const std::vector<std::string>& row) const {
    return row.size() < header_.size() ||
           std::any_of(row.begin() + static_cast<std::ptrdiff_t>(std::min(row.size(), header_.size())),
                       row.end(), [](const std::string& cell) { return !trim(cell).empty(); });
  }

  static bool same_name(std::string_view a, std::string_view b) {
    return ascii_lower(trim(a)) == ascii_lower(trim(b));
  }

  std::optional<std::string> find_column(const std::string& name) const {
    for (const auto& [column, target] : spec_.columns) {
      if (column == name) return target;
    }
    for (const auto& [column, target] : spec_.columns) {
      if (same_name(column, name)) return target;
    }
    return std::nullopt;
  }

  // Newer Shopify exports append metafields as `Label (customer.metafields.namespace.key)`.
  static std::optional<std::string> shopify_metafield_column(std::string_view name) {
    constexpr std::string_view kMarker = "(customer.metafields.";
    auto at = name.rfind(kMarker);
    if (at == std::string_view::npos || name.back() != ')') return std::nullopt;
    auto key = name.substr(at + kMarker.size(), name.size() - at - kMarker.size() - 1);
    if (key.empty()) return std::nullopt;
    return cat("attributes.shopify.metafields.", key);
  }

  // The next non-blank data record.
  bool read_data(CsvRecord& r) {
    while (reader_.next(r)) {
      if (!r.blank() || r.invalid_utf8_at || r.unterminated_quote) return true;
    }
    eof_ = true;
    return false;
  }

  static std::string_view cell(const std::vector<std::string>& cells, std::optional<size_t> i) {
    if (!i || *i >= cells.size()) return {};
    return trim(cells[*i]);
  }

  // Whether row `r` continues the record that started with `first`.
  bool continues(const std::vector<std::string>& first, const CsvRecord& r) const {
    if (r.invalid_utf8_at) return false;
    switch (continuation_) {
      case Continuation::none:
        return false;
      case Continuation::magento:
        // Magento: a row without e-mail and website is another address of the previous customer.
        return cell(r.cells, email_col_).empty() && cell(r.cells, website_col_).empty();
      case Continuation::same_email: {
        // Shopify Transporter: extra address and metafield rows repeat the customer's e-mail.
        auto a = cell(first, email_col_);
        auto b = cell(r.cells, email_col_);
        return !a.empty() && is_valid_utf8(a) && is_valid_utf8(b) && ascii_lower(a) == ascii_lower(b);
      }
    }
    return false;
  }

  std::string field_of_column(size_t i) const {
    const auto& t = targets_[i];
    switch (t.kind) {
      case Target::Kind::ignore:
      case Target::Kind::ignore_warn:
      case Target::Kind::secret:
        return "";
      case Target::Kind::address:
        return cat("addresses[", t.any_index ? 0 : t.index, "].", t.key == "street" ? "address1" : t.key);
      case Target::Kind::attribute:
        return cat("attributes.", t.key);
      case Target::Kind::external_ref:
        return "external_refs";
      case Target::Kind::full_name:
        return "first_name";
      case Target::Kind::password_hash:
        return "password";
      case Target::Kind::active:
        return "status";
      case Target::Kind::magento_website:
        return "attributes.magento._website";
      default:
        return t.path;
    }
  }

  // One row's values; the ignore_warn columns with a value are appended to `ignored` (once each).
  RowData convert(const CsvRecord& r, std::vector<size_t>& ignored) const {
    RowData row;
    if (r.invalid_utf8_at) {
      std::string column, field;
      for (size_t i = 0; i < r.cells.size(); ++i) {
        if (!is_valid_utf8(r.cells[i])) {
          column = i < header_.size() ? header_[i] : cat("#", i + 1);
          field = i < header_.size() ? field_of_column(i) : "";
          break;
        }
      }
      row.errors.push_back({field, "text.invalid_utf8",
                            cat("line ", r.line, ": column ", quoted(column),
                                " is not valid UTF-8 (byte offset ", *r.invalid_utf8_at, ")")});
      return row;
    }
    if (r.unterminated_quote) {
      row.errors.push_back(
          {"", "csv.unterminated_quote",
           cat("line ", r.line, ": a quoted cell is never closed before the end of the file")});
      return row;
    }
    size_t extra = 0;
    for (size_t i = header_.size(); i < r.cells.size(); ++i) extra += !trim(r.cells[i]).empty();
    if (r.cells.size() < header_.size() || extra > 0) {
      row.errors.push_back({"", "csv.cell_count",
                            cat("line ", r.line, " has ",
                                r.cells.size() < header_.size() ? r.cells.size() : header_.size() + extra,
                                r.cells.size() < header_.size() ? " cells" : " non-empty cells",
                                " but the header has ", header_.size(), "; the row is not shifted to fit")});
      return row;
    }
    for (const auto& [t, value] : constants_) apply_value(t, value, row);
    for (size_t i = 0; i < header_.size(); ++i) {
      const auto& t = targets_[i];
      if (t.kind == Target::Kind::ignore_warn && !trim(r.cells[i]).empty() &&
          std::find(ignored.begin(), ignored.end(), i) == ignored.end()) {
        ignored.push_back(i);
      }
      apply_value(t, r.cells[i], row);
    }
    if (meta_ns_ && meta_key_ && meta_value_) {
      auto ns = trim(r.cells[*meta_ns_]);
      auto key = trim(r.cells[*meta_key_]);
      auto value = trim(r.cells[*meta_value_]);
      if (!ns.empty() && !key.empty() && !value.empty()) {
        row.attributes.emplace_back(cat("shopify.metafields.", ns, ".", key), std::string(value));
      }
    }
    return row;
  }

  CsvReader reader_;
  CsvFormatSpec spec_;
  std::vector<std::string> header_;
  std::vector<Target> targets_;
  std::vector<std::pair<Target, std::string>> constants_;
  Continuation continuation_ = Continuation::none;
  std::optional<size_t> email_col_, website_col_, meta_ns_, meta_key_, meta_value_;
  std::optional<CsvRecord> pending_;
  std::vector<bool> ignored_warned_;
  Violations warnings_;
  bool eof_ = false;
  bool reject_header_written_ = false;
  bool secret_columns_ = false;  // some column holds secrets: see write_reject
};

}  // namespace

absl::StatusOr<std::unique_ptr<RecordSource>> make_csv_source(std::istream& in,
                                                              const ImportOptions& options) {
  CsvFormatSpec spec;
  if (options.format == ImportFormat::generic) {
    auto s = spec_from_mapping(options.mapping);
    if (!s.ok()) return s.status();
    spec = std::move(*s);
  } else {
    spec = spec_for(options.format);
  }
  auto source = std::make_unique<CsvSource>(in, std::move(spec));
  if (auto s = source->init(); !s.ok()) return s;
  return std::unique_ptr<RecordSource>(std::move(source));
}

}  // namespace leadcustomers::detail
