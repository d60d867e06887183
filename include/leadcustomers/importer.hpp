// Imports customer exports from other systems (SPEC §7): Shopify CSV and JSON, Magento 2's three import
// files, any CSV or JSON with a column mapping, and our own JSON Lines. Every record becomes one unit of
// change applied through the command engine (customer.create, or for a customer already in the store — same
// e-mail key or external ref, not archived — customer.update and address commands), so every rule of the
// core applies and a rejected record stores nothing. Good records are committed in batches; each record is
// reported as accepted, accepted with warnings, or rejected, with its line, field and rule.
//
//   MemoryStore store;
//   Engine engine(store);
//   ImportOptions options;
//   options.format = ImportFormat::shopify;
//   std::ifstream in("customers_export.csv", std::ios::binary);
//   absl::StatusOr<ImportResult> result = import_customers(engine, in, options);
//   if (result.ok()) std::cout << boost::json::serialize(import_result_json(*result)) << "\n";
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/json.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/store.hpp"

namespace leadcustomers {

// The input formats of SPEC §7; their wire names are "shopify", "shopify-json", "magento-customer",
// "magento-address", "magento-composite", "generic", "generic-json" and "jsonl".
enum class ImportFormat {
  shopify,
  shopify_json,
  magento_customer,
  magento_address,
  magento_composite,
  generic,
  generic_json,
  jsonl,
};

[[nodiscard]] std::string_view to_string(ImportFormat format);
[[nodiscard]] std::optional<ImportFormat> parse_import_format(std::string_view name);

// Reported after every batch (and once at the end).
struct ImportProgress {
  int64_t rows_read = 0;
  int64_t accepted = 0;
  int64_t rejected = 0;
  uint64_t bytes_read = 0;
};

struct ImportOptions {
  ImportFormat format = ImportFormat::shopify;
  // The column mapping of `generic` / `generic-json` (docs/decisions-import.md): either a flat
  // {"Column": "document.path"} object or {"columns": {...}, "constants": {...}, "system": "...",
  // "mode": "customers"|"addresses", "records": "json.path"}.
  boost::json::object mapping;
  // Validate every record as if importing, and store nothing.
  bool dry_run = false;
  // SPEC §7: hash plaintext password columns into the portal login (Argon2id, ~0.1 s each, on all cores;
  // a password the portal would refuse rejects its record). Off: they are not imported, with a warning.
  bool import_passwords = false;
  // Type of new customers; unset = the store's default type, else 1.
  std::optional<int64_t> customer_type_id;
  // Records per write transaction (import_customers) and between two progress reports. 5000: SQLite writes
  // each page a transaction touched once per commit, and the indexes' pages are spread, so small batches
  // rewrite the same pages many times (500 was about a quarter slower; docs/decisions-import.md §14).
  size_t batch_size = 5000;
  // At most this many rejected/warned rows are listed in ImportResult::rows.
  size_t max_reported_rows = 1000;
  // When set, every rejected record is written here in its original format plus an error column
  // (JSON formats: JSON Lines with an "import_error" member), so the file can be fixed and imported again.
  std::ostream* rejects = nullptr;
  // Called after every batch of records (also in a dry run and inside import_customers_in).
  std::function<void(const ImportProgress&)> on_progress;
  // Threads that decode CSV records (and parse their phone numbers) while the calling thread applies them
  // in file order; the results are the same either way. Unset: one per core, none on a single core.
  // 0: everything on the calling thread.
  std::optional<size_t> decode_threads;
};

// A rejected or warned record.
struct ImportRow {
  int64_t line = 0;  // physical line where the record starts (the CSV header is line 1)
  bool rejected = false;
  std::optional<std::string> email;  // the record's e-mail as it was in the file
  Violations violations;             // errors of a rejected record, warnings of an accepted one
};

// The import result of SPEC §5 (plus created/updated counts and the file-level warnings).
struct ImportResult {
  int64_t rows_read = 0;  // records read (a Magento customer row with its address rows is one record)
  int64_t accepted = 0;   // records applied, with or without warnings
  int64_t warned = 0;     // accepted records that had warnings
  int64_t rejected = 0;
  int64_t created = 0;    // accepted records that created a customer
  int64_t updated = 0;    // accepted records that changed an existing customer
  int64_t unchanged = 0;  // accepted records that matched a stored customer and changed nothing of it
  std::map<std::string, int64_t> by_rule;  // violations per rule id (errors of rejected, warnings of warned)
  std::map<std::string, int64_t> rejected_by_rule;  // the errors of rejected records alone, per rule id
  std::map<std::string, int64_t> warned_by_rule;    // the warnings of accepted records alone, per rule id
  std::vector<ImportRow> rows;
  bool rows_truncated = false;
  Violations warnings;  // about the file as a whole: unknown or ignored columns (each once)
};

// {"rows_read","accepted","warned","rejected","by_rule","rows":[{"line","status","email","violations"}],
//  "rows_truncated"} exactly as SPEC §5 lists it.
[[nodiscard]] boost::json::object import_result_json(const ImportResult& result);

// Reads `in` to the end and applies its records in batches of options.batch_size, one Store::write each.
// Fails only when the input as a whole cannot be read (unreadable stream, a missing required column, a JSON
// document that is not JSON, an unknown customer type) or the store fails; rejected records are not
// failures. Batches committed before a store failure stay committed.
[[nodiscard]] absl::StatusOr<ImportResult> import_customers(Engine& engine, std::istream& in,
                                                            const ImportOptions& options);

// The same inside a caller's write transaction (the `import.csv` command); nothing is committed here.
[[nodiscard]] absl::StatusOr<ImportResult> import_customers_in(Engine& engine, StoreTx& tx, std::istream& in,
                                                               const ImportOptions& options);

}  // namespace leadcustomers
