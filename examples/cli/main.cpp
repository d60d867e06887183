// leadcustomers — the command-line tool.
//
//   leadcustomers apply FILE|-                   JSON Lines of commands in, one result line each out
//   leadcustomers cases [--store memory|sqlite] PATH…   runs behaviour cases, each against a fresh empty
//   store
//                                                (sqlite: a new temporary file per case); PASS/FAIL/SKIP
//                                                lines and a summary
//   leadcustomers import --format F FILE [--mapping M] [--rejects R] [--dry-run] [--json]
//   [--import-passwords]
//                        [--customer-type N] [--batch-size N]
//   leadcustomers show EMAIL|ID [--json] [--limit N]   the customer's full view: details, addresses, login,
//                                                tickets, opportunities, segments, sales history (--json: the
//                                                customer document + "tickets", "opportunities", "orders"
//                                                (customer.orders, N orders, default 50), "segments")
//   leadcustomers search TEXT [--limit N]        customers whose name, e-mail, phone or company starts so
//   leadcustomers export --format jsonl|shopify [--out FILE] [--with-secret-hashes]
//                                                (--with-secret-hashes: jsonl only, the portal login's
//                                                Argon2id hashes too, for moving between stores; the file
//                                                is made readable by its owner only)
//
// `show`, `search` and `export` read a database that exists: a --db path that does not is refused (no empty
// file is left behind), unless --preload fills it.
// Every command except `cases` works on the SQLite database `--db FILE` (default ./leadcustomers.db), or on
// an in-memory store with `--store memory`. Every command takes `--preload FORMAT=FILE[=MAPPING]`
// (repeatable): imports FILE into the store first.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "leadcustomers/case_runner.hpp"
#include "leadcustomers/document.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/exporter.hpp"
#include "leadcustomers/importer.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/money.hpp"
#include "leadcustomers/sqlite_store.hpp"
#include "leadcustomers/text.hpp"

namespace lc = leadcustomers;

namespace {

int usage(std::ostream& out = std::cerr) {
  out << "usage:\n"
         "  leadcustomers apply FILE|-\n"
         "  leadcustomers cases [--store memory|sqlite] PATH...\n"
         "  leadcustomers import --format F FILE [--mapping M] [--rejects R] [--dry-run] [--json]\n"
         "                       [--customer-type N] [--batch-size N] [--import-passwords]\n"
         "      F: shopify shopify-json magento-customer magento-address magento-composite generic\n"
         "         generic-json jsonl\n"
         "  leadcustomers show EMAIL|ID [--json] [--limit N]\n"
         "  leadcustomers search TEXT [--limit N]\n"
         "  leadcustomers export --format jsonl|shopify [--out FILE] [--with-secret-hashes]\n"
         "  any command: --db FILE (SQLite, default ./leadcustomers.db) or --store memory;\n"
         "               --preload FORMAT=FILE[=MAPPING] (repeatable) imports FILE first\n";
  return 2;
}

// Text from the data made safe for a terminal (a column named "\x1b[2J" cannot clear the screen, a U+202E
// cannot make a line read backwards).
std::string printable(std::string_view text) { return lc::escape_controls(text); }

struct Options {
  std::set<std::string, std::less<>> given;  // every option on the command line, as spelled ("--out")
  std::string store;                         // "" = the subcommand's default (sqlite; memory for cases)
  std::string db = "./leadcustomers.db";
  std::string format;
  std::string mapping;
  std::string rejects;
  std::string out;
  std::optional<int64_t> customer_type;
  size_t batch_size = 5000;
  std::optional<size_t> limit;  // the subcommand's default when not given
  bool dry_run = false;
  bool with_secret_hashes = false;
  bool import_passwords = false;
  bool json = false;
  std::vector<std::string> preload;
  std::vector<std::string> positional;
};

bool parse_options(int argc, char** argv, int first, Options& o) {
  auto number = [](std::string_view flag, const char* text, auto& target) {
    try {
      size_t used = 0;
      target = static_cast<std::remove_reference_t<decltype(target)>>(std::stoll(text, &used));
      if (text[used] != '\0') throw std::invalid_argument(text);
      return true;
    } catch (const std::exception&) {
      std::cerr << "leadcustomers: " << flag << " needs a number, not '" << printable(text) << "'\n";
      return false;
    }
  };
  for (int i = first; i < argc; ++i) {
    std::string_view a = argv[i];
    std::string value;
    bool has_inline = false;
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      if (auto eq = a.find('='); eq != std::string_view::npos) {
        value = std::string(a.substr(eq + 1));
        a = a.substr(0, eq);
        has_inline = true;
      }
    }
    auto take = [&](std::string& target) {
      if (has_inline) {
        target = value;
        return true;
      }
      if (i + 1 >= argc) {
        std::cerr << "leadcustomers: " << printable(a) << " needs a value\n";
        return false;
      }
      target = argv[++i];
      return true;
    };
    std::string text;
    if (a.size() > 2 && a.rfind("--", 0) == 0) o.given.insert(std::string(a));
    static constexpr std::string_view kSwitches[] = {"--with-secret-hashes", "--dry-run",
                                                     "--import-passwords", "--json"};
    if (has_inline && std::find(std::begin(kSwitches), std::end(kSwitches), a) != std::end(kSwitches)) {
      std::cerr << "leadcustomers: " << a << " takes no value (give it or leave it out)\n";
      return false;
    }
    if (a == "--store") {
      if (!take(o.store)) return false;
    } else if (a == "--db") {
      if (!take(o.db)) return false;
    } else if (a == "--format") {
      if (!take(o.format)) return false;
    } else if (a == "--mapping") {
      if (!take(o.mapping)) return false;
    } else if (a == "--rejects") {
      if (!take(o.rejects)) return false;
    } else if (a == "--out") {
      if (!take(o.out)) return false;
    } else if (a == "--preload") {
      if (!take(text)) return false;
      o.preload.push_back(text);
    } else if (a == "--customer-type") {
      int64_t n = 0;
      if (!take(text) || !number(a, text.c_str(), n)) return false;
      o.customer_type = n;
    } else if (a == "--batch-size") {
      int64_t n = 0;
      if (!take(text) || !number(a, text.c_str(), n)) return false;
      if (n < 1) {
        std::cerr << "leadcustomers: --batch-size needs a number of at least 1, not '" << printable(text)
                  << "'\n";
        return false;
      }
      o.batch_size = static_cast<size_t>(n);
    } else if (a == "--limit") {
      // show (orders) and search take 1 to 1000, as the queries behind them do.
      int64_t n = 0;
      if (!take(text) || !number(a, text.c_str(), n)) return false;
      if (n < 1 || n > 1000) {
        std::cerr << "leadcustomers: --limit needs a number from 1 to 1000, not '" << printable(text)
                  << "'\n";
        return false;
      }
      o.limit = static_cast<size_t>(n);
    } else if (a == "--with-secret-hashes") {
      o.with_secret_hashes = true;
    } else if (a == "--dry-run") {
      o.dry_run = true;
    } else if (a == "--import-passwords") {
      o.import_passwords = true;
    } else if (a == "--json") {
      o.json = true;
    } else if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::cerr << "leadcustomers: unknown option " << printable(a) << "\n";
      return false;
    } else {
      o.positional.emplace_back(a);
    }
  }
  return true;
}

