// ProcessEngine: the deciders of the process service. It starts an instance
// when intake reports a request, completes event steps when other services
// report their events, and decides task claims and completions. Each
// decision reads the instance from the InstanceProjection and returns the
// events to append with the stream version it was based on. It never
// writes, so a version conflict (ABORTED) is resolved by deciding again.
//
// Deadlines (due_at) and timer times are computed here, from the engine's
// clock, the Hungarian business calendar and EngineOptions, and stored in
// the events; the projection only copies them.
//
// Thread safety: thread-safe; the engine holds no mutable state.
#ifndef REND_SERVICES_PROCESS_PROCESS_ENGINE_H_
#define REND_SERVICES_PROCESS_PROCESS_ENGINE_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/map.h"
#include "libs/directory/people.h"
#include "libs/es/event_store.h"
#include "rend/process/v1/process.pb.h"
#include "libs/calendar/business_calendar.h"
#include "services/process/definition.h"

namespace rend::process {

using Clock = std::function<absl::Time()>;
using TaskOutput = google::protobuf::Map<std::string, std::string>;

// Durations of the stall detection, all elapsed time.
struct EngineOptions {
  // How long before due_at TaskDueSoon fires; not scheduled when the task
  // opens later than that.
  absl::Duration due_soon_lead = absl::Hours(4);
  // A task without claim, release, reassignment or comment for this long
  // raises TaskStalled, and again every stall_after until it completes.
  absl::Duration stall_after = absl::Hours(48);
  // Time from TaskOverdue (or a timeout that escalates) to the first
  // TaskEscalated, and between escalation levels.
  absl::Duration escalation_after = absl::Hours(24);
};

class ProcessEngine {
 public:
  // `store` (with an InstanceProjection), `definitions` and `people` are not
  // owned and must outlive the engine.
  // `calendar` is not owned either. The engine adds deployed definitions to
  // `definitions`.
  ProcessEngine(es::EventStore* store, DefinitionRegistry* definitions, const PeopleDirectory* people,
                const calendar::BusinessCalendar* calendar, Clock clock = absl::Now, EngineOptions options = {});

  // Decides what another service's event causes, for ServiceHost::ConsumeFrom.
  // rend.intake.v1.RequestSubmitted starts the instance of the request's
  // type. An event named in some step's `completes_on` completes that step,
  // or is kept as an early event until the step opens. Returns nullopt for
  // every other event and for events with no effect, such as a request type
  // without a definition or a step already completed.
  absl::StatusOr<std::optional<es::AppendRequest>> HandleEvent(const es::EventRecord& event) const;

  // Decides a claim of `task_id` by `actor` and sets `*task` to the claimed
  // task. NOT_FOUND for an unknown task, PERMISSION_DENIED when the actor
  // lacks the task's role, FAILED_PRECONDITION when the task is completed or
  // held by someone else (or already by the actor).
  absl::StatusOr<es::AppendRequest> DecideClaim(const std::string& task_id, const std::string& actor,
                                                v1::Task* task) const;

  // Decides the completion of a user task by `actor`, claiming it first when
  // it is still open, and opens the steps that become ready. INVALID_ARGUMENT
  // naming the field for a bad output; NOT_FOUND, PERMISSION_DENIED as for
  // DecideClaim; FAILED_PRECONDITION for an event step, a completed task or
  // a task held by someone else.
  absl::StatusOr<es::AppendRequest> DecideComplete(const std::string& task_id, const std::string& actor,
                                                   const TaskOutput& output, v1::Task* task) const;

  // Decides the release of a claimed task back to its role by its holder.
  // NOT_FOUND for an unknown task, PERMISSION_DENIED for anyone but the
  // holder, FAILED_PRECONDITION for a task that is not claimed.
  absl::StatusOr<es::AppendRequest> DecideRelease(const std::string& task_id, const std::string& actor,
                                                  v1::Task* task) const;

  // Decides handing an unfinished task to `new_holder`. The holder or a
  // manager of the task's role (the manager of a person with the role) may
  // do it. INVALID_ARGUMENT naming new_holder or note, NOT_FOUND,
  // PERMISSION_DENIED, FAILED_PRECONDITION for a completed task or one the
  // new holder already holds.
  absl::StatusOr<es::AppendRequest> DecideReassign(const std::string& task_id, const std::string& actor,
                                                   const std::string& new_holder, const std::string& note,
                                                   v1::Task* task) const;

  // Decides a comment on a task by someone with its role, its holder or a
  // manager of the role. INVALID_ARGUMENT naming text, NOT_FOUND,
  // PERMISSION_DENIED.
  absl::StatusOr<es::AppendRequest> DecideComment(const std::string& task_id, const std::string& actor,
                                                  const std::string& text, v1::Task* task) const;

  // Decides the firing of `timer` (from the timer index): the instance must
  // still hold it with the same fire_at, and fire_at must have passed.
  // Returns nullopt when there is nothing to fire. The append expects the
  // instance's current version, so a concurrent change makes it ABORTED.
  absl::StatusOr<std::optional<es::AppendRequest>> DecideTimer(const v1::Timer& timer) const;

