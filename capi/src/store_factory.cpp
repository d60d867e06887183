// The store factories the C ABI opens. The SQLite store is being built separately; when it lands, this
// function becomes `return SqliteStore::open(path, ...)` and lc_store_open_sqlite works with no other change.
#include "capi_internal.hpp"

namespace leadcustomers::detail {

absl::StatusOr<std::unique_ptr<Store>> open_sqlite_store(std::string_view path,
                                                         const EngineOptions& options) {
  (void)path;
  (void)options;
  return absl::UnimplementedError("the SQLite store is not part of this build");
}

}  // namespace leadcustomers::detail
