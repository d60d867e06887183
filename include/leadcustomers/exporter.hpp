// Exports every customer of a store (SPEC §7): our JSON Lines (one customer document per line, addresses
// included, never a secret — a JSONL export imported into an empty store gives back the same documents) or
// Shopify's current customer CSV layout. Customers stream page by page in id order, so an export of any size
// needs memory for one page only.
//
// The portal login's Argon2id hashes appear only when asked for (`with_secret_hashes`, the CLI's
// `--with-secret-hashes`, SPEC §2.4: for moving between stores); the JSONL import takes them back. Shopify's
// layout has no place for them. A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
// first) is written behind Shopify's apostrophe guard, which every importer of this library strips again.
//
//   std::ofstream out("customers.jsonl", std::ios::binary);
//   absl::StatusOr<int64_t> n = export_customers(store, ExportFormat::jsonl, out);
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string_view>

#include "absl/status/statusor.h"
#include "leadcustomers/store.hpp"

namespace leadcustomers {

enum class ExportFormat { jsonl, shopify };

// "jsonl" / "shopify".
[[nodiscard]] std::optional<ExportFormat> parse_export_format(std::string_view name);

struct ExportOptions {
  bool with_secret_hashes = false;  // jsonl only: portal.password_hash / portal.secret_answer_hash
  size_t page_size = 500;           // customers read per store transaction
};

// Writes every customer to `out`; returns how many were written.
[[nodiscard]] absl::StatusOr<int64_t> export_customers(Store& store, ExportFormat format, std::ostream& out,
                                                       const ExportOptions& options);
[[nodiscard]] absl::StatusOr<int64_t> export_customers(Store& store, ExportFormat format, std::ostream& out,
                                                       size_t page_size = 500);

// The header of Shopify's current customer export (20 columns), as export_customers writes it.
[[nodiscard]] std::string_view shopify_export_header();

}  // namespace leadcustomers