// A file to read: says so when the path is missing or is a folder.
bool readable_file(const std::string& path, std::string_view what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::cerr << "leadcustomers: " << what << " " << printable(path) << " is a folder, not a file\n";
    return false;
  }
  if (!std::filesystem::exists(path, ec)) {
    std::cerr << "leadcustomers: " << what << " " << printable(path) << " does not exist\n";
    return false;
  }
  return true;
}

// The file a path names once made absolute, links followed (also one whose target does not exist yet: SQLite
// creates the target) and "." / ".." removed — weakly_canonical alone leaves a relative path that does not
// exist relative, and stops at a dangling link.
std::filesystem::path resolved_path(const std::string& path, std::error_code& ec) {
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code link_ec;
    if (!std::filesystem::is_symlink(p, link_ec)) break;
    auto target = std::filesystem::read_symlink(p, link_ec);
    if (link_ec) break;
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  return std::filesystem::weakly_canonical(p, ec);
}

// One --preload FORMAT=FILE[=MAPPING]; nullopt without a '='.
struct PreloadSpec {
  std::string format, file, mapping;
};
std::optional<PreloadSpec> parse_preload(const std::string& p) {
  auto eq = p.find('=');
  if (eq == std::string::npos) return std::nullopt;
  PreloadSpec spec{p.substr(0, eq), p.substr(eq + 1), ""};
  if (auto eq2 = spec.file.find('='); eq2 != std::string::npos) {
    spec.mapping = spec.file.substr(eq2 + 1);
    spec.file.resize(eq2);
  }
  return spec;
}

// The files a command reads: the database (and its WAL and shared-memory files), the input, the mapping and
// every --preload file.
std::vector<std::string> files_read(const Options& o) {
  std::vector<std::string> read;
  // SQLite's companions exist only while the database is open, so they are compared by name too, under the
  // name given and the one links resolve to (SQLite names them after the resolved file). Under --store memory
  // the --db file is not opened, but it is not to be overwritten either.
  for (std::string db : {o.db, std::string()}) {
    if (db.empty()) {
      std::error_code ec;
      db = resolved_path(o.db, ec).string();
      if (ec || db.empty()) continue;
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) read.push_back(db + suffix);
  }
  for (const auto& p : o.positional) read.push_back(p);
  if (!o.mapping.empty()) read.push_back(o.mapping);
  for (const auto& p : o.preload) {
    if (auto spec = parse_preload(p)) {
      read.push_back(spec->file);
      if (!spec->mapping.empty()) read.push_back(spec->mapping);
    }
  }
  return read;
}

// True (after saying so) when the output `out` (--rejects, --out) is one of the files the command reads:
// opening it for writing would empty it before it is read — a database, an input or a mapping destroyed.
bool output_clashes(const Options& o, const std::string& out, std::string_view flag) {
  if (out.empty()) return false;
  std::error_code ec;
  if (std::filesystem::is_directory(out, ec)) {
    std::cerr << "leadcustomers: " << flag << " " << printable(out) << " is a folder, not a file\n";
    return true;
  }
  // The same path once links and "." / ".." are resolved (files that do not exist yet included: a database
  // this command creates, SQLite's -wal), or the same file under another name (a hard link).
  // Made absolute first: weakly_canonical leaves a relative path that does not exist relative.

  const auto resolved = resolved_path(out, ec);
  for (const auto& in : files_read(o)) {
    if (in.empty() || in == "-" || in == ":memory:") continue;
    std::error_code e1, e2;
    const bool same_path = !ec && resolved_path(in, e1) == resolved && !e1;
    const bool same_file = std::filesystem::exists(out, e2) && std::filesystem::exists(in, e2) &&
                           std::filesystem::equivalent(out, in, e2);
    if (same_path || same_file) {
      std::cerr
          << "leadcustomers: " << flag << " " << printable(out) << " is " << printable(in)
          << ", a file this command reads or writes; writing it would destroy it (choose another file)\n";
      return true;
    }
  }
  return false;
}

