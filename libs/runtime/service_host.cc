#include "libs/runtime/service_host.h"

#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "libs/common/status.h"
#include "libs/es/log_service.h"
#include "spdlog/spdlog.h"

// Each flag's empty default means "use the environment variable, else the
// default named in the help text", which is resolved in InitService.
ABSL_FLAG(std::string, listen, "", "gRPC listen address, host:port (env REND_LISTEN; default 127.0.0.1:<service port>)");
ABSL_FLAG(std::string, data_dir, "", "directory of the service's RocksDB event store (env REND_DATA_DIR; default ./data/<service>)");
ABSL_FLAG(std::string, kafka_bootstrap, "", "Kafka bootstrap servers, host:port[,...] (env REND_KAFKA_BOOTSTRAP; required)");
ABSL_FLAG(std::string, config_dir, "", "directory of people, process definitions, policies and calendars (env REND_CONFIG_DIR; default ./config)");
ABSL_FLAG(std::string, log_level, "", "trace, debug, info, warn or error (env REND_LOG_LEVEL; default info)");
ABSL_FLAG(std::string, intake_addr, "", "gRPC address of the intake service (env REND_INTAKE_ADDR; default 127.0.0.1:50051)");
ABSL_FLAG(std::string, process_addr, "", "gRPC address of the process service (env REND_PROCESS_ADDR; default 127.0.0.1:50052)");
ABSL_FLAG(std::string, costing_addr, "", "gRPC address of the costing service (env REND_COSTING_ADDR; default 127.0.0.1:50053)");
ABSL_FLAG(std::string, approval_addr, "", "gRPC address of the approval service (env REND_APPROVAL_ADDR; default 127.0.0.1:50054)");
ABSL_FLAG(std::string, billing_addr, "", "gRPC address of the billing service (env REND_BILLING_ADDR; default 127.0.0.1:50055)");

namespace rend::runtime {
namespace {

const std::map<std::string, int>& DefaultPorts() {
  static const auto* ports = new std::map<std::string, int>{
      {"intake", 50051}, {"process", 50052}, {"costing", 50053}, {"approval", 50054}, {"billing", 50055}};
  return *ports;
}

// Returns the flag's value when set, else the environment variable's, else
// `fallback`.
std::string Setting(const absl::Flag<std::string>& flag, const char* env, const std::string& fallback) {
  std::string value = absl::GetFlag(flag);
  if (!value.empty()) return value;
  const char* from_env = std::getenv(env);
  if (from_env != nullptr && *from_env != '\0') return from_env;
  return fallback;
}

void BlockTerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

}  // namespace

void ShowRendFlagsInHelp() {
  absl::FlagsUsageConfig config;
  // --help lists flags of Rend's own files, not Abseil's internal ones.
  config.contains_help_flags = [](absl::string_view file) { return !absl::StrContains(file, "absl/"); };
  absl::SetFlagsUsageConfig(config);
}

ServiceConfig InitService(int argc, char** argv, const std::string& name) {
  BlockTerminationSignals();
  ShowRendFlagsInHelp();
  absl::SetProgramUsageMessage(absl::StrCat("Rend ", name, " service. Settings come from flags or REND_* variables."));
  absl::ParseCommandLine(argc, argv);

  std::string level = Setting(FLAGS_log_level, "REND_LOG_LEVEL", "info");
  spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    std::cerr << "invalid --log_level \"" << level << "\": use trace, debug, info, warn or error\n";
    std::exit(2);
  }
  spdlog::set_level(parsed);
  spdlog::set_pattern(absl::StrCat("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ ", name, " %v"));

