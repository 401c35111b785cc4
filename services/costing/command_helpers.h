// Helpers shared by the cost sheet command files of CostingServiceImpl.
//
// Thread safety: pure functions, thread-safe.
#ifndef REND_SERVICES_COSTING_COMMAND_HELPERS_H_
#define REND_SERVICES_COSTING_COMMAND_HELPERS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "libs/es/event_store.h"
#include "rend/costing/v1/costing.pb.h"

namespace rend::costing {

// Returns FAILED_PRECONDITION once the sheet is finalized.
absl::Status RequireDraft(const v1::CostSheet& sheet);

// Returns the append of `event` to the sheet's stream at `expected_version`.
es::AppendRequest SheetAppend(const v1::CostSheet& sheet, uint64_t expected_version,
                              const google::protobuf::Message& event);

}  // namespace rend::costing

#endif  // REND_SERVICES_COSTING_COMMAND_HELPERS_H_
