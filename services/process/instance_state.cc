#include "services/process/instance_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace rend::process {
namespace {

v1::Task* MutableTask(v1::Instance& instance, const std::string& task_id) {
  for (v1::Task& task : *instance.mutable_tasks()) {
    if (task.task_id() == task_id) return &task;
  }
  return nullptr;
}

void ApplyStarted(const v1::InstanceStarted& started, v1::Instance& instance) {
  instance.set_instance_id(started.instance_id());
  instance.set_request_id(started.request_id());
  instance.set_definition_id(started.definition_id());
  instance.set_definition_version(started.definition_version());
  instance.set_name_hu(started.name_hu());
  instance.set_name_en(started.name_en());
  instance.set_state(v1::INSTANCE_STATE_RUNNING);
  *instance.mutable_started_at() = started.started_at();
}

absl::Status ApplyCompleted(const v1::TaskCompleted& completed, v1::Instance& instance) {
  v1::Task* task = MutableTask(instance, completed.task_id());
  if (task == nullptr) return absl::InternalError(absl::StrCat("TaskCompleted for unknown task ", completed.task_id()));
  task->set_state(v1::TASK_STATE_COMPLETED);
  task->set_completed_by(completed.completed_by());
  *task->mutable_output() = completed.output();
  *task->mutable_completed_at() = completed.completed_at();

  // An event step completes once, so every early event of its type is spent.
  if (!task->completes_on().empty()) {
    auto* early = instance.mutable_early_events();
    const std::string& type = task->completes_on();
    early->erase(std::remove_if(early->begin(), early->end(),
                                [&](const v1::EarlyEvent& event) { return event.event_type() == type; }),
                 early->end());
  }
  return absl::OkStatus();
}

absl::Status ApplyClaimed(const v1::TaskClaimed& claimed, v1::Instance& instance) {
  v1::Task* task = MutableTask(instance, claimed.task_id());
  if (task == nullptr) return absl::InternalError(absl::StrCat("TaskClaimed for unknown task ", claimed.task_id()));
  task->set_holder(claimed.holder());
  task->set_state(v1::TASK_STATE_CLAIMED);
  *task->mutable_claimed_at() = claimed.claimed_at();
  return absl::OkStatus();
}

}  // namespace

std::string InstanceStreamId(const std::string& request_id) { return absl::StrCat("instance-", request_id); }

std::string TaskId(const std::string& request_id, const std::string& step_id) {
  return absl::StrCat(request_id, "/", step_id);
}

bool SplitTaskId(const std::string& task_id, std::string* request_id, std::string* step_id) {
  size_t slash = task_id.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == task_id.size()) return false;
  *request_id = task_id.substr(0, slash);
  *step_id = task_id.substr(slash + 1);
  return true;
}

absl::Status ApplyInstanceEvent(const google::protobuf::Any& payload, uint64_t stream_version,
                                v1::Instance& instance) {
  v1::InstanceStarted started;
  v1::TaskOpened opened;
  v1::TaskClaimed claimed;
  v1::TaskCompleted completed;
  v1::InstanceCompleted finished;
  v1::EarlyEventRecorded early;
  absl::Status status = absl::OkStatus();
  if (payload.UnpackTo(&started)) {
    ApplyStarted(started, instance);
  } else if (payload.UnpackTo(&opened)) {
    *instance.add_tasks() = opened.task();
  } else if (payload.UnpackTo(&claimed)) {
    status = ApplyClaimed(claimed, instance);
  } else if (payload.UnpackTo(&completed)) {
    status = ApplyCompleted(completed, instance);
  } else if (payload.UnpackTo(&finished)) {
    instance.set_state(v1::INSTANCE_STATE_COMPLETED);
    *instance.mutable_completed_at() = finished.completed_at();
  } else if (payload.UnpackTo(&early)) {
    if (instance.request_id().empty()) instance.set_request_id(early.request_id());
    *instance.add_early_events() = early.event();
  } else {
    return absl::OkStatus();  // not an instance event
  }
  if (status.ok()) instance.set_version(stream_version);
  return status;
}

const v1::Task* FindTaskByStep(const v1::Instance& instance, const std::string& step_id) {
  for (const v1::Task& task : instance.tasks()) {
    if (task.step_id() == step_id) return &task;
  }
  return nullptr;
}

const v1::Task* FindTask(const v1::Instance& instance, const std::string& task_id) {
  for (const v1::Task& task : instance.tasks()) {
    if (task.task_id() == task_id) return &task;
  }
  return nullptr;
}

}  // namespace rend::process
