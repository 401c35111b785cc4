#include "services/process/process_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/es/command.h"
#include "services/process/instance_projection.h"
#include "services/process/instance_state.h"
#include "spdlog/spdlog.h"

namespace rend::process {
namespace {

constexpr int kMaxPageSize = 1000;

bool IsLate(const v1::Task& task, absl::Time now) {
  if (!task.has_due_at()) return false;
  absl::Time due = FromProtoTime(task.due_at());
  if (task.state() == v1::TASK_STATE_COMPLETED) return FromProtoTime(task.completed_at()) > due;
  return now > due;
}

absl::Status ValidateRequestId(const std::string& request_id) {
  if (request_id.empty()) return FieldError("request_id", "must not be empty");
  if (!IsValidClientId(request_id)) {
    return FieldError("request_id", "must be 1..128 printable ASCII characters without spaces");
  }
  return absl::OkStatus();
}

bool Matches(const v1::Task& task, const v1::ListTasksRequest& request) {
  if (!request.role().empty() && task.role() != request.role()) return false;
  if (!request.holder().empty() && task.holder() != request.holder()) return false;
  return request.include_completed() || !IsDone(task);
}

v1::TimelineEntry EntryOf(const v1::Task& task, absl::Time now) {
  v1::TimelineEntry entry;
  entry.set_step_id(task.step_id());
  entry.set_name_hu(task.name_hu());
  entry.set_name_en(task.name_en());
  // An unclaimed event step shows the actor of its completing event.
  entry.set_holder(task.holder().empty() ? task.completed_by() : task.holder());
  *entry.mutable_started_at() = task.opened_at();
  if (IsDone(task)) *entry.mutable_finished_at() = task.completed_at();
  *entry.mutable_due_at() = task.due_at();
  entry.set_late(IsLate(task, now));
  *entry.mutable_comments() = task.comments();
  entry.set_state(task.state());
  entry.set_round(task.round());
  return entry;
}

absl::StatusOr<v1::Instance> ParseInstance(const std::string& key, const std::string& value) {
  v1::Instance instance;
  if (!instance.ParseFromString(value)) return absl::DataLossError(absl::StrCat("corrupt instance state at ", key));
  return instance;
}

}  // namespace

absl::StatusOr<v1::Instance> ProcessServiceImpl::StartedInstance(const std::string& request_id) const {
  REND_RETURN_IF_ERROR(ValidateRequestId(request_id));
  REND_ASSIGN_OR_RETURN(v1::Instance instance, engine_->LoadInstance(request_id));
  if (instance.state() == v1::INSTANCE_STATE_UNSPECIFIED) {
    return absl::NotFoundError(absl::StrCat("no process instance for request ", request_id));
  }
  return instance;
}

grpc::Status ProcessServiceImpl::ListDefinitions(grpc::ServerContext*, const v1::ListDefinitionsRequest*,
                                                 v1::ListDefinitionsResponse* response) {
  for (const ProcessDefinition* definition : engine_->definitions().All()) {
    v1::DefinitionSummary* summary = response->add_definitions();
    summary->set_definition_id(definition->id);
    summary->set_version(definition->version);
    std::string types;
    for (intake::v1::RequestType type : definition->request_types) {
      absl::StrAppend(&types, types.empty() ? "" : ",",
                      absl::StripPrefix(intake::v1::RequestType_Name(type), "REQUEST_TYPE_"));
    }
    summary->set_request_type(types);
    summary->set_name_hu(definition->name_hu);
    summary->set_name_en(definition->name_en);
    for (const StepDefinition& step : definition->steps) summary->add_step_ids(step.id);
  }
  return grpc::Status::OK;
}

grpc::Status ProcessServiceImpl::GetInstance(grpc::ServerContext*, const v1::GetInstanceRequest* request,
                                             v1::Instance* response) {
  absl::StatusOr<v1::Instance> instance = StartedInstance(request->request_id());
  if (!instance.ok()) return ToGrpcStatus(instance.status());
  *response = *std::move(instance);
  return grpc::Status::OK;
}

grpc::Status ProcessServiceImpl::GetStatus(grpc::ServerContext*, const v1::StatusRequest* request,
                                           v1::StatusResponse* response) {
  absl::StatusOr<v1::Instance> instance = StartedInstance(request->request_id());
  if (!instance.ok()) return ToGrpcStatus(instance.status());
  absl::Time now = engine_->Now();
  response->set_request_id(instance->request_id());
  response->set_state(instance->state());
  *response->mutable_as_of() = ToProtoTime(now);
  for (const v1::Task& task : instance->tasks()) {
    if (IsDone(task)) continue;
    v1::OpenStep* open = response->add_open_steps();
    *open->mutable_task() = task;
    open->set_late(IsLate(task, now));
    open->set_due_after_item_deadline(task.due_after_item_deadline());
  }
  if (instance->has_due_at()) *response->mutable_item_due_at() = instance->due_at();
  return grpc::Status::OK;
}

grpc::Status ProcessServiceImpl::GetTimeline(grpc::ServerContext*, const v1::StatusRequest* request,
                                             v1::TimelineResponse* response) {
  absl::StatusOr<v1::Instance> instance = StartedInstance(request->request_id());
  if (!instance.ok()) return ToGrpcStatus(instance.status());
  absl::Time now = engine_->Now();
  response->set_request_id(instance->request_id());
  // Skipped steps did not run, so the timeline leaves them out; GetInstance shows them.
  for (const v1::Task& task : instance->history()) {
    if (task.state() != v1::TASK_STATE_SKIPPED) *response->add_entries() = EntryOf(task, now);
  }
  for (const v1::Task& task : instance->tasks()) {
    if (task.state() != v1::TASK_STATE_SKIPPED) *response->add_entries() = EntryOf(task, now);
  }

  const ProcessDefinition* definition =
      engine_->definitions().Find(instance->definition_id(), instance->definition_version());
  if (definition == nullptr) return grpc::Status::OK;  // only the opened steps are known
  for (const StepDefinition& step : definition->steps) {
    if (FindTaskByStep(*instance, step.id) != nullptr) continue;
    v1::TimelineEntry* entry = response->add_entries();
    entry->set_step_id(step.id);
    entry->set_name_hu(step.name_hu);
    entry->set_name_en(step.name_en);
  }
  return grpc::Status::OK;
}

// Collects one page of matching tasks, resuming after the page token.
class ProcessServiceImpl::TaskPage {
 public:
  TaskPage(const v1::ListTasksRequest& request, v1::ListTasksResponse* response)
      : request_(request), response_(response), skip_until_(request.page_token()) {}

