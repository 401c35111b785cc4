// The approval service process.
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "libs/directory/people.h"
#include "libs/runtime/service_host.h"
#include "services/approval/approval_policy.h"
#include "services/approval/approval_service.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(absl::Duration, approval_escalation_after, absl::Hours(24),
          "elapsed time (not business hours) an approval role may wait for its decision before it escalates to "
          "the approvers' managers, e.g. 24h; 0 turns escalation off for new approvals");
ABSL_FLAG(absl::Duration, approval_timer_interval, absl::Seconds(60),
          "time between passes of the escalation timer thread, e.g. 60s");

namespace {

// Logs a warning for each approval role that no person in the directory has.
void WarnAboutUnstaffedRoles(const rend::approval::ApprovalPolicy& policy, const rend::PeopleDirectory& people) {
  for (const rend::approval::ApprovalRule& rule : policy.rules()) {
    if (people.WithRole(rule.approver_role).empty()) {
      spdlog::warn("no person in the people directory has role {}, so no {} approval can be given; add one to people.yaml",
                   rule.approver_role, rule.role);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  rend::runtime::ServiceConfig config = rend::runtime::InitService(argc, argv, "approval");
  auto policy = rend::approval::ApprovalPolicy::Load(absl::StrCat(config.config_dir, "/approval_policy.yaml"));
  if (!policy.ok()) {
    spdlog::error("cannot load the approval policy: {}", policy.status().ToString());
    return 1;
  }
  auto people = rend::PeopleDirectory::Load(absl::StrCat(config.config_dir, "/people.yaml"));
  if (!people.ok()) {
    spdlog::error("cannot load the people directory: {}", people.status().ToString());
    return 1;
  }
  WarnAboutUnstaffedRoles(*policy, *people);

  rend::approval::ApprovalProjection projection;
  auto host = rend::runtime::ServiceHost::Create(config, {&projection});
  if (!host.ok()) {
    spdlog::error("cannot start: {}", host.status().ToString());
    return 1;
  }
  rend::approval::ApprovalOptions options{.escalation_after = absl::GetFlag(FLAGS_approval_escalation_after)};
  rend::approval::ApprovalServiceImpl service((*host)->store(), &*policy, &*people, options);
  absl::Status consuming = (*host)->ConsumeFrom(
      {"costing"}, [&service](const rend::es::EventRecord& event) { return service.HandleCostingEvent(event); });
  if (!consuming.ok()) {
    spdlog::error("cannot consume costing events: {}", consuming.ToString());
    return 1;
  }
  (*host)->RunPeriodically(absl::GetFlag(FLAGS_approval_timer_interval), [&service] {
    rend::approval::v1::FireDueEscalationsResponse fired;
    grpc::Status pass = service.FireDueEscalations(nullptr, nullptr, &fired);
    if (!pass.ok()) spdlog::warn("escalation pass failed: {}", pass.error_message());
  });
  absl::Status status = (*host)->Run({&service});
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return 1;
  }
  return 0;
}
