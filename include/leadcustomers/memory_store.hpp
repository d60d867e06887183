// The in-memory store (tests, caches): absl::flat_hash_map indexes by id, e-mail key and external ref.
// Thread-safe: writers are serialized by an exclusive lock, readers share one. A failed write transaction
// is rolled back through an undo log, so a failure never leaves half a command behind.
//
//   MemoryStore store;
//   Engine engine(store);
#pragma once

#include <memory>

#include "leadcustomers/store.hpp"

namespace leadcustomers {

class MemoryStore final : public Store {
 public:
  MemoryStore();
  ~MemoryStore() override;
  [[nodiscard]] absl::Status write(absl::FunctionRef<absl::Status(StoreTx&)> fn) override;
  [[nodiscard]] absl::Status read(absl::FunctionRef<absl::Status(StoreTx&)> fn) override;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace leadcustomers
