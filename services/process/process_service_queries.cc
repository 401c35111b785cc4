// Cross-instance queries of the process API: stalled and late tasks,
// workload per person and role, and time spent per step.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/time_util.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "services/process/instance_projection.h"
#include "services/process/instance_state.h"
#include "services/process/process_service.h"

namespace rend::process {
namespace {

constexpr int kMaxPageSize = 1000;

bool IsLateNow(const v1::Task& task, absl::Time now) {
  return !IsDone(task) && task.has_due_at() && now > FromProtoTime(task.due_at());
}

bool IsStalledNow(const v1::Task& task, absl::Time now, absl::Duration stall_after) {
  if (IsDone(task)) return false;
  const google::protobuf::Timestamp& last = task.has_last_activity_at() ? task.last_activity_at() : task.opened_at();
  return now - FromProtoTime(last) >= stall_after;
}

google::protobuf::Duration ToProtoDuration(absl::Duration duration) {
  return google::protobuf::util::TimeUtil::MicrosecondsToDuration(absl::ToInt64Microseconds(duration));
}

struct StepTotals {
  int count = 0;
  int late = 0;
  absl::Duration total;
  absl::Duration max;
};

void AddStepTime(const v1::Instance& instance, const v1::Task& task, std::map<std::pair<std::string, std::string>, StepTotals>& totals) {
  if (task.state() != v1::TASK_STATE_COMPLETED) return;
  absl::Duration spent = FromProtoTime(task.completed_at()) - FromProtoTime(task.opened_at());
  StepTotals& step = totals[{instance.definition_id(), task.step_id()}];
  ++step.count;
  step.total += spent;
  step.max = std::max(step.max, spent);
  if (task.has_due_at() && FromProtoTime(task.completed_at()) > FromProtoTime(task.due_at())) ++step.late;
}

}  // namespace

absl::Status ProcessServiceImpl::ScanInstances(bool include_completed, const std::string& start,
                                               const std::function<bool(const v1::Instance&)>& visit) const {
  const std::string prefix = include_completed ? "instance/" : "running/";
  absl::Status status = absl::OkStatus();
  auto visit_entry = [&](const std::string& key, const std::string& value) {
    v1::Instance instance;
    if (include_completed) {
      if (!instance.ParseFromString(value)) status = absl::DataLossError(absl::StrCat("corrupt instance at ", key));
    } else {
      absl::StatusOr<v1::Instance> loaded = engine_->LoadInstance(std::string(absl::StripPrefix(key, prefix)));
      status = loaded.status();
      if (loaded.ok()) instance = *std::move(loaded);
    }
    return status.ok() && (instance.state() == v1::INSTANCE_STATE_UNSPECIFIED || visit(instance));
  };
  REND_RETURN_IF_ERROR(store_->ScanState(InstanceProjection::kName, prefix, visit_entry, start.empty() ? "" : prefix + start));
  return status;
}

grpc::Status ProcessServiceImpl::ListAttention(grpc::ServerContext*, const v1::ListAttentionRequest* request,
                                               v1::ListAttentionResponse* response) {
  if (request->page_size() < 0 || request->page_size() > kMaxPageSize) {
    return ToGrpcStatus(FieldError("page_size", absl::StrCat("must be 0..", kMaxPageSize)));
  }
  std::string token_request;
  std::string token_step;
  if (!request->page_token().empty() && !SplitTaskId(request->page_token(), &token_request, &token_step)) {
    return ToGrpcStatus(FieldError("page_token", "is not a next_page_token of ListAttention"));
  }
  absl::Time now = engine_->Now();
  std::string skip_until = request->page_token();
  auto visit = [&](const v1::Instance& instance) {
    for (const v1::Task& task : instance.tasks()) {
      if (!skip_until.empty()) {
        if (task.task_id() == skip_until) skip_until.clear();
        continue;
      }
      if (!request->role().empty() && task.role() != request->role()) continue;
      if (!request->holder().empty() && task.holder() != request->holder()) continue;
      bool late = IsLateNow(task, now);
      bool stalled = IsStalledNow(task, now, engine_->options().stall_after);
      bool selected = (request->late() || request->stalled()) ? (!request->late() || late) && (!request->stalled() || stalled)
                                                           : late || stalled;
      if (!selected) continue;
      if (request->page_size() > 0 && response->items_size() == request->page_size()) {
        response->set_next_page_token(response->items(response->items_size() - 1).task().task_id());
        return false;
      }
      v1::AttentionItem* item = response->add_items();
      *item->mutable_task() = task;
      item->set_late(late);
      item->set_stalled(stalled);
    }
    skip_until.clear();
    return true;
  };
  return ToGrpcStatus(ScanInstances(/*include_completed=*/false, token_request, visit));
}

grpc::Status ProcessServiceImpl::GetWorkload(grpc::ServerContext*, const v1::WorkloadRequest* request,
                                             v1::WorkloadResponse* response) {
  absl::Time now = engine_->Now();
  std::map<std::string, v1::Workload> people;
  std::map<std::string, v1::Workload> roles;
  auto visit = [&](const v1::Instance& instance) {
    for (const v1::Task& task : instance.tasks()) {
      if (IsDone(task) || (!request->role().empty() && task.role() != request->role())) continue;
      bool late = IsLateNow(task, now);
      v1::Workload& role = roles[task.role()];
      role.set_key(task.role());
      if (task.holder().empty()) {
        role.set_open(role.open() + 1);
      } else {
        role.set_claimed(role.claimed() + 1);
      }
      role.set_late(role.late() + (late ? 1 : 0));
      if (task.holder().empty()) continue;
      v1::Workload& person = people[task.holder()];
      person.set_key(task.holder());
      person.set_claimed(person.claimed() + 1);
      person.set_late(person.late() + (late ? 1 : 0));
    }
    return true;
  };
  absl::Status status = ScanInstances(/*include_completed=*/false, "", visit);
  if (!status.ok()) return ToGrpcStatus(status);
  for (auto& [key, workload] : people) *response->add_people() = std::move(workload);
  for (auto& [key, workload] : roles) *response->add_roles() = std::move(workload);
  return grpc::Status::OK;
}

grpc::Status ProcessServiceImpl::GetStepTimes(grpc::ServerContext*, const v1::StepTimesRequest* request,
                                              v1::StepTimesResponse* response) {
  std::map<std::pair<std::string, std::string>, StepTotals> totals;
  auto visit = [&](const v1::Instance& instance) {
    if (!request->definition_id().empty() && instance.definition_id() != request->definition_id()) return true;
    if (!request->include_running() && instance.state() != v1::INSTANCE_STATE_COMPLETED) return true;
    for (const v1::Task& task : instance.history()) AddStepTime(instance, task, totals);
    for (const v1::Task& task : instance.tasks()) AddStepTime(instance, task, totals);
    return true;
  };
  // NOTE: a full scan of every instance, completed ones included; fine for
  // reports over thousands of items, not for a dashboard polled each second.
  absl::Status status = ScanInstances(/*include_completed=*/true, "", visit);
  if (!status.ok()) return ToGrpcStatus(status);
  for (const auto& [key, step] : totals) {
    v1::StepTime* time = response->add_steps();
    time->set_definition_id(key.first);
    time->set_step_id(key.second);
    time->set_count(step.count);
    time->set_late(step.late);
    *time->mutable_mean() = ToProtoDuration(step.total / step.count);
    *time->mutable_max() = ToProtoDuration(step.max);
  }
  return grpc::Status::OK;
}

}  // namespace rend::process
