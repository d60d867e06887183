// Segments on SQLite (issue #8), in one run (Release build), over a generated database of 100k customers
// (one address each, 90 % Active, regions US/DE/FR/GB/CA) and 1M orders (10 each, six statuses, USD/EUR/JPY,
// placed over the last two years):
//   builtins  customer.segments of one random customer (its membership in all ten built-ins), next to
//             customer.get of the same customer (the raw cost of loading it) — p50 over 2000 customers
//   members   segment.members of the custom segment
//               region = "US" and lifetime_value("USD") >= 50000 and status = "Active"
//             through the engine, every page (limit 1000) until next_cursor is null
//   raw       a hand-written SQL query for the same rule, on a connection of its own, stepping every row
// and prints members / raw (the issue's target: at most 3×) and customer.segments / customer.get.
//
//   ./segment_bench                 # generation ~30-60 s, then the measurements (~30 s)
//
// The database lives in $TMPDIR (or /tmp) and is removed at exit.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "benchmark/benchmark.h"
#include "leadcustomers/clock.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/sqlite_store.hpp"

namespace {

namespace lc = leadcustomers;
using SteadyClock = std::chrono::steady_clock;

constexpr int kCustomers = 100000;
constexpr int kOrdersEach = 10;
constexpr const char* kRule = R"(region = "US" and lifetime_value("USD") >= 50000 and status = "Active")";
constexpr const char* kSegmentId = "018f0000-0000-7000-8000-00000000a001";
constexpr const char* kRawQuery =
    "SELECT c.id FROM customers c "
    "JOIN addresses a ON a.customer_id = c.id "
    "AND a.id = coalesce(c.default_billing_address_id, c.default_shipping_address_id) "
    "WHERE c.erased = 0 AND c.status = 'Active' AND a.region = 'US' "
    "AND (SELECT coalesce(sum(o.total_amount), 0) FROM orders o WHERE o.customer_id = c.id "
    "AND o.total_currency = 'USD' AND o.status IN ('Processing', 'Shipped', 'Completed')) >= 50000 "
    "ORDER BY c.id";

std::string bytes_of(const boost::uuids::uuid& u) {
  return std::string(reinterpret_cast<const char*>(u.data), 16);
}

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

struct World {
  std::string path;
  std::unique_ptr<lc::SqliteStore> store;
  std::unique_ptr<lc::FixedClock> clock;
  std::unique_ptr<lc::Engine> engine;
  sqlite3* raw = nullptr;
  std::vector<std::string> customer_ids;  // text form
  double generation_s = 0;
  size_t members = 0;
};

World& world() {
  static World* w = [] {
    auto* out = new World;
    const char* tmp = std::getenv("TMPDIR");
    out->path = std::string(tmp ? tmp : "/tmp") + "/lc-segment-bench-" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(out->path);
    const auto start = SteadyClock::now();
    {
      auto created = lc::SqliteStore::open(out->path);  // creates the schema (migrations)
      if (!created.ok()) {
        std::fprintf(stderr, "%s\n", std::string(created.status().message()).c_str());
        std::exit(1);
      }
    }
    sqlite3* db = nullptr;
    check(sqlite3_open(out->path.c_str(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; BEGIN", nullptr, nullptr,
                       nullptr),
          db, "begin");
    sqlite3_stmt* ins_c = nullptr;
    sqlite3_stmt* ins_a = nullptr;
    sqlite3_stmt* ins_o = nullptr;
    check(
        sqlite3_prepare_v2(
            db,
            "INSERT INTO customers (id, customer_type_id, status, first_name, last_name, email, email_key, "
            "newsletter_subscribed, tags, attributes, created_at, updated_at, version, erased, "
            "default_shipping_address_id, default_billing_address_id, first_fold, last_fold, full_fold, "
            "phone_digits) VALUES (?1, 1, ?2, 'Ana', ?3, ?4, ?4, 0, '[]', '{}', ?5, ?5, 1, 0, ?6, ?6, 'ana', "
            "?3, ?7, '')",
            -1, &ins_c, nullptr),
        db, "prepare customers");
    check(sqlite3_prepare_v2(
              db,
              "INSERT INTO addresses (customer_id, id, position, name, status, region, address1) "
              "VALUES (?1, ?2, 0, 'Ana', 'Active', ?3, '1 Main Street')",
              -1, &ins_a, nullptr),
          db, "prepare addresses");
    check(sqlite3_prepare_v2(
              db,
              "INSERT INTO orders (customer_id, id, order_number, placed_at, status, total_amount, "
              "total_currency, item_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
              -1, &ins_o, nullptr),
          db, "prepare orders");
    std::mt19937_64 rng(8);
    const char* regions[] = {"US", "US", "DE", "FR", "GB", "CA"};
    const char* statuses[] = {"Pending", "Processing", "Shipped", "Completed", "Cancelled", "Refunded"};
    const char* currencies[] = {"USD", "USD", "USD", "EUR", "JPY"};
    const int64_t now_us = absl::ToUnixMicros(lc::parse_timestamp("2026-06-30T12:00:00.000Z").value());
    const int64_t two_years_us = int64_t{730} * 24 * 3600 * 1000000;
    int order_number = 0;
    for (int i = 0; i < kCustomers; ++i) {
      auto id = lc::CustomerId::generate();
      auto address = lc::AddressId::generate();
      out->customer_ids.push_back(id.str());
      const std::string cid = bytes_of(id.uuid());
      const std::string aid = bytes_of(address.uuid());
      const std::string last = "example" + std::to_string(i);
      const std::string email = "c" + std::to_string(i) + "@example.com";
      const std::string full = "ana " + last;
      sqlite3_bind_blob(ins_c, 1, cid.data(), 16, SQLITE_STATIC);
      sqlite3_bind_text(ins_c, 2, rng() % 10 == 0 ? "Inactive" : "Active", -1, SQLITE_STATIC);
      sqlite3_bind_text(ins_c, 3, last.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_text(ins_c, 4, email.c_str(), -1, SQLITE_STATIC);
      sqlite3_bind_int64(ins_c, 5,
                         now_us - static_cast<int64_t>(rng() % static_cast<uint64_t>(two_years_us)));
      sqlite3_bind_blob(ins_c, 6, aid.data(), 16, SQLITE_STATIC);
      sqlite3_bind_text(ins_c, 7, full.c_str(), -1, SQLITE_STATIC);
      check(sqlite3_step(ins_c), db, "insert customer");
      sqlite3_reset(ins_c);
      sqlite3_bind_blob(ins_a, 1, cid.data(), 16, SQLITE_STATIC);
      sqlite3_bind_blob(ins_a, 2, aid.data(), 16, SQLITE_STATIC);
      sqlite3_bind_text(ins_a, 3, regions[rng() % 6], -1, SQLITE_STATIC);
      check(sqlite3_step(ins_a), db, "insert address");
      sqlite3_reset(ins_a);
      for (int k = 0; k < kOrdersEach; ++k) {
        const std::string oid = bytes_of(lc::OrderId::generate().uuid());
        const std::string number = std::to_string(++order_number);
        sqlite3_bind_blob(ins_o, 1, cid.data(), 16, SQLITE_STATIC);
        sqlite3_bind_blob(ins_o, 2, oid.data(), 16, SQLITE_STATIC);
        sqlite3_bind_text(ins_o, 3, number.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_o, 4,
                           now_us - static_cast<int64_t>(rng() % static_cast<uint64_t>(two_years_us)));
        sqlite3_bind_text(ins_o, 5, statuses[rng() % 6], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_o, 6, static_cast<int64_t>(rng() % 25000));
        sqlite3_bind_text(ins_o, 7, currencies[rng() % 5], -1, SQLITE_STATIC);
        check(sqlite3_step(ins_o), db, "insert order");
        sqlite3_reset(ins_o);
      }
    }
    sqlite3_finalize(ins_c);
    sqlite3_finalize(ins_a);
    sqlite3_finalize(ins_o);
    check(sqlite3_exec(db, "COMMIT; ANALYZE;", nullptr, nullptr, nullptr), db, "commit");
    sqlite3_close(db);
    out->generation_s = std::chrono::duration<double>(SteadyClock::now() - start).count();

    auto store = lc::SqliteStore::open(out->path);
    if (!store.ok()) std::exit(1);
    out->store = std::move(*store);
    out->clock = std::make_unique<lc::FixedClock>(lc::parse_timestamp("2026-06-30T12:00:00.000Z").value());
    out->engine = std::make_unique<lc::Engine>(*out->store, lc::EngineOptions{}, out->clock.get());
    auto r = out->engine->execute(
        {{"op", "segment.create"}, {"id", kSegmentId}, {"name", "US spenders"}, {"rule", kRule}});
    if (!r.ok()) {
      std::fprintf(stderr, "segment.create: %s\n", std::string(r.status.message()).c_str());
      std::exit(1);
    }
    check(sqlite3_open_v2(out->path.c_str(), &out->raw, SQLITE_OPEN_READWRITE, nullptr), out->raw,
          "open raw");
    std::printf("generated %d customers and %d orders in %.1f s\n", kCustomers, kCustomers * kOrdersEach,
                out->generation_s);
    return out;
  }();
  return *w;
}

std::map<std::string, std::vector<double>>
    g_seconds;  // per benchmark: seconds per operation, each repetition

void record(benchmark::State& state, const char* name, double total_s) {
  g_seconds[name].push_back(total_s / static_cast<double>(state.iterations()));
}

void BM_members(benchmark::State& state) {
  World& w = world();
  double total = 0;
  for (auto _ : state) {
    const auto t0 = SteadyClock::now();
    size_t n = 0;
    std::string cursor;
    while (true) {
      boost::json::object q{{"op", "segment.members"}, {"segment_id", kSegmentId}, {"limit", 1000}};
      if (!cursor.empty()) q["cursor"] = cursor;
      lc::Result r = w.engine->execute(q);
      if (!r.ok()) {
        state.SkipWithError("segment.members failed");
        return;
      }
      n += r.result.at("members").as_array().size();
      const auto& next = r.result.at("next_cursor");
      if (!next.is_string()) break;
      cursor = std::string(next.as_string());
    }
    total += std::chrono::duration<double>(SteadyClock::now() - t0).count();
    w.members = n;
    benchmark::DoNotOptimize(n);
  }
  state.counters["members"] = static_cast<double>(w.members);
  record(state, "members", total);
}

void BM_raw(benchmark::State& state) {
  World& w = world();
  double total = 0;
  sqlite3_stmt* stmt = nullptr;
  check(sqlite3_prepare_v2(w.raw, kRawQuery, -1, &stmt, nullptr), w.raw, "prepare raw");
  for (auto _ : state) {
    const auto t0 = SteadyClock::now();
    check(sqlite3_exec(w.raw, "BEGIN", nullptr, nullptr, nullptr), w.raw, "begin");
    size_t n = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const void* id = sqlite3_column_blob(stmt, 0);
      benchmark::DoNotOptimize(id);
      ++n;
    }
    sqlite3_reset(stmt);
    check(sqlite3_exec(w.raw, "COMMIT", nullptr, nullptr, nullptr), w.raw, "commit");
    total += std::chrono::duration<double>(SteadyClock::now() - t0).count();
    if (w.members && n != w.members) {
      state.SkipWithError("the hand-written query found another number of members");
      break;
    }
    state.counters["members"] = static_cast<double>(n);
  }
  sqlite3_finalize(stmt);
  record(state, "raw", total);
}

// p50 latency of `op` over 2000 random customers (the same ones for both ops).
void latency(benchmark::State& state, const char* op, const char* name) {
  World& w = world();
  std::mt19937 rng(3);
  std::vector<double> samples;
  for (auto _ : state) {
    for (int i = 0; i < 2000; ++i) {
      const std::string& id = w.customer_ids[rng() % w.customer_ids.size()];
      const auto t0 = SteadyClock::now();
      lc::Result r = w.engine->execute({{"op", op}, {"customer_id", id}});
      samples.push_back(std::chrono::duration<double>(SteadyClock::now() - t0).count());
      if (!r.ok()) {
        state.SkipWithError("query failed");
        return;
      }
    }
  }
  std::nth_element(samples.begin(), samples.begin() + static_cast<long>(samples.size() / 2), samples.end());
  g_seconds[name].push_back(samples[samples.size() / 2]);
}

void BM_builtins(benchmark::State& state) { latency(state, "customer.segments", "builtins"); }
void BM_get(benchmark::State& state) { latency(state, "customer.get", "get"); }

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

BENCHMARK(BM_raw)->Iterations(1)->Repetitions(5)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_members)->Iterations(1)->Repetitions(5)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_get)->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_builtins)->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  (void)world();  // generate before the timings
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  const double members = median(g_seconds["members"]);
  const double raw = median(g_seconds["raw"]);
  const double builtins = median(g_seconds["builtins"]);
  const double get = median(g_seconds["get"]);
  std::printf(
      "\nsegment members (%zu of %d customers, %d orders): library %.1f ms, hand-written SQL %.1f ms, "
      "ratio %.2f (target <= 3)\n",
      world().members, kCustomers, kCustomers * kOrdersEach, members * 1e3, raw * 1e3,
      raw > 0 ? members / raw : 0);
  std::printf(
      "one customer in all ten built-ins: customer.segments p50 %.1f us, customer.get p50 %.1f us, "
      "ratio %.2f\n",
      builtins * 1e6, get * 1e6, get > 0 ? builtins / get : 0);
  std::printf("generation: %.1f s\n", world().generation_s);
  sqlite3_close(world().raw);
  world().engine.reset();
  world().store.reset();
  std::filesystem::remove(world().path);
  std::filesystem::remove(world().path + "-wal");
  std::filesystem::remove(world().path + "-shm");
  return 0;
}
