#include "services/approval/approval_service.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/es/command.h"
#include "rend/costing/v1/costing.pb.h"
#include "spdlog/spdlog.h"

namespace rend::approval {
namespace {

constexpr size_t kMaxQuoteIdLength = 160;
constexpr size_t kMaxRoleLength = 64;
constexpr size_t kMaxReasonLength = 2000;
constexpr int kMaxPendingListed = 500;

std::string Describe(const v1::Approval& approval) {
  return absl::StrCat("quote ", approval.quote_id(), " v", approval.quote_version());
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

absl::Status ValidateDecide(const v1::DecideRequest& request) {
  REND_RETURN_IF_ERROR(RequireText("quote_id", request.quote_id(), kMaxQuoteIdLength));
  if (request.quote_version() == 0) return FieldError("quote_version", "must be at least 1");
  REND_RETURN_IF_ERROR(RequireText("role", request.role(), kMaxRoleLength));
  if (!request.approve()) return RequireText("reason", request.reason(), kMaxReasonLength);
  return OptionalText("reason", request.reason(), kMaxReasonLength);
}

// Returns FAILED_PRECONDITION naming the earlier stage's missing roles when
// `role` must wait for them.
absl::Status CheckStage(const v1::Approval& approval, const std::string& role) {
  uint32_t stage = 1;
  for (const v1::RoleApproval& entry : approval.roles()) {
    if (entry.role() == role) stage = entry.stage();
  }
  std::vector<std::string> waiting;
  for (const v1::RoleApproval& entry : approval.roles()) {
    if (entry.stage() < stage && !entry.approved()) waiting.push_back(entry.role());
  }
  if (waiting.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat("the ", role, " approval of ", Describe(approval),
                                                    " waits for the earlier stage: ", absl::StrJoin(waiting, ", ")));
}

// True when `person` decided or was decided for by a decision counted for `role`.
bool AlreadyCounted(const v1::Approval& approval, const std::string& role, const std::string& person) {
  for (const v1::RoleApproval& entry : approval.roles()) {
    if (entry.role() == role && Contains(entry.approvers(), person)) return true;
  }
  for (const v1::Decision& decision : approval.decisions()) {
    if (decision.role() != role || !decision.counted()) continue;
    if (decision.approver() == person || decision.on_behalf_of() == person) return true;
  }
  return false;
}

// Returns FAILED_PRECONDITION when `person` decided, or was decided for, on
// another role of `approval`: one person decides one role.
absl::Status CheckOneRolePerPerson(const v1::Approval& approval, const std::string& role, const std::string& person) {
  for (const v1::Decision& earlier : approval.decisions()) {
    if (earlier.role() == role) continue;
    if (earlier.approver() == person || earlier.on_behalf_of() == person) {
      return Localized(absl::FailedPreconditionError(absl::StrCat(person, " already decided the ", earlier.role(),
                                                                  " approval of ", Describe(approval),
                                                                  "; one person decides one role")),
                       "Egy személy egy árajánlatnál csak egyféle jóváhagyást adhat.",
                       "One person can give only one kind of approval on a quote.");
    }
  }
  return absl::OkStatus();
}

const char* StateName(v1::ApprovalState state) {
  switch (state) {
    case v1::APPROVAL_STATE_APPROVED:
      return "approved";
    case v1::APPROVAL_STATE_REJECTED:
      return "rejected";
    case v1::APPROVAL_STATE_VOIDED:
      return "voided";
    default:
      return "not pending";
  }
}

es::AppendRequest ApprovalAppend(const v1::Approval& approval, uint64_t expected_version) {
  es::AppendRequest append;
  append.stream_id = approval.approval_id();
  append.expected_version = expected_version;
  append.correlation_id = approval.request_id();
  return append;
}

// Appends to `append` the event that closes `approval` when `decision`
// rejects it or grants its last missing role, and applies it to `approval`.
void MaybeClose(const v1::Decision& decision, v1::Approval& approval, es::AppendRequest& append) {
  if (!decision.approved()) {
    v1::QuoteRejected rejected;
    rejected.set_approval_id(approval.approval_id());
    rejected.set_quote_id(approval.quote_id());
    rejected.set_quote_version(approval.quote_version());
    rejected.set_request_id(approval.request_id());
    rejected.set_reason(decision.reason());
    append.events.push_back(es::PackEvent(rejected));
    ApplyClosed(v1::APPROVAL_STATE_REJECTED, decision.reason(), decision.decided_at(), approval);
  } else if (approval.missing_roles().empty()) {
    v1::QuoteApproved approved;
    approved.set_approval_id(approval.approval_id());
    approved.set_quote_id(approval.quote_id());
    approved.set_quote_version(approval.quote_version());
    approved.set_request_id(approval.request_id());
    append.events.push_back(es::PackEvent(approved));
    ApplyClosed(v1::APPROVAL_STATE_APPROVED, "", decision.decided_at(), approval);
  }
}

}  // namespace

grpc::Status ApprovalServiceImpl::GetApproval(grpc::ServerContext*, const v1::GetApprovalRequest* request,
                                              v1::Approval* response) {
  absl::Status valid = RequireText("quote_id", request->quote_id(), kMaxQuoteIdLength);
  if (valid.ok() && request->quote_version() == 0) valid = FieldError("quote_version", "must be at least 1");
  if (!valid.ok()) return ToGrpcStatus(valid);
  absl::StatusOr<v1::Approval> approval = LoadApproval(ApprovalId(request->quote_id(), request->quote_version()));
  if (!approval.ok()) return ToGrpcStatus(approval.status());
  absl::StatusOr<std::vector<v1::Delegation>> delegations = DelegationsDuring(*approval);
  if (!delegations.ok()) return ToGrpcStatus(delegations.status());
  *response = *std::move(approval);
  for (v1::Delegation& delegation : *delegations) *response->add_delegations() = std::move(delegation);
  return grpc::Status::OK;
}

grpc::Status ApprovalServiceImpl::Decide(grpc::ServerContext*, const v1::DecideRequest* request,
                                         v1::Approval* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideDecision(*request, *response); });
  if (status.ok()) {
    spdlog::info("{} decided {} on {} ({})", request->context().actor(), request->role(), response->approval_id(),
                 request->approve() ? "approved" : "rejected");
  } else {
    spdlog::debug("decision on {} v{} rejected: {}", request->quote_id(), request->quote_version(), status.ToString());
  }
  return ToGrpcStatus(status);
}

