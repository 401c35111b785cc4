#include "services/process/process_engine.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/process/instance_change.h"
#include "services/process/instance_projection.h"
#include "services/process/instance_state.h"
#include "services/process/notifications.h"
#include "services/process/payload_fields.h"
#include "spdlog/spdlog.h"

namespace rend::process {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Returns the `request_id` string field of `message` or of one of its
// singular message fields, or an empty string.
std::string FindRequestIdField(const Message& message, int depth) {
  const Descriptor* descriptor = message.GetDescriptor();
  const FieldDescriptor* field = descriptor->FindFieldByName("request_id");
  if (field != nullptr && field->type() == FieldDescriptor::TYPE_STRING && !field->is_repeated()) {
    return message.GetReflection()->GetString(message, field);
  }
  if (depth == 0) return "";
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* nested = descriptor->field(i);
    if (nested->type() != FieldDescriptor::TYPE_MESSAGE || nested->is_repeated()) continue;
    if (!message.GetReflection()->HasField(message, nested)) continue;
    std::string id = FindRequestIdField(message.GetReflection()->GetMessage(message, nested), depth - 1);
    if (!id.empty()) return id;
  }
  return "";
}

bool AllStepsDone(const v1::Instance& instance, const ProcessDefinition& definition) {
  for (const StepDefinition& step : definition.steps) {
    const v1::Task* task = FindTaskByStep(instance, step.id);
    if (task == nullptr || !IsDone(*task)) return false;
  }
  return true;
}

bool IsReady(const v1::Instance& instance, const StepDefinition& step) {
  if (FindTaskByStep(instance, step.id) != nullptr) return false;  // already opened
  for (const std::string& before : step.after) {
    const v1::Task* task = FindTaskByStep(instance, before);
    if (task == nullptr || !IsDone(*task)) return false;
  }
  return true;
}

// Returns the end of the customer's wanted delivery date, or nullopt when
// the request names no valid date.
std::optional<absl::Time> ItemDeadline(const intake::v1::Request& request,
                                       const calendar::BusinessCalendar& calendar) {
  const common::v1::Date& date = request.wanted_delivery_date();
  if (date.year() == 0) return std::nullopt;
  absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.year() != date.year() || day.month() != date.month() || day.day() != date.day()) return std::nullopt;
  return EndOfLocalDay(calendar, day);
}

// Captures the fields that any definition's step completed by the event's
// type names, for an event that arrives before its step opens.
std::map<std::string, std::string> CaptureForAnyStep(const DefinitionRegistry& definitions,
                                                     const es::EventRecord& event) {
  std::map<std::string, std::string> data;
  for (const ProcessDefinition* definition : definitions.All()) {
    const StepDefinition* step = definition->StepCompletedBy(event.type());
    if (step == nullptr) continue;
    for (auto& [key, value] : CapturePayload(event.payload(), step->capture)) data[key] = value;
  }
  return data;
}

bool HasEarlyEvent(const v1::Instance& instance, const std::string& event_id) {
  for (const v1::EarlyEvent& early : instance.early_events()) {
    if (early.event_id() == event_id) return true;
  }
  return false;
}

v1::EarlyEventRecorded EarlyEventOf(const es::EventRecord& event, const std::string& request_id, absl::Time now,
                                    const std::map<std::string, std::string>& data) {
  v1::EarlyEventRecorded early;
  early.mutable_event()->mutable_data()->insert(data.begin(), data.end());
  early.set_request_id(request_id);
  early.mutable_event()->set_event_type(event.type());
  early.mutable_event()->set_event_id(event.event_id());
  early.mutable_event()->set_actor(event.actor());
  *early.mutable_event()->mutable_received_at() = ToProtoTime(now);
  return early;
}

v1::TaskCompleted CompletionByEvent(const std::string& task_id, const std::string& actor,
                                    const std::string& event_id, absl::Time now,
                                    const google::protobuf::Map<std::string, std::string>& output) {
  v1::TaskCompleted completed;
  *completed.mutable_output() = output;
  completed.set_task_id(task_id);
  completed.set_completed_by(actor);
  completed.set_completing_event_id(event_id);
  *completed.mutable_completed_at() = ToProtoTime(now);
  return completed;
}

}  // namespace

