#include "services/costing/approval_checker.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/channel.h"

namespace rend::costing {

GrpcApprovalChecker::GrpcApprovalChecker(const std::string& address, absl::Duration timeout)
    // NOTE: plaintext gRPC, as the servers listen; TLS is the service mesh's job.
    : stub_(rend::approval::v1::ApprovalService::NewStub(CreateServiceChannel(address))),
      timeout_(timeout) {}

absl::StatusOr<rend::approval::v1::Approval> GrpcApprovalChecker::GetApproval(const std::string& quote_id,
                                                                              uint32_t quote_version) {
  rend::approval::v1::GetApprovalRequest request;
  request.set_quote_id(quote_id);
  request.set_quote_version(quote_version);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));

  rend::approval::v1::Approval approval;
  grpc::Status status = stub_->GetApproval(&context, request, &approval);
  if (status.ok()) return approval;
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(status.error_message());
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return absl::UnavailableError(absl::StrCat("approval service unavailable: ", status.error_message()));
    default:
      return absl::InternalError(absl::StrCat("approval service failed (code ", status.error_code(),
                                              "): ", status.error_message()));
  }
}

}  // namespace rend::costing