absl::StatusOr<es::AppendRequest> ApprovalServiceImpl::DecideDecision(const v1::DecideRequest& request,
                                                                      v1::Approval& response) const {
  REND_RETURN_IF_ERROR(ValidateDecide(request));
  REND_ASSIGN_OR_RETURN(v1::Approval approval, LoadApproval(ApprovalId(request.quote_id(), request.quote_version())));
  const std::string& actor = request.context().actor();
  REND_ASSIGN_OR_RETURN(Authority authority, CheckDecider(approval, actor, request.role()));

  absl::Time now = clock_();
  v1::ApprovalDecided decided;
  decided.set_approval_id(approval.approval_id());
  v1::Decision* decision = decided.mutable_decision();
  decision->set_role(request.role());
  decision->set_approver(actor);
  decision->set_approved(request.approve());
  decision->set_reason(request.reason());
  *decision->mutable_decided_at() = ToProtoTime(now);
  if (!authority.delegation_id.empty()) {
    decision->set_on_behalf_of(authority.principal);
    decision->set_delegation_id(authority.delegation_id);
  }
  // One person counts once for a role, however often they approve it and
  // whether they decide for themselves or for a delegator.
  decision->set_counted(!AlreadyCounted(approval, request.role(), actor) &&
                        !AlreadyCounted(approval, request.role(), authority.principal));
  MaybeScheduleNextStage(approval, now, decided);

  es::AppendRequest append = ApprovalAppend(approval, approval.version());
  append.events.push_back(es::PackEvent(decided));
  response = approval;
  ApplyDecided(decided, response);
  MaybeClose(*decision, response, append);
  response.set_version(approval.version() + append.events.size());
  return append;
}

void ApprovalServiceImpl::MaybeScheduleNextStage(const v1::Approval& approval, absl::Time now,
                                                 v1::ApprovalDecided& decided) const {
  if (options_.escalation_after <= absl::ZeroDuration() || !decided.decision().approved()) return;
  v1::Approval after = approval;
  ApplyDecided(decided, after);
  google::protobuf::Timestamp escalate_at = ToProtoTime(now + options_.escalation_after);
  if (ScheduleOpenStage(escalate_at, after)) *decided.mutable_next_stage_escalate_at() = escalate_at;
}

