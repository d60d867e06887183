// Internals of the importer: the record every input format produces (one customer with its addresses, in
// the fields of the engine's commands), the sources that read records from a stream, and the column/path
// mapping that turns a CSV row or a JSON object into a record. Built-in formats are mapping tables; the
// `generic` formats take the table from the user.
#pragma once

#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/json.hpp"
#include "detail/phone_memo.hpp"
#include "detail/secret_memo.hpp"
#include "leadcustomers/csv_reader.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/importer.hpp"

namespace leadcustomers::detail {

// One address of a record: the fields of address.add, and which defaults it should become.
struct ImportAddress {
  boost::json::object fields;
  bool default_shipping = false;
  bool default_billing = false;
};

// What a `jsonl` record restores on creation besides the command fields (our own export round-trips).
struct RestoreInfo {
  std::optional<absl::Time> created_at, updated_at, consent_at;
  std::optional<int64_t> version;
  std::optional<std::string> password_hash, answer_hash, secret_question;
};

// One record: a customer, its addresses, and what the format already found wrong with it.
struct ImportRecord {
  int64_t line = 0;                  // physical line where the record starts
  std::optional<std::string> email;  // as it was in the file (trimmed), for the report
  bool addresses_only = false;       // adds addresses to an existing customer (Magento address file)
  boost::json::object customer;      // customer.create fields except addresses, newsletter, status, type
  std::optional<int64_t> customer_type_id;  // jsonl only; else the import's type
  std::optional<std::string> status;
  std::optional<bool> newsletter;
  std::string consent_source = "import";
  std::optional<std::string> consent_level;  // default: "unknown" when subscribing
  std::vector<ImportAddress> addresses;
  std::optional<RestoreInfo> restore;
  std::optional<std::string> password;  // a plaintext password column's value (set only with a value)
  Violations errors;                    // the record is rejected without touching the store
  Violations warnings;                  // reported with the record when it is accepted
  // The original input, for the reject file.
  std::vector<std::vector<std::string>> rows;  // CSV: cells of each row of the record
  std::string raw;                             // JSON: the object's text
  // Filled by decoding for RecordSource::accept: columns the model does not hold that have a value here.
  std::vector<size_t> ignored_columns;
  // The record's phone numbers, parsed while decoding (possibly on another thread); see phone_memo.hpp.
  PhoneMemo phones;
  // Its password hashed ahead (--import-passwords); see secret_memo.hpp.
  SecretMemo secrets;

  void clear() { *this = ImportRecord(); }
};

// The rows of one record as read, not yet decoded (sources whose decoding can run on other threads).
struct RawRecord {
  std::vector<CsvRecord> rows;
};

// Reads records from one input.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The next record; false at the end (or on a fatal error: see status()).
  virtual bool next(ImportRecord& record) = 0;
  // OK, or why the input as a whole cannot be read.
  [[nodiscard]] virtual const absl::Status& status() const = 0;
  // Warnings about the input as a whole, each once (unknown or ignored columns).
  [[nodiscard]] virtual const Violations& warnings() const = 0;
  [[nodiscard]] virtual uint64_t bytes_read() const = 0;
  // Writes `record` to the reject file in the input's own format plus the error column.
  virtual void write_reject(std::ostream& out, const ImportRecord& record, std::string_view error) = 0;

  // Sources that split next() in three, so decoding can run on worker threads while records are applied
  // in file order: read() hands out the rows of the next record (in file order, one thread), decode() is
  // thread-safe and turns them into the record, and accept() takes each decoded record back in file order
  // (for file-level warnings). next() is exactly read + decode + accept.
  [[nodiscard]] virtual bool splits() const { return false; }
  virtual bool read(RawRecord& raw) {
    (void)raw;
    return false;
  }
  virtual void decode(RawRecord& raw, ImportRecord& record) const {
    (void)raw;
    (void)record;
  }
  virtual void accept(const ImportRecord& record) { (void)record; }
};

// Work done on a decoded record before it is applied, on whichever thread decoded it.
struct PrepareOptions {
  std::string default_region = "US";
  bool phones = false;            // parse the phone numbers ahead (prepare_phones)
  bool import_passwords = false;  // hash a plaintext password ahead; else it is refused with a warning
  HashLimits hash_limits = HashLimits::interactive();
};
void prepare_record(ImportRecord& record, const PrepareOptions& options);

// Parses the phone numbers of `record` into record.phones, with the default regions the engine will use
// (the address's country; for the customer's phone and fax, the first address's country, which becomes the
// default billing address of a new customer). A guess that misses only costs a second parse.
void prepare_phones(ImportRecord& record, std::string_view default_region);

// The source for options.format. Fails when the input cannot be a file of that format (missing required
// column, bad mapping, a JSON document that is not JSON).
absl::StatusOr<std::unique_ptr<RecordSource>> make_record_source(std::istream& in,
                                                                 const ImportOptions& options);
// The CSV formats (shopify, magento-*, generic) and the JSON ones (shopify-json, generic-json, jsonl).
absl::StatusOr<std::unique_ptr<RecordSource>> make_csv_source(std::istream& in, const ImportOptions& options);
absl::StatusOr<std::unique_ptr<RecordSource>> make_json_source(std::istream& in,
                                                               const ImportOptions& options);

