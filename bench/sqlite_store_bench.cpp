// The SQLite store against raw SQLite on the same tables, in one run (Release build):
//   floor   raw prepared INSERTs of 100k customers with one address each, one transaction
//   bulk    the same 100k customer.create commands (address inline, no phones) through the engine and the
//           store's bulk path: one Store::write, a savepoint per command (as imports do)
//   single  the first 5k of those commands, one transaction each (Engine::execute), for reference
//   get     Engine::get_customer_by_email against a raw indexed SELECT of the same columns (the customer
//           row joined with its addresses), p50 over 20k random look-ups each, alternating
// and, to tell where the time goes: the floor plus the history row a create also writes, the engine alone
// (the same commands on MemoryStore) and the store alone (the built aggregates put straight into it).
//
//   ./sqlite_store_bench                       # ~3 min; 3 repetitions of each, interleaved at random
//   ./sqlite_store_bench --benchmark_filter=get
//
// The table at the end gives rates (commands or customers per second) and p50 latencies, median of the
// repetitions, and the ratios the SQLite issue asks for: bulk / floor >= 0.5, get p50 ours / raw <= 2.
// The files live in $TMPDIR (or /tmp) and are removed at exit.
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
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/sqlite_store.hpp"
#include "leadcustomers/text.hpp"