  ServiceConfig config;
  config.name = name;
  config.listen = Setting(FLAGS_listen, "REND_LISTEN", absl::StrCat("127.0.0.1:", DefaultPorts().at(name)));
  config.data_dir = Setting(FLAGS_data_dir, "REND_DATA_DIR", absl::StrCat("./data/", name));
  config.config_dir = Setting(FLAGS_config_dir, "REND_CONFIG_DIR", "./config");
  config.kafka.bootstrap_servers = Setting(FLAGS_kafka_bootstrap, "REND_KAFKA_BOOTSTRAP", "");
  const std::pair<const char*, const absl::Flag<std::string>*> peers[] = {
      {"intake", &FLAGS_intake_addr}, {"process", &FLAGS_process_addr}, {"costing", &FLAGS_costing_addr},
      {"approval", &FLAGS_approval_addr}, {"billing", &FLAGS_billing_addr}};
  for (const auto& [peer, flag] : peers) {
    std::string env = absl::StrCat("REND_", absl::AsciiStrToUpper(peer), "_ADDR");
    config.peers[peer] = Setting(*flag, env.c_str(), absl::StrCat("127.0.0.1:", DefaultPorts().at(peer)));
  }
  if (config.kafka.bootstrap_servers.empty()) {
    std::cerr << "missing Kafka bootstrap servers: set --kafka_bootstrap or REND_KAFKA_BOOTSTRAP\n";
    std::exit(2);
  }
  return config;
}

absl::StatusOr<std::unique_ptr<ServiceHost>> ServiceHost::Create(const ServiceConfig& config,
                                                                 std::vector<es::Projection*> projections) {
  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error) return absl::FailedPreconditionError(absl::StrCat("cannot create ", config.data_dir, ": ", error.message()));
  std::unique_ptr<ServiceHost> host(new ServiceHost(config));
  REND_ASSIGN_OR_RETURN(host->store_, es::EventStore::Open({.path = config.data_dir, .source = config.name},
                                                           std::move(projections)));
  REND_ASSIGN_OR_RETURN(host->publisher_, es::OutboxPublisher::Start(host->store_.get(), config.kafka));
  return host;
}

ServiceHost::~ServiceHost() {
  StopPeriodicTasks();
  consumer_.reset();
  publisher_.reset();
  store_.reset();
}

absl::Status ServiceHost::ConsumeFrom(const std::vector<std::string>& sources, es::EventHandler handler) {
  es::ConsumerOptions options;
  options.kafka = config_.kafka;
  for (const std::string& source : sources) {
    auto peer = config_.peers.find(source);
    if (peer == config_.peers.end()) return absl::InvalidArgumentError(absl::StrCat("unknown source ", source));
    options.sources.push_back({source, peer->second});
  }
  REND_ASSIGN_OR_RETURN(consumer_, es::EventConsumer::Start(store_.get(), std::move(options), std::move(handler)));
  return absl::OkStatus();
}

void ServiceHost::RunPeriodically(absl::Duration interval, std::function<void()> task) {
  periodic_tasks_.push_back({interval, std::move(task)});
}

void ServiceHost::StartPeriodicTasks() {
  for (const PeriodicTask& periodic : periodic_tasks_) {
    periodic_threads_.emplace_back([this, &periodic] {
      while (true) {
        {
          absl::MutexLock lock(&periodic_mutex_);
          if (periodic_mutex_.AwaitWithTimeout(absl::Condition(&periodic_stopping_), periodic.interval)) return;
        }
        periodic.task();
      }
    });
  }
}

void ServiceHost::StopPeriodicTasks() {
  {
    absl::MutexLock lock(&periodic_mutex_);
    periodic_stopping_ = true;
  }
  for (std::thread& thread : periodic_threads_) thread.join();
  periodic_threads_.clear();
}

absl::Status ServiceHost::Run(const std::vector<grpc::Service*>& services) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  es::EventLogService log_service(store_.get());

  grpc::ServerBuilder builder;
  int port = 0;
  // NOTE: plaintext gRPC; in a cluster, terminate TLS in the service mesh.
  builder.AddListeningPort(config_.listen, grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
  builder.RegisterService(&log_service);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", config_.listen));
  }
  server->GetHealthCheckService()->SetServingStatus(true);
  StartPeriodicTasks();
  spdlog::info("serving on {} (data {}, kafka {})", config_.listen, config_.data_dir,
               config_.kafka.bootstrap_servers);

  int signal = WaitForTerminationSignal();
  spdlog::info("received signal {}, shutting down", signal);
  server->GetHealthCheckService()->SetServingStatus(false);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  StopPeriodicTasks();
  consumer_.reset();
  publisher_.reset();
  store_.reset();
  spdlog::info("stopped");
  return absl::OkStatus();
}

}  // namespace rend::runtime
