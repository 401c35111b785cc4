// ApprovalProjection: one applier per approval event type.
#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "services/approval/approval_service.h"

namespace rend::approval {
namespace {

std::string DueDigits(absl::Time time) {
  int64_t micros = absl::ToUnixMicros(time);
  return absl::StrFormat("%020d", micros < 0 ? 0 : micros);
}

// The escalation keys `approval` should have: one per role that waits for
// its escalation, none once the approval is no longer pending.
std::map<std::string, std::string> EscalationKeys(const v1::Approval& approval) {
  std::map<std::string, std::string> keys;
  if (approval.state() != v1::APPROVAL_STATE_PENDING) return keys;
  for (const v1::RoleApproval& role : approval.roles()) {
    if (!role.has_escalate_at() || role.escalated() || role.approved()) continue;
    keys[EscalationKey(FromProtoTime(role.escalate_at()), approval.approval_id(), role.role())] = role.role();
  }
  return keys;
}

// Brings the escalation index from the timers of `before` to those of `after`.
absl::Status SyncEscalations(const v1::Approval& before, const v1::Approval& after, es::StateWriter& state) {
  std::map<std::string, std::string> old_keys = EscalationKeys(before);
  std::map<std::string, std::string> new_keys = EscalationKeys(after);
  for (const auto& [key, role] : old_keys) {
    if (new_keys.count(key) == 0) REND_RETURN_IF_ERROR(state.Delete(key));
  }
  for (const auto& [key, role] : new_keys) {
    if (old_keys.count(key) == 0) REND_RETURN_IF_ERROR(state.Put(key, role));
  }
  return absl::OkStatus();
}

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
  REND_RETURN_IF_ERROR(SyncEscalations(v1::Approval(), approval, state));

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
  REND_RETURN_IF_ERROR(SyncEscalations(approval, v1::Approval(), state));
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
  v1::Approval before = approval;
  change(approval);
  approval.set_version(event.stream_version());
  REND_RETURN_IF_ERROR(state.PutProto(ApprovalKey(approval_id), approval));
  REND_RETURN_IF_ERROR(SyncEscalations(before, approval, state));
  if (approval.state() == v1::APPROVAL_STATE_PENDING) return absl::OkStatus();
  return state.Delete(PendingKey(approval_id));
}

void ApplyEscalated(const v1::ApprovalEscalated& escalated, v1::Approval& approval) {
  for (v1::RoleApproval& role : *approval.mutable_roles()) {
    if (role.role() == escalated.role()) role.set_escalated(true);
  }
  v1::HistoryEntry* entry = approval.add_history();
  entry->set_kind(v1::HISTORY_KIND_ESCALATED);
  *entry->mutable_at() = escalated.escalated_at();
  entry->set_role(escalated.role());
  entry->set_detail(escalated.escalated_to().empty()
                        ? "waited too long; no approver has a manager to escalate to"
                        : absl::StrCat("escalated to ", absl::StrJoin(escalated.escalated_to(), ", ")));
}

absl::Status ApplyDelegationGranted(const v1::DelegationGranted& granted, es::StateWriter& state) {
  const v1::Delegation& delegation = granted.delegation();
  REND_RETURN_IF_ERROR(state.PutProto(DelegationKey(delegation.delegation_id()), delegation));
  REND_RETURN_IF_ERROR(state.Put(GivenKey(delegation.delegator(), delegation.delegation_id()), ""));
  return state.Put(ReceivedKey(delegation.delegate(), delegation.delegation_id()), "");
}

// Keeps the revoked delegation, with revoked_at, so history can show it.
absl::Status ApplyDelegationRevoked(const v1::DelegationRevoked& revoked, es::StateWriter& state) {
  v1::Delegation delegation;
  REND_ASSIGN_OR_RETURN(bool found, state.GetProto(DelegationKey(revoked.delegation_id()), delegation));
  if (!found) {
    return absl::InternalError(absl::StrCat("DelegationRevoked for unknown delegation ", revoked.delegation_id()));
  }
  *delegation.mutable_revoked_at() = revoked.revoked_at();
  return state.PutProto(DelegationKey(revoked.delegation_id()), delegation);
}

// Appliers of the events that are not about one approval's decisions.
absl::Status ApplyOtherEvent(const es::EventRecord& event, es::StateWriter& state) {
  v1::ApprovalVoided voided;
  if (event.payload().UnpackTo(&voided)) return ApplyVoided(voided, state);
  v1::ApprovalEscalated escalated;
  if (event.payload().UnpackTo(&escalated)) {
    return UpdateApproval(event, escalated.approval_id(), state, [&](v1::Approval& a) { ApplyEscalated(escalated, a); });
  }
  v1::DelegationGranted granted;
  if (event.payload().UnpackTo(&granted)) return ApplyDelegationGranted(granted, state);
  v1::DelegationRevoked revoked;
  if (event.payload().UnpackTo(&revoked)) return ApplyDelegationRevoked(revoked, state);
  return absl::OkStatus();  // not an event this projection keeps
}

}  // namespace

std::string EscalationKey(absl::Time escalate_at, absl::string_view approval_id, absl::string_view role) {
  return absl::StrCat(kEscalationPrefix, DueDigits(escalate_at), "/", approval_id, "/", role);
}

std::string EscalationKeyLimit(absl::Time time) {
  // '0' sorts after '/', so every key due at `time` or earlier is below it.
  return absl::StrCat(kEscalationPrefix, DueDigits(time), "0");
}

std::string DelegationKey(absl::string_view delegation_id) { return absl::StrCat("delegation/", delegation_id); }
std::string GivenKey(absl::string_view delegator, absl::string_view delegation_id) {
  return absl::StrCat("given/", delegator, "/", delegation_id);
}
std::string ReceivedKey(absl::string_view delegate, absl::string_view delegation_id) {
  return absl::StrCat("received/", delegate, "/", delegation_id);
}

bool ScheduleOpenStage(const google::protobuf::Timestamp& escalate_at, v1::Approval& approval) {
  uint32_t open_stage = UINT32_MAX;
  for (const v1::RoleApproval& role : approval.roles()) {
    if (!role.approved()) open_stage = std::min(open_stage, role.stage());
  }
  bool scheduled = false;
  for (v1::RoleApproval& role : *approval.mutable_roles()) {
    if (role.approved() || role.stage() != open_stage || role.has_escalate_at()) continue;
    *role.mutable_escalate_at() = escalate_at;
    scheduled = true;
  }
  return scheduled;
}

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
  if (!decision.delegation_id().empty()) {
    absl::StrAppend(entry->mutable_detail(), " (on behalf of ", decision.on_behalf_of(), ", delegation ",
                    decision.delegation_id(), ")");
  }

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
  if (decided.has_next_stage_escalate_at()) ScheduleOpenStage(decided.next_stage_escalate_at(), approval);
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
  return ApplyOtherEvent(event, state);
}

}  // namespace rend::approval
