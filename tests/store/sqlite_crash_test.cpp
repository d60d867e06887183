// Durability of the SQLite store under SIGKILL. A forked child applies commands in a loop against one file
// (single-command transactions, or bulk transactions with a savepoint per command) and reports each command
// that returned ok through a pipe; the parent kills it with SIGKILL at a random moment, then checks that the
// file opens, `PRAGMA integrity_check` says ok, every acknowledged command is there, and no command is
// visible half-applied (per-customer invariants over the whole file).
//
// Short mode (CI, default): 40 kills, about 10 s. Long mode, by hand:
//   LC_CRASH_KILLS=200 ./build/<dir>/tests/leadcustomers_tests --gtest_filter='SqliteCrash.*'
// LC_CRASH_SEED=<n> replays a run (the seed is printed).
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "leadcustomers/engine.hpp"
#include "leadcustomers/sqlite_store.hpp"
#include "store/store_fixtures.hpp"

namespace leadcustomers {
namespace {

using leadcustomers::testing::ScratchDir;

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

void say(int fd, const std::string& line) {
  std::string out = line + "\n";  // < PIPE_BUF: one atomic write
  const char* p = out.data();
  size_t left = out.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) _exit(4);
    p += n;
    left -= static_cast<size_t>(n);
  }
}

boost::json::object create_command(const std::string& id, uint64_t n) {
  boost::json::object address{{"name", "Crash Test"},    {"region", "US"},      {"state", "MA"},
                              {"address1", "1 Main St"}, {"city", "Cambridge"}, {"zip", "02139"}};
  return {{"op", "customer.create"},
          {"id", id},
          {"customer_type_id", 1},
          {"first_name", "Crash"},
          {"last_name", "Test"},
          {"email", "crash" + std::to_string(n) + "@example.com"},
          {"newsletter", true},
          {"external_refs",
           boost::json::array{boost::json::object{{"system", "crash"}, {"id", std::to_string(n)}}}},
          {"addresses", boost::json::array{address}}};
}

boost::json::object add_address_command(const std::string& id) {
  return {{"op", "address.add"}, {"customer_id", id},       {"name", "Another"}, {"region", "US"},
          {"state", "NY"},       {"address1", "2 Side St"}, {"city", "Albany"},  {"zip", "12207"}};
}

// The child: never returns. Reports "C <id> 1" for an acknowledged create, "A <id> <version>" for an
// acknowledged address.add (the version the customer reached: 1 + its acknowledged adds), "E <message>" for
// an unexpected failure (then exits).
[[noreturn]] void child_loop(const std::string& path, int fd, uint64_t seed, bool bulk, bool full_sync) {
  SqliteOptions options;
  if (full_sync) options.synchronous = SqliteOptions::Synchronous::full;
  auto store = SqliteStore::open(path, options);
  if (!store.ok()) {
    say(fd, "E open: " + std::string(store.status().message()));
    _exit(2);
  }
  Engine engine(**store);
  std::mt19937_64 rng(seed);
  std::vector<std::string> mine;
  std::map<std::string, int64_t> versions;  // acknowledged version of each customer of this child
  uint64_t n = seed * 1000000;
  auto next_command = [&](std::string& id, bool& is_add) {
    is_add = !mine.empty() && rng() % 3 == 0;
    if (is_add) {
      id = mine[rng() % mine.size()];
      return add_address_command(id);
    }
    id = CustomerId::generate().str();
    mine.push_back(id);
    return create_command(id, n++);
  };
  while (true) {
    if (!bulk) {
      std::string id;
      bool is_add = false;
      auto cmd = next_command(id, is_add);
      Result r = engine.execute(cmd);
      if (!r.ok()) {
        say(fd, "E " + std::string(r.status.message()));
        _exit(3);
      }
      say(fd, (is_add ? "A " : "C ") + id + " " + std::to_string(++versions[id]));
      continue;
    }
    std::vector<std::pair<bool, std::string>> done;  // (is_add, id) of each command of the transaction
    absl::Status failed;
    auto status = (*store)->write([&](StoreTx& tx) -> absl::Status {
      for (int i = 0; i < 20; ++i) {
        std::string id;
        bool is_add = false;
        auto cmd = next_command(id, is_add);
        Result r;
        auto saved = tx.savepoint([&](StoreTx& t) {
          r = engine.execute_in(t, cmd);
          return r.status;
        });
        if (!saved.ok()) failed = saved;
        done.emplace_back(is_add, id);
      }
      return absl::OkStatus();
    });
    if (!status.ok() || !failed.ok()) {
      say(fd, "E " + std::string((status.ok() ? failed : status).message()));
      _exit(3);
    }
    for (const auto& [is_add, id] : done)
      say(fd, (is_add ? "A " : "C ") + id + " " + std::to_string(++versions[id]));
  }
}

struct Cycle {
  std::vector<std::string> lines;
  int signal = 0;
  int exit_code = -1;
};

