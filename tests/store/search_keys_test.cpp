// The SQLite store writes full_fold as full_name_fold(fold(first), fold(last)); it must equal
// fold_for_match(first + " " + last), the key MemoryStore's matcher and the search text are folded to.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "leadcustomers/text.hpp"
#include "store/search_match.hpp"

namespace leadcustomers {
namespace {

TEST(SearchKeys, FullNameFoldIsTheFoldOfTheJoinedName) {
  const std::vector<std::pair<std::string, std::string>> names = {
      {"Ana", "Example"},
      {"", "Solo"},
      {"Solo", ""},
      {"", ""},
      {"  Émile ", " Zoë  "},
      {"Jean-Luc", "O'Brien"},  // punctuation becomes a space
      {"...", "Dupont"},        // a first name of punctuation only folds to nothing
      {"Ana", "\u0301Accent"},  // a last name starting with a combining mark
      {"STRASSE", "Straße"},    // full case folding
      {"ﬁona", "Ｗｉｄｅ"},     // compatibility forms
      {"Ana\u00a0Maria", "de\tla Cruz"},
      {"Józef", "Łukasiewicz"},
      {"李", "小龙"},
  };
  for (const auto& [first, last] : names) {
    EXPECT_EQ(full_name_fold(fold_for_match(first), fold_for_match(last)), fold_for_match(first + " " + last))
        << first << " | " << last;
  }
}

}  // namespace
}  // namespace leadcustomers
