// The address book through the command engine: the five invariants of SPEC §2.3 and the address rules.
#include <string>

#include "boost/json.hpp"
#include "gtest/gtest.h"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

namespace leadcustomers {
namespace {

constexpr char kAna[] = "018f0000-0000-7000-8000-000000000001";

class AddressBook : public ::testing::Test {
 protected:
  AddressBook() : engine_(store_) {
    EXPECT_TRUE(
        run(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001","customer_type_id":1,
                       "first_name":"Ana","last_name":"Example","email":"ana@example.com"})")
            .ok());
  }
  Result run(std::string_view json) { return engine_.execute(boost::json::parse(json).as_object()); }
  Result add(std::string_view fields) {
    return run(std::string(R"({"op":"address.add","customer_id":")") + kAna + "\"," + std::string(fields) +
               "}");
  }
  static std::string code(const Result& r) { return std::string(error_code_name(error_code_of(r.status))); }
  static Violation first(const Result& r) {
    auto v = violations_of(r.status);
    return v.empty() ? Violation{} : v.front();
  }
  boost::json::object customer() {
    return run(std::string(R"({"op":"customer.get","customer_id":")") + kAna + "\"}").result.as_object();
  }

  MemoryStore store_;
  Engine engine_;
};

constexpr char kCambridge[] =
    R"("id":"018f0000-0000-7000-8000-000000000a01","name":"Ana Example","region":"US","state":"MA",
       "address1":"12 Example Street","city":"Cambridge","zip":"02138")";
constexpr char kHoboken[] =
    R"("id":"018f0000-0000-7000-8000-000000000a02","name":"Ana Example","region":"US","state":"NJ",
       "address1":"1 Sample Road","city":"Hoboken","zip":"07030")";

TEST_F(AddressBook, FirstActiveAddressBecomesBothDefaults) {
  ASSERT_TRUE(add(kCambridge).ok());
  auto c = customer();
  EXPECT_EQ(c.at("default_shipping_address_id").as_string(), "018f0000-0000-7000-8000-000000000a01");
  EXPECT_EQ(c.at("default_billing_address_id").as_string(), "018f0000-0000-7000-8000-000000000a01");
  const auto& a = c.at("addresses").as_array().at(0).as_object();
  EXPECT_EQ(a.at("state").as_string(), "US-MA");
  EXPECT_EQ(a.at("state_name").as_string(), "Massachusetts");
  EXPECT_EQ(a.at("zip").as_string(), "02138");
}

TEST_F(AddressBook, InactiveFirstAddressIsNotMadeDefault) {
  ASSERT_TRUE(add(std::string(kCambridge) + R"(,"status":"Inactive")").ok());
  EXPECT_TRUE(customer().at("default_billing_address_id").is_null());
}

TEST_F(AddressBook, StateOfAnotherCountryIsRefused) {
  auto r =
      add(R"("name":"Ana","region":"US","state":"CA-ON","address1":"1 Road","city":"Toronto","zip":"10001")");
  EXPECT_EQ(code(r), "VALIDATION_FAILED");
  EXPECT_EQ(first(r).field, "state");
  EXPECT_EQ(first(r).rule, "state.wrong_region");
}

TEST_F(AddressBook, ZipOfAnotherStateIsRefused) {
  auto r =
      add(R"("name":"Ana","region":"US","state":"CA","address1":"1 Road","city":"Hoboken","zip":"07030")");
  EXPECT_EQ(code(r), "VALIDATION_FAILED");
  EXPECT_EQ(first(r).field, "zip");
  EXPECT_EQ(first(r).rule, "zip.state_mismatch");
}

TEST_F(AddressBook, FourDigitUsZipIsRefusedNotPadded) {
  auto r =
      add(R"("name":"Ana","region":"US","state":"NJ","address1":"1 Road","city":"Hoboken","zip":"7030")");
  EXPECT_EQ(first(r).field, "zip");
  EXPECT_EQ(first(r).rule, "zip.invalid_format");
}

TEST_F(AddressBook, MissingRequiredFieldsAreAllReported) {
  auto r = add(R"("region":"US")");
  ASSERT_EQ(code(r), "VALIDATION_FAILED");
  std::vector<std::string> fields;
  for (const auto& v : violations_of(r.status)) fields.push_back(v.field + ":" + v.rule);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"name:address.name_required", "address1:address1.required",
                                      "state:state.required", "city:city.required", "zip:zip.required"}));
}

TEST_F(AddressBook, RegionByNameAndStateByNameResolve) {
  auto r = add(R"("name":"Ana","region":"India","state":"Telangana","address1":"1 Road","city":"Hyderabad",
                  "zip":"500001")");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.as_object().at("region").as_string(), "IN");
  EXPECT_EQ(r.result.as_object().at("state").as_string(), "IN-TS");
}

TEST_F(AddressBook, ZipIsNormalizedAndPlaceholderAddress2Dropped) {
  auto r = add(R"("name":"Ana","region":"GB","address1":"1 Road","address2":"N/A","city":"London",
                  "zip":"  sw1a   1aa ")");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.as_object().at("zip").as_string(), "SW1A 1AA");
  EXPECT_TRUE(r.result.as_object().at("address2").is_null());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].field, "address2");
  EXPECT_EQ(r.warnings[0].rule, "address2.placeholder");
}

