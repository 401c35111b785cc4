// ApprovalChecker: the source costing reads a quote version's approval from.
// SendQuote calls it before recording a quote as sent. The production
// implementation calls the approval service over gRPC, and unit tests pass a
// double.
//
// Thread safety: implementations must be thread-safe.
#ifndef REND_SERVICES_COSTING_APPROVAL_CHECKER_H_
#define REND_SERVICES_COSTING_APPROVAL_CHECKER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rend/approval/v1/approval.grpc.pb.h"

namespace rend::costing {

class ApprovalChecker {
 public:
  virtual ~ApprovalChecker() = default;
  // Returns the approval of one quote version. Errors: NOT_FOUND when the
  // approval service has no approval for it (yet), UNAVAILABLE when the
  // service cannot be reached or its reply times out.
  virtual absl::StatusOr<rend::approval::v1::Approval> GetApproval(const std::string& quote_id,
                                                                   uint32_t quote_version) = 0;
};

// Calls rend.approval.v1.ApprovalService at a gRPC address.
class GrpcApprovalChecker final : public ApprovalChecker {
 public:
  // Connects lazily: an unreachable address fails the first call, not this.
  explicit GrpcApprovalChecker(const std::string& address, absl::Duration timeout = absl::Seconds(5));

  absl::StatusOr<rend::approval::v1::Approval> GetApproval(const std::string& quote_id,
                                                           uint32_t quote_version) override;

 private:
  std::unique_ptr<rend::approval::v1::ApprovalService::Stub> stub_;
  absl::Duration timeout_;
};

}  // namespace rend::costing

#endif  // REND_SERVICES_COSTING_APPROVAL_CHECKER_H_
