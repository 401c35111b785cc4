// The process service process.
#include <string>

#include "libs/directory/people.h"
#include "libs/runtime/service_host.h"
#include "services/process/business_calendar.h"
#include "services/process/definition.h"
#include "services/process/instance_projection.h"
#include "services/process/process_engine.h"
#include "services/process/process_service.h"
#include "spdlog/spdlog.h"

namespace {

int Fail(const absl::Status& status) {
  spdlog::error("cannot start: {}", status.ToString());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  rend::runtime::ServiceConfig config = rend::runtime::InitService(argc, argv, "process");
  auto people = rend::PeopleDirectory::Load(config.config_dir + "/people.yaml");
  if (!people.ok()) return Fail(people.status());
  auto definitions = rend::process::DefinitionRegistry::LoadDirectory(config.config_dir + "/process", *people);
  if (!definitions.ok()) return Fail(definitions.status());
  auto calendar = rend::process::BusinessCalendar::Budapest();
  if (!calendar.ok()) return Fail(calendar.status());

  rend::process::InstanceProjection projection;
  auto host = rend::runtime::ServiceHost::Create(config, {&projection});
  if (!host.ok()) return Fail(host.status());
  rend::process::ProcessEngine engine((*host)->store(), &*definitions, &*people, *calendar);
  absl::Status status = (*host)->ConsumeFrom({"intake", "costing", "approval", "billing"},
                                             [&engine](const rend::es::EventRecord& event) {
                                               return engine.HandleEvent(event);
                                             });
  if (!status.ok()) return Fail(status);

  rend::process::ProcessServiceImpl service((*host)->store(), &engine);
  status = (*host)->Run({&service});
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return 1;
  }
  return 0;
}
