// ApprovalProjection: one applier per approval event type.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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
  *approval.add_decisions() = decided.decision();
  auto* missing = approval.mutable_missing_roles();
  missing->erase(std::remove(missing->begin(), missing->end(), decided.decision().role()), missing->end());
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
    return UpdateApproval(event, approved.approval_id(), state,
                          [](v1::Approval& a) { a.set_state(v1::APPROVAL_STATE_APPROVED); });
  }
  if (event.payload().UnpackTo(&rejected)) {
    return UpdateApproval(event, rejected.approval_id(), state,
                          [](v1::Approval& a) { a.set_state(v1::APPROVAL_STATE_REJECTED); });
  }
  return absl::OkStatus();  // not an event this projection keeps
}

}  // namespace rend::approval
