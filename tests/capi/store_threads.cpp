// One lc_store used by several threads at once (the header's thread-safety promise); run it under the tsan
// preset to check for races.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "leadcustomers.h"

namespace {

TEST(CapiStore, ServesConcurrentWritersAndReaders) {
  lc_store* store = nullptr;
  ASSERT_EQ(lc_store_open_memory(nullptr, &store, nullptr), LC_OK);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string email = "t" + std::to_string(t) + "-" + std::to_string(i) + "@example.com";
        std::string cmd = R"({"op":"customer.create","customer_type_id":1,"first_name":"T","last_name":"L",)"
                          R"("email":")" +
                          email + R"("})";
        if (lc_execute(store, cmd.data(), cmd.size(), nullptr, nullptr) != LC_OK) ++failures;
        lc_result* res = nullptr;
        if (lc_customer_get_by_email(store, email.data(), email.size(), &res, nullptr) != LC_OK) ++failures;
        lc_result_free(res);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::string last = "t3-49@example.com";
  lc_result* res = nullptr;
  EXPECT_EQ(lc_customer_get_by_email(store, last.data(), last.size(), &res, nullptr), LC_OK);
  lc_result_free(res);
  lc_store_close(store);
}

TEST(CapiStore, SameEmailRacedFromTwoThreadsIsCreatedOnce) {
  lc_store* store = nullptr;
  ASSERT_EQ(lc_store_open_memory(nullptr, &store, nullptr), LC_OK);
  std::atomic<int> created{0};
  std::atomic<int> taken{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::string cmd =
          R"({"op":"customer.create","customer_type_id":1,"first_name":"R","last_name":"C","email":"race@example.com"})";
      lc_status s = lc_execute(store, cmd.data(), cmd.size(), nullptr, nullptr);
      if (s == LC_OK) ++created;
      if (s == LC_ALREADY_EXISTS) ++taken;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(taken.load(), 3);
  lc_store_close(store);
}

}  // namespace
