// The store factories the C ABI opens.
#include "capi_internal.hpp"

#include "leadcustomers/sqlite_store.hpp"

namespace leadcustomers::detail {

absl::StatusOr<std::unique_ptr<Store>> open_sqlite_store(std::string_view path,
                                                         const EngineOptions& options) {
  (void)options;
  auto store = SqliteStore::open(path);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace leadcustomers::detail
