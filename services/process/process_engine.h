// ProcessEngine: the deciders of the process service. It starts an instance
// when intake reports a request, completes event steps when other services
// report their events, and decides task claims and completions. Each
// decision reads the instance from the InstanceProjection and returns the
// events to append with the stream version it was based on. It never
// writes, so a version conflict (ABORTED) is resolved by deciding again.
//
// Deadlines (due_at) are computed here, from the engine's clock and the
// business calendar, and stored in the events; the projection only copies
// them.
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
#include "services/process/business_calendar.h"
#include "services/process/definition.h"

namespace rend::process {

using Clock = std::function<absl::Time()>;
using TaskOutput = google::protobuf::Map<std::string, std::string>;

class ProcessEngine {
 public:
  // `store` (with an InstanceProjection), `definitions` and `people` are not
  // owned and must outlive the engine.
  ProcessEngine(es::EventStore* store, const DefinitionRegistry* definitions, const PeopleDirectory* people,
                BusinessCalendar calendar, Clock clock = absl::Now);

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

  // Returns the instance of `request_id`; an empty instance (state
  // UNSPECIFIED, version 0) when none exists.
  absl::StatusOr<v1::Instance> LoadInstance(const std::string& request_id) const;

  absl::Time Now() const { return clock_(); }
  const DefinitionRegistry& definitions() const { return *definitions_; }
  const PeopleDirectory& people() const { return *people_; }

 private:
  class Change;

  absl::StatusOr<std::optional<es::AppendRequest>> OnRequestSubmitted(const es::EventRecord& event) const;
  absl::StatusOr<std::optional<es::AppendRequest>> OnCompletingEvent(const es::EventRecord& event,
                                                                     const std::string& request_id) const;
  absl::Status Advance(Change& change, const ProcessDefinition& definition) const;
  absl::StatusOr<bool> OpenReadySteps(Change& change, const ProcessDefinition& definition) const;
  absl::StatusOr<bool> CompleteFromEarlyEvents(Change& change, const ProcessDefinition& definition) const;
  absl::StatusOr<const ProcessDefinition*> DefinitionOf(const v1::Instance& instance) const;
  absl::StatusOr<v1::Instance> LoadTaskInstance(const std::string& task_id) const;
  absl::Status RequireRole(const std::string& actor, const v1::Task& task) const;

  es::EventStore* store_;
  const DefinitionRegistry* definitions_;
  const PeopleDirectory* people_;
  BusinessCalendar calendar_;
  Clock clock_;
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
