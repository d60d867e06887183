// The SQL side of the segment rule language: a parsed rule compiled to a WHERE condition over
// `customers c` of the SQLite schema, beside the core's evaluator (segment_rule.hpp), which stays the
// reference. Fact names map to fixed SQL text; every literal (and "now") becomes a bound parameter, so no
// rule text ever enters the SQL. The property test (tests/store/segment_sql_property_test.cpp) checks that
// both paths give the same members.
//
//   SegmentSql sql = compile_segment_sql(rule, now);
//   // "SELECT c.id FROM customers c WHERE c.id > ? AND c.erased = 0 AND (" + sql.where + ") ..."
//   // then bind sql.params in order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "leadcustomers/segment_rule.hpp"

namespace leadcustomers::detail {

// One positional parameter (`?`) of the compiled condition.
struct SqlParam {
  enum class Kind { integer, text, blob, null };
  Kind kind = Kind::null;
  int64_t integer = 0;
  std::string bytes;  // text, or the 16 bytes of a blob
};

struct SegmentSql {
  std::string where;             // a condition over `customers c`, never NULL-valued
  std::vector<SqlParam> params;  // bound in order of appearance
};

// The condition equivalent to evaluate(rule, facts, now) for every customer row.
[[nodiscard]] SegmentSql compile_segment_sql(const SegmentRule& rule, absl::Time now);

}  // namespace leadcustomers::detail
