#include "services/process/instance_state.h"

#include <algorithm>

#include <functional>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/common/status.h"

namespace rend::process {
namespace {

v1::Task* MutableTask(v1::Instance& instance, const std::string& task_id) {
  for (v1::Task& task : *instance.mutable_tasks()) {
    if (task.task_id() == task_id) return &task;
  }
  return nullptr;
}

absl::StatusOr<v1::Task*> RequireTask(v1::Instance& instance, const std::string& task_id, const char* event) {
  v1::Task* task = MutableTask(instance, task_id);
  if (task == nullptr) return absl::InternalError(absl::StrCat(event, " for unknown task ", task_id));
  return task;
}

void RemoveTimersIf(v1::Instance& instance, const std::function<bool(const v1::Timer&)>& remove) {
  auto* timers = instance.mutable_timers();
  timers->erase(std::remove_if(timers->begin(), timers->end(), remove), timers->end());
}

void UpsertTimer(v1::Instance& instance, const v1::Timer& timer) {
  RemoveTimersIf(instance, [&](const v1::Timer& t) { return t.timer_id() == timer.timer_id(); });
  *instance.add_timers() = timer;
}

// Removes the fired timer and adds the ones it schedules.
void ApplyFiring(const v1::TimerFiring& firing, v1::Instance& instance) {
  RemoveTimersIf(instance, [&](const v1::Timer& t) { return t.timer_id() == firing.timer_id(); });
  for (const v1::Timer& next : firing.next()) UpsertTimer(instance, next);
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
  if (started.has_due_at()) *instance.mutable_due_at() = started.due_at();
}

absl::Status ApplyCompleted(const v1::TaskCompleted& completed, v1::Instance& instance) {
  REND_ASSIGN_OR_RETURN(v1::Task * task, RequireTask(instance, completed.task_id(), "TaskCompleted"));
  task->set_state(v1::TASK_STATE_COMPLETED);
  task->set_completed_by(completed.completed_by());
  *task->mutable_output() = completed.output();
  *task->mutable_completed_at() = completed.completed_at();
  for (const auto& [key, value] : completed.output()) (*instance.mutable_data())[key] = value;
  RemoveTimersIf(instance, [&](const v1::Timer& t) { return t.task_id() == completed.task_id(); });

  // An event step completes once, so every early event of its type is spent.
  if (!task->completes_on().empty()) {
    auto* early = instance.mutable_early_events();
    const std::string type = task->completes_on();
    early->erase(std::remove_if(early->begin(), early->end(),
                                [&](const v1::EarlyEvent& event) { return event.event_type() == type; }),
                 early->end());
  }
  return absl::OkStatus();
}

absl::Status ApplyClaimed(const v1::TaskClaimed& claimed, v1::Instance& instance) {
  REND_ASSIGN_OR_RETURN(v1::Task * task, RequireTask(instance, claimed.task_id(), "TaskClaimed"));
  task->set_holder(claimed.holder());
  task->set_state(v1::TASK_STATE_CLAIMED);
  *task->mutable_claimed_at() = claimed.claimed_at();
  *task->mutable_last_activity_at() = claimed.claimed_at();
  return absl::OkStatus();
}

absl::Status ApplyReleased(const v1::TaskReleased& released, v1::Instance& instance) {
  REND_ASSIGN_OR_RETURN(v1::Task * task, RequireTask(instance, released.task_id(), "TaskReleased"));
  task->clear_holder();
  task->clear_claimed_at();
  task->set_state(v1::TASK_STATE_OPEN);
  *task->mutable_last_activity_at() = released.released_at();
  return absl::OkStatus();
}

absl::Status ApplyReassigned(const v1::TaskReassigned& reassigned, v1::Instance& instance) {
  REND_ASSIGN_OR_RETURN(v1::Task * task, RequireTask(instance, reassigned.task_id(), "TaskReassigned"));
  task->set_holder(reassigned.to_holder());
  task->set_state(v1::TASK_STATE_CLAIMED);
  *task->mutable_claimed_at() = reassigned.reassigned_at();
  *task->mutable_last_activity_at() = reassigned.reassigned_at();
  return absl::OkStatus();
}

absl::Status ApplyCommented(const v1::TaskCommented& commented, v1::Instance& instance) {
  REND_ASSIGN_OR_RETURN(v1::Task * task, RequireTask(instance, commented.task_id(), "TaskCommented"));
  *task->add_comments() = commented.comment();
  *task->mutable_last_activity_at() = commented.comment().commented_at();
  return absl::OkStatus();
}

absl::Status ApplyEscalated(const v1::TaskEscalated& escalated, v1::Instance& instance) {
  REND_ASSIGN_OR_RETURN(v1::Task * task, RequireTask(instance, escalated.task_id(), "TaskEscalated"));
  task->set_escalation_level(escalated.level());
  ApplyFiring(escalated.firing(), instance);
  return absl::OkStatus();
}

void ApplyReopened(const v1::StepsReopened& reopened, v1::Instance& instance) {
  std::set<std::string> steps(reopened.step_ids().begin(), reopened.step_ids().end());
  std::set<std::string> task_ids;
  auto* tasks = instance.mutable_tasks();
  for (const v1::Task& task : *tasks) {
    if (steps.count(task.step_id()) == 0) continue;
    task_ids.insert(task.task_id());
    *instance.add_history() = task;
  }
  tasks->erase(std::remove_if(tasks->begin(), tasks->end(),
                              [&](const v1::Task& task) { return task_ids.count(task.task_id()) > 0; }),
               tasks->end());
  RemoveTimersIf(instance, [&](const v1::Timer& t) { return task_ids.count(t.task_id()) > 0; });
  instance.set_reopen_reason(reopened.reason());
  for (const auto& [key, value] : reopened.data()) (*instance.mutable_data())[key] = value;
}

void ApplyMigrated(const v1::InstanceMigrated& migrated, v1::Instance& instance) {
  instance.set_migrated_from_version(migrated.from_version());
  instance.set_definition_version(migrated.to_version());
  std::set<std::string> removed(migrated.removed_task_ids().begin(), migrated.removed_task_ids().end());
  auto* tasks = instance.mutable_tasks();
  tasks->erase(std::remove_if(tasks->begin(), tasks->end(),
                              [&](const v1::Task& task) { return removed.count(task.task_id()) > 0; }),
               tasks->end());
  RemoveTimersIf(instance, [&](const v1::Timer& t) { return removed.count(t.task_id()) > 0; });
}

// Applies the events of a task's life after it opened. Returns nullopt for
// a payload of another type.
std::optional<absl::Status> ApplyTaskEvent(const google::protobuf::Any& payload, v1::Instance& instance) {
  v1::TaskClaimed claimed;
  v1::TaskCompleted completed;
  v1::TaskReleased released;
  v1::TaskReassigned reassigned;
  v1::TaskCommented commented;
  v1::TaskEscalated escalated;
  if (payload.UnpackTo(&claimed)) return ApplyClaimed(claimed, instance);
  if (payload.UnpackTo(&completed)) return ApplyCompleted(completed, instance);
  if (payload.UnpackTo(&released)) return ApplyReleased(released, instance);
  if (payload.UnpackTo(&reassigned)) return ApplyReassigned(reassigned, instance);
  if (payload.UnpackTo(&commented)) return ApplyCommented(commented, instance);
  if (payload.UnpackTo(&escalated)) return ApplyEscalated(escalated, instance);
  return std::nullopt;
}

// Applies the events that fire a timer and change nothing else.
bool ApplyTimerEvent(const google::protobuf::Any& payload, v1::Instance& instance) {
  v1::TimersScheduled scheduled;
  v1::TaskDueSoon due_soon;
  v1::TaskOverdue overdue;
  v1::TaskStalled stalled;
  v1::StepTimedOut timed_out;
  if (payload.UnpackTo(&scheduled)) {
    for (const v1::Timer& timer : scheduled.timers()) UpsertTimer(instance, timer);
  } else if (payload.UnpackTo(&due_soon)) {
    ApplyFiring(due_soon.firing(), instance);
  } else if (payload.UnpackTo(&overdue)) {
    ApplyFiring(overdue.firing(), instance);
  } else if (payload.UnpackTo(&stalled)) {
    ApplyFiring(stalled.firing(), instance);
  } else if (payload.UnpackTo(&timed_out)) {
    ApplyFiring(timed_out.firing(), instance);
  } else {
    return false;
  }
  return true;
}

// Applies the events that shape the instance itself. Returns false for a
// payload of another type.
bool ApplyInstanceLevelEvent(const google::protobuf::Any& payload, v1::Instance& instance) {
  v1::InstanceStarted started;
  v1::TaskOpened opened;
  v1::StepSkipped skipped;
  v1::InstanceCompleted finished;
  v1::EarlyEventRecorded early;
  v1::StepsReopened reopened;
  v1::InstanceMigrated migrated;
  if (payload.UnpackTo(&started)) {
    ApplyStarted(started, instance);
  } else if (payload.UnpackTo(&opened)) {
    *instance.add_tasks() = opened.task();
    for (const v1::Timer& timer : opened.timers()) UpsertTimer(instance, timer);
  } else if (payload.UnpackTo(&skipped)) {
    *instance.add_tasks() = skipped.task();
  } else if (payload.UnpackTo(&finished)) {
    instance.set_state(v1::INSTANCE_STATE_COMPLETED);
    *instance.mutable_completed_at() = finished.completed_at();
    instance.clear_timers();
  } else if (payload.UnpackTo(&early)) {
    if (instance.request_id().empty()) instance.set_request_id(early.request_id());
    *instance.add_early_events() = early.event();
  } else if (payload.UnpackTo(&reopened)) {
    ApplyReopened(reopened, instance);
  } else if (payload.UnpackTo(&migrated)) {
    ApplyMigrated(migrated, instance);
  } else {
    return false;
  }
  return true;
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
  absl::Status status = absl::OkStatus();
  if (std::optional<absl::Status> task_status = ApplyTaskEvent(payload, instance)) {
    status = *task_status;
  } else if (!ApplyTimerEvent(payload, instance) && !ApplyInstanceLevelEvent(payload, instance)) {
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

bool IsDone(const v1::Task& task) {
  return task.state() == v1::TASK_STATE_COMPLETED || task.state() == v1::TASK_STATE_SKIPPED;
}

}  // namespace rend::process
