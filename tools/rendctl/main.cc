// rendctl: the command-line client of Rend.
//
//   rendctl demo [--lang=hu|en] [--keep_running]   run the quote scenario on a
//                                                  fresh local stack
//   rendctl status REQUEST_ID      where a request is: open steps, holders, due
//   rendctl timeline REQUEST_ID    every step with holder, start, finish, due
//   rendctl tasks [--role=R] [--holder=P] [--request=ID] [--all]
//   rendctl log SERVICE [--from=N] print a service's event log
//
// Query commands reach the services at --<service>_addr (default
// 127.0.0.1:5005x, the services' default ports).
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/channel.h"
#include "rend/eventlog/v1/event_log.grpc.pb.h"
#include "rend/process/v1/process.grpc.pb.h"
#include "tools/rendctl/report.h"
#include "tools/stack/scenario.h"
#include "tools/stack/stack.h"

ABSL_FLAG(std::string, lang, "hu", "language of the demo's output: hu or en");
ABSL_FLAG(bool, keep_running, false, "leave the stack running after the demo until Ctrl-C");
ABSL_FLAG(std::string, build_dir, "", "CMake build directory with the executables (default: found from rendctl)");
ABSL_FLAG(std::string, config_dir, REND_SOURCE_DIR "/deploy/config", "configuration directory for the services");
ABSL_FLAG(std::string, work_dir, ".rend/demo", "directory for the demo's data and logs; emptied first");
ABSL_FLAG(std::string, process_addr, "127.0.0.1:50052", "process service address for queries");
ABSL_FLAG(std::string, log_addr, "", "address of the service whose log `log` reads (default: its default port)");
ABSL_FLAG(uint64_t, from, 1, "first log position for `log`");
ABSL_FLAG(std::string, role, "", "filter for `tasks`");
ABSL_FLAG(std::string, holder, "", "filter for `tasks`");
ABSL_FLAG(std::string, request, "", "filter for `tasks`");
ABSL_FLAG(bool, all, false, "`tasks` also lists completed tasks");

namespace rend::tools {
namespace {

const char* CodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
                                       "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                                       "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : "UNKNOWN";
}

// Prints a failed call; for an unreachable service, also names the flag
// that sets its address.
int PrintError(const grpc::Status& status, const std::string& address_flag) {
  std::cerr << "error " << CodeName(status.error_code()) << ": " << status.error_message() << "\n";
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "is the service running there? set its address with --" << address_flag << "\n";
  }
  return 1;
}

int Usage() {
  std::cerr << "usage: rendctl demo|status|timeline|tasks|log [args]; see rendctl --help\n";
  return 2;
}

std::string DefaultBuildDir() {
  std::error_code error;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? "build" : exe.parent_path().parent_path().parent_path().string();
}

void BlockTerminationSignals(sigset_t* signals) {
  sigemptyset(signals);
  sigaddset(signals, SIGTERM);
  sigaddset(signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, signals, nullptr);
}

// Writes the scenario's documents under `dir` and prints where they are.
void SaveDocuments(const ScenarioResult& result, const std::string& dir, Language language) {
  std::error_code ignored;
  std::filesystem::create_directories(dir, ignored);
  const std::pair<std::string, const std::string*> files[] = {
      {absl::StrCat(dir, "/", result.quote.quote_id(), "-v", result.quote.quote_version(), ".pdf"), &result.quote_pdf},
      {absl::StrCat(dir, "/", result.invoice.invoice_number(), ".pdf"), &result.invoice_pdf},
      {absl::StrCat(dir, "/", result.invoice.invoice_number(), "-nav.xml"), &result.invoice_nav_xml}};
  std::printf("%s\n", language == Language::kHungarian ? "Dokumentumok:" : "Documents:");
  for (const auto& [path, content] : files) {
    std::ofstream(path, std::ios::binary) << *content;
    std::printf("  %s\n", path.c_str());
  }
}

