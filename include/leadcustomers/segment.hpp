// Segments (SPEC §2.5): named rules over customer facts. The ten built-in segments live here, in the core,
// and are never stored; custom segments are stored by every store (StoreTx::put_segment). Membership is
// never stored: it is evaluated at query time against the current data and an injected "now".
//
//   for (const Segment& s : builtin_segments()) { ... }                 // the ten, in SPEC order
//   const Segment* s = find_builtin_segment("builtin.orders_30d");
//   auto rule = parse_segment_rule(s->rule);                            // always parses
//   bool member = is_member(*rule, facts, now);                         // false for an erased customer
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "boost/json/object.hpp"
#include "leadcustomers/enums.hpp"
#include "leadcustomers/segment_rule.hpp"

namespace leadcustomers {

// A segment. Built-in ids are `builtin.*`; custom ids are lower-case UUIDs.
struct Segment {
  std::string id;
  std::string name;
  Status status = Status::active;  // Active or Inactive (never Archived)
  std::string description;
  std::string rule;  // the rule text, as parsed by parse_segment_rule
  bool builtin = false;
  absl::Time created_at;  // custom segments only (built-ins: the Unix epoch)
  absl::Time updated_at;
  int64_t version = 0;  // custom segments: 1 on create, +1 per change; built-ins: 0
  friend bool operator==(const Segment&, const Segment&) = default;
};

// The ten built-in segments of SPEC §2.5, in the SPEC's order (non_purchasers_180d … all_customers).
[[nodiscard]] const std::vector<Segment>& builtin_segments();
// The built-in segment `id`, or nullptr.
[[nodiscard]] const Segment* find_builtin_segment(std::string_view id);

// Membership: erased customers are never members of any segment; everyone else is a member when the rule
// holds at `now`.
[[nodiscard]] bool is_member(const SegmentRule& rule, const CustomerFacts& facts, absl::Time now);

// The segment document: {"id", "name", "status", "description", "rule", "builtin", "version",
// "created_at", "updated_at"} (times null for built-ins).
[[nodiscard]] boost::json::object segment_document(const Segment& s);

}  // namespace leadcustomers
