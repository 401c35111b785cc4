#include "libs/es/mock_kafka.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "spdlog/spdlog.h"

namespace rend::es {
namespace {

// Returns a configuration with `properties` set. Aborts when librdkafka
// rejects one, because callers pass only fixed test properties.
rd_kafka_conf_t* NewConf(const std::vector<std::pair<std::string, std::string>>& properties) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof(error)) != RD_KAFKA_CONF_OK) {
      spdlog::critical("invalid Kafka test property {}: {}", key, error);
      std::abort();
    }
  }
  return conf;
}

}  // namespace

MockKafka::MockKafka() {
  char error[512];
  rd_kafka_conf_t* conf = NewConf({{"log_level", "4"}});  // hides the notice about no bootstrap servers
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (handle_ == nullptr) {
    spdlog::critical("cannot create the Kafka handle of the mock cluster: {}", error);
    std::abort();
  }
  cluster_ = rd_kafka_mock_cluster_new(handle_, 1);
  if (cluster_ == nullptr) {
    spdlog::critical("cannot create the mock Kafka cluster");
    std::abort();
  }
}

MockKafka::~MockKafka() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(handle_);
}

std::string MockKafka::bootstrap_servers() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

absl::Status MockKafka::CreateTopic(const std::string& topic) {
  rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster_, topic.c_str(), 1, 1);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InternalError(absl::StrCat("cannot create topic ", topic, ": ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<EventRecord>> MockKafka::ReadTopic(const std::string& topic,
                                                              absl::Duration timeout) const {
  char error[512];
  rd_kafka_conf_t* conf = NewConf({{"bootstrap.servers", bootstrap_servers()},
                                   {"group.id", "rend-test-reader"},
                                   {"enable.auto.commit", "false"},
                                   {"enable.partition.eof", "true"}});
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  if (consumer == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(absl::StrCat("cannot create the test reader: ", error));
  }
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* partitions = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(partitions, topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_resp_err_t err = rd_kafka_assign(consumer, partitions);
  rd_kafka_topic_partition_list_destroy(partitions);

  // Read until the partition end, which enable.partition.eof reports.
  absl::Status status = err == RD_KAFKA_RESP_ERR_NO_ERROR
                            ? absl::OkStatus()
                            : absl::InternalError(absl::StrCat("cannot assign ", topic, ": ", rd_kafka_err2str(err)));
  std::vector<EventRecord> records;
  absl::Time deadline = absl::Now() + timeout;
  bool at_end = false;
  while (status.ok() && !at_end) {
    if (absl::Now() > deadline) {
      status = absl::DeadlineExceededError(absl::StrCat("reading ", topic, " timed out after ", records.size(),
                                                        " records"));
      break;
    }
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 100);
    if (message == nullptr) continue;
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_end = true;
    } else if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      EventRecord record;
      if (!record.ParseFromArray(message->payload, static_cast<int>(message->len))) {
        status = absl::DataLossError(absl::StrCat("undecodable record at offset ", message->offset));
      }
      records.push_back(std::move(record));
    }
    rd_kafka_message_destroy(message);
  }

  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  if (!status.ok()) return status;
  return records;
}

}  // namespace rend::es
