// Internals of the C ABI: the structs behind the opaque handles, the one status mapping, and the guards
// every entry point uses (argument checks, and the Lippincott function each catch(...) calls).
//
//   extern "C" lc_status lc_something(lc_store* store, const char* s, size_t n, lc_error** err) noexcept {
//     try {
//       detail::clear(err);
//       auto text = detail::input_text(s, n, "email", detail::kMaxKeyBytes);
//       if (!text.ok()) return detail::fail(err, text.status());
//       ...
//       return LC_OK;
//     } catch (...) {
//       return detail::fail_current_exception(err);
//     }
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "leadcustomers.h"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/error.hpp"
#include "leadcustomers/store.hpp"

struct lc_error {
  lc_status code = LC_OK;
  std::string message;
  leadcustomers::Violations violations;
};

struct lc_result {
  std::string json;
  leadcustomers::Violations warnings;
};

struct lc_options {
  leadcustomers::EngineOptions engine;
  uint64_t max_input_bytes = uint64_t{64} << 20;
};

struct lc_store {
  std::unique_ptr<leadcustomers::Store> store;
  std::unique_ptr<leadcustomers::Engine> engine;
  uint64_t max_input_bytes = 0;
};

namespace leadcustomers::detail {

// Ids, e-mails, region codes and state names longer than this are refused unread.
inline constexpr size_t kMaxKeyBytes = 4096;
// LC_OPTION_MAX_INPUT_BYTES may not exceed this (1 TiB).
inline constexpr uint64_t kMaxInputLimit = uint64_t{1} << 40;

// The one mapping of a status to an lc_status (an exhaustive switch over absl::StatusCode; a
// kInvalidArgument whose payload marks VALIDATION_FAILED becomes LC_VALIDATION_FAILED).
[[nodiscard]] lc_status to_lc_status(const absl::Status& status);

// Sets *err (when err is not NULL) to nullptr.
inline void clear(lc_error** err) noexcept {
  if (err) *err = nullptr;
}

// Reports `status` (not OK) through `err` and returns its lc_status. Never throws: if the lc_error cannot
// be allocated, *err stays NULL and LC_RESOURCE_EXHAUSTED is returned.
lc_status fail(lc_error** err, const absl::Status& status) noexcept;

// The body of every entry point's catch (...): maps the exception in flight (bad_alloc ->
// LC_RESOURCE_EXHAUSTED, anything else -> LC_INTERNAL) and reports it through `err`.
lc_status fail_current_exception(lc_error** err) noexcept;

// INVALID_ARGUMENT (rule capi.null_argument) naming the parameter that must not be NULL.
[[nodiscard]] absl::Status null_argument(std::string_view parameter);

// Checks a (data, len) string argument: NULL with len > 0 (capi.null_argument), longer than `max_bytes`
// (RESOURCE_EXHAUSTED, capi.too_large; checked before any byte is read), or not UTF-8
// (capi.invalid_utf8). The violations name `field`.
[[nodiscard]] absl::StatusOr<std::string_view> input_text(const char* data, size_t len,
                                                          std::string_view field, uint64_t max_bytes);

// A new result holding `json` and `warnings`, stored in *out when out is not NULL (freed otherwise).
void deliver(lc_result** out, std::string json, Violations warnings = {});

// Options of a NULL pointer: the defaults.
[[nodiscard]] const lc_options& options_or_defaults(const lc_options* options) noexcept;

// The factory the SQLite open calls (capi/src/store_factory.cpp: SqliteStore::open).
[[nodiscard]] absl::StatusOr<std::unique_ptr<Store>> open_sqlite_store(std::string_view path,
                                                                       const EngineOptions& options);

}  // namespace leadcustomers::detail