absl::Status ApprovalServiceImpl::CheckDecidable(const v1::Approval& approval, const std::string& role) const {
  if (approval.state() != v1::APPROVAL_STATE_PENDING) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(approval), " is already ", StateName(approval.state())));
  }
  REND_ASSIGN_OR_RETURN(uint32_t latest, LatestVersion(approval.quote_id()));
  if (latest > approval.quote_version()) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(approval), " is superseded by v", latest));
  }
  if (!Contains(approval.required_roles(), role)) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(approval), " does not need a ", role, " approval"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ApprovalServiceImpl::Authority> ApprovalServiceImpl::CheckDecider(const v1::Approval& approval,
                                                                                 const std::string& actor,
                                                                                 const std::string& role) const {
  const ApprovalRule* rule = policy_->Find(role);
  if (rule == nullptr) return FieldError("role", absl::StrCat("'", role, "' is not an approval role of the policy"));
  REND_RETURN_IF_ERROR(CheckDecidable(approval, role));
  if (actor == approval.prepared_by()) {
    return Localized(
        absl::PermissionDeniedError(absl::StrCat(actor, " prepared ", Describe(approval), " and so cannot approve it")),
        "Az árajánlatot készítő munkatárs nem hagyhatja jóvá a saját ajánlatát.",
        "The person who prepared the quote cannot approve it.");
  }
  REND_ASSIGN_OR_RETURN(Authority authority, ResolveAuthority(approval, actor, role, rule->approver_role));
  if (!Contains(approval.missing_roles(), role)) {
    return absl::FailedPreconditionError(absl::StrCat("the ", role, " approval of ", Describe(approval),
                                                      " was already granted"));
  }
  REND_RETURN_IF_ERROR(CheckOneRolePerPerson(approval, role, actor));
  if (authority.principal != actor) REND_RETURN_IF_ERROR(CheckOneRolePerPerson(approval, role, authority.principal));
  REND_RETURN_IF_ERROR(CheckStage(approval, role));
  return authority;
}

absl::StatusOr<ApprovalServiceImpl::Authority> ApprovalServiceImpl::ResolveAuthority(
    const v1::Approval& approval, const std::string& actor, const std::string& role,
    const std::string& approver_role) const {
  if (people_->HasRole(actor, approver_role)) return Authority{actor, ""};
  REND_ASSIGN_OR_RETURN(std::vector<v1::Delegation> delegations, DelegationsInEffect(actor, role, approver_role));
  if (delegations.empty()) {
    return Localized(
        absl::PermissionDeniedError(absl::StrCat(actor, " does not hold the role ", approver_role, " that the ", role,
                                                 " approval needs, and no delegation of it to them is in effect")),
        absl::StrCat("Ehhez a jóváhagyáshoz ", approver_role, " szerepkör vagy érvényes helyettesítés kell."),
        absl::StrCat("This approval needs the role ", approver_role, " or a delegation in effect."));
  }
  // Four eyes: a delegation from the quote's preparer gives no authority on it.
  for (const v1::Delegation& delegation : delegations) {
    if (delegation.delegator() != approval.prepared_by()) return Authority{delegation.delegator(), delegation.delegation_id()};
  }
  return absl::PermissionDeniedError(absl::StrCat(approval.prepared_by(), " prepared ", Describe(approval), ", so ",
                                                  actor, " cannot approve it on their behalf"));
}

grpc::Status ApprovalServiceImpl::ListPending(grpc::ServerContext*, const v1::ListPendingRequest* request,
                                              v1::ListPendingResponse* response) {
  absl::Status valid = RequireText("approver", request->approver(), 128);
  if (!valid.ok()) return ToGrpcStatus(valid);
  if (people_->Find(request->approver()) == nullptr) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat("person ", request->approver(), " not found")));
  }
  absl::Status failure;
  auto visit = [&](const std::string& key, const std::string&) {
    absl::StatusOr<v1::Approval> approval = LoadApproval(key.substr(std::string("pending/").size()));
    if (!approval.ok()) {
      failure = approval.status();
      return false;
    }
    if (MayDecide(*approval, request->approver())) *response->add_approvals() = *std::move(approval);
    return response->approvals_size() < kMaxPendingListed;
  };
  absl::Status scanned = store_->ScanState(ApprovalProjection::kName, "pending/", visit);
  return ToGrpcStatus(failure.ok() ? scanned : failure);
}

bool ApprovalServiceImpl::MayDecide(const v1::Approval& approval, const std::string& approver) const {
  for (const v1::Decision& decision : approval.decisions()) {
    if (decision.approver() == approver || decision.on_behalf_of() == approver) return false;
  }
  for (const std::string& role : approval.missing_roles()) {
    if (CheckDecider(approval, approver, role).ok()) return true;
  }
  return false;
}

absl::StatusOr<v1::Approval> ApprovalServiceImpl::LoadApproval(const std::string& approval_id) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store_->GetState(ApprovalProjection::kName, ApprovalKey(approval_id)));
  if (!value) return absl::NotFoundError(absl::StrCat("approval ", approval_id, " not found"));
  v1::Approval approval;
  if (!approval.ParseFromString(*value)) return absl::DataLossError(absl::StrCat("corrupt approval ", approval_id));
  return approval;
}