void PrintStackAddresses(const Stack& stack, Language language) {
  bool hu = language == Language::kHungarian;
  std::printf("%s: %s\n", hu ? "Kafka bootstrap (beágyazott bróker)" : "Kafka bootstrap (embedded broker)",
              stack.bootstrap().c_str());
  for (const std::string& service : Stack::ServiceNames()) {
    std::printf("  %-9s %s\n", service.c_str(), stack.Address(service).c_str());
  }
}

int RunDemo() {
  std::string lang = absl::GetFlag(FLAGS_lang);
  if (lang != "hu" && lang != "en") {
    std::cerr << "invalid --lang \"" << lang << "\": use hu or en\n";
    return 2;
  }
  Language language = lang == "hu" ? Language::kHungarian : Language::kEnglish;
  bool hu = language == Language::kHungarian;
  sigset_t signals;
  BlockTerminationSignals(&signals);

  StackOptions options;
  options.build_dir = absl::GetFlag(FLAGS_build_dir).empty() ? DefaultBuildDir() : absl::GetFlag(FLAGS_build_dir);
  options.config_dir = absl::GetFlag(FLAGS_config_dir);
  options.work_dir = absl::GetFlag(FLAGS_work_dir);
  // A second demo on the same directory would delete the files of one that
  // still runs, so each holds a lock beside the directory while it runs.
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(options.work_dir).parent_path(), ignored);
  std::string lock_path = options.work_dir + ".lock";
  int lock = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
    std::cerr << "another demo is running in " << options.work_dir
              << "; stop it first or give this one its own --work_dir\n";
    return 1;
  }
  std::filesystem::remove_all(options.work_dir, ignored);
  std::printf("%s\n", hu ? "Rend demó: a bróker és az öt szolgáltatás indul..." : "Rend demo: starting the broker and five services...");
  absl::StatusOr<std::unique_ptr<Stack>> stack = Stack::Start(options);
  if (!stack.ok()) {
    std::cerr << "cannot start the stack: " << stack.status().ToString() << "\n";
    return 1;
  }
  PrintStackAddresses(**stack, language);

  ScenarioOptions scenario;
  for (const std::string& service : Stack::ServiceNames()) scenario.addresses[service] = (*stack)->Address(service);
  int step = 0;
  scenario.narrate = [&](const std::string& hu_text, const std::string& en_text) {
    std::printf("%2d. %s\n", ++step, (hu ? hu_text : en_text).c_str());
    std::fflush(stdout);
  };
  absl::StatusOr<ScenarioResult> result = RunQuoteScenario(scenario);
  if (!result.ok()) {
    std::cerr << "the scenario failed: " << result.status().ToString() << "\nlogs: " << options.work_dir << "/logs\n";
    return 1;
  }
  std::printf("\n%s %s\n%s\n", hu ? "Idővonal:" : "Timeline:", result->request_id.c_str(),
              FormatTimeline(result->timeline, language).c_str());
  SaveDocuments(*result, options.work_dir + "/documents", language);
  std::printf("\n%s", FormatFigures(*result, language).c_str());
  std::fflush(stdout);

  if (absl::GetFlag(FLAGS_keep_running)) {
    std::printf("\n%s\n", hu ? "A rendszer fut (Ctrl-C leállítja)." : "The stack keeps running (Ctrl-C stops it).");
    PrintStackAddresses(**stack, language);
    std::printf("kcat -b %s -C -t rend.billing.v1 -e\n", (*stack)->bootstrap().c_str());
    std::fflush(stdout);
    int signal = 0;
    sigwait(&signals, &signal);
    std::printf("%s\n", hu ? "Leállítás..." : "Stopping...");
    std::fflush(stdout);
  }
  absl::Status stopped = (*stack)->Stop();
  if (!stopped.ok()) {
    std::cerr << stopped.ToString() << "\n";
    return 1;
  }
  return 0;
}

