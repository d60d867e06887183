#include "engine/fields.hpp"

#include <algorithm>
#include <cstring>

#include "detail/strings.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {

std::string_view json_kind(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "boolean";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "number";
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::array:
      return "array";
    case boost::json::kind::object:
      return "object";
  }
  return "value";
}

FieldReader::FieldReader(const boost::json::object& object, std::string path)
    : object_(object), path_(std::move(path)) {
  const size_t n = object_.size();
  if (n > 64) return;
  if (n > kIndexed) {
    size_t i = 0;
    for (const auto& member : object_) signatures_[i++] = field_signature(member.key());
    return;
  }
  std::memset(slots_, 0, sizeof slots_);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t sig = field_signature(object_.begin()[i].key());
    signatures_[i] = sig;
    size_t s = field_slot(sig);
    while (slots_[s] != 0) s = (s + 1) % kSlots;
    slots_[s] = static_cast<uint8_t>(i + 1);
  }
}

std::string FieldReader::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : cat(path_, ".", key);
}

const boost::json::value* FieldReader::raw_unindexed(std::string_view key) {
  const size_t n = object_.size();
  if (n <= 64) {
    const uint32_t wanted = field_signature(key);
    for (size_t pos = 0; pos < n; ++pos) {
      if (const auto* v = take(pos, wanted, key)) return v;
    }
    return nullptr;
  }
  known_.push_back(key);
  auto it = object_.find(key);
  if (it == object_.end()) return nullptr;
  return &it->value();
}

void FieldReader::ignore(std::string_view key) { (void)raw(key); }

void FieldReader::problem(std::string p, std::string rule, std::string message) {
  problems_.push_back({std::move(p), std::move(rule), std::move(message)});
}

void FieldReader::wrong_type(std::string_view key, std::string_view expected) {
  const auto* v = object_.if_contains(key);
  problems_.push_back({path(key), "command.wrong_type",
                       cat("field '", path(key), "' must be ", expected, ", not ",
                           v ? json_kind(*v) : std::string_view("absent"))});
}

absl::Status FieldReader::finish(std::string_view op) const {
  // Fast path: every member was read and nothing had the wrong type.
  if (problems_.empty() && object_.size() <= 64 &&
      seen_ == (object_.size() == 64 ? ~uint64_t{0} : (uint64_t{1} << object_.size()) - 1)) {
    return absl::OkStatus();
  }
  Violations all = problems_;
  const size_t n = object_.size();
  // Each unknown field is named up to a limit; past it one violation counts the rest (a command of 100k
  // made-up members must not answer with a 14 MB error).
  constexpr size_t kMaxNamed = 50;
  size_t unnamed = 0;
  for (size_t pos = 0; pos < n; ++pos) {
    std::string_view key = object_.begin()[pos].key();
    bool known;
    if (n <= 64) {
      // A member was read when a look-up found it, or found an earlier member with the same key.
      known = false;
      for (size_t j = 0; j <= pos && !known; ++j) {
        known = (seen_ >> j & 1) != 0 && std::string_view(object_.begin()[j].key()) == key;
      }
    } else {
      known = std::find(known_.begin(), known_.end(), key) != known_.end();
    }
    if (!known && all.size() - problems_.size() >= kMaxNamed) {
      ++unnamed;
    } else if (!known) {
      all.push_back(
          {path(key), "command.unknown_field", cat(quoted(op), " has no field ", quoted(path(key)))});
    }
  }
  if (unnamed > 0) {
    all.push_back(
        {std::string(path_), "command.unknown_field",
         cat("'", op, "' has ", unnamed, " more unknown fields (the first ", kMaxNamed, " are named)")});
  }
  if (all.empty()) return absl::OkStatus();
  std::string message;
  for (const auto& v : all) {
    if (!message.empty()) message += "; ";
    message += v.message;
  }
  return make_error(ErrorCode::invalid_argument, message, std::move(all));
}

}  // namespace leadcustomers::detail
