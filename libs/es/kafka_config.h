// Builds librdkafka configurations from KafkaOptions. Internal to libs/es.
#ifndef REND_LIBS_ES_KAFKA_CONFIG_H_
#define REND_LIBS_ES_KAFKA_CONFIG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "librdkafka/rdkafka.h"
#include "libs/es/outbox_publisher.h"

namespace rend::es {

// Returns a new configuration (owned by the caller) with the bootstrap
// servers, then `defaults`, then the user's `options.properties`. Errors name
// the rejected property but never its value.
absl::StatusOr<rd_kafka_conf_t*> NewKafkaConf(const KafkaOptions& options,
                                              const std::vector<std::pair<std::string, std::string>>& defaults);

}  // namespace rend::es

#endif  // REND_LIBS_ES_KAFKA_CONFIG_H_
