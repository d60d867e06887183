// Status codes, error objects and the argument guards of the C ABI.
#include <exception>
#include <new>

#include "capi_internal.hpp"
#include "detail/absl_compat.hpp"
#include "detail/strings.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

const char kEmpty[] = "";

const char* text_out(const std::string& s, size_t* len) noexcept {
  if (len) *len = s.size();
  return s.c_str();
}

const char* empty_out(size_t* len) noexcept {
  if (len) *len = 0;
  return kEmpty;
}

const Violation* violation_at(const Violations* list, size_t index) noexcept {
  if (!list || index >= list->size()) return nullptr;
  return &(*list)[index];
}

}  // namespace

lc_status to_lc_status(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      return LC_OK;
    case absl::StatusCode::kInvalidArgument:
      return error_code_of(status) == ErrorCode::validation_failed ? LC_VALIDATION_FAILED
                                                                   : LC_INVALID_ARGUMENT;
    case absl::StatusCode::kOutOfRange:
      return LC_INVALID_ARGUMENT;
    case absl::StatusCode::kNotFound:
      return LC_NOT_FOUND;
    case absl::StatusCode::kAlreadyExists:
      return LC_ALREADY_EXISTS;
    case absl::StatusCode::kAborted:
      return LC_CONFLICT;
    case absl::StatusCode::kFailedPrecondition:
      return LC_FAILED_PRECONDITION;
    case absl::StatusCode::kPermissionDenied:
      return LC_PERMISSION_DENIED;
    case absl::StatusCode::kUnauthenticated:
      return LC_UNAUTHENTICATED;
    case absl::StatusCode::kResourceExhausted:
      return LC_RESOURCE_EXHAUSTED;
    case absl::StatusCode::kUnimplemented:
      return LC_UNIMPLEMENTED;
    case absl::StatusCode::kCancelled:
      return LC_CANCELLED;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return LC_UNAVAILABLE;
    case absl::StatusCode::kDataLoss:
      return LC_DATA_LOSS;
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDoNotUseReservedForFutureExpansionUseDefaultInSwitchInstead_:
      return LC_INTERNAL;
  }
  return LC_INTERNAL;  // a code added to absl after this switch was written
}

lc_status fail(lc_error** err, const absl::Status& status) noexcept {
  if (err) *err = nullptr;
  try {
    lc_status code = to_lc_status(status);
    if (code == LC_OK) code = LC_INTERNAL;  // a failure path must never report success
    if (!err) return code;
    auto e = std::make_unique<lc_error>();
    e->code = code;
    e->message = std::string(to_std(status.message()));
    e->violations = violations_of(status);
    *err = e.release();
    return code;
  } catch (...) {
    return LC_RESOURCE_EXHAUSTED;  // only allocation can fail here
  }
}

lc_status fail_current_exception(lc_error** err) noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    // No allocation may succeed now: report the code only.
    if (err) *err = nullptr;
    return LC_RESOURCE_EXHAUSTED;
  } catch (const std::exception& e) {
    return fail(err, absl::InternalError(cat("internal error: ", std::string_view(e.what()))));
  } catch (...) {
    return fail(err, absl::InternalError("internal error: unknown exception"));
  }
}

absl::Status null_argument(std::string_view parameter) {
  return field_error(ErrorCode::invalid_argument, parameter, "capi.null_argument",
                     cat(parameter, " must not be NULL"));
}

absl::StatusOr<std::string_view> input_text(const char* data, size_t len, std::string_view field,
                                            uint64_t max_bytes) {
  if (!data) {
    if (len == 0) return std::string_view();
    return field_error(ErrorCode::invalid_argument, field, "capi.null_argument",
                       cat(field, " is NULL but its length is ", len));
  }
  if (len > max_bytes) {
    return field_error(ErrorCode::resource_exhausted, field, "capi.too_large",
                       cat(field, " has ", len, " bytes; at most ", max_bytes, " are accepted"));
  }
  std::string_view text(data, len);
  if (!is_valid_utf8(text)) {
    return field_error(ErrorCode::invalid_argument, field, "capi.invalid_utf8",
                       cat(field, " is not valid UTF-8"));
  }
  return text;
}

void deliver(lc_result** out, std::string json, Violations warnings) {
  if (!out) return;
  auto r = std::make_unique<lc_result>();
  r->json = std::move(json);
  r->warnings = std::move(warnings);
  *out = r.release();
}

}  // namespace leadcustomers::detail

namespace lcd = leadcustomers::detail;

extern "C" {

const char* lc_status_name(lc_status status) noexcept {
  switch (status) {
    case LC_OK:
      return "OK";
    case LC_INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case LC_VALIDATION_FAILED:
      return "VALIDATION_FAILED";
    case LC_NOT_FOUND:
      return "NOT_FOUND";
    case LC_ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case LC_CONFLICT:
      return "CONFLICT";
    case LC_FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case LC_PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case LC_UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case LC_RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case LC_INTERNAL:
      return "INTERNAL";
    case LC_UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case LC_CANCELLED:
      return "CANCELLED";
    case LC_UNAVAILABLE:
      return "UNAVAILABLE";
    case LC_DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "UNKNOWN";
  }
}

void lc_error_free(lc_error* err) noexcept { delete err; }

lc_status lc_error_code(const lc_error* err) noexcept { return err ? err->code : LC_OK; }

const char* lc_error_message(const lc_error* err, size_t* len) noexcept {
  return err ? lcd::text_out(err->message, len) : lcd::empty_out(len);
}

size_t lc_error_violation_count(const lc_error* err) noexcept { return err ? err->violations.size() : 0; }

const char* lc_error_violation_field(const lc_error* err, size_t index, size_t* len) noexcept {
  const auto* v = lcd::violation_at(err ? &err->violations : nullptr, index);
  return v ? lcd::text_out(v->field, len) : lcd::empty_out(len);
}

const char* lc_error_violation_rule(const lc_error* err, size_t index, size_t* len) noexcept {
  const auto* v = lcd::violation_at(err ? &err->violations : nullptr, index);
  return v ? lcd::text_out(v->rule, len) : lcd::empty_out(len);
}

const char* lc_error_violation_message(const lc_error* err, size_t index, size_t* len) noexcept {
  const auto* v = lcd::violation_at(err ? &err->violations : nullptr, index);
  return v ? lcd::text_out(v->message, len) : lcd::empty_out(len);
}

void lc_result_free(lc_result* result) noexcept { delete result; }

const char* lc_result_json(const lc_result* result, size_t* len) noexcept {
  return result ? lcd::text_out(result->json, len) : lcd::empty_out(len);
}

size_t lc_result_warning_count(const lc_result* result) noexcept {
  return result ? result->warnings.size() : 0;
}

const char* lc_result_warning_field(const lc_result* result, size_t index, size_t* len) noexcept {
  const auto* v = lcd::violation_at(result ? &result->warnings : nullptr, index);
  return v ? lcd::text_out(v->field, len) : lcd::empty_out(len);
}

const char* lc_result_warning_rule(const lc_result* result, size_t index, size_t* len) noexcept {
  const auto* v = lcd::violation_at(result ? &result->warnings : nullptr, index);
  return v ? lcd::text_out(v->rule, len) : lcd::empty_out(len);
}

const char* lc_result_warning_message(const lc_result* result, size_t index, size_t* len) noexcept {
  const auto* v = lcd::violation_at(result ? &result->warnings : nullptr, index);
  return v ? lcd::text_out(v->message, len) : lcd::empty_out(len);
}

}  // extern "C"
