#include "libs/es/command.h"

#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"

namespace rend::es {

absl::Status ValidateContext(const rend::common::v1::CommandContext& context) {
  if (context.request_id().empty()) return FieldError("context.request_id", "must not be empty");
  if (!IsValidClientId(context.request_id())) {
    return FieldError("context.request_id", "must be 1..128 printable ASCII characters without spaces");
  }
  if (context.actor().empty()) return FieldError("context.actor", "must not be empty");
  if (!IsValidClientId(context.actor())) {
    return FieldError("context.actor", "must be 1..128 printable ASCII characters without spaces");
  }
  return absl::OkStatus();
}

absl::Status ExecuteCommand(EventStore& store, const rend::common::v1::CommandContext& context,
                            const google::protobuf::Message& request, google::protobuf::Message* response,
                            const Decider& decide) {
  REND_RETURN_IF_ERROR(ValidateContext(context));
  std::string fingerprint = Fingerprint(request);
  std::string command_id = absl::StrCat("cmd/", context.request_id());

  // Fast path for a retry: no need to decide again.
  REND_ASSIGN_OR_RETURN(std::optional<StoredCommand> stored, store.FindCommand(command_id));
  if (stored) {
    if (stored->fingerprint != fingerprint) {
      return absl::AlreadyExistsError(
          absl::StrCat("request id ", context.request_id(), " was already used for a different request"));
    }
    if (!response->ParseFromString(stored->response)) return absl::DataLossError("corrupt stored response");
    return absl::OkStatus();
  }

  REND_ASSIGN_OR_RETURN(AppendRequest append, decide());
  append.command_id = command_id;
  append.command_fingerprint = std::move(fingerprint);
  append.command_response = response->SerializeAsString();
  if (append.actor.empty()) append.actor = context.actor();
  if (append.causation_id.empty()) append.causation_id = context.request_id();
  REND_ASSIGN_OR_RETURN(AppendResult result, store.Append(std::move(append)));
  if (result.duplicate_command && !response->ParseFromString(result.command_response)) {
    return absl::DataLossError("corrupt stored response");
  }
  return absl::OkStatus();
}

}  // namespace rend::es
