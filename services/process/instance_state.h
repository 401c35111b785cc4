// The applier of process events: how each event of an instance stream
// changes the instance. The projection and the deciders share it, so a
// decision sees the same state the projection will store.
//
// Appliers never read the clock: every time they store comes from an event.
//
// Thread safety: stateless functions; thread-safe.
#ifndef REND_SERVICES_PROCESS_INSTANCE_STATE_H_
#define REND_SERVICES_PROCESS_INSTANCE_STATE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/any.pb.h"
#include "rend/process/v1/process.pb.h"

namespace rend::process {

// Returns "instance-<request_id>", the stream of an instance's events.
std::string InstanceStreamId(const std::string& request_id);
// Returns "<request_id>/<step_id>"; every step opens at most once.
std::string TaskId(const std::string& request_id, const std::string& step_id);
// Splits a task id at its last '/'; returns false for a malformed id.
bool SplitTaskId(const std::string& task_id, std::string* request_id, std::string* step_id);

// Applies one event to `instance` and sets its version to `stream_version`.
// Events of other types leave the instance unchanged. Returns INTERNAL for
// an event about a task the instance does not have.
absl::Status ApplyInstanceEvent(const google::protobuf::Any& payload, uint64_t stream_version,
                                v1::Instance& instance);

// Returns the task of `step_id`, or nullptr when the step has not opened.
const v1::Task* FindTaskByStep(const v1::Instance& instance, const std::string& step_id);
const v1::Task* FindTask(const v1::Instance& instance, const std::string& task_id);
// Returns whether the task is completed or skipped.
bool IsDone(const v1::Task& task);

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_INSTANCE_STATE_H_