  // Adds the matching tasks of `instance`; returns false once the page is full.
  bool Add(const v1::Instance& instance) {
    for (const v1::Task& task : instance.tasks()) {
      if (!skip_until_.empty()) {
        if (task.task_id() == skip_until_) skip_until_.clear();
        continue;
      }
      if (!Matches(task, request_)) continue;
      if (request_.page_size() > 0 && response_->tasks_size() == request_.page_size()) {
        response_->set_next_page_token(response_->tasks(response_->tasks_size() - 1).task_id());
        return false;
      }
      *response_->add_tasks() = task;
    }
    skip_until_.clear();  // the token's task is gone: resume with the next instance
    return true;
  }

 private:
  const v1::ListTasksRequest& request_;
  v1::ListTasksResponse* response_;
  std::string skip_until_;
};

absl::Status ProcessServiceImpl::ScanTasks(const v1::ListTasksRequest& request, TaskPage& page) const {
  std::string token_request;
  std::string token_step;
  if (!request.page_token().empty() && !SplitTaskId(request.page_token(), &token_request, &token_step)) {
    return FieldError("page_token", "is not a next_page_token of ListTasks");
  }
  if (!request.request_id().empty()) {
    absl::StatusOr<v1::Instance> instance = StartedInstance(request.request_id());
    if (absl::IsNotFound(instance.status())) return absl::OkStatus();  // no instance, no tasks
    REND_RETURN_IF_ERROR(instance.status());
    page.Add(*instance);
    return absl::OkStatus();
  }

  // NOTE: this scans the instances linearly, which suits a few thousand
  // items. A role and holder index belongs here once that grows.
  absl::Status status = absl::OkStatus();
  const std::string prefix = request.include_completed() ? "instance/" : "running/";
  auto visit = [&](const std::string& key, const std::string& value) {
    absl::StatusOr<v1::Instance> instance =
        request.include_completed() ? ParseInstance(key, value)
                                    : engine_->LoadInstance(std::string(absl::StripPrefix(key, prefix)));
    status = instance.status();
    return status.ok() && page.Add(*instance);
  };
  std::string start = token_request.empty() ? "" : prefix + token_request;
  REND_RETURN_IF_ERROR(store_->ScanState(InstanceProjection::kName, prefix, visit, start));
  return status;
}

grpc::Status ProcessServiceImpl::ListTasks(grpc::ServerContext*, const v1::ListTasksRequest* request,
                                           v1::ListTasksResponse* response) {
  if (request->page_size() < 0 || request->page_size() > kMaxPageSize) {
    return ToGrpcStatus(FieldError("page_size", absl::StrCat("must be 0..", kMaxPageSize)));
  }
  TaskPage page(*request, response);
  return ToGrpcStatus(ScanTasks(*request, page));
}

grpc::Status ProcessServiceImpl::ClaimTask(grpc::ServerContext*, const v1::ClaimTaskRequest* request,
                                           v1::TaskResponse* response) {
  absl::Status status = es::ValidateContext(request->context());
  if (!status.ok()) return ToGrpcStatus(status);
  if (request->task_id().empty()) return ToGrpcStatus(FieldError("task_id", "must not be empty"));

  // A claim by the current holder changes nothing, so nothing is written.
  std::string request_id;
  std::string step_id;
  if (SplitTaskId(request->task_id(), &request_id, &step_id)) {
    absl::StatusOr<v1::Instance> instance = engine_->LoadInstance(request_id);
    const v1::Task* task = instance.ok() ? FindTask(*instance, request->task_id()) : nullptr;
    if (task != nullptr && task->state() == v1::TASK_STATE_CLAIMED && task->holder() == request->context().actor()) {
      *response->mutable_task() = *task;
      return grpc::Status::OK;
    }
  }
  status = es::ExecuteCommand(*store_, request->context(), *request, response, [&] {
    return engine_->DecideClaim(request->task_id(), request->context().actor(), response->mutable_task());
  });
  if (status.ok()) spdlog::info("task {} claimed by {}", request->task_id(), request->context().actor());
  return ToGrpcStatus(status);
}

grpc::Status ProcessServiceImpl::CompleteTask(grpc::ServerContext*, const v1::CompleteTaskRequest* request,
                                              v1::TaskResponse* response) {
  if (request->task_id().empty()) return ToGrpcStatus(FieldError("task_id", "must not be empty"));
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response, [&] {
    return engine_->DecideComplete(request->task_id(), request->context().actor(), request->output(),
                                   response->mutable_task());
  });
  if (status.ok()) spdlog::info("task {} completed by {}", request->task_id(), request->context().actor());
  return ToGrpcStatus(status);
}

}  // namespace rend::process
