#include "store/search_match.hpp"

#include "leadcustomers/text.hpp"

namespace leadcustomers {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::string SearchMatcher::digits_of(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c >= '0' && c <= '9') out.push_back(c);
  return out;
}

SearchMatcher::SearchMatcher(std::string_view text)
    : folded_(fold_for_match(text)), lower_(ascii_lower(trim(text))) {
  // Phone search only for text that is mostly a number (3+ digits, no letters).
  bool letters = false;
  for (char c : text) letters |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (!letters) digits_ = digits_of(text);
  if (digits_.size() < 3) digits_.clear();
}

bool SearchMatcher::matches(const CustomerAggregate& agg, std::string_view company_name) const {
  const auto& c = agg.customer;
  auto first = fold_for_match(c.first_name);
  auto last = fold_for_match(c.last_name);
  if (starts_with(first, folded_) || starts_with(last, folded_)) return true;
  if (starts_with(fold_for_match(c.first_name + " " + c.last_name), folded_)) return true;
  if (!lower_.empty() && starts_with(c.email_key, lower_) && !c.erased) return true;
  if (!company_name.empty() && starts_with(fold_for_match(company_name), folded_)) return true;
  if (!digits_.empty()) {
    auto phone_match = [&](const std::optional<Phone>& p) {
      if (!p) return false;
      auto d = digits_of(p->e164);
      return d.find(digits_) != std::string::npos;
    };
    if (phone_match(c.phone) || phone_match(c.fax)) return true;
    for (const auto& a : agg.addresses)
      if (phone_match(a.phone)) return true;
  }
  return false;
}

std::string full_name_fold(std::string_view first_fold, std::string_view last_fold) {
  if (first_fold.empty()) return std::string(last_fold);
  if (last_fold.empty()) return std::string(first_fold);
  std::string out;
  out.reserve(first_fold.size() + 1 + last_fold.size());
  out.append(first_fold);
  out.push_back(' ');
  out.append(last_fold);
  return out;
}

}  // namespace leadcustomers