std::unique_ptr<rend::process::v1::ProcessService::Stub> ProcessStub() {
  return rend::process::v1::ProcessService::NewStub(
      CreateServiceChannel(absl::GetFlag(FLAGS_process_addr)));
}

// Prints a response as JSON, or the error, and returns the exit code.
int PrintResult(const grpc::Status& status, const google::protobuf::Message& message) {
  if (!status.ok()) return PrintError(status, "process_addr");
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) json = message.DebugString();
  std::cout << json;
  return 0;
}

int RunQuery(const std::string& command, const std::vector<std::string>& args) {
  auto stub = ProcessStub();
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (command == "status" || command == "timeline") {
    if (args.size() != 1) return Usage();
    rend::process::v1::StatusRequest request;
    request.set_request_id(args[0]);
    if (command == "status") {
      rend::process::v1::StatusResponse response;
      return PrintResult(stub->GetStatus(&context, request, &response), response);
    }
    rend::process::v1::TimelineResponse response;
    return PrintResult(stub->GetTimeline(&context, request, &response), response);
  }
  rend::process::v1::ListTasksRequest request;
  request.set_role(absl::GetFlag(FLAGS_role));
  request.set_holder(absl::GetFlag(FLAGS_holder));
  request.set_request_id(absl::GetFlag(FLAGS_request));
  request.set_include_completed(absl::GetFlag(FLAGS_all));
  rend::process::v1::ListTasksResponse response;
  return PrintResult(stub->ListTasks(&context, request, &response), response);
}

int RunLog(const std::vector<std::string>& args) {
  static const std::map<std::string, int> kPorts = {
      {"intake", 50051}, {"process", 50052}, {"costing", 50053}, {"approval", 50054}, {"billing", 50055}};
  if (args.size() != 1 || kPorts.count(args[0]) == 0) {
    std::cerr << "usage: rendctl log intake|process|costing|approval|billing [--log_addr=HOST:PORT] [--from=N]\n";
    return 2;
  }
  std::string address = absl::GetFlag(FLAGS_log_addr);
  if (address.empty()) address = absl::StrCat("127.0.0.1:", kPorts.at(args[0]));
  auto stub = rend::eventlog::v1::EventLog::NewStub(CreateServiceChannel(address));

  // Refuse to print another service's log under this service's name.
  grpc::ClientContext info_context;
  info_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  rend::eventlog::v1::LogInfo info;
  grpc::Status info_status = stub->GetLogInfo(&info_context, rend::eventlog::v1::LogInfoRequest(), &info);
  if (!info_status.ok()) return PrintError(info_status, "log_addr");
  if (info.source() != args[0]) {
    std::cerr << "error: " << address << " serves the log of " << info.source() << ", not " << args[0] << "\n";
    return 1;
  }

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  rend::eventlog::v1::ReadLogRequest request;
  request.set_from_position(absl::GetFlag(FLAGS_from));
  auto reader = stub->ReadLog(&context, request);
  rend::eventlog::v1::EventRecord event;
  while (reader->Read(&event)) {
    std::printf("%6llu  %-40s %-44s v%llu  %s\n", static_cast<unsigned long long>(event.position()),
                event.type().c_str(), event.stream_id().c_str(),
                static_cast<unsigned long long>(event.stream_version()), event.actor().c_str());
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return PrintError(status, "log_addr");
  return 0;
}

}  // namespace
}  // namespace rend::tools

int main(int argc, char** argv) {
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) { return !absl::StrContains(file, "absl/"); };
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage("rendctl demo|status|timeline|tasks|log [args]: the Rend command-line client");
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  if (positional.size() < 2) return rend::tools::Usage();
  std::string command = positional[1];
  std::vector<std::string> args(positional.begin() + 2, positional.end());
  if (command == "demo") return rend::tools::RunDemo();
  if (command == "status" || command == "timeline" || command == "tasks") return rend::tools::RunQuery(command, args);
  if (command == "log") return rend::tools::RunLog(args);
  return rend::tools::Usage();
}
