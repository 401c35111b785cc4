// The process service process.
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_split.h"
#include "grpcpp/grpcpp.h"
#include "libs/calendar/business_calendar.h"
#include "libs/directory/people.h"
#include "libs/runtime/service_host.h"
#include "rend/process/v1/process.grpc.pb.h"
#include "services/process/deadline.h"
#include "services/process/definition.h"
#include "services/process/instance_projection.h"
#include "services/process/process_engine.h"
#include "services/process/process_service.h"
#include "services/process/timer_runner.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(absl::Duration, timer_interval, absl::Seconds(10), "time between passes of the timer thread, e.g. 10s");
ABSL_FLAG(absl::Duration, due_soon_lead, absl::Hours(4), "how long before a task's deadline TaskDueSoon fires");
ABSL_FLAG(absl::Duration, stall_after, absl::Hours(48),
          "time without activity after which TaskStalled fires, and then again every such period");
ABSL_FLAG(absl::Duration, escalation_after, absl::Hours(24),
          "time from TaskOverdue to the first TaskEscalated, and between escalation levels");

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
  auto calendar = rend::process::LoadProcessCalendar(config.config_dir + "/calendar", absl::Now());
  if (!calendar.ok()) {
    return Fail(absl::Status(calendar.status().code(),
                             absl::StrCat("business calendar (", config.config_dir, "/calendar/hu-YYYY.yaml): ",
                                          calendar.status().message())));
  }

  rend::process::InstanceProjection projection;
  auto host = rend::runtime::ServiceHost::Create(config, {&projection});
  if (!host.ok()) return Fail(host.status());
  rend::process::EngineOptions options{.due_soon_lead = absl::GetFlag(FLAGS_due_soon_lead),
                                       .stall_after = absl::GetFlag(FLAGS_stall_after),
                                       .escalation_after = absl::GetFlag(FLAGS_escalation_after)};
  rend::process::ProcessEngine engine((*host)->store(), &*definitions, &*people, &*calendar, absl::Now, options);
  absl::StatusOr<int> deployed = engine.LoadDeployedDefinitions();
  if (!deployed.ok()) return Fail(deployed.status());
  spdlog::info("{} deployed process definitions loaded from the log", *deployed);
  absl::Status status = (*host)->ConsumeFrom({"intake", "costing", "approval", "billing"},
                                             [&engine](const rend::es::EventRecord& event) {
                                               return engine.HandleEvent(event);
                                             });
  if (!status.ok()) return Fail(status);

  rend::process::TimerRunner timers((*host)->store(), &engine);
  rend::process::ProcessServiceImpl service((*host)->store(), &engine, &timers);
  (*host)->RunPeriodically(absl::GetFlag(FLAGS_timer_interval), [&service] {
    rend::process::v1::FireDueTimersResponse fired;
    grpc::Status pass = service.FireDueTimers(nullptr, nullptr, &fired);
    if (!pass.ok()) spdlog::warn("timer pass failed: {}", pass.error_message());
  });
  status = (*host)->Run({&service});
  if (!status.ok()) {
    spdlog::error("{}", status.ToString());
    return 1;
  }
  return 0;
}
