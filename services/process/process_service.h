// ProcessServiceImpl: the gRPC API of the process service. Commands go
// through es::ExecuteCommand and the ProcessEngine's deciders; queries read
// the InstanceProjection. "Late" means the engine's clock is past the task's
// due time (for a completed task: it completed after its due time).
//
// Thread safety: thread-safe.
#ifndef REND_SERVICES_PROCESS_PROCESS_SERVICE_H_
#define REND_SERVICES_PROCESS_PROCESS_SERVICE_H_

#include <functional>
#include <string>

#include "libs/es/event_store.h"
#include "rend/process/v1/process.grpc.pb.h"
#include "services/process/process_engine.h"
#include "services/process/timer_runner.h"

namespace rend::process {

class ProcessServiceImpl final : public v1::ProcessService::Service {
 public:
  // `store`, `engine` and `timers` are not owned and must outlive the
  // service. Without `timers`, FireDueTimers is UNIMPLEMENTED.
  ProcessServiceImpl(es::EventStore* store, const ProcessEngine* engine, TimerRunner* timers = nullptr)
      : store_(store), engine_(engine), timers_(timers) {}

  grpc::Status ListDefinitions(grpc::ServerContext* context, const v1::ListDefinitionsRequest* request,
                               v1::ListDefinitionsResponse* response) override;
  // NOT_FOUND when the request has no started instance.
  grpc::Status GetInstance(grpc::ServerContext* context, const v1::GetInstanceRequest* request,
                           v1::Instance* response) override;
  grpc::Status GetStatus(grpc::ServerContext* context, const v1::StatusRequest* request,
                         v1::StatusResponse* response) override;
  // One entry per step: the opened ones in opening order (steps reopened by
  // a loop once per round), then the steps not yet opened in definition
  // order, without times. Skipped steps have no entry.
  grpc::Status GetTimeline(grpc::ServerContext* context, const v1::StatusRequest* request,
                           v1::TimelineResponse* response) override;
  // Without a request_id filter, scans the running instances, or every
  // instance when include_completed is set. Tasks come ordered by request
  // id, then opening order. INVALID_ARGUMENT naming page_size (0..1000) or
  // an unusable page_token.
  grpc::Status ListTasks(grpc::ServerContext* context, const v1::ListTasksRequest* request,
                         v1::ListTasksResponse* response) override;
  // A claim by the task's current holder returns the task unchanged and
  // writes nothing.
  grpc::Status ClaimTask(grpc::ServerContext* context, const v1::ClaimTaskRequest* request,
                         v1::TaskResponse* response) override;
  grpc::Status CompleteTask(grpc::ServerContext* context, const v1::CompleteTaskRequest* request,
                            v1::TaskResponse* response) override;
  // The codes of ProcessEngine::DecideRelease, DecideReassign, DecideComment.
  grpc::Status ReleaseTask(grpc::ServerContext* context, const v1::ReleaseTaskRequest* request,
                           v1::TaskResponse* response) override;
  grpc::Status ReassignTask(grpc::ServerContext* context, const v1::ReassignTaskRequest* request,
                            v1::TaskResponse* response) override;
  grpc::Status CommentTask(grpc::ServerContext* context, const v1::CommentTaskRequest* request,
                           v1::TaskResponse* response) override;
  // Unfinished tasks of running instances that are late (past due_at) or
  // stalled (no activity for EngineOptions::stall_after); with `late` or
  // `stalled` set, only those. Paged as ListTasks, with the same errors.
  grpc::Status ListAttention(grpc::ServerContext* context, const v1::ListAttentionRequest* request,
                             v1::ListAttentionResponse* response) override;
  // Unfinished tasks of running instances per holder and per role.
  grpc::Status GetWorkload(grpc::ServerContext* context, const v1::WorkloadRequest* request,
                           v1::WorkloadResponse* response) override;
  // Opened-to-completed time of completed tasks per definition and step,
  // reopened rounds included; skipped steps do not count.
  grpc::Status GetStepTimes(grpc::ServerContext* context, const v1::StepTimesRequest* request,
                            v1::StepTimesResponse* response) override;
  // The codes of ProcessEngine::DecideDeploy and DecideMigrate.
  grpc::Status DeployDefinition(grpc::ServerContext* context, const v1::DeployDefinitionRequest* request,
                                v1::DeployDefinitionResponse* response) override;
  grpc::Status MigrateInstance(grpc::ServerContext* context, const v1::MigrateInstanceRequest* request,
                               v1::Instance* response) override;
  grpc::Status FireDueTimers(grpc::ServerContext* context, const v1::FireDueTimersRequest* request,
                             v1::FireDueTimersResponse* response) override;

 private:
  // Returns the started instance of `request_id`; INVALID_ARGUMENT for a bad
  // id, NOT_FOUND when there is none.
  absl::StatusOr<v1::Instance> StartedInstance(const std::string& request_id) const;
  class TaskPage;
  // Calls `visit` for each started instance (running ones only, unless
  // `include_completed`) from request id `start` on, until it returns false.
  absl::Status ScanInstances(bool include_completed, const std::string& start,
                             const std::function<bool(const v1::Instance&)>& visit) const;
  absl::Status ScanTasks(const v1::ListTasksRequest& request, TaskPage& page) const;

  es::EventStore* store_;
  const ProcessEngine* engine_;
  TimerRunner* timers_;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_PROCESS_SERVICE_H_