std::string RequestIdOf(const es::EventRecord& event) {
  const Descriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(event.type());
  if (descriptor != nullptr) {
    const Message* prototype = google::protobuf::MessageFactory::generated_factory()->GetPrototype(descriptor);
    std::unique_ptr<Message> payload(prototype->New());
    if (event.payload().UnpackTo(payload.get())) {
      std::string id = FindRequestIdField(*payload, /*depth=*/1);
      if (!id.empty()) return id;
    }
  }
  return event.correlation_id();
}

ProcessEngine::ProcessEngine(es::EventStore* store, DefinitionRegistry* definitions,
                             const PeopleDirectory* people, const calendar::BusinessCalendar* calendar, Clock clock,
                             EngineOptions options)
    : store_(store),
      definitions_(definitions),
      people_(people),
      calendar_(calendar),
      clock_(std::move(clock)),
      options_(options) {}

absl::StatusOr<v1::Instance> ProcessEngine::LoadInstance(const std::string& request_id) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store_->GetState(InstanceProjection::kName, InstanceProjection::InstanceKey(request_id)));
  v1::Instance instance;
  if (value.has_value() && !instance.ParseFromString(*value)) {
    return absl::DataLossError(absl::StrCat("corrupt state of instance ", request_id));
  }
  return instance;
}

absl::StatusOr<const ProcessDefinition*> ProcessEngine::DefinitionOf(const v1::Instance& instance) const {
  const ProcessDefinition* definition =
      definitions_->Find(instance.definition_id(), instance.definition_version());
  if (definition == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat("definition ", instance.definition_id(), " version ",
                                                      instance.definition_version(), " of instance ",
                                                      instance.request_id(), " is not loaded"));
  }
  return definition;
}

absl::StatusOr<std::optional<es::AppendRequest>> ProcessEngine::HandleEvent(const es::EventRecord& event) const {
  if (event.payload().Is<intake::v1::RequestSubmitted>()) return OnRequestSubmitted(event);
  bool completes = definitions_->IsCompletingEventType(event.type());
  bool loops = definitions_->IsLoopEventType(event.type());
  if (!completes && !loops) return std::nullopt;
  std::string request_id = RequestIdOf(event);
  if (request_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event.event_id(), " (", event.type(),
                                                   ") names no request"));
  }
  if (loops) return OnLoopEvent(event, request_id);
  return OnCompletingEvent(event, request_id);
}

absl::StatusOr<std::optional<es::AppendRequest>> ProcessEngine::OnRequestSubmitted(
    const es::EventRecord& event) const {
  intake::v1::RequestSubmitted submitted;
  if (!event.payload().UnpackTo(&submitted) || submitted.request().request_id().empty()) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event.event_id(), " is not a valid RequestSubmitted"));
  }
  const intake::v1::Request& request = submitted.request();
  const ProcessDefinition* definition = definitions_->ForRequestType(request.type());
  if (definition == nullptr) {
    spdlog::info("request {} of type {} starts no process: no definition serves the type", request.request_id(),
                 intake::v1::RequestType_Name(request.type()));
    return std::nullopt;
  }
  REND_ASSIGN_OR_RETURN(v1::Instance current, LoadInstance(request.request_id()));
  if (current.state() != v1::INSTANCE_STATE_UNSPECIFIED) return std::nullopt;  // already started

  Change change(request.request_id(), std::move(current));
  v1::InstanceStarted started;
  started.set_instance_id(InstanceStreamId(request.request_id()));
  started.set_request_id(request.request_id());
  started.set_definition_id(definition->id);
  started.set_definition_version(definition->version);
  started.set_name_hu(definition->name_hu);
  started.set_name_en(definition->name_en);
  *started.mutable_started_at() = ToProtoTime(Now());
  std::optional<absl::Time> due = ItemDeadline(request, *calendar_);
  if (due.has_value()) *started.mutable_due_at() = ToProtoTime(*due);
  REND_RETURN_IF_ERROR(change.Emit(started));
  REND_RETURN_IF_ERROR(Advance(change, *definition));
  spdlog::info("instance of {} version {} started for request {}", definition->id, definition->version,
               request.request_id());
  return change.ToAppend();
}

