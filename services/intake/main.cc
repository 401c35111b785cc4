// The intake service process.
#include "libs/runtime/service_host.h"
#include "services/intake/intake_service.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  rend::runtime::ServiceConfig config = rend::runtime::InitService(argc, argv, "intake");
  rend::intake::RequestProjection projection;
  auto host = rend::runtime::ServiceHost::Create(config, {&projection});
  if (!host.ok()) {
    spdlog::error("cannot start: {}", host.status().ToString());
    return 1;
  }
  rend::intake::IntakeServiceImpl service((*host)->store());
  absl::Status status = (*host)->Run({&service});
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return 1;
  }
  return 0;
}