// A database file this command is about to create, removed again when the command fails before storing
// anything of its own (a refused preload or file, a read-only command that found nothing). Declared before
// the store, so that it runs once the store is closed.
class NewDbCleanup {
 public:
  explicit NewDbCleanup(const Options& o) {
    std::error_code ec;
    is_new_ =
        (o.store.empty() || o.store == "sqlite") && o.db != ":memory:" && !std::filesystem::exists(o.db, ec);
    // The file SQLite creates: through a link, its target (the link itself is the user's, and stays).
    if (is_new_) db_ = resolved_path(o.db, ec).string();
    is_new_ = is_new_ && !ec && !db_.empty();
  }
  ~NewDbCleanup() {
    std::error_code ec;
    if (armed_)
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(db_ + suffix, ec);
  }
  NewDbCleanup(const NewDbCleanup&) = delete;
  NewDbCleanup& operator=(const NewDbCleanup&) = delete;
  void arm() { armed_ = is_new_; }

 private:
  std::string db_;
  bool is_new_ = false;
  bool armed_ = false;
};

enum class DbUse { create, existing };

// The one place a store is made: SQLite at --db (the default) or in memory. A command that only reads
// (DbUse::existing) refuses a database file that does not exist rather than leaving an empty one behind.
bool preloads_ok(const Options& o);

std::unique_ptr<lc::Store> open_store(const Options& o, DbUse use = DbUse::create) {
  if (!preloads_ok(o)) return nullptr;
  if (o.given.count("--store") > 0 && o.store.empty()) {
    std::cerr << "leadcustomers: --store needs memory or sqlite\n";
    return nullptr;
  }
  const std::string kind = o.store.empty() ? "sqlite" : o.store;
  if (kind == "memory") return std::make_unique<lc::MemoryStore>();
  if (kind == "sqlite") {
    if (use == DbUse::existing && o.preload.empty() && o.db != ":memory:" &&
        !readable_file(o.db, "database")) {
      std::cerr << "  (import a file first, or name the database with --db FILE)\n";
      return nullptr;
    }
    // A dry run against a database that does not exist yet validates against an empty one and leaves no
    // file behind (it writes nothing anywhere).
    const bool fresh = o.dry_run && o.db != ":memory:" && !std::filesystem::exists(o.db);
    auto opened = lc::SqliteStore::open(fresh ? std::string(":memory:") : o.db);
    if (!opened.ok()) {
      std::cerr << "leadcustomers: " << opened.status().message() << "\n";
      return nullptr;
    }
    return std::move(*opened);
  }
  std::cerr << "leadcustomers: unknown store '" << printable(o.store) << "'\n";
  return nullptr;
}

// A folder for the temporary databases of one `cases --store sqlite` run, removed at exit.
class TempFolder {
 public:
  TempFolder()
      : path_(std::filesystem::temp_directory_path() /
              ("leadcustomers-cases-" + std::to_string(::getpid()))) {}
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  std::string next_file() {
    std::filesystem::create_directories(path_);
    return (path_ / ("case-" + std::to_string(counter_++) + ".db")).string();
  }

 private:
  std::filesystem::path path_;
  int counter_ = 0;
};

// A fresh, empty store per call; a store that cannot be opened ends the program.
lc::StoreFactory case_store_factory(const std::string& kind, TempFolder& temp) {
  if (kind == "memory") return [] { return std::make_unique<lc::MemoryStore>(); };
  if (kind == "sqlite") {
    return [&temp]() -> std::unique_ptr<lc::Store> {
      auto store = lc::SqliteStore::open(temp.next_file());
      if (!store.ok()) {
        std::cerr << "leadcustomers: " << store.status().message() << "\n";
        std::exit(1);
      }
      return std::move(*store);
    };
  }
  return nullptr;
}

bool read_mapping(const std::string& path, boost::json::object& mapping) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "leadcustomers: cannot read mapping " << printable(path) << "\n";
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  auto v = boost::json::parse(ss.str(), ec);
  if (ec || !v.is_object()) {
    std::cerr << "leadcustomers: mapping " << printable(path) << " is not a JSON object\n";
    return false;
  }
  mapping = v.as_object();
  return true;
}

std::string with_commas(int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3)
    s.insert(static_cast<size_t>(i), ",");
  return s;
}

// Progress: a bar redrawn in place on a terminal, a plain line every few seconds otherwise.
class Progress {
 public:
  Progress(uint64_t total_bytes, bool enabled)
      : total_(total_bytes),
        enabled_(enabled),
        tty_(isatty(fileno(stderr)) != 0),
        start_(clock::now()),
        last_(start_) {}

  void update(const lc::ImportProgress& p, bool final = false) {
    if (!enabled_) return;
    auto now = clock::now();
    double elapsed = std::chrono::duration<double>(now - start_).count();
    double since = std::chrono::duration<double>(now - last_).count();
    if (!final && since < (tty_ ? 0.2 : 5.0)) return;
    last_ = now;
    double rate = elapsed > 0 ? static_cast<double>(p.rows_read) / elapsed : 0;
    double fraction =
        total_ ? std::min(1.0, static_cast<double>(p.bytes_read) / static_cast<double>(total_)) : 0;
    double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    std::ostringstream line;
    line << with_commas(p.rows_read) << " rows, " << with_commas(static_cast<int64_t>(rate)) << " rows/s";
    if (total_ && !final) line << ", ETA " << static_cast<int>(eta) << " s";
    if (tty_) {
      constexpr int kWidth = 30;
      int filled = static_cast<int>(fraction * kWidth);
      std::cerr << "\r[" << std::string(static_cast<size_t>(filled), '#')
                << std::string(static_cast<size_t>(kWidth - filled), '.') << "] " << std::setw(3)
                << static_cast<int>(fraction * 100) << "% " << line.str() << "   " << (final ? "\n" : "")
                << std::flush;
    } else if (!final) {
      std::cerr << "import: " << line.str() << "\n";
    }
  }

 private:
  using clock = std::chrono::steady_clock;
  uint64_t total_;
  bool enabled_;
  bool tty_;
  clock::time_point start_, last_;
};

