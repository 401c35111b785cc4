// ServiceHost: what every Rend service process shares: configuration from
// flags and environment, logging, the event store, the outbox publisher, the
// consumer of other services' events, and a gRPC server with the standard
// health service, server reflection and the EventLog service. It stops
// cleanly on SIGTERM or SIGINT.
//
// Configuration: each setting is taken from its flag when given, else from
// its environment variable, else from the default:
//   --listen           REND_LISTEN           127.0.0.1:<service port>
//   --data_dir         REND_DATA_DIR         ./data/<service>
//   --kafka_bootstrap  REND_KAFKA_BOOTSTRAP  (required)
//   --<peer>_addr      REND_<PEER>_ADDR      127.0.0.1:<peer port>
//   --config_dir       REND_CONFIG_DIR       ./config
//   --log_level        REND_LOG_LEVEL        info
// Default ports: intake 50051, process 50052, costing 50053, approval 50054,
// billing 50055.
//
// Thread safety: use from the main thread only.
#ifndef REND_LIBS_RUNTIME_SERVICE_HOST_H_
#define REND_LIBS_RUNTIME_SERVICE_HOST_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "libs/es/event_consumer.h"
#include "libs/es/event_store.h"
#include "libs/es/outbox_publisher.h"

namespace rend::runtime {

struct ServiceConfig {
  std::string name;
  std::string listen;
  std::string data_dir;
  std::string config_dir;
  es::KafkaOptions kafka;
  std::map<std::string, std::string> peers;  // service name -> gRPC address
};

// Parses flags and environment for service `name`. Blocks SIGTERM and SIGINT
// in the calling thread (and so in every thread started later), so call it
// first in main(). Exits the process on bad flags, printing the reason.
ServiceConfig InitService(int argc, char** argv, const std::string& name);

// Makes --help list the flags defined in Rend's files. Call before parsing
// flags in any Rend executable; InitService calls it.
void ShowRendFlagsInHelp();

class ServiceHost {
 public:
  // Opens the event store with `projections` (not owned).
  static absl::StatusOr<std::unique_ptr<ServiceHost>> Create(const ServiceConfig& config,
                                                             std::vector<es::Projection*> projections);
  ~ServiceHost();

  es::EventStore* store() { return store_.get(); }
  const ServiceConfig& config() const { return config_; }

  // Consumes the events of `sources` (service names, addresses from the
  // config's peers) with `handler`. Call before Run().
  absl::Status ConsumeFrom(const std::vector<std::string>& sources, es::EventHandler handler);

  // Calls `task` every `interval` on a thread of its own while Run() serves,
  // for work such as firing due timers. Call before Run().
  void RunPeriodically(absl::Duration interval, std::function<void()> task);

  // Serves `services` (not owned) plus health, reflection and EventLog until
  // SIGTERM or SIGINT, then shuts down: gRPC server (5 s grace), periodic
  // tasks (a running call finishes first), consumers, outbox publisher,
  // event store.
  absl::Status Run(const std::vector<grpc::Service*>& services);

 private:
  struct PeriodicTask {
    absl::Duration interval;
    std::function<void()> task;
  };

  explicit ServiceHost(ServiceConfig config) : config_(std::move(config)) {}
  void StartPeriodicTasks();
  void StopPeriodicTasks();

  ServiceConfig config_;
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<es::OutboxPublisher> publisher_;
  std::unique_ptr<es::EventConsumer> consumer_;
  std::vector<PeriodicTask> periodic_tasks_;
  std::vector<std::thread> periodic_threads_;
  absl::Mutex periodic_mutex_;
  bool periodic_stopping_ ABSL_GUARDED_BY(periodic_mutex_) = false;
};

}  // namespace rend::runtime

#endif  // REND_LIBS_RUNTIME_SERVICE_HOST_H_
