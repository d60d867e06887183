// Strict reading of a command's JSON fields: every field a handler reads is marked known, and finish()
// refuses the command (INVALID_ARGUMENT, naming the field) when it has an unknown field or a field of the
// wrong JSON type — so typos never pass silently.
#pragma once

#include <cstdint>
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

class FieldReader {
 public:
  // `path` prefixes field names in violations ("addresses[0]").
  explicit FieldReader(const boost::json::object& object, std::string path = "");

  // The raw value (nullptr when absent); marks the field known.
  const boost::json::value* raw(std::string_view key);
  Patch<std::string> str(std::string_view key);
  // Like str(), without a copy: the view points into the command, which must outlive it.
  Patch<std::string_view> view(std::string_view key);
  Patch<int64_t> int64(std::string_view key);
  Patch<bool> boolean(std::string_view key);
  Patch<const boost::json::array*> array(std::string_view key);
  Patch<const boost::json::object*> object(std::string_view key);
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
