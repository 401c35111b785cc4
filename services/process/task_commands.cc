// The deciders of task claims and completions.
#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "services/process/instance_change.h"
#include "services/process/instance_state.h"
#include "services/process/process_engine.h"

namespace rend::process {
namespace {

constexpr size_t kMaxOutputEntries = 64;
constexpr size_t kMaxOutputKeyLength = 64;
constexpr size_t kMaxOutputValueBytes = 4096;
constexpr size_t kMaxTextBytes = 2000;

absl::Status HeldByOther(const v1::Task& task, const std::string& actor) {
  if (task.holder().empty() || task.holder() == actor) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("task ", task.task_id(), " is held by ", task.holder(),
                                                    ", so only that person can claim or complete it"));
}

v1::TaskClaimed ClaimBy(const v1::Task& task, const std::string& actor, absl::Time now) {
  v1::TaskClaimed claimed;
  claimed.set_task_id(task.task_id());
  claimed.set_holder(actor);
  *claimed.mutable_claimed_at() = ToProtoTime(now);
  return claimed;
}

}  // namespace

absl::Status ValidateOutput(const TaskOutput& output) {
  if (output.size() > kMaxOutputEntries) {
    return FieldError("output", absl::StrCat("at most ", kMaxOutputEntries, " entries, got ", output.size()));
  }
  // Sorted, so the same bad input always names the same field.
  std::vector<std::string> keys;
  for (const auto& [key, value] : output) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    std::string field = absl::StrCat("output[\"", key.substr(0, kMaxOutputKeyLength), "\"]");
    if (key.empty() || key.size() > kMaxOutputKeyLength) {
      return FieldError(field, absl::StrCat("key must be 1..", kMaxOutputKeyLength, " bytes"));
    }
    if (output.at(key).size() > kMaxOutputValueBytes) {
      return FieldError(field, absl::StrCat("value must be at most ", kMaxOutputValueBytes, " bytes"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Instance> ProcessEngine::LoadTaskInstance(const std::string& task_id) const {
  std::string request_id;
  std::string step_id;
  absl::Status not_found = absl::NotFoundError(absl::StrCat("task ", task_id, " not found"));
  if (!SplitTaskId(task_id, &request_id, &step_id)) return not_found;
  REND_ASSIGN_OR_RETURN(v1::Instance instance, LoadInstance(request_id));
  if (FindTask(instance, task_id) == nullptr) return not_found;
  return instance;
}

absl::Status ProcessEngine::RequireRole(const std::string& actor, const v1::Task& task) const {
  if (people_->HasRole(actor, task.role())) return absl::OkStatus();
  if (people_->Find(actor) == nullptr) {
    return Localized(absl::PermissionDeniedError(absl::StrCat(actor, " is not in the people directory")),
                     absl::StrCat(actor, " nem szerepel a munkatársak között."),
                     absl::StrCat(actor, " is not one of the company's people."));
  }
  return Localized(
      absl::PermissionDeniedError(
          absl::StrCat(actor, " does not have the role ", task.role(), " that task ", task.task_id(), " requires")),
      absl::StrCat("Ezt a feladatot csak ", task.role(), " szerepkörű munkatárs veheti át."),
      absl::StrCat("Only a person with the role ", task.role(), " may take this task."));
}

absl::StatusOr<es::AppendRequest> ProcessEngine::DecideClaim(const std::string& task_id, const std::string& actor,
                                                             v1::Task* task) const {
  REND_ASSIGN_OR_RETURN(v1::Instance instance, LoadTaskInstance(task_id));
  const v1::Task& current = *FindTask(instance, task_id);
  REND_RETURN_IF_ERROR(RequireRole(actor, current));
  if (current.state() == v1::TASK_STATE_COMPLETED) {
    return absl::FailedPreconditionError(absl::StrCat("task ", task_id, " is already completed"));
  }
  REND_RETURN_IF_ERROR(HeldByOther(current, actor));
  if (current.holder() == actor) {
    return absl::FailedPreconditionError(absl::StrCat("task ", task_id, " is already held by ", actor));
  }

  Change change(instance.request_id(), instance);
  REND_RETURN_IF_ERROR(change.Emit(ClaimBy(current, actor, Now())));
  REND_RETURN_IF_ERROR(ScheduleStall(change, current, Now()));
  *task = *FindTask(change.instance(), task_id);
  return change.ToAppend();
}

bool ProcessEngine::ManagesRole(const std::string& actor, const std::string& role) const {
  for (const Person* person : people_->WithRole(role)) {
    if (person->manager == actor) return true;
  }
  return false;
}

absl::Status ProcessEngine::RequireEligible(const std::string& actor, const v1::Task& task) const {
  if (actor == task.holder() || people_->HasRole(actor, task.role()) || ManagesRole(actor, task.role())) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(actor, " neither holds task ", task.task_id(), " nor has or manages its role ",
                                                  task.role()));
}

absl::StatusOr<es::AppendRequest> ProcessEngine::DecideRelease(const std::string& task_id, const std::string& actor,
                                                               v1::Task* task) const {
  REND_ASSIGN_OR_RETURN(v1::Instance instance, LoadTaskInstance(task_id));
  const v1::Task current = *FindTask(instance, task_id);
  if (current.state() != v1::TASK_STATE_CLAIMED) {
    return absl::FailedPreconditionError(absl::StrCat("task ", task_id, " is not claimed, so it cannot be released"));
  }
  if (current.holder() != actor) {
    return absl::PermissionDeniedError(absl::StrCat("only the holder ", current.holder(), " can release task ", task_id));
  }

  absl::Time now = Now();
  Change change(instance.request_id(), instance);
  v1::TaskReleased released;
  released.set_task_id(task_id);
  released.set_released_by(actor);
  *released.mutable_released_at() = ToProtoTime(now);
  REND_RETURN_IF_ERROR(change.Emit(released));
  REND_RETURN_IF_ERROR(ScheduleStall(change, current, now));
  *task = *FindTask(change.instance(), task_id);
  return change.ToAppend();
}

absl::StatusOr<es::AppendRequest> ProcessEngine::DecideReassign(const std::string& task_id, const std::string& actor,
                                                                const std::string& new_holder, const std::string& note,
                                                                v1::Task* task) const {
  if (new_holder.empty()) return FieldError("new_holder", "must not be empty");
  if (note.size() > kMaxTextBytes) return FieldError("note", absl::StrCat("must be at most ", kMaxTextBytes, " bytes"));
  REND_ASSIGN_OR_RETURN(v1::Instance instance, LoadTaskInstance(task_id));
  const v1::Task current = *FindTask(instance, task_id);
  if (actor != current.holder() && !ManagesRole(actor, current.role())) {
    return absl::PermissionDeniedError(
        absl::StrCat(actor, " may not reassign task ", task_id, ": only its holder or a manager of the role ",
                     current.role(), " may"));
  }
  if (IsDone(current)) return absl::FailedPreconditionError(absl::StrCat("task ", task_id, " is already done"));
  if (!people_->HasRole(new_holder, current.role())) {
    return FieldError("new_holder", absl::StrCat("\"", new_holder, "\" does not have the role ", current.role()));
  }
  if (current.holder() == new_holder) {
    return absl::FailedPreconditionError(absl::StrCat("task ", task_id, " is already held by ", new_holder));
  }

  absl::Time now = Now();
  Change change(instance.request_id(), instance);
  v1::TaskReassigned reassigned;
  reassigned.set_task_id(task_id);
  reassigned.set_from_holder(current.holder());
  reassigned.set_to_holder(new_holder);
  reassigned.set_reassigned_by(actor);
  reassigned.set_note(note);
  *reassigned.mutable_reassigned_at() = ToProtoTime(now);
  REND_RETURN_IF_ERROR(change.Emit(reassigned));
  REND_RETURN_IF_ERROR(ScheduleStall(change, current, now));
  *task = *FindTask(change.instance(), task_id);
  return change.ToAppend();
}

absl::StatusOr<es::AppendRequest> ProcessEngine::DecideComment(const std::string& task_id, const std::string& actor,
                                                               const std::string& text, v1::Task* task) const {
  if (text.empty() || text.size() > kMaxTextBytes) {
    return FieldError("text", absl::StrCat("must be 1..", kMaxTextBytes, " bytes"));
  }
  REND_ASSIGN_OR_RETURN(v1::Instance instance, LoadTaskInstance(task_id));
  const v1::Task current = *FindTask(instance, task_id);
  REND_RETURN_IF_ERROR(RequireEligible(actor, current));

  absl::Time now = Now();
  Change change(instance.request_id(), instance);
  v1::TaskCommented commented;
  commented.set_task_id(task_id);
  commented.mutable_comment()->set_author(actor);
  commented.mutable_comment()->set_text(text);
  *commented.mutable_comment()->mutable_commented_at() = ToProtoTime(now);
  REND_RETURN_IF_ERROR(change.Emit(commented));
  if (!IsDone(current)) REND_RETURN_IF_ERROR(ScheduleStall(change, current, now));
  *task = *FindTask(change.instance(), task_id);
  return change.ToAppend();
}

absl::StatusOr<es::AppendRequest> ProcessEngine::DecideComplete(const std::string& task_id,
                                                                const std::string& actor, const TaskOutput& output,
                                                                v1::Task* task) const {
  REND_RETURN_IF_ERROR(ValidateOutput(output));
  REND_ASSIGN_OR_RETURN(v1::Instance instance, LoadTaskInstance(task_id));
  const v1::Task current = *FindTask(instance, task_id);
  if (current.kind() != v1::STEP_KIND_USER_TASK) {
    return absl::FailedPreconditionError(absl::StrCat("task ", task_id, " is an event step; it completes when ",
                                                      current.completes_on(), " arrives"));
  }
  if (current.state() == v1::TASK_STATE_COMPLETED) {
    return absl::FailedPreconditionError(absl::StrCat("task ", task_id, " is already completed"));
  }
  REND_RETURN_IF_ERROR(HeldByOther(current, actor));
  REND_ASSIGN_OR_RETURN(const ProcessDefinition* definition, DefinitionOf(instance));

  absl::Time now = Now();
  std::string request_id = instance.request_id();
  Change change(std::move(request_id), std::move(instance));
  if (current.holder().empty()) {
    // Claim and complete in one append, so no one else can claim in between.
    REND_RETURN_IF_ERROR(RequireRole(actor, current));
    REND_RETURN_IF_ERROR(change.Emit(ClaimBy(current, actor, now)));
  }
  v1::TaskCompleted completed;
  completed.set_task_id(task_id);
  completed.set_completed_by(actor);
  *completed.mutable_output() = output;
  *completed.mutable_completed_at() = ToProtoTime(now);
  REND_RETURN_IF_ERROR(change.Emit(completed));
  REND_RETURN_IF_ERROR(Advance(change, *definition));
  *task = *FindTask(change.instance(), task_id);
  return change.ToAppend();
}

}  // namespace rend::process
