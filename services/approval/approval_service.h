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
// Delegation: an approver lets another person decide for them for a period
// [starts_at, ends_at), for one approval role or for all of theirs
// (DelegationGranted on "delegation-<delegator>"). The delegate must be a
// person of the directory but need not hold the approver role. A delegate
// who lacks the role themselves decides "on behalf of" the delegator. Then
// every rule above holds for both people. Neither may have prepared the
// quote or decided another role of the approval, and a role counts each of
// them at most once.
// Revoking (DelegationRevoked) ends a delegation at once.
//
// Escalation: when the roles of a stage open (at the request, or with the
// decision that grants the earlier stage), each gets escalate_at = now +
// ApprovalOptions::escalation_after. The timer pass (EscalateDue) appends
// one ApprovalEscalated per role still undecided at that time, addressed
// to the managers of the people holding the role's approver role. The
// event marks the role escalated, and a decision that grants the role, a
// rejection or a void removes the timer, each in the same write. Because
// only the timer pass appends escalations, replaying the log fires nothing.
//
// The projection "approvals" keeps:
//   approval/<approval_id>  -> rend.approval.v1.Approval
//   pending/<approval_id>   -> "" while pending and not superseded
//   latest/<quote_id>       -> latest quote version, decimal
//   escalation/<escalate_at, 20-digit Unix microseconds>/<approval_id>/<role>
//                           -> role, one per role waiting for escalation
//   delegation/<delegation_id>              -> rend.approval.v1.Delegation
//   given/<delegator>/<delegation_id>       -> ""
//   received/<delegate>/<delegation_id>     -> ""
//
// Thread safety: thread-safe. Concurrent decisions on one approval are
// serialized by the store; the loser gets ABORTED and may retry.
#ifndef REND_SERVICES_APPROVAL_APPROVAL_SERVICE_H_
#define REND_SERVICES_APPROVAL_APPROVAL_SERVICE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
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
std::string EscalationKey(absl::Time escalate_at, absl::string_view approval_id, absl::string_view role);
// Returns the escalation keys that sort before every key due after `time`.
std::string EscalationKeyLimit(absl::Time time);
std::string DelegationKey(absl::string_view delegation_id);
std::string GivenKey(absl::string_view delegator, absl::string_view delegation_id);
std::string ReceivedKey(absl::string_view delegate, absl::string_view delegation_id);
inline constexpr const char* kEscalationPrefix = "escalation/";

// Sets escalate_at to `escalate_at` on each missing role of the lowest
// stage still missing that has none yet. Returns whether it set any.
// Shared by the deciders, which use it to test, and the appliers.
bool ScheduleOpenStage(const google::protobuf::Timestamp& escalate_at, v1::Approval& approval);

// Applier of ApprovalDecided, shared by the projection and Decide's response:
// records the decision and removes its role from the missing roles.
void ApplyDecided(const v1::ApprovalDecided& decided, v1::Approval& approval);

// Applier of QuoteApproved and QuoteRejected, shared with Decide's response:
// sets `state` and adds the history entry, dated at the last decision or,
// without decisions, at `fallback_time`.
void ApplyClosed(v1::ApprovalState state, const std::string& detail, const google::protobuf::Timestamp& fallback_time,
                 v1::Approval& approval);

struct ApprovalOptions {
  // Elapsed (wall-clock, not business) time a role may wait for its
  // decision before it escalates. Zero: roles never escalate.
  absl::Duration escalation_after = absl::Hours(24);
  size_t max_escalations_per_pass = 1000;  // later ones wait for the next pass
};

class ApprovalServiceImpl final : public rend::approval::v1::ApprovalService::Service {
 public:
  // None of the arguments is owned; all must outlive the service. `store`
  // must have an ApprovalProjection.
  // `clock` supplies every time the deciders record.
  ApprovalServiceImpl(es::EventStore* store, const ApprovalPolicy* policy, const PeopleDirectory* people,
                      ApprovalOptions options = {}, std::function<absl::Time()> clock = absl::Now)
      : store_(store), policy_(policy), people_(people), options_(options), clock_(std::move(clock)) {}

  grpc::Status GetApproval(grpc::ServerContext* context, const v1::GetApprovalRequest* request,
                           v1::Approval* response) override;
  grpc::Status Decide(grpc::ServerContext* context, const v1::DecideRequest* request,
                      v1::Approval* response) override;
  // Lists up to 500 pending approvals that `approver` may decide now.
  grpc::Status ListPending(grpc::ServerContext* context, const v1::ListPendingRequest* request,
                           v1::ListPendingResponse* response) override;

