#include "leadcustomers/error.hpp"

#include <algorithm>
#include <string>

#include "absl/strings/cord.h"
#include "boost/json.hpp"
#include "detail/absl_compat.hpp"
#include "detail/strings.hpp"

namespace leadcustomers {
namespace {

constexpr char kPayloadUrl[] = "leadcustomers/error";

std::string join_path(std::string_view prefix, std::string_view field) {
  if (prefix.empty()) return std::string(field);
  if (field.empty()) return std::string(prefix);
  return detail::cat(prefix, ".", field);
}

absl::StatusCode absl_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::ok:
      return absl::StatusCode::kOk;
    case ErrorCode::invalid_argument:
    case ErrorCode::validation_failed:
      return absl::StatusCode::kInvalidArgument;
    case ErrorCode::not_found:
      return absl::StatusCode::kNotFound;
    case ErrorCode::already_exists:
      return absl::StatusCode::kAlreadyExists;
    case ErrorCode::conflict:
      return absl::StatusCode::kAborted;
    case ErrorCode::failed_precondition:
      return absl::StatusCode::kFailedPrecondition;
    case ErrorCode::permission_denied:
      return absl::StatusCode::kPermissionDenied;
    case ErrorCode::unauthenticated:
      return absl::StatusCode::kUnauthenticated;
    case ErrorCode::resource_exhausted:
      return absl::StatusCode::kResourceExhausted;
    case ErrorCode::internal:
      return absl::StatusCode::kInternal;
  }
  return absl::StatusCode::kInternal;
}

}  // namespace

void Diagnostics::error(std::string_view field, std::string rule, std::string message) {
  errors_.push_back({path(field), std::move(rule), std::move(message)});
}

void Diagnostics::warn(std::string_view field, std::string rule, std::string message) {
  warnings_.push_back({path(field), std::move(rule), std::move(message)});
}

void Diagnostics::merge(const Diagnostics& other) {
  errors_.insert(errors_.end(), other.errors_.begin(), other.errors_.end());
  warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
}

std::string Diagnostics::path(std::string_view field) const { return join_path(prefix_, field); }

Diagnostics::Scope::Scope(Diagnostics& d, std::string_view prefix) : d_(d), saved_(d.prefix_.size()) {
  d_.prefix_ = join_path(d_.prefix_, prefix);
}

Diagnostics::Scope::~Scope() { d_.prefix_.resize(saved_); }

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::ok:
      return "OK";
    case ErrorCode::invalid_argument:
      return "INVALID_ARGUMENT";
    case ErrorCode::validation_failed:
      return "VALIDATION_FAILED";
    case ErrorCode::not_found:
      return "NOT_FOUND";
    case ErrorCode::already_exists:
      return "ALREADY_EXISTS";
    case ErrorCode::conflict:
      return "CONFLICT";
    case ErrorCode::failed_precondition:
      return "FAILED_PRECONDITION";
    case ErrorCode::permission_denied:
      return "PERMISSION_DENIED";
    case ErrorCode::unauthenticated:
      return "UNAUTHENTICATED";
    case ErrorCode::resource_exhausted:
      return "RESOURCE_EXHAUSTED";
    case ErrorCode::internal:
      return "INTERNAL";
  }
  return "INTERNAL";
}

namespace {
constexpr size_t kMaxListedViolations = 100;
constexpr size_t kMaxMessageBytes = 8192;
}  // namespace

absl::Status make_error(ErrorCode code, std::string_view message, Violations violations) {
  if (code == ErrorCode::ok) return absl::OkStatus();
  // Every violation is listed up to a limit, then one more counts the rest, and the message is cut to a
  // readable size: a command of 100k malformed list items must not answer with megabytes of error.
  if (violations.size() > kMaxListedViolations) {
    const size_t more = violations.size() - kMaxListedViolations;
    violations.resize(kMaxListedViolations);
    violations.push_back(
        {"", "violations.truncated",
         detail::cat(more, " more violations (the first ", kMaxListedViolations, " are listed)")});
  }
  std::string cut;
  if (message.size() > kMaxMessageBytes) {
    size_t end = kMaxMessageBytes;
    while (end > 0 && (static_cast<unsigned char>(message[end]) & 0xC0) == 0x80) --end;  // whole characters
    cut = detail::cat(message.substr(0, end), "… (", message.size(), " bytes in all)");
    message = cut;
  }
  absl::Status status(absl_code(code), detail::to_absl(message));
  boost::json::object payload;
  payload["code"] = error_code_name(code);
  boost::json::array list;
  for (auto& v : violations) {
    list.push_back(boost::json::object{{"field", v.field}, {"rule", v.rule}, {"message", v.message}});
  }
  payload["violations"] = std::move(list);
  status.SetPayload(kPayloadUrl, absl::Cord(boost::json::serialize(payload)));
  return status;
}

absl::Status field_error(ErrorCode code, std::string_view field, std::string_view rule,
                         std::string_view message) {
  return make_error(code, message, {{std::string(field), std::string(rule), std::string(message)}});
}

absl::Status validation_failed(const Diagnostics& d) {
  std::string message;
  for (const auto& v : d.errors()) {
    if (message.size() > kMaxMessageBytes) break;  // make_error cuts it there anyway
    if (!message.empty()) message += "; ";
    detail::append(message, v.field, ": ", v.message, " (", v.rule, ")");
  }
  if (message.empty()) message = "validation failed";
  return make_error(ErrorCode::validation_failed, message, d.errors());
}

namespace {
std::optional<boost::json::object> payload_of(const absl::Status& status) {
  auto cord = status.GetPayload(kPayloadUrl);
  if (!cord) return std::nullopt;
  boost::system::error_code ec;
  auto value = boost::json::parse(std::string(*cord), ec);
  if (ec || !value.is_object()) return std::nullopt;
  return value.as_object();
}
}  // namespace

ErrorCode error_code_of(const absl::Status& status) {
  if (status.ok()) return ErrorCode::ok;
  if (auto payload = payload_of(status)) {
    if (auto* code = payload->if_contains("code"); code && code->is_string()) {
      for (int c = static_cast<int>(ErrorCode::invalid_argument); c <= static_cast<int>(ErrorCode::internal);
           ++c) {
        if (code->as_string() == error_code_name(static_cast<ErrorCode>(c))) return static_cast<ErrorCode>(c);
      }
    }
  }
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return ErrorCode::invalid_argument;
    case absl::StatusCode::kNotFound:
      return ErrorCode::not_found;
    case absl::StatusCode::kAlreadyExists:
      return ErrorCode::already_exists;
    case absl::StatusCode::kAborted:
      return ErrorCode::conflict;
    case absl::StatusCode::kFailedPrecondition:
      return ErrorCode::failed_precondition;
    case absl::StatusCode::kPermissionDenied:
      return ErrorCode::permission_denied;
    case absl::StatusCode::kUnauthenticated:
      return ErrorCode::unauthenticated;
    case absl::StatusCode::kResourceExhausted:
      return ErrorCode::resource_exhausted;
    default:
      return ErrorCode::internal;
  }
}

Violations violations_of(const absl::Status& status) {
  Violations out;
  auto payload = payload_of(status);
  if (!payload) return out;
  if (auto* list = payload->if_contains("violations"); list && list->is_array()) {
    for (const auto& item : list->as_array()) {
      if (!item.is_object()) continue;
      const auto& o = item.as_object();
      auto str = [&](const char* k) -> std::string {
        auto* v = o.if_contains(k);
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
      };
      out.push_back({str("field"), str("rule"), str("message")});
    }
  }
  return out;
}

}  // namespace leadcustomers
