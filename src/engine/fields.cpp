#include "engine/fields.hpp"

#include <algorithm>

#include "detail/strings.hpp"

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

namespace {

uint32_t signature(std::string_view key) {
  return static_cast<uint32_t>(key.size() << 8) | (key.empty() ? 0u : static_cast<unsigned char>(key[0]));
}

// The first slot to probe for a signature (6 bits of a multiplicative hash).
size_t slot_of(uint32_t sig) { return static_cast<size_t>((sig * 0x9E3779B1u) >> 26); }

}  // namespace

FieldReader::FieldReader(const boost::json::object& object, std::string path)
    : object_(object), path_(std::move(path)) {
  const size_t n = object_.size();
  if (n > 64) return;
  size_t i = 0;
  for (const auto& member : object_) signatures_[i++] = signature(member.key());
  if (n > kIndexed) return;
  std::fill(std::begin(slots_), std::end(slots_), uint8_t{0});
  for (i = 0; i < n; ++i) {
    size_t s = slot_of(signatures_[i]);
    while (slots_[s] != 0) s = (s + 1) % kSlots;
    slots_[s] = static_cast<uint8_t>(i + 1);
  }
}

std::string FieldReader::path(std::string_view key) const {
  return path_.empty() ? std::string(key) : cat(path_, ".", key);
}

const boost::json::value* FieldReader::raw(std::string_view key) {
  const size_t n = object_.size();
  if (n <= kIndexed) {
    // Members were inserted in order and equal keys share a probe sequence, so of several members with the
    // same key the first is met first, as by the scan below.
    const uint32_t wanted = signature(key);
    for (size_t s = slot_of(wanted); slots_[s] != 0; s = (s + 1) % kSlots) {
      const size_t pos = slots_[s] - 1u;
      if (signatures_[pos] != wanted) continue;
      const auto& member = object_.begin()[pos];
      if (std::string_view(member.key()) != key) continue;
      seen_ |= uint64_t{1} << pos;
      return &member.value();
    }
    return nullptr;
  }
  if (n <= 64) {
    const uint32_t wanted = signature(key);
    for (size_t pos = 0; pos < n; ++pos) {
      if (signatures_[pos] != wanted) continue;
      const auto& member = object_.begin()[pos];
      if (std::string_view(member.key()) != key) continue;
      seen_ |= uint64_t{1} << pos;
      return &member.value();
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

Patch<std::string> FieldReader::str(std::string_view key) {
  Patch<std::string> p;
  const auto* v = raw(key);
  if (!v) return p;
  p.present = true;
  if (v->is_null()) {
    p.null = true;
  } else if (v->is_string()) {
    p.value = std::string(v->as_string());
  } else {
    wrong_type(key, "a string");
    p.present = false;
  }
  return p;
}

Patch<std::string_view> FieldReader::view(std::string_view key) {
  Patch<std::string_view> p;
  const auto* v = raw(key);
  if (!v) return p;
  p.present = true;
  if (v->is_null()) {
    p.null = true;
  } else if (v->is_string()) {
    const auto& text = v->get_string();
    p.value = std::string_view(text.data(), text.size());
  } else {
    wrong_type(key, "a string");
    p.present = false;
  }
  return p;
}

Patch<int64_t> FieldReader::int64(std::string_view key) {
  Patch<int64_t> p;
  const auto* v = raw(key);
  if (!v) return p;
  p.present = true;
  if (v->is_null()) {
    p.null = true;
  } else if (v->is_int64()) {
    p.value = v->as_int64();
  } else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    p.value = static_cast<int64_t>(v->as_uint64());
  } else {
    wrong_type(key, "an integer");
    p.present = false;
  }
  return p;
}

Patch<bool> FieldReader::boolean(std::string_view key) {
  Patch<bool> p;
  const auto* v = raw(key);
  if (!v) return p;
  p.present = true;
  if (v->is_null()) {
    p.null = true;
  } else if (v->is_bool()) {
    p.value = v->as_bool();
  } else {
    wrong_type(key, "a boolean");
    p.present = false;
  }
  return p;
}

Patch<const boost::json::array*> FieldReader::array(std::string_view key) {
  Patch<const boost::json::array*> p;
  const auto* v = raw(key);
  if (!v) return p;
  p.present = true;
  if (v->is_null()) {
    p.null = true;
  } else if (v->is_array()) {
    p.value = &v->as_array();
  } else {
    wrong_type(key, "an array");
    p.present = false;
  }
  return p;
}

Patch<const boost::json::object*> FieldReader::object(std::string_view key) {
  Patch<const boost::json::object*> p;
  const auto* v = raw(key);
  if (!v) return p;
  p.present = true;
  if (v->is_null()) {
    p.null = true;
  } else if (v->is_object()) {
    p.value = &v->as_object();
  } else {
    wrong_type(key, "an object");
    p.present = false;
  }
  return p;
}

absl::Status FieldReader::finish(std::string_view op) const {
  // Fast path: every member was read and nothing had the wrong type.
  if (problems_.empty() && object_.size() <= 64 &&
      seen_ == (object_.size() == 64 ? ~uint64_t{0} : (uint64_t{1} << object_.size()) - 1)) {
    return absl::OkStatus();
  }
  Violations all = problems_;
  const size_t n = object_.size();
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
    if (!known) {
      all.push_back({path(key), "command.unknown_field", cat("'", op, "' has no field '", path(key), "'")});
    }
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
