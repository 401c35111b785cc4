// ApprovalProjection: one applier per approval event type.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/common/status.h"
#include "services/approval/approval_service.h"

namespace rend::approval {
namespace {

// Opens the approval and drops the previous version of the quote from the
// pending index, since only the latest version can be decided.
absl::Status ApplyRequested(const es::EventRecord& event, const v1::ApprovalRequested& requested,
                            es::StateWriter& state) {
  v1::Approval approval = requested.approval();
  approval.set_version(event.stream_version());
  v1::HistoryEntry* entry = approval.add_history();
  entry->set_kind(v1::HISTORY_KIND_REQUESTED);
  *entry->mutable_at() = event.time();
  entry->set_detail(absl::StrJoin(approval.required_roles(), ", "));
  REND_RETURN_IF_ERROR(state.PutProto(ApprovalKey(approval.approval_id()), approval));

  REND_ASSIGN_OR_RETURN(std::optional<std::string> latest, state.Get(LatestKey(approval.quote_id())));
  uint32_t previous = 0;
  if (latest && absl::SimpleAtoi(*latest, &previous) && previous < approval.quote_version()) {
    REND_RETURN_IF_ERROR(state.Delete(PendingKey(ApprovalId(approval.quote_id(), previous))));
  }
  if (previous > approval.quote_version()) return absl::OkStatus();
  REND_RETURN_IF_ERROR(state.Put(LatestKey(approval.quote_id()), absl::StrCat(approval.quote_version())));
  if (approval.state() != v1::APPROVAL_STATE_PENDING) return absl::OkStatus();
  return state.Put(PendingKey(approval.approval_id()), "");
}

// Marks the voided approval, which lives on another stream, so its own
// version stays as it was.
absl::Status ApplyVoided(const v1::ApprovalVoided& voided, es::StateWriter& state) {
  v1::Approval approval;
  REND_ASSIGN_OR_RETURN(bool found, state.GetProto(ApprovalKey(voided.approval_id()), approval));
  if (!found) return absl::InternalError(absl::StrCat("ApprovalVoided for unknown approval ", voided.approval_id()));
  approval.set_state(v1::APPROVAL_STATE_VOIDED);
  v1::HistoryEntry* entry = approval.add_history();
  entry->set_kind(v1::HISTORY_KIND_VOIDED);
  *entry->mutable_at() = voided.voided_at();
  entry->set_detail(absl::StrCat("superseded by v", voided.superseded_by_version()));
  REND_RETURN_IF_ERROR(state.PutProto(ApprovalKey(voided.approval_id()), approval));
  return state.Delete(PendingKey(voided.approval_id()));
}

// Loads the approval, lets `change` modify it, and stores it at the event's
// version; the approval leaves the pending index once decided.
absl::Status UpdateApproval(const es::EventRecord& event, const std::string& approval_id, es::StateWriter& state,
                            const std::function<void(v1::Approval&)>& change) {
  v1::Approval approval;
  REND_ASSIGN_OR_RETURN(bool found, state.GetProto(ApprovalKey(approval_id), approval));
  if (!found) return absl::InternalError(absl::StrCat(event.type(), " for unknown approval ", approval_id));
  change(approval);
  approval.set_version(event.stream_version());
  REND_RETURN_IF_ERROR(state.PutProto(ApprovalKey(approval_id), approval));
  if (approval.state() == v1::APPROVAL_STATE_PENDING) return absl::OkStatus();
  return state.Delete(PendingKey(approval_id));
}

}  // namespace

std::string ApprovalKey(absl::string_view approval_id) { return absl::StrCat("approval/", approval_id); }
std::string PendingKey(absl::string_view approval_id) { return absl::StrCat("pending/", approval_id); }
std::string LatestKey(absl::string_view quote_id) { return absl::StrCat("latest/", quote_id); }

void ApplyDecided(const v1::ApprovalDecided& decided, v1::Approval& approval) {
  const v1::Decision& decision = decided.decision();
  *approval.add_decisions() = decision;
  v1::HistoryEntry* entry = approval.add_history();
  entry->set_kind(v1::HISTORY_KIND_DECIDED);
  *entry->mutable_at() = decision.decided_at();
  entry->set_role(decision.role());
  entry->set_actor(decision.approver());
  entry->set_on_behalf_of(decision.on_behalf_of());
  entry->set_detail(decision.approved() ? (decision.counted() ? "approved" : "approved again, not counted")
                                        : absl::StrCat("rejected: ", decision.reason()));

  // Approvals requested before roles were recorded need one approval per role.
  bool role_done = decision.approved();
  for (v1::RoleApproval& role : *approval.mutable_roles()) {
    if (role.role() != decision.role() || !decision.approved()) continue;
    if (decision.counted()) role.add_approvers(decision.on_behalf_of().empty() ? decision.approver()
                                                                               : decision.on_behalf_of());
    role.set_approved(static_cast<uint32_t>(role.approvers_size()) >= role.required_approvers());
    role_done = role.approved();
  }
  if (!role_done) return;
  auto* missing = approval.mutable_missing_roles();
  missing->erase(std::remove(missing->begin(), missing->end(), decision.role()), missing->end());
}

void ApplyClosed(v1::ApprovalState state, const std::string& detail, const google::protobuf::Timestamp& fallback_time,
                 v1::Approval& approval) {
  approval.set_state(state);
  v1::HistoryEntry* entry = approval.add_history();
  entry->set_kind(state == v1::APPROVAL_STATE_APPROVED ? v1::HISTORY_KIND_APPROVED : v1::HISTORY_KIND_REJECTED);
  // The closing decision's time, so Decide's response matches the projection.
  *entry->mutable_at() = approval.decisions().empty() ? fallback_time : approval.decisions().rbegin()->decided_at();
  entry->set_detail(detail);
}

std::string ApprovalId(const std::string& quote_id, uint32_t quote_version) {
  return absl::StrCat("approval-", quote_id, "-v", quote_version);
}

absl::Status ApprovalProjection::Apply(const es::EventRecord& event, es::StateWriter& state) {
  v1::ApprovalRequested requested;
  v1::ApprovalDecided decided;
  v1::QuoteApproved approved;
  v1::QuoteRejected rejected;
  if (event.payload().UnpackTo(&requested)) return ApplyRequested(event, requested, state);
  if (event.payload().UnpackTo(&decided)) {
    return UpdateApproval(event, decided.approval_id(), state, [&](v1::Approval& a) { ApplyDecided(decided, a); });
  }
  if (event.payload().UnpackTo(&approved)) {
    return UpdateApproval(event, approved.approval_id(), state, [&](v1::Approval& a) {
      ApplyClosed(v1::APPROVAL_STATE_APPROVED, "", event.time(), a);
    });
  }
  if (event.payload().UnpackTo(&rejected)) {
    return UpdateApproval(event, rejected.approval_id(), state, [&](v1::Approval& a) {
      ApplyClosed(v1::APPROVAL_STATE_REJECTED, rejected.reason(), event.time(), a);
    });
  }
  v1::ApprovalVoided voided;
  if (event.payload().UnpackTo(&voided)) return ApplyVoided(voided, state);
  return absl::OkStatus();  // not an event this projection keeps
}

}  // namespace rend::approval