absl::StatusOr<std::optional<es::AppendRequest>> ProcessEngine::OnCompletingEvent(
    const es::EventRecord& event, const std::string& request_id) const {
  REND_ASSIGN_OR_RETURN(v1::Instance current, LoadInstance(request_id));
  if (current.state() == v1::INSTANCE_STATE_COMPLETED) return std::nullopt;
  const StepDefinition* step = nullptr;
  const ProcessDefinition* definition = nullptr;
  if (current.state() == v1::INSTANCE_STATE_RUNNING) {
    REND_ASSIGN_OR_RETURN(definition, DefinitionOf(current));
    step = definition->StepCompletedBy(event.type());
    if (step == nullptr) return std::nullopt;  // this instance's process does not wait for it
  }
  const v1::Task* task = step == nullptr ? nullptr : FindTaskByStep(current, step->id);
  if (task != nullptr && task->state() == v1::TASK_STATE_COMPLETED) return std::nullopt;
  if (task == nullptr && HasEarlyEvent(current, event.event_id())) return std::nullopt;

  Change change(request_id, std::move(current));
  if (task == nullptr) {
    // The step has not opened, or the instance has not started: keep the event.
    std::map<std::string, std::string> data =
        step != nullptr ? CapturePayload(event.payload(), step->capture) : CaptureForAnyStep(*definitions_, event);
    REND_RETURN_IF_ERROR(change.Emit(EarlyEventOf(event, request_id, Now(), data)));
    return change.ToAppend();
  }
  std::map<std::string, std::string> captured = CapturePayload(event.payload(), step->capture);
  google::protobuf::Map<std::string, std::string> output(captured.begin(), captured.end());
  REND_RETURN_IF_ERROR(
      change.Emit(CompletionByEvent(task->task_id(), event.actor(), event.event_id(), Now(), output)));
  REND_RETURN_IF_ERROR(Advance(change, *definition));
  return change.ToAppend();
}

absl::Status ProcessEngine::Advance(Change& change, const ProcessDefinition& definition) const {
  // Each round opens or completes at least one step, or stops.
  for (size_t round = 0; round <= 2 * definition.steps.size(); ++round) {
    REND_ASSIGN_OR_RETURN(bool opened, OpenReadySteps(change, definition));
    REND_ASSIGN_OR_RETURN(bool completed, CompleteFromEarlyEvents(change, definition));
    if (!opened && !completed) break;
  }
  if (change.instance().state() != v1::INSTANCE_STATE_RUNNING) return absl::OkStatus();
  if (!AllStepsDone(change.instance(), definition)) return absl::OkStatus();
  v1::InstanceCompleted finished;
  finished.set_instance_id(change.instance().instance_id());
  *finished.mutable_completed_at() = ToProtoTime(Now());
  spdlog::info("instance of request {} completed", change.request_id());
  return change.Emit(finished);
}

absl::StatusOr<bool> ProcessEngine::OpenReadySteps(Change& change, const ProcessDefinition& definition) const {
  bool opened = false;
  for (const StepDefinition& step : definition.steps) {
    if (!IsReady(change.instance(), step)) continue;
    REND_RETURN_IF_ERROR(OpenStep(change, step));
    opened = true;
  }
  return opened;
}

absl::Status ProcessEngine::OpenStep(Change& change, const StepDefinition& step) const {
  absl::Time now = Now();
  v1::Task task;
  task.set_task_id(TaskId(change.request_id(), step.id));
  task.set_instance_id(change.instance().instance_id());
  task.set_request_id(change.request_id());
  task.set_step_id(step.id);
  task.set_name_hu(step.name_hu);
  task.set_name_en(step.name_en);
  task.set_kind(step.kind);
  task.set_role(step.role);
  task.set_completes_on(step.completes_on);
  *task.mutable_opened_at() = ToProtoTime(now);
  int earlier_rounds = 0;
  for (const v1::Task& old : change.instance().history()) earlier_rounds += old.step_id() == step.id ? 1 : 0;
  task.set_round(earlier_rounds + 1);
  if (earlier_rounds > 0) task.set_reopen_reason(change.instance().reopen_reason());

  // A false condition records the step as skipped, which counts as done.
  if (!step.when.Holds(change.instance().data())) {
    task.set_state(v1::TASK_STATE_SKIPPED);
    *task.mutable_completed_at() = ToProtoTime(now);
    task.set_skip_reason(absl::StrCat(step.when.field, step.when.negated ? " = " : " != ", "\"", step.when.value, "\""));
    v1::StepSkipped skipped;
    *skipped.mutable_task() = std::move(task);
    return change.Emit(skipped);
  }

  REND_ASSIGN_OR_RETURN(absl::Time due, DueAt(*calendar_, now, step.deadline));
  task.set_state(v1::TASK_STATE_OPEN);
  *task.mutable_due_at() = ToProtoTime(due);
  *task.mutable_last_activity_at() = ToProtoTime(now);
  bool late_for_item = change.instance().has_due_at() && due > FromProtoTime(change.instance().due_at());
  task.set_due_after_item_deadline(late_for_item);

  v1::TaskOpened event;
  REND_ASSIGN_OR_RETURN(*event.mutable_timers(), FirstTimers(task, step, now));
  *event.mutable_task() = std::move(task);
  return change.Emit(event);
}

