// Reading fields of event payloads by a dotted path such as
// "quote.standard_terms", for `capture` and loop reasons in definitions.
//
// Thread safety: pure functions, thread-safe.
#ifndef REND_SERVICES_PROCESS_PAYLOAD_FIELDS_H_
#define REND_SERVICES_PROCESS_PAYLOAD_FIELDS_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace rend::process {

// Checks that `path` names a singular scalar field of `type` (a full message
// name), going through singular message fields. INVALID_ARGUMENT otherwise,
// with the reason and without a field prefix.
absl::Status CheckPayloadPath(const std::string& type, const std::string& path);

// Returns the field at `path` as text: strings as they are, bools as "true"
// or "false", numbers in decimal, enums by value name. nullopt when the
// payload is not of a generated type or the path does not resolve.
std::optional<std::string> ReadPayloadField(const google::protobuf::Any& payload, const std::string& path);

// Returns {data key: ReadPayloadField(payload, path)} for each entry of
// `capture` whose path resolves.
std::map<std::string, std::string> CapturePayload(const google::protobuf::Any& payload,
                                                  const std::map<std::string, std::string>& capture);

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_PAYLOAD_FIELDS_H_
