// The escalation timer pass of ApprovalServiceImpl: reads the escalation
// index up to the clock and appends one ApprovalEscalated per due role.
#include <cstring>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "services/approval/approval_service.h"
#include "spdlog/spdlog.h"

namespace rend::approval {
namespace {

constexpr const char* kTimerActor = "approval.timer";
constexpr size_t kDueDigits = 20;

// One entry of the escalation index.
struct DueEscalation {
  std::string approval_id;
  std::string role;
  absl::Time escalate_at;
};

// Parses "escalation/<20 digits>/<approval_id>/<role>" whose value is the role.
absl::StatusOr<DueEscalation> ParseDue(const std::string& key, const std::string& role) {
  size_t digits_at = std::strlen(kEscalationPrefix);
  size_t id_at = digits_at + kDueDigits + 1;
  int64_t micros = 0;
  if (key.size() <= id_at + role.size() + 1 || !absl::SimpleAtoi(key.substr(digits_at, kDueDigits), &micros)) {
    return absl::DataLossError(absl::StrCat("corrupt escalation index key ", key));
  }
  return DueEscalation{key.substr(id_at, key.size() - id_at - role.size() - 1), role, absl::FromUnixMicros(micros)};
}

// Notification times are Europe/Budapest local time.
std::string LocalTime(absl::Time time) {
  static const absl::TimeZone zone = [] {
    absl::TimeZone budapest;
    // NOTE: without tzdata on the host the texts show UTC, marked as such.
    return absl::LoadTimeZone("Europe/Budapest", &budapest) ? budapest : absl::UTCTimeZone();
  }();
  std::string text = absl::FormatTime("%Y-%m-%d %H:%M", time, zone);
  return zone == absl::UTCTimeZone() ? absl::StrCat(text, " UTC") : text;
}

// Fills the Hungarian and English texts of `event`.
void SetNotice(const v1::Approval& approval, const std::vector<std::string>& approvers, absl::Time deadline,
               v1::ApprovalEscalated& event) {
  std::string hu_approvers = approvers.empty() ? "senki" : absl::StrJoin(approvers, ", ");
  std::string en_approvers = approvers.empty() ? "nobody" : absl::StrJoin(approvers, ", ");
  event.set_text_hu(absl::StrCat("Késik a jóváhagyás: a(z) ", approval.quote_id(), " árajánlat ",
                                 approval.quote_version(), ". változatának „", event.role(),
                                 "” jóváhagyása nem történt meg a határidőig (", LocalTime(deadline),
                                 "). Döntésre jogosult: ", hu_approvers, ". Kérjük, gondoskodjon a döntésről."));
  event.set_text_en(absl::StrCat("Approval overdue: the ", event.role(), " approval of quote ", approval.quote_id(),
                                 " v", approval.quote_version(), " was not given by its deadline (",
                                 LocalTime(deadline), "). May decide: ", en_approvers,
                                 ". Please see that it is decided."));
}

}  // namespace

grpc::Status ApprovalServiceImpl::FireDueEscalations(grpc::ServerContext*, const v1::FireDueEscalationsRequest*,
                                                     v1::FireDueEscalationsResponse* response) {
  absl::StatusOr<int> fired = EscalateDue();
  if (!fired.ok()) return ToGrpcStatus(fired.status());
  response->set_fired(*fired);
  if (*fired > 0) spdlog::info("escalated {} approval roles", *fired);
  return grpc::Status::OK;
}

absl::StatusOr<int> ApprovalServiceImpl::EscalateDue() const {
  // Collect first: appends change the index that the scan reads.
  std::string limit = EscalationKeyLimit(clock_());
  std::vector<DueEscalation> due;
  absl::Status parse_error;
  REND_RETURN_IF_ERROR(store_->ScanState(ApprovalProjection::kName, kEscalationPrefix,
                                         [&](const std::string& key, const std::string& value) {
                                           if (key >= limit || due.size() >= options_.max_escalations_per_pass) {
                                             return false;
                                           }
                                           absl::StatusOr<DueEscalation> entry = ParseDue(key, value);
                                           if (entry.ok()) due.push_back(*std::move(entry));
                                           parse_error = entry.status();
                                           return parse_error.ok();
                                         }));
  REND_RETURN_IF_ERROR(parse_error);

  int fired = 0;
  for (const DueEscalation& entry : due) {
    absl::StatusOr<std::optional<es::AppendRequest>> decided =
        DecideEscalation(entry.approval_id, entry.role, entry.escalate_at);
    absl::Status status = decided.status();
    if (decided.ok() && decided->has_value()) status = store_->Append(std::move(**decided)).status();
    if (absl::IsAborted(status)) {
      spdlog::debug("escalation of {} {} raced with a decision; deciding it again next pass", entry.approval_id,
                    entry.role);
    } else if (!status.ok()) {
      spdlog::warn("escalation of {} {} failed: {}", entry.approval_id, entry.role, status.ToString());
    } else if (decided->has_value()) {
      ++fired;
    }
  }
  return fired;
}

absl::StatusOr<std::optional<es::AppendRequest>> ApprovalServiceImpl::DecideEscalation(const std::string& approval_id,
                                                                                       const std::string& role,
                                                                                       absl::Time escalate_at) const {
  REND_ASSIGN_OR_RETURN(v1::Approval approval, LoadApproval(approval_id));
  const v1::RoleApproval* entry = nullptr;
  for (const v1::RoleApproval& candidate : approval.roles()) {
    if (candidate.role() == role) entry = &candidate;
  }
  absl::Time now = clock_();
  // Decided, escalated or voided since the index entry was read.
  if (approval.state() != v1::APPROVAL_STATE_PENDING || entry == nullptr || entry->approved() || entry->escalated() ||
      FromProtoTime(entry->escalate_at()) != escalate_at || escalate_at > now) {
    return std::nullopt;
  }

  v1::ApprovalEscalated escalated;
  escalated.set_approval_id(approval_id);
  escalated.set_role(role);
  for (const std::string& manager : ManagersOf(entry->approver_role())) escalated.add_escalated_to(manager);
  *escalated.mutable_escalated_at() = ToProtoTime(now);
  std::vector<std::string> approvers;
  for (const Person* person : people_->WithRole(entry->approver_role())) {
    if (person->id != approval.prepared_by()) approvers.push_back(person->id);
  }
  SetNotice(approval, approvers, escalate_at, escalated);
  if (escalated.escalated_to().empty()) {
    spdlog::warn("no approver of the {} role of {} has a manager, so its escalation has no recipient; "
                 "set manager in people.yaml",
                 role, approval_id);
  }

  // Expecting the approval's version makes a concurrent decision win.
  // NOTE: a void is appended to the newer version's stream, so a void that
  // lands between this read and the append does not stop the escalation.
  es::AppendRequest append;
  append.stream_id = approval_id;
  append.expected_version = approval.version();
  append.actor = kTimerActor;
  append.correlation_id = approval.request_id();
  append.causation_id = EscalationKey(escalate_at, approval_id, role);
  append.events.push_back(es::PackEvent(escalated));
  return append;
}

std::vector<std::string> ApprovalServiceImpl::ManagersOf(const std::string& approver_role) const {
  std::set<std::string> managers;
  for (const Person* person : people_->WithRole(approver_role)) {
    if (!person->manager.empty()) managers.insert(person->manager);
  }
  return {managers.begin(), managers.end()};
}

}  // namespace rend::approval
