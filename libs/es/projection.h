// Projection: state derived from the event log, stored in the event store's
// state column family and advanced in the same write as the events.
//
// An implementation is an applier: Apply() changes state for one event and
// does nothing else (no RPC, no publishing, no clock reads), because the
// store calls it both for live appends and when it replays the log. Events
// a projection does not know must be ignored, not rejected, so old logs keep
// replaying after new event types appear.
#ifndef REND_LIBS_ES_PROJECTION_H_
#define REND_LIBS_ES_PROJECTION_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "rend/eventlog/v1/event_log.pb.h"

namespace rend::es {

// Read-your-writes view of one projection's state inside an uncommitted
// batch. Not thread-safe; valid only during Projection::Apply.
class StateWriter {
 public:
  virtual ~StateWriter() = default;
  virtual absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) = 0;
  virtual absl::Status Put(absl::string_view key, absl::string_view value) = 0;
  virtual absl::Status Delete(absl::string_view key) = 0;

  // Reads a message; returns false (and leaves `out` cleared) when absent.
  absl::StatusOr<bool> GetProto(absl::string_view key, google::protobuf::Message& out);
  absl::Status PutProto(absl::string_view key, const google::protobuf::Message& value);
};

class Projection {
 public:
  virtual ~Projection() = default;
  // Unique within a store; the prefix of this projection's keys.
  virtual std::string name() const = 0;
  virtual absl::Status Apply(const rend::eventlog::v1::EventRecord& event, StateWriter& state) = 0;
};

}  // namespace rend::es

#endif  // REND_LIBS_ES_PROJECTION_H_
