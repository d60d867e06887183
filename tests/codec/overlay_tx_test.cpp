#include "codec/overlay_tx.hpp"

#include "gtest/gtest.h"
#include "leadcustomers/error.hpp"
#include "leadcustomers/memory_store.hpp"

namespace leadcustomers::detail {
namespace {

CustomerAggregate customer(std::string_view email, int64_t version = 1) {
  CustomerAggregate a;
  a.customer.id = CustomerId::generate();
  a.customer.first_name = "A";
  a.customer.email = std::string(email);
  a.customer.email_key = std::string(email);
  a.customer.version = version;
  return a;
}

TEST(OverlayTx, WritesNothingUntilCommit) {
  MemoryStore store;
  auto a = customer("a@example.com");
  ASSERT_TRUE(store
                  .write([&](StoreTx& tx) -> absl::Status {
                    OverlayTx ov(tx);
                    EXPECT_TRUE(ov.put_customer(a, nullptr).ok());
                    EXPECT_TRUE(ov.load_customer(a.customer.id)->has_value());
                    EXPECT_FALSE(tx.load_customer(a.customer.id)->has_value());
                    return absl::OkStatus();  // the overlay is dropped uncommitted
                  })
                  .ok());
  ASSERT_TRUE(store
                  .read([&](StoreTx& tx) -> absl::Status {
                    EXPECT_FALSE(tx.load_customer(a.customer.id)->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST(OverlayTx, CommitWritesANewCustomerAsVersionOne) {
  MemoryStore store;
  auto a = customer("a@example.com", 3);
  ASSERT_TRUE(store
                  .write([&](StoreTx& tx) -> absl::Status {
                    OverlayTx ov(tx);
                    EXPECT_TRUE(ov.put_customer(a, nullptr).ok());
                    a.customer.last_name = "B";
                    EXPECT_TRUE(ov.put_customer(a, nullptr).ok());
                    size_t written = 0;
                    EXPECT_TRUE(ov.commit(true, &written).ok());
                    EXPECT_EQ(written, 1u);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_TRUE(store
                  .read([&](StoreTx& tx) -> absl::Status {
                    auto stored = tx.load_customer(a.customer.id);
                    EXPECT_EQ((*stored)->customer.version, 1);
                    EXPECT_EQ((*stored)->customer.last_name, "B");
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST(OverlayTx, CommitOfAnUnchangedCustomerWritesNothing) {
  MemoryStore store;
  auto a = customer("a@example.com", 4);
  ASSERT_TRUE(store.write([&](StoreTx& tx) { return tx.put_customer(a, nullptr); }).ok());
  ASSERT_TRUE(store
                  .write([&](StoreTx& tx) -> absl::Status {
                    OverlayTx ov(tx);
                    auto copy = a;
                    copy.customer.version = 9;  // the engine bumps it; content is the same
                    EXPECT_TRUE(ov.put_customer(copy, &a).ok());
                    size_t written = 0;
                    EXPECT_TRUE(ov.commit(true, &written).ok());
                    EXPECT_EQ(written, 0u);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST(OverlayTx, ChangedCustomerGetsTheBaseVersionPlusOne) {
  MemoryStore store;
  auto a = customer("a@example.com", 4);
  ASSERT_TRUE(store.write([&](StoreTx& tx) { return tx.put_customer(a, nullptr); }).ok());
  ASSERT_TRUE(store
                  .write([&](StoreTx& tx) -> absl::Status {
                    OverlayTx ov(tx);
                    auto b = a;
                    b.customer.note = "x";
                    b.customer.version = 5;
                    EXPECT_TRUE(ov.put_customer(b, &a).ok());
                    b.customer.note = "y";
                    b.customer.version = 6;
                    EXPECT_TRUE(ov.put_customer(b, &a).ok());
                    return ov.commit();
                  })
                  .ok());
  ASSERT_TRUE(store
                  .read([&](StoreTx& tx) -> absl::Status {
                    EXPECT_EQ((*tx.load_customer(a.customer.id))->customer.version, 5);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST(OverlayTx, LookupsSeeStagedEmailChanges) {
  MemoryStore store;
  auto a = customer("old@example.com");
  ASSERT_TRUE(store.write([&](StoreTx& tx) { return tx.put_customer(a, nullptr); }).ok());
  ASSERT_TRUE(store
                  .write([&](StoreTx& tx) -> absl::Status {
                    OverlayTx ov(tx);
                    auto b = a;
                    b.customer.email = b.customer.email_key = "new@example.com";
                    b.customer.external_refs.push_back({"shopify", "1"});
                    EXPECT_TRUE(ov.put_customer(b, &a).ok());
                    EXPECT_FALSE(ov.find_live_by_email_key("old@example.com")->has_value());
                    EXPECT_EQ(*ov.find_live_by_email_key("new@example.com").value(), a.customer.id);
                    EXPECT_EQ(*ov.find_by_external_ref("shopify", "1").value(), a.customer.id);
                    EXPECT_TRUE(tx.find_live_by_email_key("old@example.com")->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST(OverlayTx, RestoreUndoesWhatFollowedTheSnapshot) {
  MemoryStore store;
  ASSERT_TRUE(store
                  .write([&](StoreTx& tx) -> absl::Status {
                    OverlayTx ov(tx);
                    auto a = customer("a@example.com");
                    EXPECT_TRUE(ov.put_customer(a, nullptr).ok());
                    auto snap = ov.snapshot();
                    auto b = customer("b@example.com");
                    EXPECT_TRUE(ov.put_customer(b, nullptr).ok());
                    ov.restore(std::move(snap));
                    EXPECT_TRUE(ov.load_customer(a.customer.id)->has_value());
                    EXPECT_FALSE(ov.load_customer(b.customer.id)->has_value());
                    EXPECT_FALSE(ov.find_live_by_email_key("b@example.com")->has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST(OverlayTx, FailedSavepointUndoesItsPutsAndKeptInnerOnesFollowAFailedOuter) {
  MemoryStore store;
  ASSERT_TRUE(store
                  .write([&](StoreTx& tx) -> absl::Status {
                    OverlayTx ov(tx);
                    auto a = customer("a@example.com");
                    EXPECT_TRUE(ov.put_customer(a, nullptr).ok());
                    auto b = customer("b@example.com");
                    const auto failed = make_error(ErrorCode::invalid_argument, "refused");
                    // Inner savepoint kept, outer fails: a's change, b's creation and a's e-mail change are
                    // all undone, and the staged e-mail index follows.
                    auto st = ov.savepoint([&](StoreTx& t) -> absl::Status {
                      auto a2 = a;
                      a2.customer.last_name = "Changed";
                      EXPECT_TRUE(t.put_customer(a2, nullptr).ok());
                      EXPECT_TRUE(t.savepoint([&](StoreTx& u) -> absl::Status {
                                     EXPECT_TRUE(u.put_customer(b, nullptr).ok());
                                     auto a3 = a2;
                                     a3.customer.email = a3.customer.email_key = "a.new@example.com";
                                     return u.put_customer(a3, nullptr);
                                   }).ok());
                      EXPECT_EQ(**t.find_live_by_email_key("a.new@example.com"), a.customer.id);
                      return failed;
                    });
                    EXPECT_EQ(st, failed);
                    auto loaded = ov.load_customer(a.customer.id);
                    EXPECT_EQ((*loaded)->customer.last_name, a.customer.last_name);
                    EXPECT_EQ((*loaded)->customer.email, "a@example.com");
                    EXPECT_FALSE(ov.load_customer(b.customer.id)->has_value());
                    EXPECT_EQ(**ov.find_live_by_email_key("a@example.com"), a.customer.id);
                    EXPECT_FALSE(ov.find_live_by_email_key("a.new@example.com")->has_value());
                    EXPECT_FALSE(ov.find_live_by_email_key("b@example.com")->has_value());
                    // A failed inner savepoint inside a kept outer one: only the inner put is undone.
                    EXPECT_TRUE(ov.savepoint([&](StoreTx& t) -> absl::Status {
                                    EXPECT_TRUE(t.put_customer(b, nullptr).ok());
                                    EXPECT_EQ(t.savepoint([&](StoreTx& u) -> absl::Status {
                                      auto b2 = b;
                                      b2.customer.last_name = "Inner";
                                      EXPECT_TRUE(u.put_customer(b2, nullptr).ok());
                                      return failed;
                                    }),
                                              failed);
                                    return absl::OkStatus();
                                  }).ok());
                    auto kept = ov.load_customer(b.customer.id);
                    if (!kept->has_value()) return make_error(ErrorCode::internal, "b was not kept");
                    EXPECT_EQ((*kept)->customer.last_name, b.customer.last_name);
                    size_t written = 0;
                    EXPECT_TRUE(ov.commit(true, &written).ok());
                    EXPECT_EQ(written, 2u);
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace leadcustomers::detail
