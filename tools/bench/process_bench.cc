// rend-process-bench: measures the process engine in-process on this machine.
//
// It starts --instances complaint processes (deploy/config/process/
// complaint.yaml: four user tasks in a row), then drives each to completion
// by completing its tasks through es::ExecuteCommand, as the CompleteTask
// RPC does, with --workers threads sharing the instances. It reports
// instances started per second and instances completed per second (all four
// tasks of each). The event store syncs its WAL before each append, as the
// service runs it, in a fresh database under $TEST_TMPDIR (or /tmp) removed at
// exit. The engine's clock is fixed at Monday 2025-06-02 10:00 in Budapest,
// so the run does not depend on the calendar data of the current year.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "libs/testing/temp_dir.h"
#include "libs/calendar/business_calendar.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/directory/people.h"
#include "libs/es/command.h"
#include "libs/es/event_store.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/process/definition.h"
#include "services/process/instance_projection.h"
#include "services/process/instance_state.h"
#include "services/process/process_engine.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(int, instances, 2000, "Process instances to start and complete");
ABSL_FLAG(int, workers, 8, "Threads that share the instances");
ABSL_FLAG(std::string, config_dir, REND_SOURCE_DIR "/deploy/config",
          "Directory with people.yaml, process/ and calendar/");

namespace rend::process {
namespace {

using Clock = std::chrono::steady_clock;

// The complaint's steps and who completes each.
const std::pair<const char*, const char*> kSteps[] = {{"record_complaint", "sales.kovacs"},
                                                      {"investigation", "eng.nagy"},
                                                      {"remedy_decision", "eng.lead.horvath"},
                                                      {"customer_answer", "sales.kovacs"}};


absl::Status Start(const ProcessEngine& engine, es::EventStore& store, const std::string& request_id) {
  intake::v1::RequestSubmitted submitted;
  submitted.mutable_request()->set_request_id(request_id);
  submitted.mutable_request()->set_type(intake::v1::REQUEST_TYPE_COMPLAINT);
  es::EventRecord event;
  event.set_event_id(NewUuid());
  event.set_type(submitted.GetDescriptor()->full_name());
  event.mutable_payload()->PackFrom(submitted);
  REND_ASSIGN_OR_RETURN(std::optional<es::AppendRequest> decided, engine.HandleEvent(event));
  if (!decided.has_value()) return absl::InternalError("RequestSubmitted started no instance");
  return store.Append(*std::move(decided)).status();
}

absl::Status CompleteAll(const ProcessEngine& engine, es::EventStore& store, const std::string& request_id) {
  for (const auto& [step, actor] : kSteps) {
    v1::CompleteTaskRequest request;
    request.mutable_context()->set_request_id(NewUuid());
    request.mutable_context()->set_actor(actor);
    request.set_task_id(TaskId(request_id, step));
    v1::TaskResponse response;
    REND_RETURN_IF_ERROR(es::ExecuteCommand(store, request.context(), request, &response, [&] {
      return engine.DecideComplete(request.task_id(), actor, request.output(), response.mutable_task());
    }));
  }
  return absl::OkStatus();
}

// Runs `work` for every instance index on `workers` threads; returns the
// seconds it took, or exits on the first error.
double RunParallel(int instances, int workers, const std::function<absl::Status(int)>& work) {
  std::atomic<int> next{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&] {
      for (int i = next++; i < instances; i = next++) {
        absl::Status status = work(i);
        if (!status.ok()) {
          std::fprintf(stderr, "instance %d failed: %s\n", i, status.ToString().c_str());
          std::exit(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int Run() {
  const std::string config = absl::GetFlag(FLAGS_config_dir);
  auto people = PeopleDirectory::Load(config + "/people.yaml");
  if (!people.ok()) return std::fprintf(stderr, "%s\n", people.status().ToString().c_str()), 1;
  auto definitions = DefinitionRegistry::LoadDirectory(config + "/process", *people);
  if (!definitions.ok()) return std::fprintf(stderr, "%s\n", definitions.status().ToString().c_str()), 1;
  auto calendar = calendar::BusinessCalendar::Load(config + "/calendar");
  if (!calendar.ok()) return std::fprintf(stderr, "%s\n", calendar.status().ToString().c_str()), 1;

  rend::testing::TempDir dir;
  InstanceProjection projection;
  auto store = es::EventStore::Open({.path = dir.path() + "/db", .source = "process"}, {&projection});
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), 1;
  absl::Time now = absl::FromCivil(absl::CivilSecond(2025, 6, 2, 10, 0, 0), calendar->time_zone());
  ProcessEngine engine(store->get(), &*definitions, &*people, &*calendar, [now] { return now; });

  const int instances = absl::GetFlag(FLAGS_instances);
  const int workers = absl::GetFlag(FLAGS_workers);
  auto id = [](int i) { return absl::StrCat("BENCH-", i); };
  double start_seconds = RunParallel(instances, workers, [&](int i) { return Start(engine, **store, id(i)); });
  double complete_seconds = RunParallel(instances, workers, [&](int i) { return CompleteAll(engine, **store, id(i)); });

  std::printf("instances: %d, workers: %d, events in the log: %llu\n", instances, workers,
              static_cast<unsigned long long>((*store)->LastPosition()));
  std::printf("started:   %8.0f instances/s (%.2f s)\n", instances / start_seconds, start_seconds);
  std::printf("completed: %8.0f instances/s (%.2f s, 4 task completions each)\n", instances / complete_seconds,
              complete_seconds);
  return 0;
}

}  // namespace
}  // namespace rend::process

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Measures process instances started and completed per second, in-process.");
  absl::ParseCommandLine(argc, argv);
  spdlog::set_level(spdlog::level::warn);
  return rend::process::Run();
}
