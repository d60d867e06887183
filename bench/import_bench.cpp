// The import of a generated Shopify export (the current layout), against the raw primitives measured in the
// same run (Release build):
//   reader   the CSV reader alone over the file: every record read, no decoding (the floor of any import)
//   memory   import_customers into a MemoryStore, no phones in the file
//   sqlite   import_customers into a fresh SQLite file, no phones (its peak RSS is printed: it runs first)
//   floor    raw prepared INSERTs of the very rows that import wrote (copied from its file, table by table,
//            in one transaction into a fresh file with the same schema; reading them back is not timed)
//   phones   one serial libphonenumber pass over every phone of the phone variant of the file: Parse,
//            IsPossibleNumberWithReason, IsValidNumber and Format(E164) per number, as parse_phone does;
//            then the same pass split over every hardware thread (nothing else to do: the ceiling of what an
//            import that parses each phone once can reach against the serial pass)
//   +phones  import_customers of the phone variant into a fresh SQLite file, and into a MemoryStore
// Each measurement runs once. Rates are rows (records) per second of wall time and of CPU time (all
// threads); the ratios are the targets of the import issue: memory >= 150k rows/s, sqlite / floor >= 0.5,
// +phones / phones >= 1.5 (rows per second against the phone pass's rows per second).
//
//   ./import_bench                # 1M rows, about 3 minutes on 2 cores
//   ./import_bench --rows 2000    # the ctest smoke run
//   ./import_bench --only memory  # one import alone (memory|sqlite|phones), e.g. under a profiler
//   ./import_bench --batch 5000   # records per transaction (default: ImportOptions' default)
//
// The files live in $TMPDIR (or /tmp) and are removed at exit. Exits non-zero when an import fails or does
// not accept every row.
#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sqlite3.h>

#include "leadcustomers/csv_reader.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/importer.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/region_catalog.hpp"
#include "leadcustomers/sqlite_store.hpp"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"

namespace {

namespace lc = leadcustomers;
using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// ---------------------------------------------------------------------------------------------------
// Timing.

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

struct Span {
  double wall = 0, cpu = 0;
};

class Timer {
 public:
  Timer() : wall_(std::chrono::steady_clock::now()), cpu_(cpu_seconds()) {}
  [[nodiscard]] Span elapsed() const {
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_).count(),
            cpu_seconds() - cpu_};
  }

 private:
  std::chrono::steady_clock::time_point wall_;
  double cpu_;
};

Span& operator+=(Span& a, const Span& b) {
  a.wall += b.wall;
  a.cpu += b.cpu;
  return a;
}

// ---------------------------------------------------------------------------------------------------
// The file: a Shopify customer export in the current layout, deterministic.

struct Country {
  std::string code, state, zip;
  std::string phone_prefix;  // "+CC " followed by the national number without its last four digits
  std::string phone_nsn_head;
};

constexpr const char* kCandidates[] = {"US", "CA", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "AT",
                                       "CH", "SE", "NO", "DK", "FI", "PL", "PT", "IE", "AU", "NZ",
                                       "JP", "BR", "MX", "IN", "ZA", "CZ", "GR", "SG", "AR", "KR"};

// Each candidate country with a postal code and (where one is needed) a state the catalog accepts, and a
// mobile number shape from libphonenumber's metadata.
std::vector<Country> countries() {
  const auto& catalog = lc::RegionCatalog::instance();
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::vector<Country> out;
  for (const char* cc : kCandidates) {
    auto rules = catalog.rules(cc);
    if (!rules) continue;
    std::string zip(rules->zip_example);
    auto fits = [&](std::string_view state) {
      lc::Diagnostics d;
      lc::LocationInput in;
      in.region = cc;
      in.state = state;
      in.city = "Springfield";
      in.zip = zip;
      return catalog.validate_location(in, d).has_value() && d.warnings().empty();
    };
    std::optional<std::string> state;
    if (fits("")) {
      state = "";
    } else {
      for (const auto& sub : catalog.states(cc)) {
        std::string code(sub.code.substr(sub.code.find('-') + 1));
        if (fits(code)) {
          state = code;
          break;
        }
      }
    }
    PhoneNumber example;
    if (!state || !util.GetExampleNumberForType(cc, PhoneNumberUtil::MOBILE, &example)) continue;
    std::string nsn;
    util.GetNationalSignificantNumber(example, &nsn);
    if (nsn.size() < 7) continue;
    out.push_back(
        {cc, *state, zip, "+" + std::to_string(example.country_code()) + " ", nsn.substr(0, nsn.size() - 4)});
  }
  return out;
}