  // Delegation (approval_delegation.cc). Delegate: INVALID_ARGUMENT naming
  // delegate, role, starts_at or ends_at; NOT_FOUND for an unknown
  // delegate; PERMISSION_DENIED when context.actor may not decide the role
  // (or any role) themselves.
  grpc::Status Delegate(grpc::ServerContext* context, const v1::DelegateRequest* request,
                        v1::Delegation* response) override;
  // Lists up to 500 delegations given by `person`, revoked and ended ones
  // included, in id order; NOT_FOUND for an unknown person.
  grpc::Status ListDelegations(grpc::ServerContext* context, const v1::ListDelegationsRequest* request,
                               v1::ListDelegationsResponse* response) override;
  // NOT_FOUND for an unknown delegation_id, PERMISSION_DENIED when
  // context.actor is not the delegator, FAILED_PRECONDITION when it was
  // already revoked or has ended.
  grpc::Status RevokeDelegation(grpc::ServerContext* context, const v1::RevokeDelegationRequest* request,
                                v1::Delegation* response) override;

  // Escalation (approval_escalation.cc). Runs EscalateDue.
  grpc::Status FireDueEscalations(grpc::ServerContext* context, const v1::FireDueEscalationsRequest* request,
                                  v1::FireDueEscalationsResponse* response) override;
  // Appends ApprovalEscalated for every role whose escalate_at is at or
  // before the clock, up to max_escalations_per_pass, and returns how many
  // it appended. An append that lost a race (ABORTED) is decided again next
  // pass. Other append errors are logged, so one role cannot block the
  // rest. An error reading the index is returned.
  absl::StatusOr<int> EscalateDue() const;

  // Consumer handler for costing's events: opens an approval (ApprovalRequested)
  // for each QuotePrepared, once; ignores everything else.
  absl::StatusOr<std::optional<es::AppendRequest>> HandleCostingEvent(const es::EventRecord& event) const;

 private:
  absl::StatusOr<es::AppendRequest> DecideDecision(const v1::DecideRequest& request, v1::Approval& response) const;
  // The person a decision counts for, and the delegation that lets the
  // actor decide for them; `delegation_id` is empty in the actor's own right.
  struct Authority {
    std::string principal;
    std::string delegation_id;
  };
  // Returns FAILED_PRECONDITION unless `approval` is pending, of the latest
  // quote version, and needs `role`.
  absl::Status CheckDecidable(const v1::Approval& approval, const std::string& role) const;
  // Sets decided.next_stage_escalate_at when the decision opens a stage
  // whose roles have no escalate_at yet.
  void MaybeScheduleNextStage(const v1::Approval& approval, absl::Time now, v1::ApprovalDecided& decided) const;
  // Adds the policy's entries of the `required` roles to a new approval.
  void AddRoles(const std::vector<std::string>& required, v1::Approval& approval) const;
  // Checks that `actor` may decide `role` of `approval` now and returns the
  // authority they decide with.
  absl::StatusOr<Authority> CheckDecider(const v1::Approval& approval, const std::string& actor,
                                         const std::string& role) const;
  // Returns the actor's own authority when they hold `approver_role`, else
  // the first delegation in effect that lets them decide `role`.
  absl::StatusOr<Authority> ResolveAuthority(const v1::Approval& approval, const std::string& actor,
                                             const std::string& role, const std::string& approver_role) const;
  // Returns the delegations received by `delegate` that are in effect now
  // and cover `role` of a delegator holding `approver_role`.
  absl::StatusOr<std::vector<v1::Delegation>> DelegationsInEffect(const std::string& delegate, const std::string& role,
                                                                  const std::string& approver_role) const;
  absl::StatusOr<es::AppendRequest> DelegateDecision(const v1::DelegateRequest& request,
                                                     v1::Delegation& response) const;
  absl::StatusOr<es::AppendRequest> RevokeDecision(const v1::RevokeDelegationRequest& request,
                                                   v1::Delegation& response) const;
  // Returns NOT_FOUND for an unknown delegation.
  absl::StatusOr<v1::Delegation> LoadDelegation(const std::string& delegation_id) const;
  // Returns the delegations given by the approval's possible approvers that
  // overlap its lifetime, for GetApproval.
  absl::StatusOr<std::vector<v1::Delegation>> DelegationsDuring(const v1::Approval& approval) const;
  // Returns the ApprovalEscalated append for `role` of `approval_id` when it
  // is still due at `escalate_at`. Returns nullopt when the role was
  // decided, escalated or rescheduled since the index was read.
  absl::StatusOr<std::optional<es::AppendRequest>> DecideEscalation(const std::string& approval_id,
                                                                    const std::string& role,
                                                                    absl::Time escalate_at) const;
  // Returns the sorted, distinct managers of the people who hold `approver_role`.
  std::vector<std::string> ManagersOf(const std::string& approver_role) const;
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
  const ApprovalOptions options_;
  const std::function<absl::Time()> clock_;
};

}  // namespace rend::approval

#endif  // REND_SERVICES_APPROVAL_APPROVAL_SERVICE_H_
