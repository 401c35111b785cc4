#include "libs/es/kafka_config.h"

#include "absl/strings/str_cat.h"

namespace rend::es {

absl::StatusOr<rd_kafka_conf_t*> NewKafkaConf(const KafkaOptions& options,
                                              const std::vector<std::pair<std::string, std::string>>& defaults) {
  if (options.bootstrap_servers.empty()) {
    return absl::InvalidArgumentError("Kafka bootstrap servers are not configured (--kafka_bootstrap)");
  }
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  auto set = [&](const std::string& key, const std::string& value) -> absl::Status {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof(error)) != RD_KAFKA_CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat("invalid Kafka property ", key, ": ", error));
    }
    return absl::OkStatus();
  };
  absl::Status status = set("bootstrap.servers", options.bootstrap_servers);
  for (const auto& [key, value] : defaults) {
    if (status.ok()) status = set(key, value);
  }
  for (const auto& [key, value] : options.properties) {
    if (status.ok()) status = set(key, value);
  }
  if (!status.ok()) {
    rd_kafka_conf_destroy(conf);
    return status;
  }
  return conf;
}

}  // namespace rend::es