// Forks the child, lets it run for `run_for`, kills it and collects its acknowledgements.
Cycle run_and_kill(const std::string& path, uint64_t seed, bool bulk, bool full_sync,
                   std::chrono::milliseconds run_for) {
  Cycle out;
  int fds[2];
  if (::pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return out;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    // The child must never return into the test framework (it would run the parent's cleanup).
    ::close(fds[0]);
    try {
      child_loop(path, fds[1], seed, bulk, full_sync);
    } catch (const std::exception& e) {
      say(fds[1], std::string("E exception: ") + e.what());
    } catch (...) {
      say(fds[1], "E unknown exception");
    }
    _exit(5);
  }
  ::close(fds[1]);
  std::string buffer;
  char chunk[4096];
  auto deadline = std::chrono::steady_clock::now() + run_for;
  bool eof = false;
  while (!eof) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) {
      eof = true;
    } else {
      buffer.append(chunk, static_cast<size_t>(n));
    }
  }
  ::kill(pid, SIGKILL);
  while (true) {
    ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n <= 0) break;
    buffer.append(chunk, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  out.signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
  out.exit_code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
  std::istringstream in(buffer);
  for (std::string line; std::getline(in, line);) out.lines.push_back(line);
  return out;
}

std::string raw_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
      sqlite3_column_text(s, 0)) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return out;
}

TEST(SqliteCrash, KilledWriterLosesNoAcknowledgedCommandAndLeavesNoHalfCommand) {
  const int kills = env_int("LC_CRASH_KILLS", 40);
  const auto seed =
      static_cast<uint64_t>(env_int("LC_CRASH_SEED", static_cast<int>(std::random_device{}() & 0xffff)));
  std::cout << "crash test: " << kills << " kills, LC_CRASH_SEED=" << seed << "\n";
  std::mt19937_64 rng(seed);
  ScratchDir dir;
  const std::string path = dir.file("crash");
  size_t acknowledged = 0;
  for (int k = 0; k < kills; ++k) {
    const bool bulk = k % 2 == 1;
    const bool full_sync = k % 4 == 2;
    // Mostly mid-run kills, sometimes right after start (open, migration, first transaction).
    auto run_for = std::chrono::milliseconds(k % 5 == 0 ? rng() % 30 : 30 + rng() % 370);
    Cycle cycle = run_and_kill(path, seed * 1000 + static_cast<uint64_t>(k), bulk, full_sync, run_for);
    ASSERT_EQ(cycle.signal, SIGKILL) << "cycle " << k << ": the child ended on its own (exit "
                                     << cycle.exit_code << ", signal " << cycle.signal
                                     << "): " << (cycle.lines.empty() ? "" : cycle.lines.back());
    // The file opens (recovering the WAL) and is intact.
    auto store = SqliteStore::open(path);
    ASSERT_TRUE(store.ok()) << "cycle " << k << ": " << store.status();
    {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
      EXPECT_EQ(raw_text(db, "PRAGMA integrity_check"), "ok") << "cycle " << k;
      EXPECT_EQ(raw_text(db, "PRAGMA foreign_key_check"), "") << "cycle " << k;
      // No half-applied command: every customer has exactly what its commands wrote together.
      EXPECT_EQ(raw_text(db,
                         "SELECT count(*) FROM customers c WHERE "
                         "version <> (SELECT count(*) FROM addresses a WHERE a.customer_id = c.id) OR "
                         "(SELECT count(*) FROM customer_history h WHERE h.customer_id = c.id) <> 1 OR "
                         "(SELECT count(*) FROM consent_ledger l WHERE l.customer_id = c.id) <> 1 OR "
                         "(SELECT count(*) FROM external_refs r WHERE r.customer_id = c.id) <> 1 OR "
                         "default_billing_address_id IS NULL"),
                "0")
          << "cycle " << k;
      sqlite3_close_v2(db);
    }
    // Every acknowledged command is there.
    Engine engine(**store);
    for (const auto& line : cycle.lines) {
      ASSERT_FALSE(line.rfind("E ", 0) == 0) << "cycle " << k << ": the child failed: " << line;
      std::istringstream fields(line);
      std::string kind, id;
      int64_t version = 0;
      fields >> kind >> id >> version;
      auto agg = engine.get_customer(*CustomerId::parse(id));
      ASSERT_TRUE(agg.ok()) << "cycle " << k << ": acknowledged " << line << " is missing";
      EXPECT_GE(agg->customer.version, version) << "cycle " << k << ": " << line;
      EXPECT_EQ(agg->addresses.size(), static_cast<size_t>(agg->customer.version)) << "cycle " << k;
      ++acknowledged;
    }
  }
  std::cout << "crash test: " << acknowledged << " acknowledged commands checked\n";
  EXPECT_GT(acknowledged, 0u);
}

}  // namespace
}  // namespace leadcustomers
