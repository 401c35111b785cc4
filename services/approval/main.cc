// The approval service process.
#include "absl/strings/str_cat.h"
#include "libs/directory/people.h"
#include "libs/runtime/service_host.h"
#include "services/approval/approval_policy.h"
#include "services/approval/approval_service.h"
#include "spdlog/spdlog.h"

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
  rend::approval::ApprovalServiceImpl service((*host)->store(), &*policy, &*people);
  absl::Status consuming = (*host)->ConsumeFrom(
      {"costing"}, [&service](const rend::es::EventRecord& event) { return service.HandleCostingEvent(event); });
  if (!consuming.ok()) {
    spdlog::error("cannot consume costing events: {}", consuming.ToString());
    return 1;
  }
  absl::Status status = (*host)->Run({&service});
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return 1;
  }
  return 0;
}
