#include "services/process/process_engine.h"

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

bool AllStepsCompleted(const v1::Instance& instance, const ProcessDefinition& definition) {
  if (instance.tasks_size() != static_cast<int>(definition.steps.size())) return false;
  for (const v1::Task& task : instance.tasks()) {
    if (task.state() != v1::TASK_STATE_COMPLETED) return false;
  }
  return true;
}

bool IsReady(const v1::Instance& instance, const StepDefinition& step) {
  if (FindTaskByStep(instance, step.id) != nullptr) return false;  // already opened
  for (const std::string& before : step.after) {
    const v1::Task* task = FindTaskByStep(instance, before);
    if (task == nullptr || task->state() != v1::TASK_STATE_COMPLETED) return false;
  }
  return true;
}

bool HasEarlyEvent(const v1::Instance& instance, const std::string& event_id) {
  for (const v1::EarlyEvent& early : instance.early_events()) {
    if (early.event_id() == event_id) return true;
  }
  return false;
}

v1::EarlyEventRecorded EarlyEventOf(const es::EventRecord& event, const std::string& request_id, absl::Time now) {
  v1::EarlyEventRecorded early;
  early.set_request_id(request_id);
  early.mutable_event()->set_event_type(event.type());
  early.mutable_event()->set_event_id(event.event_id());
  early.mutable_event()->set_actor(event.actor());
  *early.mutable_event()->mutable_received_at() = ToProtoTime(now);
  return early;
}

v1::TaskCompleted CompletionByEvent(const std::string& task_id, const std::string& actor,
                                    const std::string& event_id, absl::Time now) {
  v1::TaskCompleted completed;
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

ProcessEngine::ProcessEngine(es::EventStore* store, const DefinitionRegistry* definitions,
                             const PeopleDirectory* people, BusinessCalendar calendar, Clock clock)
    : store_(store), definitions_(definitions), people_(people), calendar_(calendar), clock_(std::move(clock)) {}

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
  if (!definitions_->IsCompletingEventType(event.type())) return std::nullopt;
  std::string request_id = RequestIdOf(event);
  if (request_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("event ", event.event_id(), " (", event.type(),
                                                   ") names no request"));
  }
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
    REND_RETURN_IF_ERROR(change.Emit(EarlyEventOf(event, request_id, Now())));
    return change.ToAppend();
  }
  REND_RETURN_IF_ERROR(change.Emit(CompletionByEvent(task->task_id(), event.actor(), event.event_id(), Now())));
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
  if (!AllStepsCompleted(change.instance(), definition)) return absl::OkStatus();
  v1::InstanceCompleted finished;
  finished.set_instance_id(change.instance().instance_id());
  *finished.mutable_completed_at() = ToProtoTime(Now());
  spdlog::info("instance of request {} completed", change.request_id());
  return change.Emit(finished);
}

absl::StatusOr<bool> ProcessEngine::OpenReadySteps(Change& change, const ProcessDefinition& definition) const {
  bool opened = false;
  absl::Time now = Now();
  for (const StepDefinition& step : definition.steps) {
    if (!IsReady(change.instance(), step)) continue;
    v1::TaskOpened event;
    v1::Task* task = event.mutable_task();
    task->set_task_id(TaskId(change.request_id(), step.id));
    task->set_instance_id(change.instance().instance_id());
    task->set_request_id(change.request_id());
    task->set_step_id(step.id);
    task->set_name_hu(step.name_hu);
    task->set_name_en(step.name_en);
    task->set_kind(step.kind);
    task->set_role(step.role);
    task->set_state(v1::TASK_STATE_OPEN);
    *task->mutable_opened_at() = ToProtoTime(now);
    *task->mutable_due_at() = ToProtoTime(calendar_.DueAt(now, step.deadline));
    task->set_completes_on(step.completes_on);
    REND_RETURN_IF_ERROR(change.Emit(event));
    opened = true;
  }
  return opened;
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
    REND_RETURN_IF_ERROR(change.Emit(CompletionByEvent(task->task_id(), early.actor(), early.event_id(), Now())));
    completed = true;
  }
  return completed;
}

}  // namespace rend::process
