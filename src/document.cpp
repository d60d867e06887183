#include "leadcustomers/document.hpp"

#include "engine/location.hpp"
#include "leadcustomers/clock.hpp"

namespace leadcustomers {
namespace {

template <typename T, typename F>
boost::json::value opt(const std::optional<T>& v, F f) {
  if (!v) return nullptr;
  return f(*v);
}

boost::json::value opt_str(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return boost::json::string(*v);
}

boost::json::value time_json(absl::Time t) { return boost::json::string(format_timestamp(t)); }

}  // namespace

boost::json::value phone_json(const std::optional<Phone>& p) {
  if (!p) return nullptr;
  return boost::json::object{{"e164", p->e164}, {"extension", opt_str(p->extension)}};
}

boost::json::value money_json(const Money& m) {
  return boost::json::object{{"amount", m.amount}, {"currency", m.currency}};
}

boost::json::object address_document(const Address& a) {
  boost::json::object o;
  o["id"] = a.id.str();
  o["customer_id"] = a.customer_id.str();
  o["name"] = a.name;
  o["status"] = to_string(a.status);
  o["region"] = a.region;
  o["state"] = opt_str(a.state);
  o["state_name"] = nullptr;
  if (a.state) {
    if (auto name = detail::subdivision_name(*a.state)) o["state_name"] = *name;
  }
  o["phone"] = phone_json(a.phone);
  o["address1"] = a.address1;
  o["address2"] = opt_str(a.address2);
  o["city"] = opt_str(a.city);
  o["zip"] = opt_str(a.zip);
  o["business_name"] = opt_str(a.business_name);
  return o;
}

boost::json::object customer_document(const CustomerAggregate& agg) {
  const auto& c = agg.customer;
  boost::json::object o;
  o["id"] = c.id.str();
  o["customer_type_id"] = c.customer_type_id;
  o["status"] = to_string(c.status);
  o["first_name"] = c.first_name;
  o["last_name"] = c.last_name;
  o["email"] = c.email;
  o["phone"] = phone_json(c.phone);
  o["fax"] = phone_json(c.fax);
  o["company_id"] = opt(c.company_id, [](const CompanyId& id) { return boost::json::value(id.str()); });
  o["newsletter"] = boost::json::object{
      {"subscribed", c.newsletter.subscribed},
      {"opt_in_level",
       opt(c.newsletter.opt_in_level, [](OptInLevel l) { return boost::json::value(to_string(l)); })},
      {"source", opt(c.newsletter.source, [](ConsentSource s) { return boost::json::value(to_string(s)); })},
      {"updated_at", opt(c.newsletter.updated_at, time_json)}};
  boost::json::array tags;
  for (const auto& t : c.tags) tags.emplace_back(t);
  o["tags"] = std::move(tags);
  o["note"] = opt_str(c.note);
  o["tax_exempt"] = opt(c.tax_exempt, [](bool b) { return boost::json::value(b); });
  boost::json::object attrs;
  for (const auto& [k, v] : c.attributes) attrs[k] = v;
  o["attributes"] = std::move(attrs);
  boost::json::array refs;
  for (const auto& r : c.external_refs)
    refs.push_back(boost::json::object{{"system", r.system}, {"id", r.id}});
  o["external_refs"] = std::move(refs);
  o["created_at"] = time_json(c.created_at);
  o["updated_at"] = time_json(c.updated_at);
  o["version"] = c.version;
  o["erased"] = c.erased;
  boost::json::array addresses;
  for (const auto& a : agg.addresses) addresses.push_back(address_document(a));
  o["addresses"] = std::move(addresses);
  o["default_shipping_address_id"] =
      opt(c.default_shipping_address_id, [](const AddressId& id) { return boost::json::value(id.str()); });
  o["default_billing_address_id"] =
      opt(c.default_billing_address_id, [](const AddressId& id) { return boost::json::value(id.str()); });
  o["portal"] = boost::json::object{{"login", c.email},
                                    {"has_login", agg.portal.has_login()},
                                    {"has_password", agg.portal.password_hash.has_value()},
                                    {"secret_question", opt_str(agg.portal.secret_question)},
                                    {"locked_until", opt(agg.portal.locked_until, time_json)}};
  return o;
}

boost::json::object customer_type_document(const CustomerType& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"status", to_string(t.status)},
          {"is_default", t.is_default},
          {"tax_exempt", t.tax_exempt}};
}

boost::json::object company_document(const Company& c) {
  return {{"id", c.id.str()}, {"name", c.name}, {"status", to_string(c.status)}};
}

boost::json::object order_document(const Order& o) {
  return {{"id", o.id.str()},
          {"customer_id", o.customer_id.str()},
          {"order_number", o.order_number},
          {"placed_at", time_json(o.placed_at)},
          {"status", to_string(o.status)},
          {"total", money_json(o.total)},
          {"item_count", o.item_count}};
}

boost::json::object ticket_document(const Ticket& t) {
  return {{"id", t.id.str()},
          {"customer_id", t.customer_id.str()},
          {"subject", t.subject},
          {"status", to_string(t.status)},
          {"priority", to_string(t.priority)},
          {"created_at", time_json(t.created_at)},
          {"updated_at", time_json(t.updated_at)}};
}

boost::json::object opportunity_document(const Opportunity& o) {
  return {{"id", o.id.str()},
          {"customer_id", o.customer_id.str()},
          {"subject", o.subject},
          {"stage", to_string(o.stage)},
          {"is_open", is_open(o.stage)},
          {"amount", opt(o.amount, money_json)},
          {"expected_close",
           opt(o.expected_close, [](absl::CivilDay d) { return boost::json::value(format_date(d)); })},
          {"created_at", time_json(o.created_at)},
          {"updated_at", time_json(o.updated_at)}};
}

boost::json::object history_document(const HistoryEntry& h) {
  return {{"at", time_json(h.at)},
          {"actor", to_string(h.actor)},
          {"event", h.event},
          {"from", opt(h.from, [](Status s) { return boost::json::value(to_string(s)); })},
          {"to", opt(h.to, [](Status s) { return boost::json::value(to_string(s)); })},
          {"reason", h.reason}};
}

boost::json::object consent_document(const ConsentEntry& c) {
  return {
      {"at", time_json(c.at)},
      {"from", c.from},
      {"to", c.to},
      {"opt_in_level", opt(c.opt_in_level, [](OptInLevel l) { return boost::json::value(to_string(l)); })},
      {"source", opt(c.source, [](ConsentSource s) { return boost::json::value(to_string(s)); })},
      {"actor", to_string(c.actor)}};
}

}  // namespace leadcustomers