// ---- Mapping: source value -> record field ----------------------------------------------------------

// Where one source value goes.
struct Target {
  enum class Kind {
    ignore,       // known and deliberately not imported (export-only totals, internal ids)
    ignore_warn,  // known, not modelled: one file-level warning when a row has a value
    secret,       // a token never stored (reset tokens): dropped without a word
    first_name,
    last_name,
    full_name,  // split at the last space into first_name / last_name
    email,
    phone,
    fax,
    note,
    tags,
    tax_exempt,
    newsletter,
    status,
    active,         // 1/0, yes/no -> Active/Inactive
    password,       // plaintext: not imported without --import-passwords (warning)
    password_hash,  // a foreign hash: never imported (warning)
    external_ref,   // key = system
    attribute,      // key = attribute name
    address,        // index + key = address field
    magento_website,
  };
  Kind kind = Kind::ignore;
  std::string key;
  // A column whose values are secrets (passwords, password hashes, tokens): never written to a reject file.
  [[nodiscard]] bool is_secret() const {
    return kind == Kind::secret || kind == Kind::password || kind == Kind::password_hash;
  }
  int index = 0;           // address index
  bool any_index = false;  // `addresses[*]`: bound by a JSON array wildcard
  std::string path;        // the mapping's spelling, for messages
};

// Parses a mapping target: first_name, last_name, full_name, email, phone, fax, note, tags, tax_exempt,
// newsletter, status, active, password, password_hash, external_refs.<system>, attributes.<key>,
// addresses[N].<field> (name first_name last_name middle_name address1 address2 street city state
// state_name region region_name zip phone fax business_name default default_billing default_shipping),
// ignore. INVALID_ARGUMENT naming the path when it is none of these.
absl::StatusOr<Target> parse_target(std::string_view path);

// The values one row (or JSON object) gave, before they become a record.
struct RowAddress {
  std::map<std::string, std::string> fields;
  bool default_shipping = false, default_billing = false;
  Violations errors, warnings;  // field names relative to the address
};
struct RowData {
  std::map<std::string, std::string> customer;  // first_name last_name full_name email phone fax note status
  std::optional<std::vector<std::string>> tags;
  std::optional<bool> newsletter, tax_exempt, active;
  std::vector<std::pair<std::string, std::string>> external_refs;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::map<int, RowAddress> addresses;
  bool password = false, password_hash = false;
  std::string password_value;  // the first non-blank plaintext password
  Violations errors, warnings;
};

// Applies one text value (blank = nothing). `index` replaces the address index of an `addresses[*]` target.
void apply_value(const Target& target, std::string_view value, RowData& row, int index = -1);
// Applies one JSON value (null = nothing; numbers and booleans become text, except a numeric zip, refused).
void apply_json_value(const Target& target, const boost::json::value& value, RowData& row, int index = -1);

// Builds the record from a first row and the rows that continue it (their addresses are appended).
void build_record(std::vector<RowData>& rows, ImportRecord& record);

// OK when a structured mapping ({"columns"|"fields": {...}, ...}) has only the keys the importer reads
// (columns, fields, constants, mode, records, description); a typo such as "constant" is refused.
absl::Status check_mapping_keys(const boost::json::object& mapping);

// "yes"/"no" and friends; nullopt when the text is none of them.
std::optional<bool> parse_yes_no(std::string_view text);
// A value a spreadsheet turned into a number: scientific notation (`7.02255E+12`) or the float rendering
// of an integer (`2015550123.0`). Digits are lost, so such values are refused, never guessed.
bool is_spreadsheet_mangled(std::string_view text);
// Removes one leading apostrophe (the text guard spreadsheets add to zips and phones).
std::string_view strip_apostrophe_guard(std::string_view text);
// A cell a spreadsheet would run as a formula starts with one of these (OWASP's CSV injection list).
inline bool is_formula_start(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}
// A column or member name that says its value is a secret (password, passphrase, Kennwort, pwd, PIN, secret,
// token, API key, credentials, *hash*): such values are never written to a reject file, whether the format
// imports them or not.
bool names_a_secret(std::string_view name);
// Whether the text holds a password hash anywhere: Argon2 (`$argon2…`), bcrypt (`$2a$`/`$2b$`/`$2y$`) or
// Magento's `hex:salt[:version]` (32, 40 or 64 hex digits).
bool looks_like_a_hash(std::string_view text);
// The text with every such hash replaced by "[hash]" (error messages quote values; rejects copy cells).
std::string scrub_hashes(std::string_view text);
// A text the exporter guards: a formula start after any number of apostrophes ("=1", "'=1", "''=1"). The
// guard is one more apostrophe, so a value that itself starts with apostrophes comes back whole.
bool is_formula_guarded(std::string_view text);
// Removes the apostrophe the exporter puts before such a text ("'=1+2" → "=1+2", "''=x" → "'=x"); any other
// text is kept ("'Bo").
std::string_view strip_formula_guard(std::string_view text);

}  // namespace leadcustomers::detail