constexpr const char* kFirst[] = {"Ana",   "Bea", "Cem",   "Dana",  "Émile", "Farid", "Greta",
                                  "Hana",  "Ivo", "Józef", "Kenji", "Lior",  "Maya",  "Noor",
                                  "Oskar", "Pia", "Quinn", "Rosa",  "Søren", "Tomás"};
constexpr const char* kLast[] = {"Andersen", "Baker",  "Costa",  "Dubois",   "Eriksen", "Fischer", "García",
                                 "Horvat",   "Ito",    "Jansen", "Kowalski", "Lopez",   "Müller",  "Nowak",
                                 "O'Brien",  "Petrov", "Quinn",  "Rossi",    "Silva",   "Tanaka"};

constexpr const char* kHeader =
    "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
    "Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,"
    "Default Address Country Code,Default Address Zip,Default Address Phone,Accepts SMS Marketing,"
    "Total Spent,Total Orders,Note,Tax Exempt,Tags,Phone\n";

std::string four_digits(uint64_t n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04u", static_cast<unsigned>(n % 10000));
  return buf;
}

// Writes `rows` customers; with `phones`, every address has a phone and every other customer one too.
void generate(const std::string& path, int64_t rows, bool phones, const std::vector<Country>& cs) {
  std::ofstream out(path, std::ios::binary);
  out << kHeader;
  std::string line;
  for (int64_t i = 0; i < rows; ++i) {
    const auto u = static_cast<uint64_t>(i);
    const Country& c = cs[u % cs.size()];
    const char* first = kFirst[u % 20];
    const char* last = kLast[(u / 20) % 20];
    line.clear();
    line += std::to_string(7000000000000 + i);
    line += ',';
    line += first;
    line += ',';
    line += last;
    line += ",customer";
    line += std::to_string(i);
    line += "@example";
    line += std::to_string(u % 97);
    line += ".com,";
    line += u % 3 == 0 ? "yes" : "no";
    line += ',';
    if (u % 5 == 0) line += "Example Trading Ltd";
    line += ',';
    line += std::to_string(1 + u % 999);
    line += " Main Street,";
    if (u % 4 == 0) line += "Apt " + std::to_string(1 + u % 40);
    line += ",Springfield,";
    line += c.state;
    line += ',';
    line += c.code;
    line += ',';
    line += c.zip;
    line += ',';
    if (phones) line += c.phone_prefix + c.phone_nsn_head + four_digits(u * 7919);
    line += u % 3 == 0 ? ",yes," : ",no,";
    line += std::to_string(u % 500);
    line += ".00,";
    line += std::to_string(u % 7);
    line += ',';
    if (u % 10 == 0) line += "Prefers e-mail";
    line += ",no,";
    if (u % 4 == 0) line += "\"vip, wholesale\"";
    line += ',';
    if (phones && u % 2 == 0) line += c.phone_prefix + c.phone_nsn_head + four_digits(u * 104729 + 17);
    line += '\n';
    out << line;
  }
}

// ---------------------------------------------------------------------------------------------------
// The measurements.

std::filesystem::path bench_dir() {
  static const std::filesystem::path dir = [] {
    auto p = std::filesystem::temp_directory_path() / ("lc-import-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(p);
    return p;
  }();
  return dir;
}

std::string db_path(const std::string& stem) { return (bench_dir() / (stem + ".db")).string(); }

bool failed = false;
size_t g_batch = lc::ImportOptions{}.batch_size;

void fail(const std::string& what) {
  std::fprintf(stderr, "import_bench: %s\n", what.c_str());
  failed = true;
}

Span read_only(const std::string& csv, int64_t expect) {
  std::ifstream in(csv, std::ios::binary);
  Timer t;
  lc::CsvReader reader(in);
  lc::CsvRecord r;
  int64_t n = -1;  // the header
  size_t cells = 0;
  while (reader.next(r)) {
    ++n;
    cells += r.cells.size();
  }
  Span s = t.elapsed();
  if (n != expect || cells == 0) fail("the reader read " + std::to_string(n) + " rows");
  return s;
}

Span import_into(lc::Store& store, const std::string& csv, int64_t expect, const char* what) {
  lc::Engine engine(store);
  lc::ImportOptions options;
  options.format = lc::ImportFormat::shopify;
  options.batch_size = g_batch;
  std::ifstream in(csv, std::ios::binary);
  Timer t;
  auto result = lc::import_customers(engine, in, options);
  Span s = t.elapsed();
  if (!result.ok()) {
    fail(std::string(what) + ": " + std::string(result.status().message()));
  } else if (result->accepted != expect || result->rows_read != expect) {
    fail(std::string(what) + ": " + std::to_string(result->accepted) + " of " +
         std::to_string(result->rows_read) + " rows accepted, " + std::to_string(expect) + " expected");
    for (size_t i = 0; i < result->rows.size() && i < 5; ++i) {
      for (const auto& v : result->rows[i].violations) {
        std::fprintf(stderr, "  line %lld: %s %s %s\n", static_cast<long long>(result->rows[i].line),
                     v.field.c_str(), v.rule.c_str(), v.message.c_str());
      }
    }
  }
  return s;
}

Span import_sqlite(const std::string& csv, const std::string& db, int64_t expect, const char* what) {
  auto store = lc::SqliteStore::open(db);
  if (!store.ok()) {
    fail("cannot open " + db);
    return {};
  }
  return import_into(**store, csv, expect, what);
}

constexpr const char* kTables[] = {"customers",      "addresses",        "external_refs",
                                   "consent_ledger", "customer_history", "portal_logins"};

int64_t count_rows(sqlite3* db, const std::string& table) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &s, nullptr);
  int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  return n;
}

