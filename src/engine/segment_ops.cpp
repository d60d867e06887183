// Segments (SPEC §2.5, docs/segments.md): segment.create / segment.update of custom segments, and the
// queries segment.list, customer.segments, segment.members and segment.explain. Membership is evaluated at
// query time with the engine's clock as "now" — never stored.
#include "detail/absl_compat.hpp"
#include "detail/strings.hpp"
#include "engine/context.hpp"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/segment.hpp"
#include "leadcustomers/text.hpp"

namespace leadcustomers::detail {
namespace {

constexpr size_t kMaxRuleCodePoints = 2000;
constexpr int64_t kDefaultMembersLimit = 50;
constexpr int64_t kMaxMembersLimit = 1000;

absl::Status staff_only(const OpContext& ctx) {
  if (ctx.actor != Actor::customer) return absl::OkStatus();
  return field_error(ErrorCode::permission_denied, "actor", "actor.not_allowed",
                     cat("actor customer may not use ", ctx.op, ": segments are managed by the back office"));
}

// The segment `id`: a built-in or a stored custom one. NOT_FOUND on `field` otherwise.
absl::StatusOr<Segment> find_segment(OpContext& ctx, std::string_view field, std::string_view id) {
  if (const Segment* b = find_builtin_segment(id)) return *b;
  std::string key(id);
  if (auto parsed = parse_uuid(id)) key = uuid_text(*parsed);  // any UUID, any letter case
  auto stored = ctx.tx.load_segment(key);
  if (!stored.ok()) return stored.status();
  if (!*stored) {
    return field_error(ErrorCode::not_found, field, "segment.not_found",
                       cat("segment ", quoted(id), " does not exist"));
  }
  return std::move(**stored);
}

// Reads `segment_id` (required) for the queries and segment.update.
absl::StatusOr<Segment> read_and_find(OpContext& ctx, const Patch<std::string>& id) {
  if (!id.has_value() || trim(id.value).empty()) {
    return field_error(ErrorCode::validation_failed, "segment_id", "segment.id_required",
                       "segment_id is required");
  }
  return find_segment(ctx, "segment_id", trim(id.value));
}

// The editable fields of a custom segment, validated into `seg`. `creating`: name and rule are required.
struct SegmentInput {
  Patch<std::string> name, status, description, rule;
};

SegmentInput read_input(FieldReader& f) {
  SegmentInput in;
  in.name = f.str("name");
  in.status = f.str("status");
  in.description = f.str("description");
  in.rule = f.str("rule");
  return in;
}

void apply_input(const SegmentInput& in, bool creating, Segment& seg, Diagnostics& d) {
  if (in.name.present || creating) {
    std::optional<std::string> name;
    if (in.name.has_value()) name = clean_text(in.name.value, "name", {.max_code_points = 100}, d);
    if (!in.name.has_value() || (name && name->empty())) {
      d.error("name", "segment.name_required", "name is required");
    } else if (name) {
      seg.name = *name;
    }
  }
  if (in.status.has_value()) {
    auto s = parse_status(in.status.value);
    if (!s || *s == Status::archived) {
      d.error("status", "segment.status_unknown",
              cat("status ", quoted(in.status.value), " is not Active or Inactive"));
    } else {
      seg.status = *s;
    }
  } else if (in.status.present) {
    d.error("status", "segment.status_unknown", "status null is not Active or Inactive");
  }
  if (in.description.present) {
    if (in.description.null) {
      seg.description.clear();
    } else if (auto v = clean_text(in.description.value, "description",
                                   {.max_code_points = 1000, .line_breaks = LineBreaks::any}, d)) {
      seg.description = *v;
    }
  }
  if (in.rule.present || creating) {
    if (!in.rule.has_value() || trim(in.rule.value).empty()) {
      d.error("rule", "segment.rule_required", "rule is required");
      return;
    }
    Diagnostics text_d;
    auto cleaned =
        clean_text(in.rule.value, "rule",
                   {.max_code_points = kMaxRuleCodePoints, .line_breaks = LineBreaks::any}, text_d);
    if (!text_d.ok() || !cleaned) {
      d.merge(text_d);
      return;
    }
    // Positions in an error refer to the text as sent.
    auto parsed = parse_segment_rule(in.rule.value);
    if (parsed.ok()) parsed = parse_segment_rule(*cleaned);
    if (!parsed.ok()) {
      for (auto& v : violations_of(parsed.status())) d.error(v.field, v.rule, v.message);
      return;
    }
    seg.rule = *cleaned;
  }
}

bool same_content(const Segment& a, const Segment& b) {
  return a.name == b.name && a.status == b.status && a.description == b.description && a.rule == b.rule;
}

absl::StatusOr<boost::json::value> op_segment_create(OpContext& ctx) {
  auto& f = ctx.fields;
  auto id = f.str("id");
  SegmentInput in = read_input(f);
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  LC_RETURN_IF_ERROR(staff_only(ctx));
  Diagnostics d;
  Segment seg;
  if (id.has_value()) {
    if (auto parsed = parse_uuid(trim(id.value))) {
      seg.id = uuid_text(*parsed);
    } else {
      d.error("id", "id.invalid",
              cat("id ", quoted(id.value),
                  " is not a UUID (custom segment ids are UUIDs; builtin.* is reserved)"));
    }
  } else {
    seg.id = uuid_text(generate_uuid_v7());
  }
  apply_input(in, true, seg, d);
  if (!d.ok()) return validation_failed(d);
  auto existing = ctx.tx.load_segment(seg.id);
  if (!existing.ok()) return existing.status();
  if (*existing) {
    if (same_content(**existing, seg)) return segment_document(**existing);
    return field_error(ErrorCode::already_exists, "id", "id.taken",
                       cat("segment ", seg.id, " already exists with different content"));
  }
  seg.created_at = ctx.now;
  seg.updated_at = ctx.now;
  seg.version = 1;
  LC_RETURN_IF_ERROR(ctx.tx.put_segment(seg));
  return segment_document(seg);
}

absl::StatusOr<boost::json::value> op_segment_update(OpContext& ctx) {
  auto& f = ctx.fields;
  auto id = f.str("segment_id");
  SegmentInput in = read_input(f);
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  LC_RETURN_IF_ERROR(staff_only(ctx));
  auto found = read_and_find(ctx, id);
  if (!found.ok()) return found.status();
  if (found->builtin) {
    return field_error(ErrorCode::failed_precondition, "segment_id", "segment.builtin_read_only",
                       cat("segment ", found->id, " is built in and cannot be changed"));
  }
  if (ctx.expected_version && *ctx.expected_version != found->version) {
    return field_error(
        ErrorCode::conflict, "expected_version", "version.conflict",
        cat("expected version ", *ctx.expected_version, " but the segment is at version ", found->version));
  }
  Segment seg = *found;
  Diagnostics d;
  apply_input(in, false, seg, d);
  if (!d.ok()) return validation_failed(d);
  if (same_content(seg, *found)) return segment_document(*found);
  seg.version = found->version + 1;
  seg.updated_at = ctx.now;
  LC_RETURN_IF_ERROR(ctx.tx.put_segment(seg));
  return segment_document(seg);
}

absl::StatusOr<boost::json::value> op_segment_list(OpContext& ctx) {
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  boost::json::array out;
  for (const auto& s : builtin_segments()) out.push_back(segment_document(s));
  auto custom = ctx.tx.list_segments();
  if (!custom.ok()) return custom.status();
  for (const auto& s : *custom) out.push_back(segment_document(s));
  return boost::json::object{{"segments", std::move(out)}};
}

// A stored rule that no longer parses would be a bug (rules are checked on write): INTERNAL. The built-ins'
// rules are parsed once.
absl::StatusOr<SegmentRule> rule_of(const Segment& s) {
  if (s.builtin) {
    static const std::vector<SegmentRule> parsed = [] {
      std::vector<SegmentRule> out;
      for (const auto& b : builtin_segments()) out.push_back(*parse_segment_rule(b.rule));
      return out;
    }();
    for (size_t i = 0; i < parsed.size(); ++i)
      if (builtin_segments()[i].id == s.id) return parsed[i];
  }
  auto rule = parse_segment_rule(s.rule);
  if (!rule.ok()) {
    return make_error(ErrorCode::internal, cat("the stored rule of segment ", s.id,
                                               " does not parse: ", to_std(rule.status().message())));
  }
  return rule;
}

absl::StatusOr<CustomerFacts> facts_of(OpContext& ctx, const CustomerAggregate& agg) {
  auto orders = ctx.tx.list_orders(agg.customer.id);
  if (!orders.ok()) return orders.status();
  return customer_facts(agg, *orders);
}

absl::StatusOr<boost::json::value> op_customer_segments(OpContext& ctx) {
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  auto facts = facts_of(ctx, *loaded);
  if (!facts.ok()) return facts.status();
  std::vector<Segment> all(builtin_segments().begin(), builtin_segments().end());
  auto custom = ctx.tx.list_segments();
  if (!custom.ok()) return custom.status();
  all.insert(all.end(), custom->begin(), custom->end());
  boost::json::array out;
  for (const auto& s : all) {
    if (s.status != Status::active) continue;
    auto rule = rule_of(s);
    if (!rule.ok()) return rule.status();
    if (is_member(*rule, *facts, ctx.now)) out.push_back(boost::json::object{{"id", s.id}, {"name", s.name}});
  }
  return boost::json::object{{"customer_id", loaded->customer.id.str()}, {"segments", std::move(out)}};
}

absl::StatusOr<boost::json::value> op_segment_members(OpContext& ctx) {
  auto& f = ctx.fields;
  auto id = f.str("segment_id");
  auto limit = f.int64("limit");
  auto cursor = f.str("cursor");
  LC_RETURN_IF_ERROR(f.finish(ctx.op));
  Diagnostics d;
  int64_t n = kDefaultMembersLimit;
  if (limit.has_value()) {
    if (limit.value < 1 || limit.value > kMaxMembersLimit) {
      d.error("limit", "limit.out_of_range",
              cat("limit ", limit.value, " is not between 1 and ", kMaxMembersLimit));
    } else {
      n = limit.value;
    }
  }
  std::optional<CustomerId> after;
  if (cursor.has_value() && !cursor.value.empty()) {
    after = CustomerId::parse(cursor.value);
    if (!after) {
      d.error("cursor", "cursor.invalid",
              cat("cursor ", quoted(cursor.value), " is not a cursor of this store"));
    }
  }
  if (!d.ok()) return validation_failed(d);
  auto seg = read_and_find(ctx, id);
  if (!seg.ok()) return seg.status();
  auto rule = rule_of(*seg);
  if (!rule.ok()) return rule.status();
  // One more than asked tells whether there is a next page.
  auto ids = ctx.tx.segment_members(*rule, ctx.now, after, static_cast<size_t>(n) + 1);
  if (!ids.ok()) return ids.status();
  bool more = ids->size() > static_cast<size_t>(n);
  if (more) ids->resize(static_cast<size_t>(n));
  boost::json::array members;
  members.reserve(ids->size());
  for (const auto& m : *ids) members.push_back(boost::json::string(m.str()));
  boost::json::object out{{"segment_id", seg->id}, {"at", format_timestamp(ctx.now)}};
  out["members"] = std::move(members);
  out["next_cursor"] = more ? boost::json::value(ids->back().str()) : boost::json::value(nullptr);
  return out;
}

absl::StatusOr<boost::json::value> op_segment_explain(OpContext& ctx) {
  auto id = ctx.fields.str("segment_id");
  CustomerName name = read_customer_name(ctx.fields, true);
  LC_RETURN_IF_ERROR(ctx.fields.finish(ctx.op));
  auto seg = read_and_find(ctx, id);
  if (!seg.ok()) return seg.status();
  auto loaded = load_customer(ctx, name);
  if (!loaded.ok()) return loaded.status();
  auto rule = rule_of(*seg);
  if (!rule.ok()) return rule.status();
  auto facts = facts_of(ctx, *loaded);
  if (!facts.ok()) return facts.status();
  boost::json::object out{{"segment_id", seg->id},
                          {"customer_id", loaded->customer.id.str()},
                          {"at", format_timestamp(ctx.now)},
                          {"member", is_member(*rule, *facts, ctx.now)},
                          {"rule", seg->rule}};
  // An erased customer is outside every segment whatever its rule says.
  out["excluded"] = facts->erased ? boost::json::value("erased") : boost::json::value(nullptr);
  out["explain"] = explain(*rule, *facts, ctx.now);
  return out;
}

}  // namespace

void add_segment_ops(OpTable& t) {
  t["segment.create"] = {true, op_segment_create};
  t["segment.update"] = {true, op_segment_update};
  t["segment.list"] = {false, op_segment_list};
  t["customer.segments"] = {false, op_customer_segments};
  t["segment.members"] = {false, op_segment_members};
  t["segment.explain"] = {false, op_segment_explain};
}

}  // namespace leadcustomers::detail