namespace {

namespace lc = leadcustomers;
using Clock = std::chrono::steady_clock;

constexpr int kCustomers = 100000;
constexpr int kSingle = 5000;
constexpr int kLookups = 20000;

// ---------------------------------------------------------------------------------------------------
// The data: one customer per index, as a command and as the rows the store writes for it.

const char* const kFirstNames[] = {"Ana",   "Bea",   "Cem",  "Dana", "Émile",
                                   "Farid", "Greta", "Hana", "Ivo",  "Józef"};

struct Row {
  std::string id, address_id;  // 16 bytes each
  std::string first, last, email, email_key, first_fold, last_fold, full_fold;
  std::string address_name, address1;
};

struct Data {
  std::vector<boost::json::object> commands;
  std::vector<Row> rows;
  int64_t now_us = 0;
};

std::string bytes_of(const boost::uuids::uuid& u) {
  return std::string(reinterpret_cast<const char*>(u.data), 16);
}

const Data& data() {
  static const Data d = [] {
    Data out;
    out.now_us = absl::ToUnixMicros(absl::Now());
    out.commands.reserve(kCustomers);
    out.rows.reserve(kCustomers);
    for (int i = 0; i < kCustomers; ++i) {
      Row r;
      auto id = lc::CustomerId::generate();
      auto address_id = lc::AddressId::generate();
      r.id = bytes_of(id.uuid());
      r.address_id = bytes_of(address_id.uuid());
      r.first = kFirstNames[i % 10];
      r.last = "Example" + std::to_string(i);
      r.email = "Customer" + std::to_string(i) + "@example.com";
      r.email_key = lc::ascii_lower(r.email);
      r.first_fold = lc::fold_for_match(r.first);
      r.last_fold = lc::fold_for_match(r.last);
      r.full_fold = lc::fold_for_match(r.first + " " + r.last);
      r.address_name = r.first + " " + r.last;
      r.address1 = std::to_string(i + 1) + " Main Street";
      boost::json::object address{{"id", address_id.str()}, {"name", r.address_name}, {"region", "US"},
                                  {"state", "MA"},          {"address1", r.address1}, {"city", "Cambridge"},
                                  {"zip", "02139"}};
      out.commands.push_back({{"op", "customer.create"},
                              {"id", id.str()},
                              {"customer_type_id", 1},
                              {"first_name", r.first},
                              {"last_name", r.last},
                              {"email", r.email},
                              {"addresses", boost::json::array{address}}});
      out.rows.push_back(std::move(r));
    }
    return out;
  }();
  return d;
}

// ---------------------------------------------------------------------------------------------------
// Files.

std::filesystem::path bench_dir() {
  static const std::filesystem::path dir = [] {
    auto p = std::filesystem::temp_directory_path() / ("lc-sqlite-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(p);
    return p;
  }();
  return dir;
}

std::string fresh_file(const std::string& stem) {
  static int n = 0;
  auto path = bench_dir() / (stem + "-" + std::to_string(n++) + ".db");
  return path.string();
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

// A new file with the store's schema, closed again.
bool create_schema(const std::string& path) { return lc::SqliteStore::open(path).ok(); }

// A raw connection with the store's settings (WAL from the file, synchronous=NORMAL, foreign keys on, same
// cache size).
sqlite3* raw_open(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  const std::string pragmas =
      "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA synchronous = NORMAL; "
      "PRAGMA cache_size = -" +
      std::to_string(lc::SqliteOptions{}.cache_size_kib) + ";";
  sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, nullptr);
  return db;
}

// ---------------------------------------------------------------------------------------------------
// (1) The floor: raw prepared INSERTs into the same tables, one transaction.

constexpr const char* kRawCustomer =
    "INSERT INTO customers (id, customer_type_id, status, first_name, last_name, email, email_key, "
    "newsletter_subscribed, tags, attributes, created_at, updated_at, version, erased, "
    "default_shipping_address_id, default_billing_address_id, first_fold, last_fold, full_fold, "
    "phone_digits) "
    "VALUES (?1, 1, 'Active', ?2, ?3, ?4, ?5, 0, '[]', '{}', ?6, ?6, 1, 0, ?7, ?7, ?8, ?9, ?10, '')";
constexpr const char* kRawAddress =
    "INSERT INTO addresses (customer_id, id, position, name, status, region, state, address1, city, zip) "
    "VALUES (?1, ?2, 0, ?3, 'Active', 'US', 'US-MA', ?4, 'Cambridge', '02139')";
constexpr const char* kRawHistory =
    "INSERT INTO customer_history (customer_id, seq, at, actor, event, from_status, to_status, reason) "
    "VALUES (?1, 0, ?2, 'staff', 'created', NULL, 'Active', '')";

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
void bind_blob(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

bool step_done(sqlite3_stmt* s) {
  bool ok = sqlite3_step(s) == SQLITE_DONE;
  sqlite3_reset(s);
  return ok;
}

void raw_floor(benchmark::State& state, bool with_history) {
  const Data& d = data();
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = fresh_file("floor");
    bool ok = create_schema(path);
    sqlite3* db = raw_open(path);
    sqlite3_stmt *customer = nullptr, *address = nullptr, *history = nullptr;
    ok = ok &&
         sqlite3_prepare_v3(db, kRawCustomer, -1, SQLITE_PREPARE_PERSISTENT, &customer, nullptr) == SQLITE_OK;
    ok = ok &&
         sqlite3_prepare_v3(db, kRawAddress, -1, SQLITE_PREPARE_PERSISTENT, &address, nullptr) == SQLITE_OK;
    ok = ok &&
         sqlite3_prepare_v3(db, kRawHistory, -1, SQLITE_PREPARE_PERSISTENT, &history, nullptr) == SQLITE_OK;
    state.ResumeTiming();
    ok = ok && sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
    for (int i = 0; ok && i < kCustomers; ++i) {
      const Row& r = d.rows[static_cast<size_t>(i)];
      bind_blob(customer, 1, r.id);
      bind_text(customer, 2, r.first);
      bind_text(customer, 3, r.last);
      bind_text(customer, 4, r.email);
      bind_text(customer, 5, r.email_key);
      sqlite3_bind_int64(customer, 6, d.now_us);
      bind_blob(customer, 7, r.address_id);
      bind_text(customer, 8, r.first_fold);
      bind_text(customer, 9, r.last_fold);
      bind_text(customer, 10, r.full_fold);
      ok = step_done(customer);
      bind_blob(address, 1, r.id);
      bind_blob(address, 2, r.address_id);
      bind_text(address, 3, r.address_name);
      bind_text(address, 4, r.address1);
      ok = ok && step_done(address);
      if (with_history) {
        bind_blob(history, 1, r.id);
        sqlite3_bind_int64(history, 2, d.now_us);
        ok = ok && step_done(history);
      }
    }
    ok = ok && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    state.PauseTiming();
    if (!ok) state.SkipWithError(sqlite3_errmsg(db));
    sqlite3_finalize(customer);
    sqlite3_finalize(address);
    sqlite3_finalize(history);
    sqlite3_close_v2(db);
    remove_db(path);
    state.ResumeTiming();
  }
  state.counters["per_s"] = benchmark::Counter(kCustomers, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["items"] = kCustomers;
}

// ---------------------------------------------------------------------------------------------------
// (2) The bulk path and (3) single-command transactions.

// Applies commands [0, n) through the bulk path, `batch` commands per transaction. Returns failures.
int apply_bulk(lc::SqliteStore& store, lc::Engine& engine, int n, int batch) {
  const Data& d = data();
  int failures = 0;
  for (int start = 0; start < n; start += batch) {
    auto status = store.write([&](lc::StoreTx& tx) -> absl::Status {
      for (int i = start; i < std::min(n, start + batch); ++i) {
        auto s = tx.savepoint([&](lc::StoreTx& t) {
          return engine.execute_in(t, d.commands[static_cast<size_t>(i)], true).status;
        });
        if (!s.ok()) ++failures;
      }
      return absl::OkStatus();
    });
    if (!status.ok()) failures += batch;
  }
  return failures;
}

std::string populated_db;  // kept from the first bulk run, for the look-ups

void bulk(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  data();
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = fresh_file("bulk");
    auto store = lc::SqliteStore::open(path);
    if (!store.ok()) {
      state.SkipWithError("open failed");
      break;
    }
    lc::Engine engine(**store);
    state.ResumeTiming();
    int failures = apply_bulk(**store, engine, kCustomers, batch);
    state.PauseTiming();
    store->reset();
    if (failures > 0) state.SkipWithError("a command failed");
    if (populated_db.empty()) {
      populated_db = path;
    } else {
      remove_db(path);
    }
    state.ResumeTiming();
  }
  state.counters["per_s"] = benchmark::Counter(kCustomers, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["items"] = kCustomers;
}

// The store's own cost: the aggregates those commands build, put straight into the store (no engine).
void store_only(benchmark::State& state) {
  const Data& d = data();
  std::vector<lc::CustomerAggregate> aggregates;
  {
    // Let the engine build them once, against a scratch MemoryStore.
    lc::MemoryStore scratch;
    lc::Engine engine(scratch);
    for (const auto& cmd : d.commands) {
      (void)engine.execute(cmd);
      auto agg = engine.get_customer(*lc::CustomerId::parse(cmd.at("id").as_string()));
      if (!agg.ok()) {
        state.SkipWithError("building the aggregates failed");
        return;
      }
      aggregates.push_back(std::move(*agg));
    }
  }
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = fresh_file("store");
    auto store = lc::SqliteStore::open(path);
    if (!store.ok()) {
      state.SkipWithError("open failed");
      break;
    }
    state.ResumeTiming();
    int failures = 0;
    auto status = (*store)->write([&](lc::StoreTx& tx) -> absl::Status {
      for (const auto& agg : aggregates) failures += !tx.put_customer(agg, nullptr).ok();
      return absl::OkStatus();
    });
    state.PauseTiming();
    store->reset();
    remove_db(path);
    if (failures > 0 || !status.ok()) state.SkipWithError("a put failed");
    state.ResumeTiming();
  }
  state.counters["items"] = kCustomers;
}

// The engine's own cost: the same commands against MemoryStore (no SQL at all).
void bulk_memory(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    state.PauseTiming();
    auto store = std::make_unique<lc::MemoryStore>();
    lc::Engine engine(*store);
    state.ResumeTiming();
    int failures = 0;
    auto status = store->write([&](lc::StoreTx& tx) -> absl::Status {
      for (const auto& cmd : d.commands) {
        auto s = tx.savepoint([&](lc::StoreTx& t) { return engine.execute_in(t, cmd).status; });
        if (!s.ok()) ++failures;
      }
      return absl::OkStatus();
    });
    state.PauseTiming();
    if (failures > 0 || !status.ok()) state.SkipWithError("a command failed");
    store.reset();
    state.ResumeTiming();
  }
  state.counters["per_s"] = benchmark::Counter(kCustomers, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["items"] = kCustomers;
}

void single(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = fresh_file("single");
    auto store = lc::SqliteStore::open(path);
    if (!store.ok()) {
      state.SkipWithError("open failed");
      break;
    }
    lc::Engine engine(**store);
    state.ResumeTiming();
    int failures = 0;
    for (int i = 0; i < kSingle; ++i) failures += !engine.execute(d.commands[static_cast<size_t>(i)]).ok();
    state.PauseTiming();
    store->reset();
    remove_db(path);
    if (failures > 0) state.SkipWithError("a command failed");
    state.ResumeTiming();
  }
  state.counters["per_s"] = benchmark::Counter(kSingle, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["items"] = kSingle;
}

// ---------------------------------------------------------------------------------------------------
// (4) Get by e-mail: ours against a raw SELECT of the same columns.

constexpr const char* kRawGet =
    "SELECT c.id, c.customer_type_id, c.status, c.first_name, c.last_name, c.email, c.email_key, c.phone, "
    "c.phone_extension, c.fax, c.fax_extension, c.company_id, c.newsletter_subscribed, "
    "c.newsletter_opt_in_level, c.newsletter_source, c.newsletter_updated_at, c.tags, c.note, c.tax_exempt, "
    "c.attributes, c.created_at, c.updated_at, c.version, c.erased, c.default_shipping_address_id, "
    "c.default_billing_address_id, a.id, a.name, a.status, a.region, a.state, a.phone, a.phone_extension, "
    "a.address1, a.address2, a.city, a.zip, a.business_name "
    "FROM customers c LEFT JOIN addresses a ON a.customer_id = c.id "
    "WHERE c.email_key = ?1 AND c.status <> 'Archived' AND c.erased = 0 ORDER BY a.position";

// Copies every column out, as building a struct would.
size_t raw_get(sqlite3_stmt* s, const std::string& key) {
  bind_text(s, 1, key);
  size_t bytes = 0;
  std::vector<std::string> values;
  while (sqlite3_step(s) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(s); ++c) {
      if (sqlite3_column_type(s, c) == SQLITE_INTEGER) {
        bytes += static_cast<size_t>(sqlite3_column_int64(s, c) & 1);
      } else {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(s, c));
        values.emplace_back(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s, c)));
        bytes += values.back().size();
      }
    }
  }
  sqlite3_reset(s);
  return bytes;
}