  // Decides the deployment of a definition from YAML text by `actor` (a
  // person of the directory) and sets `*response` and `*parsed`. Text
  // identical to a registered version returns `unchanged` and no events.
  // INVALID_ARGUMENT starting "yaml_text: " and the definition's field for
  // invalid text, for a version below the latest one, or for a request type
  // served by another definition; ALREADY_EXISTS for a registered version
  // with other text; PERMISSION_DENIED for an unknown actor.
  absl::StatusOr<es::AppendRequest> DecideDeploy(const std::string& yaml_text, const std::string& actor,
                                                 v1::DeployDefinitionResponse* response,
                                                 ProcessDefinition* parsed) const;
  // Adds a committed deployment to the registry; the errors of Add.
  absl::Status RegisterDeployed(ProcessDefinition definition) const;
  // Adds every deployment stored in the log to the registry, at start. A
  // stored definition that no longer parses (say, a role was removed from
  // people.yaml) is logged and skipped. Returns how many were added.
  absl::StatusOr<int> LoadDeployedDefinitions() const;

  // Decides moving a running instance to another version of its definition.
  // Open tasks whose step the target has keep their deadlines and timers
  // and are not opened again; open tasks of removed steps are dropped; steps
  // that become ready open. INVALID_ARGUMENT naming request_id or
  // to_version, NOT_FOUND for an unknown instance or version,
  // FAILED_PRECONDITION for a completed instance or its current version,
  // PERMISSION_DENIED for an unknown actor.
  absl::StatusOr<es::AppendRequest> DecideMigrate(const std::string& request_id, uint32_t to_version,
                                                  const std::string& actor, v1::Instance* instance) const;

  // Returns whether `actor` manages someone with `role`.
  bool ManagesRole(const std::string& actor, const std::string& role) const;

  // Returns the instance of `request_id`; an empty instance (state
  // UNSPECIFIED, version 0) when none exists.
  absl::StatusOr<v1::Instance> LoadInstance(const std::string& request_id) const;

  absl::Time Now() const { return clock_(); }
  const EngineOptions& options() const { return options_; }
  const calendar::BusinessCalendar& calendar() const { return *calendar_; }
  const DefinitionRegistry& definitions() const { return *definitions_; }
  const PeopleDirectory& people() const { return *people_; }

 private:
  class Change;

  absl::StatusOr<std::optional<es::AppendRequest>> OnRequestSubmitted(const es::EventRecord& event) const;
  absl::StatusOr<std::optional<es::AppendRequest>> OnCompletingEvent(const es::EventRecord& event,
                                                                     const std::string& request_id) const;
  absl::Status Advance(Change& change, const ProcessDefinition& definition) const;
  absl::StatusOr<std::optional<es::AppendRequest>> OnLoopEvent(const es::EventRecord& event,
                                                                const std::string& request_id) const;
  absl::StatusOr<bool> OpenReadySteps(Change& change, const ProcessDefinition& definition) const;
  absl::Status OpenStep(Change& change, const StepDefinition& step) const;
  absl::StatusOr<google::protobuf::RepeatedPtrField<v1::Timer>> FirstTimers(const v1::Task& task,
                                                                           const StepDefinition& step,
                                                                           absl::Time now) const;
  absl::Status ScheduleStall(Change& change, const v1::Task& task, absl::Time from) const;
  absl::StatusOr<es::AppendRequest> DecideFiring(const v1::Instance& instance, const v1::Task& task,
                                                 const v1::Timer& timer) const;
  absl::Status FireEscalation(Change& change, const v1::Task& task, const v1::Timer& timer,
                              const std::string& reason) const;
  absl::Status FireStepTimeout(Change& change, const v1::Task& task, const v1::Timer& timer) const;
  absl::Status RequireEligible(const std::string& actor, const v1::Task& task) const;
  absl::StatusOr<bool> CompleteFromEarlyEvents(Change& change, const ProcessDefinition& definition) const;
  absl::StatusOr<const ProcessDefinition*> DefinitionOf(const v1::Instance& instance) const;
  absl::StatusOr<v1::Instance> LoadTaskInstance(const std::string& task_id) const;
  absl::Status RequireRole(const std::string& actor, const v1::Task& task) const;

  es::EventStore* store_;
  DefinitionRegistry* definitions_;
  const PeopleDirectory* people_;
  const calendar::BusinessCalendar* calendar_;
  Clock clock_;
  EngineOptions options_;
};

// Validates a task output: at most 64 entries, keys of 1..64 bytes, values
// of at most 4096 bytes. INVALID_ARGUMENT names the field, e.g.
// `output["note"]: value must be at most 4096 bytes`.
absl::Status ValidateOutput(const TaskOutput& output);

// Returns the request id an event belongs to: the payload's `request_id`
// field (top level or one message deep), else the event's correlation id.
std::string RequestIdOf(const es::EventRecord& event);

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_PROCESS_ENGINE_H_