void print_summary(const lc::ImportResult& r, bool dry_run) {
  std::cout << (dry_run ? "dry run (nothing stored): " : "") << with_commas(r.rows_read) << " records read, "
            << with_commas(r.accepted) << " accepted (" << with_commas(r.warned) << " with warnings; "
            << with_commas(r.created) << " created, " << with_commas(r.updated) << " updated, "
            << with_commas(r.unchanged) << " unchanged), " << with_commas(r.rejected) << " rejected\n";
  for (const auto& w : r.warnings)
    std::cout << "warning: " << printable(w.field) << ": " << printable(w.message) << " (" << w.rule << ")\n";
  // Reasons for refusal apart from warnings on records that were kept (the JSON's by_rule has both).
  auto by_rule = [](const char* title, const std::map<std::string, int64_t>& counts) {
    if (counts.empty()) return;
    std::cout << title << "\n";
    for (const auto& [rule, n] : counts) std::cout << "  " << std::left << std::setw(34) << rule << n << "\n";
  };
  by_rule("rejected records, by rule:", r.rejected_by_rule);
  by_rule("warnings on accepted records, by rule:", r.warned_by_rule);
  size_t shown = 0;
  for (const auto& row : r.rows) {
    if (!row.rejected) continue;
    if (++shown > 20) {
      std::cout << "  … (the rejects file has every rejected record)\n";
      break;
    }
    if (shown == 1) std::cout << "rejected:\n";
    std::cout << "  line " << row.line << " " << printable(row.email.value_or("(no e-mail)")) << ":";
    for (const auto& v : row.violations)
      std::cout << " " << (v.field.empty() ? "" : printable(v.field) + " ") << v.rule << ";";
    std::cout << "\n";
  }
}

absl::StatusOr<lc::ImportResult> run_import(lc::Engine& engine, const std::string& format_name,
                                            const std::string& path, const std::string& mapping,
                                            const Options& o, bool quiet) {
  auto format = lc::parse_import_format(format_name);
  if (!format) return absl::InvalidArgumentError("unknown format '" + format_name + "'");
  lc::ImportOptions options;
  options.format = *format;
  options.dry_run = o.dry_run && !quiet;
  options.customer_type_id = o.customer_type;
  options.batch_size = o.batch_size;
  options.import_passwords = o.import_passwords;
  if (!mapping.empty() && !read_mapping(mapping, options.mapping)) {
    return absl::InvalidArgumentError("bad mapping");
  }
  // A missing or folder input was refused by import_inputs_ok before the store was opened.
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::ofstream rejects;
  if (!quiet && !o.rejects.empty()) {
    rejects.open(o.rejects, std::ios::binary);
    if (!rejects) return absl::PermissionDeniedError("cannot write " + o.rejects);
    options.rejects = &rejects;
  }
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  Progress progress(ec ? 0 : size, !quiet && !o.json);
  options.on_progress = [&](const lc::ImportProgress& p) { progress.update(p); };
  auto result = lc::import_customers(engine, in, options);
  if (result.ok())
    progress.update({result->rows_read, result->accepted, result->rejected, ec ? 0 : size}, true);
  return result;
}

// Checks one import's inputs before any database is opened: the format is known, the file and mapping are
// readable (standard input is not an import source), a mapping is JSON, and a generic format has one.
bool import_inputs_ok(std::string_view what, const std::string& format, const std::string& file,
                      const std::string& mapping) {
  auto f = lc::parse_import_format(format);
  if (!f) {
    std::cerr << "leadcustomers: " << what << ": unknown format '" << printable(format) << "'\n";
    return false;
  }
  if (file == "-") {
    std::cerr << "leadcustomers: " << what
              << ": reads a file, not standard input (save it to a file first)\n";
    return false;
  }
  if (!readable_file(file, "input")) return false;
  if ((*f == lc::ImportFormat::generic || *f == lc::ImportFormat::generic_json) && mapping.empty()) {
    std::cerr << "leadcustomers: " << what << ": format " << format
              << " needs a mapping (--mapping FILE, or FORMAT=FILE=MAPPING for --preload)\n";
    return false;
  }
  boost::json::object parsed;
  return mapping.empty() || (readable_file(mapping, "mapping") && read_mapping(mapping, parsed));
}

// Every --preload FORMAT=FILE[=MAPPING] checked as import_inputs_ok does.
bool preloads_ok(const Options& o) {
  for (const auto& p : o.preload) {
    auto spec = parse_preload(p);
    if (!spec) {
      std::cerr << "leadcustomers: --preload needs FORMAT=FILE\n";
      return false;
    }
    if (!import_inputs_ok("--preload", spec->format, spec->file, spec->mapping)) return false;
  }
  return true;
}

// Applies every --preload FORMAT=FILE (checked by preloads_ok when the store was opened).
bool preload(lc::Engine& engine, const Options& o) {
  for (const auto& p : o.preload) {
    auto spec = parse_preload(p);
    if (!spec) return false;
    auto r = run_import(engine, spec->format, spec->file, spec->mapping, o, true);
    if (!r.ok()) {
      std::cerr << "leadcustomers: preload " << printable(p) << ": "
                << printable(std::string(r.status().message())) << "\n";
      return false;
    }
  }
  return true;
}

