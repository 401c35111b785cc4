// rend-broker: hosts librdkafka's mock cluster, a real Kafka-protocol broker
// on loopback, for local runs and tests where no Kafka cluster is available.
//
// It keeps messages in memory only, a few MiB per partition, and nothing
// across its own restart; Rend's consumers recover anything it lost from the
// services' own logs. Production uses a real Kafka cluster instead.
//
// Prints "bootstrap=<host:port,...>" on stdout once ready, optionally writes
// the same address to --bootstrap_file, and runs until SIGTERM or SIGINT.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "librdkafka/rdkafka.h"
#include "librdkafka/rdkafka_mock.h"

ABSL_FLAG(int, brokers, 1, "number of mock brokers (1..5)");
ABSL_FLAG(int, partitions, 1, "partitions of each Rend topic (1..64)");
ABSL_FLAG(std::string, bootstrap_file, "", "file to write the bootstrap address to, written once ready");

namespace {

const char* const kTopics[] = {"rend.intake.v1", "rend.process.v1", "rend.costing.v1", "rend.approval.v1",
                               "rend.billing.v1"};

int Fail(const std::string& message) {
  std::fprintf(stderr, "rend-broker: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) { return !absl::StrContains(file, "absl/"); };
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage("Hosts an in-memory Kafka-protocol broker (librdkafka mock cluster) on loopback.");
  absl::ParseCommandLine(argc, argv);
  int brokers = absl::GetFlag(FLAGS_brokers);
  int partitions = absl::GetFlag(FLAGS_partitions);
  if (brokers < 1 || brokers > 5) return Fail("--brokers must be between 1 and 5");
  if (partitions < 1 || partitions > 64) return Fail("--partitions must be between 1 and 64");

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // The mock cluster needs a client handle for its bookkeeping.
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle never connects anywhere, so its "no bootstrap.servers"
  // warning is noise: log errors only.
  rd_kafka_conf_set(conf, "log_level", "3", error, sizeof(error));
  rd_kafka_t* handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (handle == nullptr) return Fail(std::string("cannot create the client handle: ") + error);
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(handle, brokers);
  if (cluster == nullptr) return Fail("cannot create the mock cluster");
  for (const char* topic : kTopics) {
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, topic, partitions, brokers < 3 ? brokers : 3);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return Fail(std::string("cannot create topic ") + topic);
  }

  std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  std::string file = absl::GetFlag(FLAGS_bootstrap_file);
  if (!file.empty()) {
    std::string partial = file + ".tmp";
    std::ofstream(partial) << bootstrap << "\n";
    if (std::rename(partial.c_str(), file.c_str()) != 0) return Fail("cannot write " + file);
  }
  std::printf("bootstrap=%s\n", bootstrap.c_str());
  std::fflush(stdout);

  int signal = 0;
  sigwait(&signals, &signal);
  std::fprintf(stderr, "rend-broker: stopping on signal %d\n", signal);
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(handle);
  return 0;
}
