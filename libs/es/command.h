// ExecuteCommand: the one path every state-changing RPC takes, so that all
// commands share validation of the command context and request-id
// idempotency.
//
// Thread safety: thread-safe when `decide` is.
#ifndef REND_LIBS_ES_COMMAND_H_
#define REND_LIBS_ES_COMMAND_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "libs/es/event_store.h"
#include "rend/common/v1/common.pb.h"

namespace rend::es {

// Decides a command: validates it against current state, fills `response`,
// and returns the events to append. Must not write anything itself.
using Decider = std::function<absl::StatusOr<AppendRequest>()>;

// Runs one command:
//  1. validates `context` (INVALID_ARGUMENT naming context.request_id or
//     context.actor);
//  2. when the request id was used before, returns its stored response if
//     `request` is identical, ALREADY_EXISTS otherwise;
//  3. calls `decide`, then appends its events together with the request id
//     and the serialized `response`.
// Errors from `decide` and from the append (ABORTED on a version conflict)
// are returned as they are, and nothing is written.
absl::Status ExecuteCommand(EventStore& store, const rend::common::v1::CommandContext& context,
                            const google::protobuf::Message& request, google::protobuf::Message* response,
                            const Decider& decide);

// Validates a command context; used by ExecuteCommand.
absl::Status ValidateContext(const rend::common::v1::CommandContext& context);

}  // namespace rend::es

#endif  // REND_LIBS_ES_COMMAND_H_
