// The delegation RPCs of ApprovalServiceImpl and the lookups that Decide
// and GetApproval make in the delegation index.
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/es/command.h"
#include "services/approval/approval_service.h"
#include "spdlog/spdlog.h"

namespace rend::approval {
namespace {

constexpr size_t kMaxPersonIdLength = 128;
constexpr size_t kMaxRoleLength = 64;
constexpr size_t kMaxDelegationIdLength = 200;
constexpr int kMaxDelegationsListed = 500;
constexpr absl::Duration kMaxDelegationPeriod = absl::Hours(24 * 366);

std::string DelegationStream(const std::string& delegator) { return absl::StrCat("delegation-", delegator); }

bool InEffect(const v1::Delegation& delegation, absl::Time now) {
  return !delegation.has_revoked_at() && FromProtoTime(delegation.starts_at()) <= now &&
         now < FromProtoTime(delegation.ends_at());
}

// True when `delegation` covers approvals between `from` and `until`.
bool Overlaps(const v1::Delegation& delegation, absl::Time from, absl::Time until) {
  absl::Time end = FromProtoTime(delegation.ends_at());
  if (delegation.has_revoked_at()) end = std::min(end, FromProtoTime(delegation.revoked_at()));
  return FromProtoTime(delegation.starts_at()) <= until && from < end;
}

// Validates the period, defaulting starts_at to `now`, and returns it.
absl::StatusOr<std::pair<absl::Time, absl::Time>> ValidatePeriod(const v1::DelegateRequest& request, absl::Time now) {
  absl::Time starts_at = request.has_starts_at() ? FromProtoTime(request.starts_at()) : now;
  if (!request.has_ends_at()) return FieldError("ends_at", "is required");
  absl::Time ends_at = FromProtoTime(request.ends_at());
  if (ends_at <= starts_at) return FieldError("ends_at", "must be after starts_at");
  if (ends_at <= now) return FieldError("ends_at", "must be in the future");
  if (ends_at - starts_at > kMaxDelegationPeriod) return FieldError("ends_at", "must be within 366 days of starts_at");
  return std::make_pair(starts_at, ends_at);
}

// Checks that `delegator` may decide `role` themselves, or, for an empty
// role, at least one role of the policy.
absl::Status CheckDelegator(const ApprovalPolicy& policy, const PeopleDirectory& people, const std::string& delegator,
                            const std::string& role) {
  if (!role.empty()) {
    const ApprovalRule* rule = policy.Find(role);
    if (rule == nullptr) return FieldError("role", absl::StrCat("'", role, "' is not an approval role of the policy"));
    if (people.HasRole(delegator, rule->approver_role)) return absl::OkStatus();
    return absl::PermissionDeniedError(absl::StrCat(delegator, " does not hold the role ", rule->approver_role,
                                                    " of the ", role, " approval and so cannot delegate it"));
  }
  for (const ApprovalRule& rule : policy.rules()) {
    if (people.HasRole(delegator, rule.approver_role)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(delegator, " holds no approver role of the policy to delegate"));
}

}  // namespace

grpc::Status ApprovalServiceImpl::Delegate(grpc::ServerContext*, const v1::DelegateRequest* request,
                                           v1::Delegation* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DelegateDecision(*request, *response); });
  if (status.ok()) {
    spdlog::info("{} delegated approvals ({}) to {} as {}", response->delegator(),
                 response->role().empty() ? "all roles" : response->role(), response->delegate(),
                 response->delegation_id());
  } else {
    spdlog::debug("delegation by {} rejected: {}", request->context().actor(), status.ToString());
  }
  return ToGrpcStatus(status);
}

