// Strict reading of a command's JSON fields: every field a handler reads is marked known, and finish()
// refuses the command (INVALID_ARGUMENT, naming the field) when it has an unknown field or a field of the
// wrong JSON type — so typos never pass silently.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "boost/json.hpp"
#include "leadcustomers/error.hpp"

namespace leadcustomers::detail {

// A field of a command: absent, null, or a value.
template <typename T>
struct Patch {
  bool present = false;
  bool null = false;
  T value{};
  [[nodiscard]] bool has_value() const { return present && !null; }
};

// A member key's length and first byte (FieldReader's look-up compares keys only where these match).
inline uint32_t field_signature(std::string_view key) {
  return static_cast<uint32_t>(key.size() << 8) | (key.empty() ? 0u : static_cast<unsigned char>(key[0]));
}

// The first slot of FieldReader's index to probe for a signature (6 bits of a multiplicative hash).
inline size_t field_slot(uint32_t sig) { return static_cast<size_t>((sig * 0x9E3779B1u) >> 26); }

// Whether a member's key is `key` (8 to 16 bytes: two overlapping eight-byte words, no call).
inline bool same_field_key(const boost::json::key_value_pair& member, std::string_view key) {
  auto k = member.key();
  const size_t n = key.size();
  if (k.size() != n) return false;
  if (n >= 8 && n <= 16) {
    auto word = [](const char* p) {
      uint64_t w;
      std::memcpy(&w, p, sizeof w);
      return w;
    };
    return word(k.data()) == word(key.data()) && word(k.data() + n - 8) == word(key.data() + n - 8);
  }
  return std::memcmp(k.data(), key.data(), n) == 0;
}

class FieldReader {
 public:
  // `path` prefixes field names in violations ("addresses[0]").
  explicit FieldReader(const boost::json::object& object, std::string path = "");

  // The raw value (nullptr when absent); marks the field known.
  const boost::json::value* raw(std::string_view key) {
    if (object_.size() > kIndexed) return raw_unindexed(key);
    // Members were inserted in order and equal keys share a probe sequence, so of several members with the
    // same key the first is met first, as by the scan of raw_unindexed().
    const uint32_t wanted = field_signature(key);
    for (size_t s = field_slot(wanted); slots_[s] != 0; s = (s + 1) % kSlots) {
      if (const auto* v = take(slots_[s] - 1u, wanted, key)) return v;
    }
    return nullptr;
  }
  Patch<std::string> str(std::string_view key) {
    return typed<std::string>(
        key, "a string", [](const boost::json::value& v) { return v.is_string(); },
        [](const boost::json::value& v) { return std::string(v.get_string()); });
  }
  // Like str(), without a copy: the view points into the command, which must outlive it.
  Patch<std::string_view> view(std::string_view key) {
    return typed<std::string_view>(
        key, "a string", [](const boost::json::value& v) { return v.is_string(); },
        [](const boost::json::value& v) {
          const auto& text = v.get_string();
          return std::string_view(text.data(), text.size());
        });
  }
  Patch<int64_t> int64(std::string_view key) {
    return typed<int64_t>(
        key, "an integer",
        [](const boost::json::value& v) {
          return v.is_int64() || (v.is_uint64() && v.get_uint64() <= static_cast<uint64_t>(INT64_MAX));
        },
        [](const boost::json::value& v) {
          return v.is_int64() ? v.get_int64() : static_cast<int64_t>(v.get_uint64());
        });
  }
  Patch<bool> boolean(std::string_view key) {
    return typed<bool>(
        key, "a boolean", [](const boost::json::value& v) { return v.is_bool(); },
        [](const boost::json::value& v) { return v.get_bool(); });
  }
  Patch<const boost::json::array*> array(std::string_view key) {
    return typed<const boost::json::array*>(
        key, "an array", [](const boost::json::value& v) { return v.is_array(); },
        [](const boost::json::value& v) { return &v.get_array(); });
  }
  Patch<const boost::json::object*> object(std::string_view key) {
    return typed<const boost::json::object*>(
        key, "an object", [](const boost::json::value& v) { return v.is_object(); },
        [](const boost::json::value& v) { return &v.get_object(); });
  }
  // Marks fields known without reading them.
  void ignore(std::string_view key);
  // Records a malformed-command problem (INVALID_ARGUMENT at finish()) at a nested path.
  void problem(std::string path, std::string rule, std::string message);
  // Records a wrong-type problem found by a caller.
  void wrong_type(std::string_view key, std::string_view expected);

  // INVALID_ARGUMENT with a violation per unknown field and per wrong type; OK otherwise.
  [[nodiscard]] absl::Status finish(std::string_view op) const;
  [[nodiscard]] const Violations& problems() const { return problems_; }
  [[nodiscard]] std::string path(std::string_view key) const;

 private:
  // raw() for objects of more than kIndexed members.
  const boost::json::value* raw_unindexed(std::string_view key);

  // The value of the member at `pos` when its key is `key` (signature `wanted`), marking it read.
  const boost::json::value* take(size_t pos, uint32_t wanted, std::string_view key) {
    if (signatures_[pos] != wanted) return nullptr;
    const auto& member = object_.begin()[pos];
    if (!same_field_key(member, key)) return nullptr;
    seen_ |= uint64_t{1} << pos;
    return &member.value();
  }

  // A field of one JSON type: absent, null, the value `get` reads where `is` holds, or a wrong-type problem.
  template <typename T, typename Is, typename Get>
  Patch<T> typed(std::string_view key, std::string_view expected, Is is, Get get) {
    Patch<T> p;
    const auto* v = raw(key);
    if (!v) return p;
    p.present = true;
    if (v->is_null()) {
      p.null = true;
    } else if (is(*v)) {
      p.value = get(*v);
    } else {
      wrong_type(key, expected);
      p.present = false;
    }
    return p;
  }

  const boost::json::object& object_;
  std::string path_;
  // Per member (objects of up to 64 members): its key's length and first byte, so that a look-up compares
  // keys only where both match (most look-ups are of optional fields that are absent).
  uint32_t signatures_[64];
  // Objects of up to kIndexed members: an open-addressed table from a signature's hash to 1 + the member's
  // position (0 = empty slot), so that a look-up of an absent field usually ends at its first probe.
  static constexpr size_t kIndexed = 32;
  static constexpr size_t kSlots = 64;
  uint8_t slots_[kSlots];
  // Names read, kept for objects of more than 64 members only (the slow path of finish()); for smaller
  // objects `seen_` says the same.
  absl::InlinedVector<std::string_view, 4> known_;
  uint64_t seen_ = 0;  // positions of the object's members that were read (first 64)
  Violations problems_;
};

// "string", "number", ... for messages.
std::string_view json_kind(const boost::json::value& v);

}  // namespace leadcustomers::detail