TEST_F(AddressBook, AddressPhoneDefaultsToItsRegion) {
  auto r = add(R"("name":"Ana","region":"DE","address1":"Beispielstraße 1","city":"Berlin","zip":"10115",
                  "phone":"030 1234567")");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.as_object().at("phone").as_object().at("e164").as_string(), "+49301234567");
}

TEST_F(AddressBook, CustomerPhoneRegionFollowsDefaultBilling) {
  ASSERT_TRUE(
      add(R"("name":"Ana","region":"DE","address1":"Beispielstraße 1","city":"Berlin","zip":"10115")").ok());
  auto r =
      run(std::string(R"({"op":"customer.update","customer_id":")") + kAna + R"(","phone":"030 1234567"})");
  ASSERT_TRUE(r.ok()) << r.status;
  EXPECT_EQ(r.result.as_object().at("phone").as_object().at("e164").as_string(), "+49301234567");
}

TEST_F(AddressBook, DefaultCannotBeRemovedOrDeactivatedUntilMoved) {
  ASSERT_TRUE(add(kCambridge).ok());
  ASSERT_TRUE(add(kHoboken).ok());
  auto remove = run(std::string(R"({"op":"address.remove","customer_id":")") + kAna +
                    R"(","address_id":"018f0000-0000-7000-8000-000000000a01"})");
  EXPECT_EQ(code(remove), "FAILED_PRECONDITION");
  EXPECT_EQ(first(remove).rule, "address.is_default");
  auto deactivate = run(std::string(R"({"op":"address.update","customer_id":")") + kAna +
                        R"(","address_id":"018f0000-0000-7000-8000-000000000a01","status":"Inactive"})");
  EXPECT_EQ(code(deactivate), "FAILED_PRECONDITION");
  EXPECT_EQ(first(deactivate).rule, "address.is_default");
  auto moved = run(std::string(R"({"op":"address.set_default","customer_id":")") + kAna +
                   R"(","address_id":"018f0000-0000-7000-8000-000000000a02","role":"billing"})");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved.result.as_object().at("default_shipping_address_id").as_string(),
            "018f0000-0000-7000-8000-000000000a01");
  EXPECT_EQ(code(remove = run(std::string(R"({"op":"address.remove","customer_id":")") + kAna +
                              R"(","address_id":"018f0000-0000-7000-8000-000000000a01"})")),
            "FAILED_PRECONDITION");
}

TEST_F(AddressBook, DefaultMustBeActiveAndOwn) {
  ASSERT_TRUE(add(kCambridge).ok());
  ASSERT_TRUE(add(std::string(kHoboken) + R"(,"status":"Inactive")").ok());
  auto inactive = run(std::string(R"({"op":"address.set_default","customer_id":")") + kAna +
                      R"(","address_id":"018f0000-0000-7000-8000-000000000a02","role":"shipping"})");
  EXPECT_EQ(code(inactive), "FAILED_PRECONDITION");
  EXPECT_EQ(first(inactive).rule, "address.not_active");
  ASSERT_TRUE(run(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000002","customer_type_id":1,
                      "first_name":"Bob","email":"bob@example.com"})")
                  .ok());
  auto foreign = run(R"({"op":"address.set_default","customer_id":"018f0000-0000-7000-8000-000000000002",
                         "address_id":"018f0000-0000-7000-8000-000000000a01","role":"shipping"})");
  EXPECT_EQ(code(foreign), "NOT_FOUND");
  EXPECT_EQ(first(foreign).field, "address_id");
}

TEST_F(AddressBook, UpdateIsPartialAndRevalidatesTheWhole) {
  ASSERT_TRUE(add(kCambridge).ok());
  auto r = run(std::string(R"({"op":"address.update","customer_id":")") + kAna +
               R"(","address_id":"018f0000-0000-7000-8000-000000000a01","state":"NJ"})");
  EXPECT_EQ(first(r).rule, "zip.state_mismatch");
  auto ok = run(std::string(R"({"op":"address.update","customer_id":")") + kAna +
                R"(","address_id":"018f0000-0000-7000-8000-000000000a01","address2":"Flat 3"})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.result.as_object().at("address2").as_string(), "Flat 3");
  EXPECT_EQ(ok.result.as_object().at("city").as_string(), "Cambridge");
}

TEST_F(AddressBook, AddressLimitIsResourceExhausted) {
  MemoryStore store;
  EngineOptions o;
  o.max_addresses = 1;
  Engine engine(store, o);
  auto exec = [&](std::string_view j) { return engine.execute(boost::json::parse(j).as_object()); };
  ASSERT_TRUE(
      exec(R"({"op":"customer.create","id":"018f0000-0000-7000-8000-000000000001","customer_type_id":1,
                       "first_name":"Ana","email":"ana@example.com"})")
          .ok());
  std::string a = std::string(R"({"op":"address.add","customer_id":")") + kAna + "\",";
  ASSERT_TRUE(exec(a + kCambridge + "}").ok());
  EXPECT_EQ(code(exec(a + kHoboken + "}")), "RESOURCE_EXHAUSTED");
}

}  // namespace
}  // namespace leadcustomers
