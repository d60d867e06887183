// leadcustomers — the command-line tool.
//
//   leadcustomers apply FILE|-                   JSON Lines of commands in, one result line each out
//   leadcustomers cases [--store memory] PATH…   runs behaviour cases; PASS/FAIL/SKIP lines and a summary
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "leadcustomers/case_runner.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"

namespace lc = leadcustomers;

namespace {

int usage() {
  std::cerr << "usage:\n"
               "  leadcustomers apply FILE|-\n"
               "  leadcustomers cases [--store memory] PATH...\n";
  return 2;
}

struct Options {
  std::string store = "memory";
  std::vector<std::string> positional;
};

bool parse_options(int argc, char** argv, int first, Options& o) {
  for (int i = first; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--store" && i + 1 < argc) {
      o.store = argv[++i];
    } else if (a.rfind("--store=", 0) == 0) {
      o.store = std::string(a.substr(8));
    } else if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::cerr << "leadcustomers: unknown option " << a << "\n";
      return false;
    } else {
      o.positional.emplace_back(a);
    }
  }
  return true;
}

lc::StoreFactory store_factory(const Options& o) {
  if (o.store == "memory") return [] { return std::make_unique<lc::MemoryStore>(); };
  return nullptr;
}

int cmd_apply(const Options& o) {
  if (o.positional.size() != 1) return usage();
  auto make = store_factory(o);
  if (!make) {
    std::cerr << "leadcustomers: unknown store '" << o.store << "'\n";
    return 2;
  }
  auto store = make();
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
  auto make = store_factory(o);
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