absl::StatusOr<uint32_t> ApprovalServiceImpl::LatestVersion(const std::string& quote_id) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value, store_->GetState(ApprovalProjection::kName, LatestKey(quote_id)));
  uint32_t version = 0;
  if (value && !absl::SimpleAtoi(*value, &version)) {
    return absl::DataLossError(absl::StrCat("corrupt latest version of quote ", quote_id));
  }
  return version;
}

absl::StatusOr<std::optional<es::AppendRequest>> ApprovalServiceImpl::HandleCostingEvent(
    const es::EventRecord& event) const {
  rend::costing::v1::QuotePrepared prepared;
  if (!event.payload().UnpackTo(&prepared)) return std::nullopt;
  const rend::costing::v1::Quote& quote = prepared.quote();
  REND_RETURN_IF_ERROR(RequireText("quote.quote_id", quote.quote_id(), kMaxQuoteIdLength));
  if (quote.quote_version() == 0) return FieldError("quote.quote_version", "must be at least 1");
  std::string approval_id = ApprovalId(quote.quote_id(), quote.quote_version());
  absl::StatusOr<v1::Approval> existing = LoadApproval(approval_id);
  if (existing.ok()) return std::nullopt;
  if (!absl::IsNotFound(existing.status())) return existing.status();
  REND_ASSIGN_OR_RETURN(std::vector<std::string> required, policy_->RequiredRoles(quote));

  v1::ApprovalRequested requested;
  v1::Approval& approval = *requested.mutable_approval();
  approval.set_approval_id(approval_id);
  approval.set_quote_id(quote.quote_id());
  approval.set_quote_version(quote.quote_version());
  approval.set_request_id(quote.request_id());
  approval.set_net_amount(quote.net());
  approval.set_currency(quote.currency());
  approval.set_prepared_by(quote.prepared_by());
  approval.set_margin_percent(quote.margin_percent());
  approval.set_discount_percent(quote.total_discount_percent());
  approval.set_customer_external_id(quote.customer_external_id());
  absl::Time now = clock_();
  *approval.mutable_requested_at() = ToProtoTime(now);
  AddRoles(required, approval);
  if (options_.escalation_after > absl::ZeroDuration()) {
    ScheduleOpenStage(ToProtoTime(now + options_.escalation_after), approval);
  }
  approval.set_state(v1::APPROVAL_STATE_PENDING);
  es::AppendRequest append = ApprovalAppend(approval, es::kNoStream);
  REND_ASSIGN_OR_RETURN(std::optional<v1::ApprovalVoided> voided, VoidPrevious(quote));
  if (voided) append.events.push_back(es::PackEvent(*voided));
  append.events.push_back(es::PackEvent(requested));
  // A policy without an "always" rule can leave nothing to decide.
  if (required.empty()) {
    v1::Decision nothing_missing;
    nothing_missing.set_approved(true);
    MaybeClose(nothing_missing, approval, append);
  }
  spdlog::debug("requesting approval {} for roles {}", approval_id, absl::StrJoin(required, ", "));
  return append;
}

void ApprovalServiceImpl::AddRoles(const std::vector<std::string>& required, v1::Approval& approval) const {
  for (const std::string& role : required) {
    approval.add_required_roles(role);
    approval.add_missing_roles(role);
    const ApprovalRule* rule = policy_->Find(role);
    v1::RoleApproval* entry = approval.add_roles();
    entry->set_role(role);
    entry->set_approver_role(rule->approver_role);
    entry->set_stage(rule->stage);
    entry->set_required_approvers(rule->approvers);
  }
}

absl::StatusOr<std::optional<v1::ApprovalVoided>> ApprovalServiceImpl::VoidPrevious(
    const rend::costing::v1::Quote& quote) const {
  REND_ASSIGN_OR_RETURN(uint32_t latest, LatestVersion(quote.quote_id()));
  if (latest == 0 || latest >= quote.quote_version()) return std::nullopt;
  absl::StatusOr<v1::Approval> previous = LoadApproval(ApprovalId(quote.quote_id(), latest));
  if (!previous.ok()) return previous.status();
  // A rejected version stays rejected; pending and granted approvals lapse.
  if (previous->state() != v1::APPROVAL_STATE_PENDING && previous->state() != v1::APPROVAL_STATE_APPROVED) {
    return std::nullopt;
  }
  v1::ApprovalVoided voided;
  voided.set_approval_id(previous->approval_id());
  voided.set_quote_id(quote.quote_id());
  voided.set_quote_version(latest);
  voided.set_superseded_by_version(quote.quote_version());
  *voided.mutable_voided_at() = ToProtoTime(clock_());
  return voided;
}

}  // namespace rend::approval
