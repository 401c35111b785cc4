// The billing service process.
#include "absl/strings/str_cat.h"
#include "libs/directory/company.h"
#include "libs/runtime/service_host.h"
#include "services/billing/billing_service.h"
#include "spdlog/spdlog.h"

namespace {

// Loads <config_dir>/company.yaml. A missing file is allowed (invoices are
// then issued without supplier data and cannot be printed or reported); a
// malformed one stops the start.
absl::StatusOr<std::optional<rend::CompanyProfile>> LoadCompany(const std::string& config_dir) {
  std::string path = absl::StrCat(config_dir, "/company.yaml");
  absl::StatusOr<rend::CompanyProfile> profile = rend::LoadCompanyProfile(path);
  if (profile.ok()) return std::optional<rend::CompanyProfile>(*std::move(profile));
  if (absl::IsNotFound(profile.status())) {
    spdlog::warn("{}; invoices will have no supplier data, so no PDF or NAV invoice data", profile.status().ToString());
    return std::nullopt;
  }
  return profile.status();
}

}  // namespace

int main(int argc, char** argv) {
  rend::runtime::ServiceConfig config = rend::runtime::InitService(argc, argv, "billing");
  absl::StatusOr<absl::TimeZone> zone = rend::billing::LoadBudapestTimeZone();
  if (!zone.ok()) {
    spdlog::error("cannot start: {}", zone.status().ToString());
    return 1;
  }

  absl::StatusOr<std::optional<rend::CompanyProfile>> company = LoadCompany(config.config_dir);
  if (!company.ok()) {
    spdlog::error("cannot start: {}", company.status().ToString());
    return 1;
  }

  rend::billing::InvoiceProjection projection;
  auto host = rend::runtime::ServiceHost::Create(config, {&projection});
  if (!host.ok()) {
    spdlog::error("cannot start: {}", host.status().ToString());
    return 1;
  }

  rend::billing::BillingServiceImpl service((*host)->store(), *zone, [] { return absl::Now(); }, *std::move(company));
  absl::Status consuming = (*host)->ConsumeFrom(
      {"costing", "intake"}, [&service](const rend::es::EventRecord& event) -> absl::StatusOr<std::optional<rend::es::AppendRequest>> {
        if (event.source() == "intake") return service.HandleIntakeEvent(event);
        return service.HandleCostingEvent(event);
      });
  if (!consuming.ok()) {
    spdlog::error("cannot consume costing and intake events: {}", consuming.ToString());
    return 1;
  }

  absl::Status status = (*host)->Run({&service});
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return 1;
  }
  return 0;
}