absl::StatusOr<es::AppendRequest> ApprovalServiceImpl::DelegateDecision(const v1::DelegateRequest& request,
                                                                        v1::Delegation& response) const {
  const std::string& delegator = request.context().actor();
  REND_RETURN_IF_ERROR(RequireText("delegate", request.delegate(), kMaxPersonIdLength));
  REND_RETURN_IF_ERROR(OptionalText("role", request.role(), kMaxRoleLength));
  absl::Time now = clock_();
  REND_ASSIGN_OR_RETURN(auto period, ValidatePeriod(request, now));
  if (request.delegate() == delegator) return FieldError("delegate", "must be another person than context.actor");
  if (people_->Find(request.delegate()) == nullptr) {
    return absl::NotFoundError(absl::StrCat("delegate ", request.delegate(), " not found in the people directory"));
  }
  REND_RETURN_IF_ERROR(CheckDelegator(*policy_, *people_, delegator, request.role()));

  // The id is unique because the append expects the stream's current version.
  std::string stream = DelegationStream(delegator);
  REND_ASSIGN_OR_RETURN(uint64_t version, store_->StreamVersion(stream));
  v1::DelegationGranted granted;
  v1::Delegation& delegation = *granted.mutable_delegation();
  delegation.set_delegation_id(absl::StrCat(stream, "-", version + 1));
  delegation.set_delegator(delegator);
  delegation.set_delegate(request.delegate());
  delegation.set_role(request.role());
  *delegation.mutable_starts_at() = ToProtoTime(period.first);
  *delegation.mutable_ends_at() = ToProtoTime(period.second);
  *delegation.mutable_granted_at() = ToProtoTime(now);

  es::AppendRequest append;
  append.stream_id = stream;
  append.expected_version = version;
  append.events.push_back(es::PackEvent(granted));
  response = delegation;
  return append;
}

grpc::Status ApprovalServiceImpl::RevokeDelegation(grpc::ServerContext*, const v1::RevokeDelegationRequest* request,
                                                   v1::Delegation* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return RevokeDecision(*request, *response); });
  if (status.ok()) {
    spdlog::info("{} revoked delegation {}", request->context().actor(), request->delegation_id());
  } else {
    spdlog::debug("revoking {} rejected: {}", request->delegation_id(), status.ToString());
  }
  return ToGrpcStatus(status);
}

absl::StatusOr<es::AppendRequest> ApprovalServiceImpl::RevokeDecision(const v1::RevokeDelegationRequest& request,
                                                                      v1::Delegation& response) const {
  REND_RETURN_IF_ERROR(RequireText("delegation_id", request.delegation_id(), kMaxDelegationIdLength));
  REND_ASSIGN_OR_RETURN(v1::Delegation delegation, LoadDelegation(request.delegation_id()));
  if (delegation.delegator() != request.context().actor()) {
    return absl::PermissionDeniedError(absl::StrCat("only ", delegation.delegator(), " may revoke delegation ",
                                                    delegation.delegation_id()));
  }
  absl::Time now = clock_();
  if (delegation.has_revoked_at()) {
    return absl::FailedPreconditionError(absl::StrCat("delegation ", delegation.delegation_id(), " is already revoked"));
  }
  if (FromProtoTime(delegation.ends_at()) <= now) {
    return absl::FailedPreconditionError(absl::StrCat("delegation ", delegation.delegation_id(), " has already ended"));
  }

  std::string stream = DelegationStream(delegation.delegator());
  REND_ASSIGN_OR_RETURN(uint64_t version, store_->StreamVersion(stream));
  v1::DelegationRevoked revoked;
  revoked.set_delegation_id(delegation.delegation_id());
  revoked.set_delegator(delegation.delegator());
  *revoked.mutable_revoked_at() = ToProtoTime(now);
  es::AppendRequest append;
  append.stream_id = stream;
  append.expected_version = version;
  append.events.push_back(es::PackEvent(revoked));
  response = delegation;
  *response.mutable_revoked_at() = revoked.revoked_at();
  return append;
}