// One column value, copied out of the source file.
struct Value {
  int type = SQLITE_NULL;
  int64_t i = 0;
  double d = 0;
  std::string bytes;
};

// Raw prepared INSERTs of every row the import wrote (`from`) into a fresh file with the store's schema
// and settings, one transaction. Rows are read back in chunks between timed stretches.
Span raw_floor(const std::string& from, const std::string& to, int64_t* rows_written) {
  if (!lc::SqliteStore::open(to).ok()) {
    fail("cannot create " + to);
    return {};
  }
  sqlite3 *src = nullptr, *dst = nullptr;
  sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_open_v2(to.c_str(), &dst, SQLITE_OPEN_READWRITE, nullptr);
  const std::string pragmas =
      "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA synchronous = NORMAL; "
      "PRAGMA cache_size = -" +
      std::to_string(lc::SqliteOptions{}.cache_size_kib) + ";";
  sqlite3_exec(dst, pragmas.c_str(), nullptr, nullptr, nullptr);
  Span total;
  *rows_written = 0;
  {
    Timer t;
    sqlite3_exec(dst, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    total += t.elapsed();
  }
  constexpr size_t kChunk = 20000;
  for (const char* table : kTables) {
    sqlite3_stmt* select = nullptr;
    sqlite3_prepare_v2(src, (std::string("SELECT * FROM ") + table).c_str(), -1, &select, nullptr);
    const int columns = sqlite3_column_count(select);
    std::string sql = std::string("INSERT INTO ") + table + " VALUES (";
    for (int c = 0; c < columns; ++c) sql += c ? ",?" : "?";
    sql += ")";
    sqlite3_stmt* insert = nullptr;
    if (sqlite3_prepare_v3(dst, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &insert, nullptr) != SQLITE_OK) {
      fail(sqlite3_errmsg(dst));
      return {};
    }
    std::vector<std::vector<Value>> chunk;
    bool more = true;
    while (more) {
      chunk.clear();
      while (chunk.size() < kChunk) {
        if (sqlite3_step(select) != SQLITE_ROW) {
          more = false;
          break;
        }
        std::vector<Value> row(static_cast<size_t>(columns));
        for (int c = 0; c < columns; ++c) {
          Value& v = row[static_cast<size_t>(c)];
          v.type = sqlite3_column_type(select, c);
          if (v.type == SQLITE_INTEGER) v.i = sqlite3_column_int64(select, c);
          if (v.type == SQLITE_FLOAT) v.d = sqlite3_column_double(select, c);
          if (v.type == SQLITE_TEXT || v.type == SQLITE_BLOB) {
            const auto* p = static_cast<const char*>(sqlite3_column_blob(select, c));
            v.bytes.assign(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(select, c)));
          }
        }
        chunk.push_back(std::move(row));
      }
      Timer t;
      for (const auto& row : chunk) {
        for (int c = 0; c < columns; ++c) {
          const Value& v = row[static_cast<size_t>(c)];
          const int i = c + 1;
          switch (v.type) {
            case SQLITE_INTEGER:
              sqlite3_bind_int64(insert, i, v.i);
              break;
            case SQLITE_FLOAT:
              sqlite3_bind_double(insert, i, v.d);
              break;
            case SQLITE_TEXT:
              sqlite3_bind_text(insert, i, v.bytes.data(), static_cast<int>(v.bytes.size()), SQLITE_STATIC);
              break;
            case SQLITE_BLOB:
              sqlite3_bind_blob(insert, i, v.bytes.data(), static_cast<int>(v.bytes.size()), SQLITE_STATIC);
              break;
            default:
              sqlite3_bind_null(insert, i);
          }
        }
        if (sqlite3_step(insert) != SQLITE_DONE) fail(sqlite3_errmsg(dst));
        sqlite3_reset(insert);
      }
      total += t.elapsed();
      *rows_written += static_cast<int64_t>(chunk.size());
    }
    sqlite3_finalize(select);
    sqlite3_finalize(insert);
  }
  {
    Timer t;
    if (sqlite3_exec(dst, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) fail(sqlite3_errmsg(dst));
    total += t.elapsed();
  }
  for (const char* table : kTables) {
    if (count_rows(src, table) != count_rows(dst, table))
      fail(std::string("floor: table ") + table + " differs");
  }
  sqlite3_close_v2(src);
  sqlite3_close_v2(dst);
  return total;
}

// One libphonenumber pass over every phone of the file (with the row's country as default region), as
// parse_phone makes it: serial with `threads` = 1 (the yardstick), else each chunk split evenly over
// `threads` threads — the most any import can get from its cores for the phones alone, with nothing else to
// do. Phones are collected in chunks between timed stretches.
Span phone_pass(const std::string& csv, unsigned threads, int64_t* phones) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::ifstream in(csv, std::ios::binary);
  lc::CsvReader reader(in);
  lc::CsvRecord r;
  (void)reader.next(r);  // header: Default Address Country Code 10, Default Address Phone 12, Phone 19
  Span total;
  *phones = 0;
  std::atomic<size_t> valid{0};
  std::vector<std::pair<std::string, std::string>> chunk;  // number, region
  auto parse = [&](size_t begin, size_t end) {
    size_t ok_here = 0;
    for (size_t i = begin; i < end; ++i) {
      PhoneNumber number;
      if (util.Parse(chunk[i].first, chunk[i].second, &number) != PhoneNumberUtil::NO_PARSING_ERROR) continue;
      auto possible = util.IsPossibleNumberWithReason(number);
      bool ok = possible == PhoneNumberUtil::IS_POSSIBLE && util.IsValidNumber(number);
      std::string e164;
      util.Format(number, PhoneNumberUtil::E164, &e164);
      ok_here += ok && !e164.empty();
    }
    valid += ok_here;
  };
  bool more = true;
  while (more) {
    chunk.clear();
    while (chunk.size() < 50000) {
      if (!reader.next(r)) {
        more = false;
        break;
      }
      if (!r.cells[12].empty()) chunk.emplace_back(r.cells[12], r.cells[10]);
      if (!r.cells[19].empty()) chunk.emplace_back(r.cells[19], r.cells[10]);
    }
    Timer t;
    if (threads <= 1) {
      parse(0, chunk.size());
    } else {
      std::vector<std::thread> pool;
      const size_t per = (chunk.size() + threads - 1) / threads;
      for (unsigned k = 1; k < threads; ++k) {
        pool.emplace_back(parse, std::min(chunk.size(), k * per), std::min(chunk.size(), (k + 1) * per));
      }
      parse(0, std::min(chunk.size(), per));
      for (auto& th : pool) th.join();
    }
    total += t.elapsed();
    *phones += static_cast<int64_t>(chunk.size());
  }
  if (valid.load() == 0) fail("no valid phone number");
  return total;
}

