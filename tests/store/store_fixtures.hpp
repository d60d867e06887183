// Helpers shared by the store tests: a scratch directory per test, store factories by name, and a
// one-line way to run a JSON command through an engine.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>
#include <unistd.h>

#include "boost/json.hpp"
#include "leadcustomers/engine.hpp"
#include "leadcustomers/memory_store.hpp"
#include "leadcustomers/sqlite_store.hpp"

namespace leadcustomers::testing {

// A fresh directory under the system temp dir, removed with everything in it when destroyed.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("lc-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // A new file name in the directory (not created).
  [[nodiscard]] std::string file(std::string_view stem = "db") {
    return (path_ / (std::string(stem) + "-" + std::to_string(files_++) + ".db")).string();
  }

 private:
  std::filesystem::path path_;
  int files_ = 0;
};

// Opens a SqliteStore or fails the test.
inline std::unique_ptr<SqliteStore> open_sqlite(const std::string& path, SqliteOptions options = {}) {
  auto store = SqliteStore::open(path, options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

// A fresh, empty store of kind "memory", "sqlite_file" (a new file in `dir`) or "sqlite_memory".
inline std::unique_ptr<Store> make_store(std::string_view kind, ScratchDir& dir) {
  if (kind == "memory") return std::make_unique<MemoryStore>();
  if (kind == "sqlite_memory") return open_sqlite(":memory:");
  return open_sqlite(dir.file());
}

// Parses `json` and applies it.
inline Result run(Engine& engine, std::string_view json) {
  return engine.execute(boost::json::parse(json).as_object());
}

}  // namespace leadcustomers::testing
