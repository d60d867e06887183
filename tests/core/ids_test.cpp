#include "leadcustomers/ids.hpp"

#include "gtest/gtest.h"

namespace leadcustomers {
namespace {

TEST(Ids, CanonicalTextIsLowercase) {
  auto id = CustomerId::parse("018F0000-0000-7000-8000-00000000000A");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->str(), "018f0000-0000-7000-8000-00000000000a");
}

TEST(Ids, RefusesMalformedText) {
  EXPECT_FALSE(CustomerId::parse("018f0000-0000-7000-8000-00000000000").has_value());
  EXPECT_FALSE(CustomerId::parse("018f0000x0000-7000-8000-000000000001").has_value());
  EXPECT_FALSE(CustomerId::parse("g18f0000-0000-7000-8000-000000000001").has_value());
}

TEST(Ids, GeneratedIdsAreVersion7AndStrictlyIncreasing) {
  CustomerId previous = CustomerId::generate();
  for (int i = 0; i < 10000; ++i) {
    CustomerId next = CustomerId::generate();
    ASSERT_LT(previous, next) << previous.str() << " vs " << next.str();
    EXPECT_EQ(next.str()[14], '7');
    char variant = next.str()[19];
    EXPECT_TRUE(variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
    previous = next;
  }
}

}  // namespace
}  // namespace leadcustomers