int cmd_import(const Options& o) {
  if (o.positional.size() != 1 || o.format.empty()) return usage();
  // What can be refused without the database is refused before it is opened (or created).
  if (!import_inputs_ok("import", o.format, o.positional[0], o.mapping)) return 2;
  if (output_clashes(o, o.rejects, "--rejects")) return 2;
  if (!o.rejects.empty()) {
    const auto folder = std::filesystem::path(o.rejects).parent_path();
    std::error_code ec;
    if (!folder.empty() && !std::filesystem::is_directory(folder, ec)) {
      std::cerr << "leadcustomers: --rejects " << printable(o.rejects) << ": folder "
                << printable(folder.string()) << " does not exist\n";
      return 2;
    }
  }
  NewDbCleanup cleanup(o);  // before the store: it runs once the store is closed
  auto store = open_store(o);
  if (!store) return 2;
  lc::Engine engine(*store);
  if (!preload(engine, o)) {
    cleanup.arm();
    return 1;
  }
  auto result = run_import(engine, o.format, o.positional[0], o.mapping, o, false);
  if (!result.ok()) {
    // A file-level refusal (header, mapping, type) comes before any batch is written: a database this
    // command created for it is removed again. A store failure keeps what was committed.
    const auto code = result.status().code();
    if (code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kNotFound ||
        code == absl::StatusCode::kFailedPrecondition || code == absl::StatusCode::kPermissionDenied) {
      cleanup.arm();
    }
    std::cerr << "leadcustomers: import failed: " << printable(std::string(result.status().message()))
              << "\n";
    for (const auto& v : lc::violations_of(result.status())) {
      std::cerr << "  " << printable(v.field) << ": " << v.rule << ": " << printable(v.message) << "\n";
    }
    return 1;
  }
  if (o.json) {
    std::cout << boost::json::serialize(lc::import_result_json(*result)) << "\n";
    // The result object is SPEC §5's; warnings about the file as a whole go to the person watching.
    for (const auto& w : result->warnings)
      std::cerr << "warning: " << printable(w.field) << ": " << printable(w.message) << " (" << w.rule
                << ")\n";
  } else {
    print_summary(*result, o.dry_run);
    if (!o.rejects.empty() && result->rejected > 0)
      std::cout << "rejected records written to " << printable(o.rejects) << "\n";
  }
  return 0;
}

std::string phone_text(const boost::json::value& p) {
  if (!p.is_object()) return "";
  std::string s(p.as_object().at("e164").as_string());
  if (const auto& ext = p.as_object().at("extension"); ext.is_string())
    s += " x" + std::string(ext.as_string());
  return s;
}

