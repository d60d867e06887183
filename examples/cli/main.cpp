// leadcustomers — the command-line tool.
//
//   leadcustomers apply [--db FILE] [--store sqlite|memory] FILE|-
//       JSON Lines of commands in, one result line each out; each command is one transaction on the
//       SQLite database FILE (default ./leadcustomers.db)
//   leadcustomers cases [--store memory|sqlite] PATH…
//       runs behaviour cases, each against a fresh empty store (sqlite: a new temporary file per case);
//       PASS/FAIL/SKIP lines and a summary
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "leadcustomers/case_runner.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/sqlite_store.hpp"

namespace lc = leadcustomers;

namespace {

int usage() {
  std::cerr << "usage:\n"
               "  leadcustomers apply [--db FILE] [--store sqlite|memory] FILE|-\n"
               "  leadcustomers cases [--store memory|sqlite] PATH...\n";
  return 2;
}

struct Options {
  std::string store;  // "" = the subcommand's default
  std::string db = "./leadcustomers.db";
  std::vector<std::string> positional;
};

bool parse_options(int argc, char** argv, int first, Options& o) {
  for (int i = first; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--store" && i + 1 < argc) {
      o.store = argv[++i];
    } else if (a.rfind("--store=", 0) == 0) {
      o.store = std::string(a.substr(8));
    } else if (a == "--db" && i + 1 < argc) {
      o.db = argv[++i];
    } else if (a.rfind("--db=", 0) == 0) {
      o.db = std::string(a.substr(5));
    } else if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::cerr << "leadcustomers: unknown option " << a << "\n";
      return false;
    } else {
      o.positional.emplace_back(a);
    }
  }
  return true;
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

int cmd_apply(const Options& o) {
  if (o.positional.size() != 1) return usage();
  std::unique_ptr<lc::Store> store;
  const std::string kind = o.store.empty() ? "sqlite" : o.store;
  if (kind == "memory") {
    store = std::make_unique<lc::MemoryStore>();
  } else if (kind == "sqlite") {
    auto opened = lc::SqliteStore::open(o.db);
    if (!opened.ok()) {
      std::cerr << "leadcustomers: " << opened.status().message() << "\n";
      return 1;
    }
    store = std::move(*opened);
  } else {
    std::cerr << "leadcustomers: unknown store '" << o.store << "'\n";
    return 2;
  }
  lc::Engine engine(*store);
  std::ifstream file;
  std::istream* in = &std::cin;
  if (o.positional[0] != "-") {
    file.open(o.positional[0], std::ios::binary);
    if (!file) {
      std::cerr << "leadcustomers: cannot read " << o.positional[0] << "\n";
      return 1;
    }
    in = &file;
  }
  std::string line;
  int failures = 0;
  while (std::getline(*in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::string out = engine.execute_json(line);
    failures += out.rfind("{\"ok\":false", 0) == 0;
    std::cout << out << "\n";
  }
  return failures == 0 ? 0 : 1;
}

int cmd_cases(const Options& o) {
  if (o.positional.empty()) return usage();
  TempFolder temp;
  auto make = case_store_factory(o.store.empty() ? "memory" : o.store, temp);
  if (!make) {
    std::cerr << "leadcustomers: unknown store '" << o.store << "'\n";
    return 2;
  }
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& path : o.positional) {
    if (!std::filesystem::exists(path)) {
      std::cout << "FAIL " << path << ": no such file or folder\n";
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
  std::string_view cmd = argv[1];
  Options o;
  if (!parse_options(argc, argv, 2, o)) return 2;
  if (cmd == "apply") return cmd_apply(o);
  if (cmd == "cases") return cmd_cases(o);
  return usage();
}
