// ProcessServiceImpl: the gRPC API of the process service. Commands go
// through es::ExecuteCommand and the ProcessEngine's deciders; queries read
// the InstanceProjection. "Late" means the engine's clock is past the task's
// due time (for a completed task: it completed after its due time).
//
// Thread safety: thread-safe.
#ifndef REND_SERVICES_PROCESS_PROCESS_SERVICE_H_
#define REND_SERVICES_PROCESS_PROCESS_SERVICE_H_

#include "libs/es/event_store.h"
#include "rend/process/v1/process.grpc.pb.h"
#include "services/process/process_engine.h"

namespace rend::process {

class ProcessServiceImpl final : public v1::ProcessService::Service {
 public:
  // `store` and `engine` are not owned and must outlive the service.
  ProcessServiceImpl(es::EventStore* store, const ProcessEngine* engine) : store_(store), engine_(engine) {}

  grpc::Status ListDefinitions(grpc::ServerContext* context, const v1::ListDefinitionsRequest* request,
                               v1::ListDefinitionsResponse* response) override;
  // NOT_FOUND when the request has no started instance.
  grpc::Status GetInstance(grpc::ServerContext* context, const v1::GetInstanceRequest* request,
                           v1::Instance* response) override;
  grpc::Status GetStatus(grpc::ServerContext* context, const v1::StatusRequest* request,
                         v1::StatusResponse* response) override;
  // One entry per step: the opened ones in opening order, then the steps not
  // yet opened in definition order, without times.
  grpc::Status GetTimeline(grpc::ServerContext* context, const v1::StatusRequest* request,
                           v1::TimelineResponse* response) override;
  // Without a request_id filter, scans the running instances, or every
  // instance when include_completed is set.
  grpc::Status ListTasks(grpc::ServerContext* context, const v1::ListTasksRequest* request,
                         v1::ListTasksResponse* response) override;
  // A claim by the task's current holder returns the task unchanged and
  // writes nothing.
  grpc::Status ClaimTask(grpc::ServerContext* context, const v1::ClaimTaskRequest* request,
                         v1::TaskResponse* response) override;
  grpc::Status CompleteTask(grpc::ServerContext* context, const v1::CompleteTaskRequest* request,
                            v1::TaskResponse* response) override;

 private:
  // Returns the started instance of `request_id`; INVALID_ARGUMENT for a bad
  // id, NOT_FOUND when there is none.
  absl::StatusOr<v1::Instance> StartedInstance(const std::string& request_id) const;
  absl::Status AppendTasks(const v1::Instance& instance, const v1::ListTasksRequest& request,
                           v1::ListTasksResponse* response) const;

  es::EventStore* store_;
  const ProcessEngine* engine_;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_PROCESS_SERVICE_H_
