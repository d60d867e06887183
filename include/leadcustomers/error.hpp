// Errors and validation diagnostics shared by every part of LeadCustomers.
//
//   Diagnostics d;
//   d.error("email", "email.missing_at", "e-mail 'ana.example.com' has no '@'");
//   if (!d.ok()) return validation_failed(d);        // VALIDATION_FAILED with every violation
//   ErrorCode code = error_code_of(status);          // kInvalidArgument + payload -> validation_failed
//
// Every expected failure is an absl::Status. The SPEC's codes map onto absl codes (CONFLICT is kAborted,
// VALIDATION_FAILED is kInvalidArgument plus a payload that marks it); the payload also carries the
// violations (field path, stable rule id, message naming the value, never a secret).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace leadcustomers {

// One broken rule: field path relative to the command's subject, stable rule id, human message.
struct Violation {
  std::string field;
  std::string rule;
  std::string message;
  friend bool operator==(const Violation&, const Violation&) = default;
};
using Violations = std::vector<Violation>;

// Marks what only a refusal calls (building a violation or an error status), so that compilers keep those
// paths out of the way of the checks that pass.
#if defined(__GNUC__) || defined(__clang__)
#define LC_COLD [[gnu::cold]]
#else
#define LC_COLD
#endif

// Collects every error and warning of one validation pass, so a caller sees all violations at once.
// `scope` prefixes field paths ("addresses[0]" + "zip" -> "addresses[0].zip").
class Diagnostics {
 public:
  LC_COLD void error(std::string_view field, std::string rule, std::string message);
  void warn(std::string_view field, std::string rule, std::string message);
  [[nodiscard]] bool ok() const { return errors_.empty(); }
  [[nodiscard]] const Violations& errors() const { return errors_; }
  [[nodiscard]] const Violations& warnings() const { return warnings_; }
  Violations& mutable_errors() { return errors_; }
  Violations& mutable_warnings() { return warnings_; }
  // Appends another pass's findings.
  void merge(const Diagnostics& other);
  // Scoped prefix for nested paths; restores the previous prefix when destroyed.
  class Scope {
   public:
    Scope(Diagnostics& d, std::string_view prefix);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Diagnostics& d_;
    size_t saved_;
  };
  [[nodiscard]] std::string path(std::string_view field) const;

 private:
  std::string prefix_;
  Violations errors_;
  Violations warnings_;
};

// The result codes of SPEC §5, in their wire spelling via error_code_name().
enum class ErrorCode {
  ok,
  invalid_argument,
  validation_failed,
  not_found,
  already_exists,
  conflict,
  failed_precondition,
  permission_denied,
  unauthenticated,
  resource_exhausted,
  internal,
};

// "INVALID_ARGUMENT", "VALIDATION_FAILED", ... exactly as SPEC §5 spells them.
[[nodiscard]] std::string_view error_code_name(ErrorCode code);

// Builds a status with the code, message and violations; the violations travel in a payload.
[[nodiscard]] LC_COLD absl::Status make_error(ErrorCode code, std::string_view message,
                                              Violations violations = {});
// Shorthand: an error with one violation on `field`.
[[nodiscard]] LC_COLD absl::Status field_error(ErrorCode code, std::string_view field, std::string_view rule,
                                               std::string_view message);
// VALIDATION_FAILED carrying every error of `d` (the message lists them).
[[nodiscard]] LC_COLD absl::Status validation_failed(const Diagnostics& d);

// The SPEC code of a status (statuses not made here map by their absl code).
[[nodiscard]] ErrorCode error_code_of(const absl::Status& status);
// The violations a status carries (empty when none).
[[nodiscard]] Violations violations_of(const absl::Status& status);

}  // namespace leadcustomers