double p50(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void get_by_email(benchmark::State& state) {
  const Data& d = data();
  if (populated_db.empty()) {  // no bulk run yet (filtered out, or later in the random order)
    populated_db = fresh_file("bulk");
    auto store = lc::SqliteStore::open(populated_db);
    lc::Engine engine(**store);
    if (apply_bulk(**store, engine, kCustomers, kCustomers) > 0) {
      state.SkipWithError("populating failed");
      return;
    }
  }
  auto store = lc::SqliteStore::open(populated_db);
  if (!store.ok()) {
    state.SkipWithError("open failed");
    return;
  }
  lc::Engine engine(**store);
  sqlite3* db = raw_open(populated_db);
  sqlite3_stmt* raw = nullptr;
  sqlite3_prepare_v3(db, kRawGet, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  std::mt19937 rng(42);
  std::vector<double> ours, theirs;
  size_t sink = 0;
  for (auto _ : state) {
    ours.clear();
    theirs.clear();
    for (int i = 0; i < kLookups; ++i) {
      const Row& r = d.rows[rng() % d.rows.size()];
      auto t0 = Clock::now();
      sink += raw_get(raw, r.email_key);
      auto t1 = Clock::now();
      auto agg = engine.get_customer_by_email(r.email);
      auto t2 = Clock::now();
      if (!agg.ok() || agg->addresses.size() != 1) {
        state.SkipWithError("look-up failed");
        break;
      }
      sink += agg->customer.email.size();
      theirs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      ours.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
    }
  }
  benchmark::DoNotOptimize(sink);
  state.counters["ours_p50_us"] = p50(ours);
  state.counters["raw_p50_us"] = p50(theirs);
  sqlite3_finalize(raw);
  sqlite3_close_v2(db);
}

// ---------------------------------------------------------------------------------------------------
// The ratio table.

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      std::string key = r.run_name.function_name;
      if (!r.run_name.args.empty()) key += "/" + r.run_name.args;
      const double iterations = static_cast<double>(r.iterations);
      auto items = r.counters.find("items");
      if (items != r.counters.end()) {
        values_[key + ":wall"].push_back(items->second.value / (r.real_accumulated_time / iterations));
        values_[key + ":cpu"].push_back(items->second.value / (r.cpu_accumulated_time / iterations));
      }
      for (const auto& [name, counter] : r.counters) values_[key + ":" + name].push_back(counter.value);
    }
  }

  void Finalize() override {
    auto& out = GetOutputStream();
    char line[240];
    out << "\nmedian of the repetitions; rates are customers (or commands) per second of wall time and of "
           "the\n"
           "benchmark thread's CPU time (the machine is shared: wall time includes waiting for the CPU and "
           "the "
           "disk)\n";
    std::snprintf(line, sizeof line, "%-56s %10s %8s %10s %8s\n", "", "wall/s", "ratio", "cpu/s", "ratio");
    out << line;
    auto rate_row = [&](const char* what, const std::string& key, const std::string& vs, const char* note) {
      const double wall = median(key + ":wall"), cpu = median(key + ":cpu");
      const double vs_wall = median(vs + ":wall"), vs_cpu = median(vs + ":cpu");
      if (wall <= 0) {
        std::snprintf(line, sizeof line, "%-56s %10s\n", what, "(not run)");
      } else if (vs.empty() || vs_wall <= 0) {
        std::snprintf(line, sizeof line, "%-56s %10.0f %8s %10.0f %8s\n", what, wall, "", cpu, "");
      } else {
        std::snprintf(line, sizeof line, "%-56s %10.0f %7.2fx %10.0f %7.2fx %s\n", what, wall, wall / vs_wall,
                      cpu, cpu / vs_cpu, note);
      }
      out << line;
    };
    rate_row("(1) floor: raw INSERT customer + address, 1 tx", "floor", "", "");
    rate_row("    floor + the history row a create also writes", "floor_with_history", "floor", "of (1)");
    rate_row("(2) bulk: customer.create, savepoint each, 1 tx", "bulk/100000", "floor",
             "of (1), target >= 0.5");
    rate_row("    bulk: the same, 1000 commands per tx", "bulk/1000", "floor", "of (1)");
    rate_row("    engine only: the same on MemoryStore, 1 tx", "bulk_memory", "floor", "of (1)");
    rate_row("    store only: put_customer of the built aggregates, 1 tx", "store_only", "floor", "of (1)");
    rate_row("(3) single: one transaction per customer.create", "single", "floor", "of (1)");
    const double ours = median("get_by_email:ours_p50_us"), raw = median("get_by_email:raw_p50_us");
    if (ours <= 0 || raw <= 0) {
      std::snprintf(line, sizeof line, "%-56s %10s\n", "(4) get by e-mail p50", "(not run)");
      out << line;
    } else {
      std::snprintf(line, sizeof line, "%-56s %8.1f us\n", "(4) get by e-mail p50: raw indexed SELECT", raw);
      out << line;
      std::snprintf(line, sizeof line, "%-56s %8.1f us %7.2fx of raw, target <= 2\n",
                    "    get by e-mail p50: Engine::get_customer_by_email", ours, ours / raw);
      out << line;
    }
    ConsoleReporter::Finalize();
  }

 private:
  double median(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end() || it->second.empty()) return 0;
    auto v = it->second;
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  std::map<std::string, std::vector<double>> values_;
};

// LC_BENCH_REPS overrides the 3 repetitions (e.g. 1 for a quick look).
int reps() {
  const char* v = std::getenv("LC_BENCH_REPS");
  return v && *v ? std::max(1, std::atoi(v)) : 3;
}

void register_all() {
  benchmark::RegisterBenchmark("floor", raw_floor, false)
      ->Iterations(1)
      ->Repetitions(reps())
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("floor_with_history", raw_floor, true)
      ->Iterations(1)
      ->Repetitions(reps())
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("bulk", bulk)
      ->Arg(kCustomers)
      ->Arg(1000)
      ->Iterations(1)
      ->Repetitions(reps())
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("store_only", store_only)
      ->Iterations(1)
      ->Repetitions(reps())
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("bulk_memory", bulk_memory)
      ->Iterations(1)
      ->Repetitions(reps())
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("single", single)
      ->Iterations(1)
      ->Repetitions(reps())
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("get_by_email", get_by_email)
      ->Iterations(1)
      ->Repetitions(reps())
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  args.insert(args.begin() + 1, interleave);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  register_all();
  RatioReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                               : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(bench_dir(), ec);
  return 0;
}