absl::StatusOr<google::protobuf::RepeatedPtrField<v1::Timer>> ProcessEngine::FirstTimers(
    const v1::Task& task, const StepDefinition& step, absl::Time now) const {
  google::protobuf::RepeatedPtrField<v1::Timer> timers;
  absl::Time due = FromProtoTime(task.due_at());
  if (due - options_.due_soon_lead > now) {
    *timers.Add() = MakeTimer(task, v1::TIMER_KIND_DUE_SOON, due - options_.due_soon_lead);
  }
  *timers.Add() = MakeTimer(task, v1::TIMER_KIND_OVERDUE, due);
  *timers.Add() = MakeTimer(task, v1::TIMER_KIND_STALLED, now + options_.stall_after);
  if (step.timeout.enabled) {
    REND_ASSIGN_OR_RETURN(absl::Time timeout, DueAt(*calendar_, now, step.timeout.after));
    *timers.Add() = MakeTimer(task, v1::TIMER_KIND_STEP_TIMEOUT, timeout);
  }
  return timers;
}

absl::StatusOr<bool> ProcessEngine::CompleteFromEarlyEvents(Change& change,
                                                            const ProcessDefinition& definition) const {
  bool completed = false;
  // Copied, because completing a step removes early events from the instance.
  std::vector<v1::EarlyEvent> early_events(change.instance().early_events().begin(),
                                           change.instance().early_events().end());
  for (const v1::EarlyEvent& early : early_events) {
    const StepDefinition* step = definition.StepCompletedBy(early.event_type());
    const v1::Task* task = step == nullptr ? nullptr : FindTaskByStep(change.instance(), step->id);
    if (task == nullptr || task->state() == v1::TASK_STATE_COMPLETED) continue;
    REND_RETURN_IF_ERROR(
        change.Emit(CompletionByEvent(task->task_id(), early.actor(), early.event_id(), Now(), early.data())));
    completed = true;
  }
  return completed;
}

absl::StatusOr<std::optional<es::AppendRequest>> ProcessEngine::OnLoopEvent(const es::EventRecord& event,
                                                                             const std::string& request_id) const {
  REND_ASSIGN_OR_RETURN(v1::Instance current, LoadInstance(request_id));
  if (current.state() != v1::INSTANCE_STATE_RUNNING) return std::nullopt;
  REND_ASSIGN_OR_RETURN(const ProcessDefinition* definition, DefinitionOf(current));
  const LoopDefinition* loop = definition->LoopOn(event.type());
  if (loop == nullptr) return std::nullopt;
  // Only an item that reached the loop's first step can be sent back to it.
  if (FindTaskByStep(current, loop->reopen.front()) == nullptr) return std::nullopt;

  v1::StepsReopened reopened;
  reopened.set_request_id(request_id);
  for (const std::string& step : loop->reopen) reopened.add_step_ids(step);
  if (!loop->reason_field.empty()) {
    reopened.set_reason(ReadPayloadField(event.payload(), loop->reason_field).value_or(""));
  }
  reopened.set_cause_event_type(event.type());
  reopened.set_cause_event_id(event.event_id());
  *reopened.mutable_reopened_at() = ToProtoTime(Now());
  Change change(request_id, std::move(current));
  REND_RETURN_IF_ERROR(change.Emit(reopened));
  REND_RETURN_IF_ERROR(Advance(change, *definition));
  spdlog::info("request {} sent back to {} by {}: {}", request_id, loop->reopen.front(), event.type(),
               reopened.reason());
  return change.ToAppend();
}

}  // namespace rend::process
