// Change: the events decided for one instance, applied to a working copy as
// they are emitted so that later decisions in the same command see them.
//
// Thread safety: not thread-safe; one decision owns it.
#ifndef REND_SERVICES_PROCESS_INSTANCE_CHANGE_H_
#define REND_SERVICES_PROCESS_INSTANCE_CHANGE_H_

#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/any.pb.h"
#include "libs/common/status.h"
#include "libs/es/event_store.h"
#include "rend/process/v1/process.pb.h"
#include "services/process/instance_state.h"
#include "services/process/process_engine.h"

namespace rend::process {

class ProcessEngine::Change {
 public:
  // `current` is the stored instance; its version becomes the expected one.
  Change(std::string request_id, v1::Instance current)
      : request_id_(std::move(request_id)), instance_(std::move(current)), expected_version_(instance_.version()) {}

  // Packs `event` and applies it to the working copy.
  absl::Status Emit(const google::protobuf::Message& event) {
    google::protobuf::Any packed = es::PackEvent(event);
    REND_RETURN_IF_ERROR(ApplyInstanceEvent(packed, instance_.version() + 1, instance_));
    events_.push_back(std::move(packed));
    return absl::OkStatus();
  }

  const v1::Instance& instance() const { return instance_; }
  const std::string& request_id() const { return request_id_; }
  bool empty() const { return events_.empty(); }

  // Returns the append of the emitted events, expecting the stream at the
  // version the change started from.
  es::AppendRequest ToAppend() const {
    es::AppendRequest append;
    append.stream_id = InstanceStreamId(request_id_);
    append.expected_version = expected_version_;  // 0 is es::kNoStream
    append.correlation_id = request_id_;
    append.events = events_;
    return append;
  }

 private:
  std::string request_id_;
  v1::Instance instance_;
  uint64_t expected_version_;
  std::vector<google::protobuf::Any> events_;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_INSTANCE_CHANGE_H_
