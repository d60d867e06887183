// Phone numbers parsed ahead of time, so a number is parsed once. The importer parses a record's phones
// on a worker thread (parse_phone is pure: libphonenumber's util is thread-safe) into a PhoneMemo, then
// applies the record on the writer thread with that memo installed: parse_phone answers from the memo
// when it holds the same text and region, replaying the violations under the caller's field name.
//
//   detail::PhoneMemo memo;
//   detail::remember_phone(memo, "+1 617 555 0123", "US");  // on any thread
//   {
//     detail::ScopedPhoneMemo scope(&memo);                 // on the thread that applies the record
//     parse_phone("+1 617 555 0123", "US", "phone", d);     // no libphonenumber call
//   }
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "leadcustomers/phone.hpp"

namespace leadcustomers::detail {

// One parse: its key (text and default region as given to parse_phone), its answer and its findings.
struct PhoneParse {
  std::string text, region;
  std::optional<Phone> phone;
  struct Finding {
    bool error = false;
    std::string rule, message;
  };
  std::vector<Finding> findings;
};

// The parses of one record (a handful: linear look-up).
using PhoneMemo = std::vector<PhoneParse>;

// Parses `text` for `region` as parse_phone does and keeps the outcome in `memo` (once per key).
void remember_phone(PhoneMemo& memo, std::string_view text, std::string_view region);

// Installs `memo` for parse_phone on this thread until destroyed (the previous one is restored).
class ScopedPhoneMemo {
 public:
  explicit ScopedPhoneMemo(const PhoneMemo* memo);
  ~ScopedPhoneMemo();
  ScopedPhoneMemo(const ScopedPhoneMemo&) = delete;
  ScopedPhoneMemo& operator=(const ScopedPhoneMemo&) = delete;

 private:
  const PhoneMemo* saved_;
};

}  // namespace leadcustomers::detail
