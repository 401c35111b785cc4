// The costing service process.
#include "libs/runtime/service_host.h"
#include "services/costing/approval_checker.h"
#include "services/costing/costing_projection.h"
#include "services/costing/costing_service.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  rend::runtime::ServiceConfig config = rend::runtime::InitService(argc, argv, "costing");
  rend::costing::CostingProjection projection;
  auto host = rend::runtime::ServiceHost::Create(config, {&projection});
  if (!host.ok()) {
    spdlog::error("cannot start: {}", host.status().ToString());
    return 1;
  }
  rend::es::EventStore* store = (*host)->store();
  absl::Status consuming = (*host)->ConsumeFrom(
      {"intake"}, [store](const rend::es::EventRecord& event) { return rend::costing::HandleIntakeEvent(*store, event); });
  if (!consuming.ok()) {
    spdlog::error("cannot consume intake events: {}", consuming.ToString());
    return 1;
  }

  rend::costing::GrpcApprovalChecker approvals(config.peers.at("approval"));
  rend::costing::CostingServiceImpl service(store, &approvals);
  absl::Status status = (*host)->Run({&service});
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return 1;
  }
  return 0;
}
