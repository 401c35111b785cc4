// The deciders of timer firings: due soon, overdue, stalled, escalation and
// step timeouts.
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "services/process/instance_change.h"
#include "services/process/instance_state.h"
#include "services/process/notifications.h"
#include "services/process/process_engine.h"

namespace rend::process {
namespace {

// Holder, manager, manager's manager.
constexpr int kMaxEscalationLevel = 2;
constexpr const char* kTimerActor = "process.timer";

const v1::Timer* FindTimer(const v1::Instance& instance, const std::string& timer_id) {
  for (const v1::Timer& timer : instance.timers()) {
    if (timer.timer_id() == timer_id) return &timer;
  }
  return nullptr;
}

v1::TimerFiring FiringOf(const v1::Timer& timer, absl::Time now) {
  v1::TimerFiring firing;
  firing.set_timer_id(timer.timer_id());
  *firing.mutable_fired_at() = ToProtoTime(now);
  return firing;
}

}  // namespace

absl::StatusOr<std::optional<es::AppendRequest>> ProcessEngine::DecideTimer(const v1::Timer& timer) const {
  REND_ASSIGN_OR_RETURN(v1::Instance instance, LoadInstance(timer.request_id()));
  const v1::Timer* stored = FindTimer(instance, timer.timer_id());
  // Fired, cancelled or moved since the index entry was read.
  if (stored == nullptr || FromProtoTime(stored->fire_at()) != FromProtoTime(timer.fire_at())) return std::nullopt;
  if (FromProtoTime(stored->fire_at()) > Now()) return std::nullopt;
  const v1::Task* task = FindTask(instance, stored->task_id());
  if (task == nullptr || IsDone(*task)) {
    return absl::InternalError(absl::StrCat("timer ", timer.timer_id(), " belongs to no open task"));
  }
  REND_ASSIGN_OR_RETURN(es::AppendRequest append, DecideFiring(instance, *task, *stored));
  append.actor = kTimerActor;
  append.causation_id = stored->timer_id();
  return append;
}

absl::StatusOr<es::AppendRequest> ProcessEngine::DecideFiring(const v1::Instance& instance, const v1::Task& task,
                                                              const v1::Timer& timer) const {
  absl::Time now = Now();
  absl::TimeZone zone = calendar_->time_zone();
  Change change(instance.request_id(), instance);
  v1::TimerFiring firing = FiringOf(timer, now);
  std::vector<std::string> owners = EscalationRecipients(*people_, task, 0);
  switch (timer.kind()) {
    case v1::TIMER_KIND_DUE_SOON: {
      v1::TaskDueSoon event;
      event.set_task_id(task.task_id());
      *event.mutable_due_at() = task.due_at();
      *event.mutable_notification() = DueSoonNotice(task, owners, zone);
      *event.mutable_firing() = std::move(firing);
      REND_RETURN_IF_ERROR(change.Emit(event));
      break;
    }
    case v1::TIMER_KIND_OVERDUE: {
      v1::TaskOverdue event;
      event.set_task_id(task.task_id());
      *event.mutable_due_at() = task.due_at();
      *event.mutable_notification() = OverdueNotice(task, owners, zone);
      if (!EscalationRecipients(*people_, task, 1).empty()) {
        *firing.add_next() = MakeTimer(task, v1::TIMER_KIND_ESCALATION, now + options_.escalation_after, 1);
      }
      *event.mutable_firing() = std::move(firing);
      REND_RETURN_IF_ERROR(change.Emit(event));
      break;
    }
    case v1::TIMER_KIND_STALLED: {
      // A reminder: however many intervals passed, it fires once and moves on.
      v1::TaskStalled event;
      event.set_task_id(task.task_id());
      *event.mutable_last_activity_at() = task.last_activity_at();
      *event.mutable_notification() = StalledNotice(task, owners, zone);
      *firing.add_next() = MakeTimer(task, v1::TIMER_KIND_STALLED, now + options_.stall_after);
      *event.mutable_firing() = std::move(firing);
      REND_RETURN_IF_ERROR(change.Emit(event));
      break;
    }
    case v1::TIMER_KIND_ESCALATION: {
      bool overdue = task.has_due_at() && now >= FromProtoTime(task.due_at());
      REND_RETURN_IF_ERROR(FireEscalation(change, task, timer, overdue ? "overdue" : "timeout"));
      break;
    }
    case v1::TIMER_KIND_STEP_TIMEOUT:
      REND_RETURN_IF_ERROR(FireStepTimeout(change, task, timer));
      break;
    default:
      return absl::InternalError(absl::StrCat("timer ", timer.timer_id(), " has no kind"));
  }
  return change.ToAppend();
}

absl::Status ProcessEngine::FireEscalation(Change& change, const v1::Task& task, const v1::Timer& timer,
                                           const std::string& reason) const {
  absl::Time now = Now();
  int level = std::max(1, timer.escalation_level());
  v1::TaskEscalated event;
  event.set_task_id(task.task_id());
  event.set_level(level);
  event.set_reason(reason);
  *event.mutable_notification() = EscalatedNotice(task, level, reason, EscalationRecipients(*people_, task, level),
                                                  calendar_->time_zone());
  *event.mutable_firing() = FiringOf(timer, now);
  if (level < kMaxEscalationLevel && !EscalationRecipients(*people_, task, level + 1).empty()) {
    *event.mutable_firing()->add_next() =
        MakeTimer(task, v1::TIMER_KIND_ESCALATION, now + options_.escalation_after, level + 1);
  }
  return change.Emit(event);
}

absl::Status ProcessEngine::FireStepTimeout(Change& change, const v1::Task& task, const v1::Timer& timer) const {
  REND_ASSIGN_OR_RETURN(const ProcessDefinition* definition, DefinitionOf(change.instance()));
  const StepDefinition* step = definition->FindStep(task.step_id());
  bool complete = step == nullptr || step->timeout.then == StepTimeout::Then::kComplete;
  v1::StepTimedOut timed_out;
  timed_out.set_task_id(task.task_id());
  *timed_out.mutable_notification() = TimedOutNotice(task, complete, EscalationRecipients(*people_, task, 0));
  *timed_out.mutable_firing() = FiringOf(timer, Now());
  REND_RETURN_IF_ERROR(change.Emit(timed_out));

  if (!complete) {
    v1::Timer first = MakeTimer(task, v1::TIMER_KIND_ESCALATION, Now(), 1);
    return FireEscalation(change, task, first, "timeout");
  }
  v1::TaskCompleted completed;
  completed.set_task_id(task.task_id());
  completed.set_completed_by(kTimerActor);
  (*completed.mutable_output())["timed_out"] = "true";
  *completed.mutable_completed_at() = ToProtoTime(Now());
  REND_RETURN_IF_ERROR(change.Emit(completed));
  return Advance(change, *definition);
}

absl::Status ProcessEngine::ScheduleStall(Change& change, const v1::Task& task, absl::Time from) const {
  v1::TimersScheduled scheduled;
  scheduled.set_request_id(change.request_id());
  *scheduled.add_timers() = MakeTimer(task, v1::TIMER_KIND_STALLED, from + options_.stall_after);
  return change.Emit(scheduled);
}

}  // namespace rend::process