std::string str(const boost::json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

void print_customer(const boost::json::object& c) {
  std::string name = str(c.at("first_name"));
  if (!str(c.at("last_name")).empty()) name += (name.empty() ? "" : " ") + str(c.at("last_name"));
  std::cout << name << " <" << str(c.at("email")) << ">\n"
            << "  id " << str(c.at("id")) << ", " << str(c.at("status")) << ", customer type "
            << c.at("customer_type_id").as_int64() << ", version " << c.at("version").as_int64() << "\n"
            << "  created " << str(c.at("created_at")) << ", updated " << str(c.at("updated_at")) << "\n";
  if (!c.at("phone").is_null()) std::cout << "  phone " << phone_text(c.at("phone")) << "\n";
  if (!c.at("fax").is_null()) std::cout << "  fax " << phone_text(c.at("fax")) << "\n";
  if (!c.at("company_id").is_null()) std::cout << "  company " << str(c.at("company_id")) << "\n";
  const auto& nl = c.at("newsletter").as_object();
  if (nl.at("updated_at").is_null()) {
    std::cout << "  newsletter: never asked\n";
  } else {
    std::cout << "  newsletter: " << (nl.at("subscribed").as_bool() ? "subscribed" : "not subscribed");
    if (!nl.at("opt_in_level").is_null()) std::cout << " (" << str(nl.at("opt_in_level")) << " opt-in)";
    std::cout << ", source " << str(nl.at("source")) << ", " << str(nl.at("updated_at")) << "\n";
  }
  if (!c.at("tags").as_array().empty()) {
    std::cout << "  tags:";
    for (const auto& t : c.at("tags").as_array()) std::cout << " [" << str(t) << "]";
    std::cout << "\n";
  }
  if (!c.at("note").is_null()) {
    // A note's later lines are indented under its first, so they never read as fields of the view.
    std::string note = str(c.at("note"));
    for (size_t at = note.find('\n'); at != std::string::npos; at = note.find('\n', at + 1))
      note.insert(at + 1, "        ");
    std::cout << "  note: " << note << "\n";
  }
  std::cout << "  tax exempt: "
            << (c.at("tax_exempt").is_null() ? "as the customer type says"
                                             : (c.at("tax_exempt").as_bool() ? "yes" : "no"))
            << "\n";
  for (const auto& r : c.at("external_refs").as_array()) {
    std::cout << "  external ref: " << str(r.as_object().at("system")) << " " << str(r.as_object().at("id"))
              << "\n";
  }
  if (!c.at("attributes").as_object().empty()) {
    std::cout << "  attributes:\n";
    for (const auto& [k, v] : c.at("attributes").as_object())
      std::cout << "    " << k << ": " << str(v) << "\n";
  }
  const auto& addresses = c.at("addresses").as_array();
  std::cout << "  addresses (" << addresses.size() << "):\n";
  for (const auto& av : addresses) {
    const auto& a = av.as_object();
    std::string id = str(a.at("id"));
    std::vector<std::string> roles;
    if (str(c.at("default_shipping_address_id")) == id) roles.emplace_back("default shipping");
    if (str(c.at("default_billing_address_id")) == id) roles.emplace_back("default billing");
    if (str(a.at("status")) != "Active") roles.push_back(str(a.at("status")));
    std::cout << "    - " << str(a.at("name"));
    if (!a.at("business_name").is_null()) std::cout << ", " << str(a.at("business_name"));
    std::string street = str(a.at("address1"));
    for (auto& ch : street) {
      if (ch == '\n') ch = ',';
    }
    std::cout << ", " << street;
    if (!a.at("address2").is_null()) std::cout << ", " << str(a.at("address2"));
    std::cout << ", " << str(a.at("city"));
    if (!a.at("state").is_null()) std::cout << " " << str(a.at("state"));
    if (!a.at("zip").is_null()) std::cout << " " << str(a.at("zip"));
    std::cout << ", " << str(a.at("region"));
    if (!a.at("phone").is_null()) std::cout << ", " << phone_text(a.at("phone"));
    if (!roles.empty()) {
      std::cout << "  (";
      for (size_t i = 0; i < roles.size(); ++i) std::cout << (i ? ", " : "") << roles[i];
      std::cout << ")";
    }
    std::cout << "\n";
  }
  const auto& portal = c.at("portal").as_object();
  std::cout << "  portal login " << str(portal.at("login")) << ": "
            << (portal.at("has_password").as_bool() ? "password set" : "no password") << ", "
            << (portal.at("secret_question").is_null()
                    ? "no secret question"
                    : "secret question \"" + str(portal.at("secret_question")) + "\"");
  if (!portal.at("locked_until").is_null()) std::cout << ", locked until " << str(portal.at("locked_until"));
  std::cout << "\n";
}

std::string money_text(const boost::json::value& m) {
  if (!m.is_object()) return "";
  const auto& o = m.as_object();
  lc::Money money{o.at("amount").as_int64(), str(o.at("currency"))};
  return money.currency + " " + lc::format_amount(money);
}

std::string day_of(const boost::json::value& t) { return str(t).substr(0, 10); }

void print_tickets(const boost::json::object& r) {
  const auto& list = r.at("tickets").as_array();
  std::cout << "Support tickets (" << list.size() << ", " << r.at("unresolved").as_int64() << " unresolved)"
            << (list.empty() ? ": none" : ":") << "\n";
  for (const auto& tv : list) {
    const auto& t = tv.as_object();
    std::cout << "  - [" << str(t.at("status")) << ", " << str(t.at("priority")) << "] "
              << str(t.at("subject")) << "  (opened " << day_of(t.at("created_at")) << ", updated "
              << day_of(t.at("updated_at")) << ")\n";
  }
}

void print_opportunities(const boost::json::object& r) {
  const auto& list = r.at("opportunities").as_array();
  std::cout << "Opportunities (" << list.size() << "); open pipeline:";
  const auto& pipeline = r.at("open_pipeline").as_object();
  if (pipeline.empty()) std::cout << " none";
  const char* sep = " ";
  for (const auto& [currency, amount] : pipeline) {
    std::cout << sep << money_text(boost::json::object{{"amount", amount}, {"currency", currency}});
    sep = ", ";
  }
  std::cout << "\n";
  for (const auto& ov : list) {
    const auto& o = ov.as_object();
    std::cout << "  - " << std::left << std::setw(12) << str(o.at("stage")) << " " << str(o.at("subject"));
    if (!o.at("amount").is_null()) std::cout << ", " << money_text(o.at("amount"));
    if (!o.at("expected_close").is_null()) std::cout << ", expected to close " << str(o.at("expected_close"));
    std::cout << "\n";
  }
}

void print_orders(const boost::json::object& r, size_t shown) {
  const auto& by_currency = r.at("by_currency").as_object();
  int64_t total = 0;
  for (const auto& [currency, s] : by_currency) total += s.as_object().at("orders").as_int64();
  std::cout << "Sales history (" << total << (total == 1 ? " order" : " orders") << ")"
            << (total == 0 ? ": none" : ":") << "\n";
  for (const auto& [currency, sv] : by_currency) {
    const auto& s = sv.as_object();
    std::cout << "  lifetime value "
              << money_text(boost::json::object{{"amount", s.at("lifetime_value")}, {"currency", currency}})
              << " (Processing, Shipped and Completed orders; " << s.at("orders").as_int64()
              << (s.at("orders").as_int64() == 1 ? " order" : " orders") << " in all, first "
              << day_of(s.at("first_order_at")) << ", last " << day_of(s.at("last_order_at")) << ")\n";
  }
  const auto& orders = r.at("orders").as_array();
  for (size_t i = 0; i < orders.size() && i < shown; ++i) {
    const auto& o = orders[i].as_object();
    std::cout << "  - " << std::left << std::setw(10) << str(o.at("order_number")) << " "
              << day_of(o.at("placed_at")) << "  " << std::setw(10) << str(o.at("status")) << " "
              << money_text(o.at("total")) << ", " << o.at("item_count").as_int64()
              << (o.at("item_count").as_int64() == 1 ? " item" : " items") << "\n";
  }
  if (static_cast<int64_t>(std::min(orders.size(), shown)) < total) {
    std::cout << "  … " << total - static_cast<int64_t>(std::min(orders.size(), shown))
              << " older (more: show --limit N)\n";
  }
}

// ---- Segments ------------------------------------------------------------------------------------------
// The customer's segments section: the `segments` array of the `customer.segments` result
// ([{"id", "name"}], built-ins first).
void print_segments(const boost::json::value& result) {
  const boost::json::array* list = result.if_array();
  if (!list) return;
  std::cout << "Segments (" << list->size() << ")" << (list->empty() ? ": none" : ":") << "\n";
  for (const auto& sv : *list) {
    if (!sv.is_object()) continue;
    const auto& seg = sv.as_object();
    std::cout << "  - " << (seg.contains("name") ? str(seg.at("name")) : "")
              << (seg.contains("id") ? "  (" + str(seg.at("id")) + ")" : "") << "\n";
  }
}

// The customer's full view: the customer document and the results of the per-customer view queries.
int cmd_show(const Options& o) {
  if (o.positional.size() != 1) return usage();
  auto store = open_store(o, DbUse::existing);
  if (!store) return 2;
  lc::Engine engine(*store);
  if (!preload(engine, o)) return 1;
  const std::string& who = o.positional[0];
  boost::json::object cmd{{"op", "customer.get"}};
  cmd[who.find('@') == std::string::npos ? "customer_id" : "email"] = who;
  lc::Result r = engine.execute(cmd);
  if (!r.ok()) {
    // --json is for programs: they get the error envelope of `apply` ({"ok":false,"error":{…}}) on stdout.
    if (o.json) std::cout << boost::json::serialize(lc::result_to_json(r)) << "\n";
    std::cerr << "leadcustomers: " << r.status.message() << "\n";
    return 1;
  }
  const std::string id = str(r.result.at("id"));
  // Each section is its own query; one that fails (e.g. a sum past 64 bits in data written before the
  // library refused it) is reported in its place and the others are still shown. Exit status 1 then.
  struct Section {
    const char* op;
    const char* key;
    const char* title;
  };
  constexpr Section kSections[] = {{"customer.tickets", "tickets", "Support tickets"},
                                   {"customer.opportunities", "opportunities", "Opportunities"},
                                   {"customer.segments", "segments", "Segments"},
                                   {"customer.orders", "orders", "Sales history"}};
  boost::json::object views;
  std::map<std::string, std::string> failed;  // key -> "CODE: message"
  for (const auto& section : kSections) {
    boost::json::object q{{"op", section.op}, {"customer_id", id}};
    if (std::string_view(section.key) == "orders")
      q["limit"] = static_cast<int64_t>(o.limit.value_or(o.json ? 50 : 10));
    lc::Result v = engine.execute(q);
    if (!v.ok()) {
      boost::json::object envelope = lc::result_to_json(v);
      const auto& error = envelope.at("error").as_object();
      failed[section.key] = str(error.at("code")) + ": " + str(error.at("message"));
      std::cerr << "leadcustomers: " << section.op << ": " << v.status.message() << "\n";
      views[section.key] = boost::json::object{{"error", error}};
      continue;
    }
    // customer.segments answers {"customer_id", "segments": […]}; the view keeps the list.
    views[section.key] = std::string_view(section.key) == "segments"
                             ? boost::json::value(v.result.as_object().at("segments"))
                             : std::move(v.result);
  }
  const int status = failed.empty() ? 0 : 1;
  if (o.json) {
    boost::json::object doc = r.result.as_object();
    for (auto& [key, value] : views) doc[key] = value;
    std::cout << boost::json::serialize(doc) << "\n";
    return status;
  }
  print_customer(r.result.as_object());
  for (const auto& section : kSections) {
    if (auto it = failed.find(section.key); it != failed.end()) {
      std::cout << section.title << ": could not be read (" << it->second << ")\n";
      continue;
    }
    const std::string_view key = section.key;
    if (key == "tickets") print_tickets(views.at("tickets").as_object());
    if (key == "opportunities") print_opportunities(views.at("opportunities").as_object());
    if (key == "segments") print_segments(views.at("segments"));
    if (key == "orders") print_orders(views.at("orders").as_object(), o.limit.value_or(10));
  }
  return status;
}

int cmd_search(const Options& o) {
  if (o.positional.size() != 1) return usage();
  auto store = open_store(o, DbUse::existing);
  if (!store) return 2;
  lc::Engine engine(*store);
  if (!preload(engine, o)) return 1;
  boost::json::object cmd{{"op", "customer.search"},
                          {"text", o.positional[0]},
                          {"limit", static_cast<int64_t>(o.limit.value_or(50))}};
  lc::Result r = engine.execute(cmd);
  if (!r.ok()) {
    std::cerr << "leadcustomers: " << r.status.message() << "\n";
    return 1;
  }
  const auto& customers = r.result.as_object().at("customers").as_array();
  for (const auto& cv : customers) {
    const auto& c = cv.as_object();
    std::cout << str(c.at("id")) << "  " << str(c.at("first_name")) << " " << str(c.at("last_name")) << " <"
              << str(c.at("email")) << ">";
    for (const auto& a : c.at("addresses").as_array()) std::cout << " " << str(a.as_object().at("region"));
    std::cout << "\n";
  }
  std::cout << customers.size() << " found"
            << (r.result.as_object().at("next_cursor").is_null() ? "" : " (more)") << "\n";
  return 0;
}

int cmd_export(const Options& o) {
  if (!o.positional.empty()) return usage();
  auto format = lc::parse_export_format(o.format);
  if (!format) {
    std::cerr << "leadcustomers: export needs --format jsonl or --format shopify\n";
    return 2;
  }
  if (o.with_secret_hashes && *format != lc::ExportFormat::jsonl) {
    std::cerr
        << "leadcustomers: --with-secret-hashes needs --format jsonl (Shopify's layout has no place for "
           "them)\n";
    return 2;
  }
  if (output_clashes(o, o.out, "--out")) return 2;
  auto store = open_store(o, DbUse::existing);
  if (!store) return 2;
  lc::Engine engine(*store);
  if (!preload(engine, o)) return 1;
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!o.out.empty()) {
    file.open(o.out, std::ios::binary);
    if (!file) {
      std::cerr << "leadcustomers: cannot write " << printable(o.out) << "\n";
      return 1;
    }
    if (o.with_secret_hashes) {
      // Before anything is written: hashes are for the owner's eyes only.
      std::error_code ec;
      std::filesystem::permissions(
          o.out, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
      if (ec) {
        std::cerr << "leadcustomers: cannot make " << printable(o.out) << " private: " << ec.message()
                  << "\n";
        return 1;
      }
    }
    out = &file;
  }
  if (o.with_secret_hashes && o.out.empty()) {
    std::cerr << "leadcustomers: this export carries the portal logins' password hashes: keep it private "
                 "(--out FILE makes a file only its owner can read)\n";
  }
  lc::ExportOptions options;
  options.with_secret_hashes = o.with_secret_hashes;
  auto n = lc::export_customers(*store, *format, *out, options);
  if (!n.ok()) {
    std::cerr << "leadcustomers: export failed: " << n.status().message() << "\n";
    return 1;
  }
  if (!o.out.empty()) std::cerr << *n << " customers written to " << printable(o.out) << "\n";
  return 0;
}

int cmd_apply(const Options& o) {
  if (o.positional.size() != 1) return usage();
  if (o.positional[0] != "-" && !readable_file(o.positional[0], "command file")) return 1;
  NewDbCleanup cleanup(o);
  auto store = open_store(o);
  if (!store) return 2;
  lc::Engine engine(*store);
  if (!preload(engine, o)) {
    cleanup.arm();
    return 1;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  if (o.positional[0] != "-") {
    file.open(o.positional[0], std::ios::binary);
    if (!file) {
      std::cerr << "leadcustomers: cannot read " << printable(o.positional[0]) << "\n";
      return 1;
    }
    in = &file;
  }
  std::string physical;
  int failures = 0;
  // Lines end with LF, CRLF or a lone CR (old Mac exports), as the importer reads them; a raw CR cannot occur
  // inside a JSON string, so splitting on it never cuts a command.
  while (std::getline(*in, physical)) {
    std::string_view rest = physical;
    while (true) {
      const size_t cr = rest.find('\r');
      std::string line(rest.substr(0, cr));
      // A UTF-8 byte order mark (editors on Windows write one; concatenated files carry several) is no
      // command.
      if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
      if (line.find_first_not_of(" \t") != std::string::npos) {
        std::string out = engine.execute_json(line);
        failures += out.rfind("{\"ok\":false", 0) == 0;
        std::cout << out << "\n";
      }
      if (cr == std::string_view::npos) break;
      rest.remove_prefix(cr + 1);
    }
  }
  return failures == 0 ? 0 : 1;
}

int cmd_cases(const Options& o) {
  if (o.positional.empty()) return usage();
  TempFolder temp;
  auto make = case_store_factory(o.store.empty() ? "memory" : o.store, temp);
  if (!make) {
    std::cerr << "leadcustomers: unknown store '" << printable(o.store) << "'\n";
    return 2;
  }
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& path : o.positional) {
    if (!std::filesystem::exists(path)) {
      std::cout << "FAIL " << printable(path) << ": no such file or folder\n";
      ++failed;
      continue;
    }
    for (const auto& file : lc::case_files(path)) {
      auto outcome = lc::run_case_file(file, make);
      switch (outcome.verdict) {
        case lc::CaseVerdict::pass:
          ++passed;
          std::cout << "PASS " << outcome.id << "\n";
          break;
        case lc::CaseVerdict::fail:
          ++failed;
          std::cout << "FAIL " << outcome.id << ": " << outcome.detail << "\n";
          break;
        case lc::CaseVerdict::skip:
          ++skipped;
          std::cout << "SKIP " << outcome.id << ": " << outcome.detail << "\n";
          break;
      }
    }
  }
  std::cout << passed << " passed, " << failed << " failed, " << skipped << " skipped\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  // The command is the first word that is neither an option nor an option's value, so options may come
  // before it too (`leadcustomers --store memory apply -`).
  static constexpr std::string_view kTakesValue[] = {"--store",      "--db",   "--format",  "--mapping",
                                                     "--rejects",    "--out",  "--preload", "--customer-type",
                                                     "--batch-size", "--limit"};
  int at = 1;
  while (at < argc && std::string_view(argv[at]).rfind("--", 0) == 0 &&
         std::string_view(argv[at]).size() > 2) {
    std::string_view a = argv[at];
    if (a == "--help") break;
    const bool valued = a.find('=') == std::string_view::npos &&
                        std::find(std::begin(kTakesValue), std::end(kTakesValue), a) != std::end(kTakesValue);
    at += valued ? 2 : 1;
  }
  if (at >= argc) return usage();
  std::string_view cmd = argv[at];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    usage(std::cout);
    return 0;
  }
  std::vector<char*> rest(argv, argv + argc);
  rest.erase(rest.begin() + at);
  Options o;
  if (!parse_options(static_cast<int>(rest.size()), rest.data(), 1, o)) return 2;
  // An option that means nothing to the command is refused, not silently ignored.
  struct Scope {
    bool given;
    const char* flag;
    std::initializer_list<std::string_view> commands;
  };
  auto given = [&](const char* flag) { return o.given.count(flag) > 0; };
  const Scope scopes[] = {{given("--out"), "--out", {"export"}},
                          {given("--with-secret-hashes"), "--with-secret-hashes", {"export"}},
                          {given("--format"), "--format", {"import", "export"}},
                          {given("--rejects"), "--rejects", {"import"}},
                          {given("--mapping"), "--mapping", {"import"}},
                          {given("--dry-run"), "--dry-run", {"import"}},
                          {given("--import-passwords"), "--import-passwords", {"import"}},
                          {given("--customer-type"), "--customer-type", {"import"}},
                          {given("--batch-size"), "--batch-size", {"import"}},
                          {given("--json"), "--json", {"import", "show"}},
                          {given("--limit"), "--limit", {"show", "search"}},
                          {given("--db"), "--db", {"apply", "import", "show", "search", "export"}},
                          {given("--preload"), "--preload", {"apply", "import", "show", "search", "export"}}};
  const bool known = cmd == "apply" || cmd == "cases" || cmd == "import" || cmd == "show" ||
                     cmd == "search" || cmd == "export";
  for (const auto& scope : scopes) {
    if (known && scope.given &&
        std::find(scope.commands.begin(), scope.commands.end(), cmd) == scope.commands.end()) {
      std::cerr << "leadcustomers: " << scope.flag << " does not apply to " << cmd << "\n";
      return 2;
    }
  }
  if (cmd == "apply") return cmd_apply(o);
  if (cmd == "cases") return cmd_cases(o);
  if (cmd == "import") return cmd_import(o);
  if (cmd == "show" || cmd == "search" || cmd == "export") {
    // These only read: a database they created was for a --preload, and goes when the command fails.
    NewDbCleanup cleanup(o);
    const int rc = cmd == "show" ? cmd_show(o) : cmd == "search" ? cmd_search(o) : cmd_export(o);
    if (rc != 0) cleanup.arm();
    return rc;
  }
  std::cerr << "leadcustomers: unknown command '" << printable(cmd) << "'\n";
  return usage();
}