void print_row(const char* name, double count, const Span& s, double floor_wall, double floor_cpu,
               const char* floor_name) {
  const double wall = count / s.wall, cpu = count / s.cpu;
  if (floor_wall > 0) {
    std::printf("%-40s %12.0f %12.0f   %5.2fx wall  %5.2fx cpu  of %s\n", name, wall, cpu, wall / floor_wall,
                cpu / floor_cpu, floor_name);
  } else {
    std::printf("%-40s %12.0f %12.0f\n", name, wall, cpu);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 1000000;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--rows" && i + 1 < argc) {
      rows = std::atoll(argv[++i]);
    } else if (a == "--batch" && i + 1 < argc) {
      g_batch = static_cast<size_t>(std::atoll(argv[++i]));
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--rows N] [--batch N] [--only memory|sqlite|phones]\n", argv[0]);
      return 2;
    }
  }
  if (rows < 1) rows = 1;

  const auto cs = countries();
  const std::string plain = (bench_dir() / "plain.csv").string();
  const std::string with_phones = (bench_dir() / "phones.csv").string();
  generate(plain, rows, false, cs);
  generate(with_phones, rows, true, cs);
  std::printf("import_bench: %lld rows, %zu countries (", static_cast<long long>(rows), cs.size());
  for (size_t i = 0; i < cs.size(); ++i) std::printf("%s%s", i ? " " : "", cs[i].code.c_str());
  // The allocator matters to a pipelined import (workers allocate, the applying thread frees): say which.
  const bool tcmalloc = dlsym(RTLD_DEFAULT, "tc_malloc") != nullptr;
  std::printf("), %s, %u hardware threads, %.1f MB / %.1f MB of CSV\n",
              tcmalloc ? "tcmalloc (as the leadcustomers tool)" : "glibc malloc",
              std::thread::hardware_concurrency(),
              static_cast<double>(std::filesystem::file_size(plain)) / 1e6,
              static_cast<double>(std::filesystem::file_size(with_phones)) / 1e6);
  if (cs.size() < 20) fail("fewer than 20 countries");
  if (!only.empty()) {
    Span s;
    if (only == "memory") {
      lc::MemoryStore store;
      s = import_into(store, plain, rows, "memory import");
    } else if (only == "sqlite") {
      s = import_sqlite(plain, db_path("import"), rows, "sqlite import");
    } else {
      s = import_sqlite(with_phones, db_path("phones"), rows, "sqlite import with phones");
    }
    std::printf("%s: %.0f rows/s wall, %.0f rows/s cpu, peak RSS %.1f MB\n", only.c_str(),
                static_cast<double>(rows) / s.wall, static_cast<double>(rows) / s.cpu,
                static_cast<double>(peak_rss_kib()) / 1024.0);
    std::filesystem::remove_all(bench_dir());
    return failed ? 1 : 0;
  }

  const long rss_before = peak_rss_kib();
  const std::string sqlite_db = db_path("import");
  Span sqlite = import_sqlite(plain, sqlite_db, rows, "sqlite import");
  const long rss_sqlite = peak_rss_kib();

  Span reader = read_only(plain, rows);
  Span memory;
  {
    lc::MemoryStore store;
    memory = import_into(store, plain, rows, "memory import");
  }
  int64_t floor_rows = 0;
  Span floor = raw_floor(sqlite_db, db_path("floor"), &floor_rows);
  int64_t phones = 0;
  Span phone = phone_pass(with_phones, 1, &phones);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  int64_t phones_again = 0;
  Span phone_all = phone_pass(with_phones, cores, &phones_again);
  Span with = import_sqlite(with_phones, db_path("phones"), rows, "sqlite import with phones");
  Span with_memory;
  {
    lc::MemoryStore store;
    with_memory = import_into(store, with_phones, rows, "memory import with phones");
  }

  const double n = static_cast<double>(rows);
  std::printf("\n%-40s %12s %12s\n", "rows per second", "wall", "cpu");
  print_row("reader alone (floor of any import)", n, reader, 0, 0, "");
  print_row("import into memory, no phones", n, memory, n / reader.wall, n / reader.cpu, "reader");
  print_row("raw INSERTs of the same rows (floor)", n, floor, 0, 0, "");
  print_row("import into SQLite, no phones", n, sqlite, n / floor.wall, n / floor.cpu, "floor");
  print_row("serial libphonenumber pass", n, phone, 0, 0, "");
  char all_name[64];
  std::snprintf(all_name, sizeof all_name, "the same pass on %u threads (ceiling)", cores);
  print_row(all_name, n, phone_all, n / phone.wall, n / phone.cpu, "phone pass");
  print_row("import into SQLite with phones", n, with, n / phone.wall, n / phone.cpu, "phone pass");
  print_row("import into memory with phones", n, with_memory, n / phone.wall, n / phone.cpu, "phone pass");
  std::printf("\n%lld table rows in the floor; %lld phones (%.1f us each, serial)\n",
              static_cast<long long>(floor_rows), static_cast<long long>(phones),
              phone.wall * 1e6 / static_cast<double>(phones));
  std::printf("memory import %.0f rows/s (target >= 150000 as a guide)\n", n / memory.wall);
  std::printf("sqlite import / floor      %.2fx wall (target >= 0.5)\n", floor.wall / sqlite.wall);
  std::printf("with phones / phone pass   %.2fx wall (target >= 1.5) into SQLite, %.2fx into memory\n",
              phone.wall / with.wall, phone.wall / with_memory.wall);
  std::printf(
      "phones alone on %u threads: %.2fx the serial pass (the ceiling of the ratio above, with no other "
      "work per row)\n",
      cores, phone.wall / phone_all.wall);
  std::printf("peak RSS: %.1f MB before the SQLite import, %.1f MB after it (target < 500 MB)\n",
              static_cast<double>(rss_before) / 1024.0, static_cast<double>(rss_sqlite) / 1024.0);

  std::filesystem::remove_all(bench_dir());
  return failed ? 1 : 0;
}
