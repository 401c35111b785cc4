// Task operations of the process API: release, reassign, comment, and the
// timer pass.
#include "absl/strings/str_cat.h"
#include "libs/common/status.h"
#include "libs/es/command.h"
#include "services/process/process_service.h"
#include "spdlog/spdlog.h"

namespace rend::process {

grpc::Status ProcessServiceImpl::ReleaseTask(grpc::ServerContext*, const v1::ReleaseTaskRequest* request,
                                             v1::TaskResponse* response) {
  if (request->task_id().empty()) return ToGrpcStatus(FieldError("task_id", "must not be empty"));
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response, [&] {
    return engine_->DecideRelease(request->task_id(), request->context().actor(), response->mutable_task());
  });
  if (status.ok()) spdlog::info("task {} released by {}", request->task_id(), request->context().actor());
  return ToGrpcStatus(status);
}

grpc::Status ProcessServiceImpl::ReassignTask(grpc::ServerContext*, const v1::ReassignTaskRequest* request,
                                              v1::TaskResponse* response) {
  if (request->task_id().empty()) return ToGrpcStatus(FieldError("task_id", "must not be empty"));
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response, [&] {
    return engine_->DecideReassign(request->task_id(), request->context().actor(), request->new_holder(),
                                   request->note(), response->mutable_task());
  });
  if (status.ok()) {
    spdlog::info("task {} reassigned to {} by {}", request->task_id(), request->new_holder(),
                 request->context().actor());
  }
  return ToGrpcStatus(status);
}

grpc::Status ProcessServiceImpl::CommentTask(grpc::ServerContext*, const v1::CommentTaskRequest* request,
                                             v1::TaskResponse* response) {
  if (request->task_id().empty()) return ToGrpcStatus(FieldError("task_id", "must not be empty"));
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response, [&] {
    return engine_->DecideComment(request->task_id(), request->context().actor(), request->text(),
                                  response->mutable_task());
  });
  if (status.ok()) spdlog::debug("task {} commented by {}", request->task_id(), request->context().actor());
  return ToGrpcStatus(status);
}

grpc::Status ProcessServiceImpl::FireDueTimers(grpc::ServerContext*, const v1::FireDueTimersRequest*,
                                               v1::FireDueTimersResponse* response) {
  if (timers_ == nullptr) return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "this server runs no timers");
  absl::StatusOr<int> fired = timers_->FireDue();
  if (!fired.ok()) return ToGrpcStatus(fired.status());
  response->set_fired(*fired);
  if (*fired > 0) spdlog::info("fired {} process timers", *fired);
  return grpc::Status::OK;
}

}  // namespace rend::process
