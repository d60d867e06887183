// Hooks for applying a command speculatively on another thread (the importer's workers apply each record
// ahead of its turn, then the applying thread keeps the result if the store still answers as assumed).
// While a ScopedSpeculation is alive on a thread:
// - generate_uuid_v7 hands out provisional ids, recorded in order, which the applying thread later replaces
//   by real ones made in the same order (so ids still sort in the order records are committed);
// - the engine's "now" is the speculation's pinned time, which the applying thread replaces by its own.
//
//   std::vector<boost::uuids::uuid> ids;
//   {
//     detail::ScopedSpeculation scope(&ids, t);
//     engine.execute_in(tx, create);        // ids made here are provisional; every time is t
//   }
#pragma once

#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "boost/uuid/uuid.hpp"
#include "leadcustomers/clock.hpp"

namespace leadcustomers::detail {

class ScopedSpeculation {
 public:
  ScopedSpeculation(std::vector<boost::uuids::uuid>* provisional_ids, absl::Time now);
  ~ScopedSpeculation();
  ScopedSpeculation(const ScopedSpeculation&) = delete;
  ScopedSpeculation& operator=(const ScopedSpeculation&) = delete;

 private:
  std::vector<boost::uuids::uuid>* saved_ids_;
  std::optional<absl::Time> saved_now_;
};

// The next provisional id on this thread (recorded), or nullopt outside a speculation.
std::optional<boost::uuids::uuid> next_provisional_id();

// The engine's time: the speculation's pinned time on this thread, else clock.now().
absl::Time engine_now(const Clock& clock);

}  // namespace leadcustomers::detail
