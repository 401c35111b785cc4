// ApprovalServiceImpl: the gRPC API of the approval service, its projection,
// and its consumer of costing's events.
//
// Each prepared quote version gets one approval on the stream
// "approval-<quote_id>-v<quote_version>", with the roles the policy
// requires. Decide records one person's decision on one role. The approval
// is granted (QuoteApproved, in the same append as the last decision) when
// every required role approves, and rejected (QuoteRejected) by the first
// rejection. Rules, each enforced by Decide:
//   - the decider holds the policy's approver role (PERMISSION_DENIED);
//   - the person who prepared the quote cannot decide on it (PERMISSION_DENIED);
//   - one person decides at most one role of an approval (FAILED_PRECONDITION),
//     and counts once for it however often they approve (Decision.counted);
//   - a role needs its policy's number of distinct approvers, and waits until
//     every role of an earlier stage is granted (FAILED_PRECONDITION);
//   - a new quote version voids the previous version's pending or granted
//     approval (ApprovalVoided, on the new version's stream);
//   - only the latest quote version can be decided (FAILED_PRECONDITION).
//
// The projection "approvals" keeps:
//   approval/<approval_id>  -> rend.approval.v1.Approval
//   pending/<approval_id>   -> "" while pending and not superseded
//   latest/<quote_id>       -> latest quote version, decimal
//
// Thread safety: thread-safe. Concurrent decisions on one approval are
// serialized by the store; the loser gets ABORTED and may retry.
#ifndef REND_SERVICES_APPROVAL_APPROVAL_SERVICE_H_
#define REND_SERVICES_APPROVAL_APPROVAL_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "libs/directory/people.h"
#include "libs/es/event_store.h"
#include "libs/es/projection.h"
#include "rend/approval/v1/approval.grpc.pb.h"
#include "rend/costing/v1/costing.pb.h"
#include "services/approval/approval_policy.h"

namespace rend::approval {

class ApprovalProjection final : public es::Projection {
 public:
  static constexpr const char* kName = "approvals";
  std::string name() const override { return kName; }
  absl::Status Apply(const es::EventRecord& event, es::StateWriter& state) override;
};

// Returns "approval-<quote_id>-v<quote_version>", the approval's id and stream.
std::string ApprovalId(const std::string& quote_id, uint32_t quote_version);

// Projection keys.
std::string ApprovalKey(absl::string_view approval_id);
std::string PendingKey(absl::string_view approval_id);
std::string LatestKey(absl::string_view quote_id);

// Applier of ApprovalDecided, shared by the projection and Decide's response:
// records the decision and removes its role from the missing roles.
void ApplyDecided(const v1::ApprovalDecided& decided, v1::Approval& approval);

// Applier of QuoteApproved and QuoteRejected, shared with Decide's response:
// sets `state` and adds the history entry, dated at the last decision or,
// without decisions, at `fallback_time`.
void ApplyClosed(v1::ApprovalState state, const std::string& detail, const google::protobuf::Timestamp& fallback_time,
                 v1::Approval& approval);

class ApprovalServiceImpl final : public rend::approval::v1::ApprovalService::Service {
 public:
  // None of the arguments is owned; all must outlive the service. `store`
  // must have an ApprovalProjection.
  ApprovalServiceImpl(es::EventStore* store, const ApprovalPolicy* policy, const PeopleDirectory* people)
      : store_(store), policy_(policy), people_(people) {}

  grpc::Status GetApproval(grpc::ServerContext* context, const v1::GetApprovalRequest* request,
                           v1::Approval* response) override;
  grpc::Status Decide(grpc::ServerContext* context, const v1::DecideRequest* request,
                      v1::Approval* response) override;
  // Lists up to 500 pending approvals that `approver` may decide now.
  grpc::Status ListPending(grpc::ServerContext* context, const v1::ListPendingRequest* request,
                           v1::ListPendingResponse* response) override;

  // Consumer handler for costing's events: opens an approval (ApprovalRequested)
  // for each QuotePrepared, once; ignores everything else.
  absl::StatusOr<std::optional<es::AppendRequest>> HandleCostingEvent(const es::EventRecord& event) const;

 private:
  absl::StatusOr<es::AppendRequest> DecideDecision(const v1::DecideRequest& request, v1::Approval& response) const;
  // Checks that `actor` may decide `role` of `approval` now.
  absl::Status CheckDecider(const v1::Approval& approval, const std::string& actor, const std::string& role) const;
  // Returns NOT_FOUND for an unknown approval.
  absl::StatusOr<v1::Approval> LoadApproval(const std::string& approval_id) const;
  absl::StatusOr<uint32_t> LatestVersion(const std::string& quote_id) const;
  // Returns the ApprovalVoided for the approval of the quote's previous
  // latest version while it is pending or granted; nullopt otherwise.
  absl::StatusOr<std::optional<v1::ApprovalVoided>> VoidPrevious(const rend::costing::v1::Quote& quote) const;
  // True when `approver` may decide one of the approval's missing roles.
  bool MayDecide(const v1::Approval& approval, const std::string& approver) const;

  es::EventStore* store_;
  const ApprovalPolicy* policy_;
  const PeopleDirectory* people_;
};

}  // namespace rend::approval

#endif  // REND_SERVICES_APPROVAL_APPROVAL_SERVICE_H_