grpc::Status ApprovalServiceImpl::ListDelegations(grpc::ServerContext*, const v1::ListDelegationsRequest* request,
                                                  v1::ListDelegationsResponse* response) {
  absl::Status valid = RequireText("person", request->person(), kMaxPersonIdLength);
  if (!valid.ok()) return ToGrpcStatus(valid);
  if (people_->Find(request->person()) == nullptr) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat("person ", request->person(), " not found")));
  }
  absl::Status failure;
  std::string prefix = GivenKey(request->person(), "");
  auto visit = [&](const std::string& key, const std::string&) {
    absl::StatusOr<v1::Delegation> delegation = LoadDelegation(key.substr(prefix.size()));
    if (!delegation.ok()) {
      failure = delegation.status();
      return false;
    }
    // A person id that extends this one with "/" shares the prefix.
    if (delegation->delegator() == request->person()) *response->add_delegations() = *std::move(delegation);
    return response->delegations_size() < kMaxDelegationsListed;
  };
  absl::Status scanned = store_->ScanState(ApprovalProjection::kName, prefix, visit);
  return ToGrpcStatus(failure.ok() ? scanned : failure);
}

absl::StatusOr<v1::Delegation> ApprovalServiceImpl::LoadDelegation(const std::string& delegation_id) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store_->GetState(ApprovalProjection::kName, DelegationKey(delegation_id)));
  if (!value) return absl::NotFoundError(absl::StrCat("delegation ", delegation_id, " not found"));
  v1::Delegation delegation;
  if (!delegation.ParseFromString(*value)) {
    return absl::DataLossError(absl::StrCat("corrupt delegation ", delegation_id));
  }
  return delegation;
}

absl::StatusOr<std::vector<v1::Delegation>> ApprovalServiceImpl::DelegationsInEffect(
    const std::string& delegate, const std::string& role, const std::string& approver_role) const {
  std::vector<std::string> ids;
  std::string prefix = ReceivedKey(delegate, "");
  REND_RETURN_IF_ERROR(store_->ScanState(ApprovalProjection::kName, prefix, [&](const std::string& key, const std::string&) {
    ids.push_back(key.substr(prefix.size()));
    return true;
  }));
  absl::Time now = clock_();
  std::vector<v1::Delegation> in_effect;
  for (const std::string& id : ids) {
    REND_ASSIGN_OR_RETURN(v1::Delegation delegation, LoadDelegation(id));
    if (delegation.delegate() != delegate || !InEffect(delegation, now)) continue;
    if (!delegation.role().empty() && delegation.role() != role) continue;
    // The delegator must still hold the role: a delegation passes on no more than they have.
    if (people_->HasRole(delegation.delegator(), approver_role)) in_effect.push_back(std::move(delegation));
  }
  return in_effect;
}

absl::StatusOr<std::vector<v1::Delegation>> ApprovalServiceImpl::DelegationsDuring(
    const v1::Approval& approval) const {
  std::set<std::string> approvers;
  for (const v1::RoleApproval& role : approval.roles()) {
    for (const Person* person : people_->WithRole(role.approver_role())) approvers.insert(person->id);
  }
  for (const v1::Decision& decision : approval.decisions()) {
    if (!decision.on_behalf_of().empty()) approvers.insert(decision.on_behalf_of());
  }
  absl::Time from = FromProtoTime(approval.requested_at());
  absl::Time until = approval.state() == v1::APPROVAL_STATE_PENDING || approval.history().empty()
                         ? clock_()
                         : FromProtoTime(approval.history().rbegin()->at());
  std::vector<v1::Delegation> during;
  for (const std::string& person : approvers) {
    std::string prefix = GivenKey(person, "");
    absl::Status failure;
    REND_RETURN_IF_ERROR(store_->ScanState(ApprovalProjection::kName, prefix, [&](const std::string& key,
                                                                                   const std::string&) {
      absl::StatusOr<v1::Delegation> delegation = LoadDelegation(key.substr(prefix.size()));
      if (!delegation.ok()) failure = delegation.status();
      if (failure.ok() && delegation->delegator() == person && Overlaps(*delegation, from, until)) {
        during.push_back(*std::move(delegation));
      }
      return failure.ok();
    }));
    REND_RETURN_IF_ERROR(failure);
  }
  return during;
}

}  // namespace rend::approval
