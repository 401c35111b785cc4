// The costing service process.
#include "absl/strings/str_cat.h"
#include "libs/calendar/business_calendar.h"
#include "libs/directory/company.h"
#include "libs/runtime/service_host.h"
#include "services/costing/approval_checker.h"
#include "services/costing/costing_projection.h"
#include "services/costing/costing_service.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  rend::runtime::ServiceConfig config = rend::runtime::InitService(argc, argv, "costing");
  auto calendar = rend::calendar::BusinessCalendar::Load(absl::StrCat(config.config_dir, "/calendar"));
  if (!calendar.ok()) {
    spdlog::error("cannot load the business calendar: {}", calendar.status().ToString());
    return 1;
  }
  auto company = rend::LoadCompanyProfile(absl::StrCat(config.config_dir, "/company.yaml"));
  if (!company.ok()) {
    spdlog::error("cannot load the company profile: {}", company.status().ToString());
    return 1;
  }
  rend::costing::CostingProjection projection;
  auto host = rend::runtime::ServiceHost::Create(config, {&projection});
  if (!host.ok()) {
    spdlog::error("cannot start: {}", host.status().ToString());
    return 1;
  }
  rend::es::EventStore* store = (*host)->store();
  // One consumer for both sources: each handler ignores the other's events.
  absl::Status consuming = (*host)->ConsumeFrom(
      {"intake", "approval"},
      [store](const rend::es::EventRecord& event) -> absl::StatusOr<std::optional<rend::es::AppendRequest>> {
        auto recorded = rend::costing::HandleIntakeEvent(*store, event);
        if (!recorded.ok() || recorded->has_value()) return recorded;
        return rend::costing::HandleApprovalEvent(*store, event);
      });
  if (!consuming.ok()) {
    spdlog::error("cannot consume intake and approval events: {}", consuming.ToString());
    return 1;
  }

  rend::costing::GrpcApprovalChecker approvals(config.peers.at("approval"));
  rend::costing::CostingServiceImpl service(store, &approvals, &*calendar, &*company);
  absl::Status status = (*host)->Run({&service});
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return 1;
  }
  return 0;
}
