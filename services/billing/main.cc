// The billing service process.
#include "libs/runtime/service_host.h"
#include "services/billing/billing_service.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  rend::runtime::ServiceConfig config = rend::runtime::InitService(argc, argv, "billing");
  absl::StatusOr<absl::TimeZone> zone = rend::billing::LoadBudapestTimeZone();
  if (!zone.ok()) {
    spdlog::error("cannot start: {}", zone.status().ToString());
    return 1;
  }
  rend::billing::InvoiceProjection projection;
  auto host = rend::runtime::ServiceHost::Create(config, {&projection});
  if (!host.ok()) {
    spdlog::error("cannot start: {}", host.status().ToString());
    return 1;
  }
  rend::billing::BillingServiceImpl service((*host)->store(), *zone);
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
