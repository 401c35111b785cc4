// IntakeServiceImpl: the gRPC API of the intake service, and the projection
// of requests it reads from.
//
// Every request lives on the stream "request-<request_id>". The projection
// "requests" keeps:
//   request/<request_id>     -> rend.intake.v1.Request
//   order/<position, 20 digits> -> request_id, for listing in arrival order
//
// Thread safety: thread-safe.
#ifndef REND_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define REND_SERVICES_INTAKE_INTAKE_SERVICE_H_

#include "libs/es/event_store.h"
#include "libs/es/projection.h"
#include "rend/intake/v1/intake.grpc.pb.h"

namespace rend::intake {

class RequestProjection final : public es::Projection {
 public:
  static constexpr const char* kName = "requests";
  std::string name() const override { return kName; }
  absl::Status Apply(const es::EventRecord& event, es::StateWriter& state) override;
};

class IntakeServiceImpl final : public rend::intake::v1::IntakeService::Service {
 public:
  // `store` must outlive the service and have a RequestProjection.
  explicit IntakeServiceImpl(es::EventStore* store) : store_(store) {}

  grpc::Status SubmitRequest(grpc::ServerContext* context, const v1::SubmitRequestRequest* request,
                             v1::SubmitRequestResponse* response) override;
  grpc::Status GetRequest(grpc::ServerContext* context, const v1::GetRequestRequest* request,
                          v1::Request* response) override;
  grpc::Status ListRequests(grpc::ServerContext* context, const v1::ListRequestsRequest* request,
                            v1::ListRequestsResponse* response) override;

 private:
  es::EventStore* store_;
};

// Validates a submission; returns INVALID_ARGUMENT naming the first bad field.
absl::Status ValidateSubmission(const v1::SubmitRequestRequest& request);

}  // namespace rend::intake

#endif  // REND_SERVICES_INTAKE_INTAKE_SERVICE_H_
