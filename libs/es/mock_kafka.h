// MockKafka: an in-process Kafka cluster for tests, built on librdkafka's
// mock broker (rdkafka_mock.h, an experimental librdkafka API). The broker
// speaks the Kafka protocol on a loopback port and keeps everything in
// memory. It lives as long as the MockKafka object.
//
// Thread safety: the methods may be called from any thread, but the object
// must outlive every client that uses bootstrap_servers().
#ifndef REND_LIBS_ES_MOCK_KAFKA_H_
#define REND_LIBS_ES_MOCK_KAFKA_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "librdkafka/rdkafka.h"
#include "librdkafka/rdkafka_mock.h"
#include "libs/es/event_store.h"

namespace rend::es {

class MockKafka {
 public:
  // Starts a cluster of one broker. Aborts the test binary when librdkafka
  // cannot create it.
  MockKafka();
  ~MockKafka();
  MockKafka(const MockKafka&) = delete;
  MockKafka& operator=(const MockKafka&) = delete;

  // "127.0.0.1:<port>" of the broker.
  std::string bootstrap_servers() const;

  // Creates `topic` with one partition.
  absl::Status CreateTopic(const std::string& topic);

  // Reads partition 0 of `topic` from its first offset to its end and decodes
  // each record value as an EventRecord. Returns DEADLINE_EXCEEDED when the
  // end is not reached within `timeout`, DATA_LOSS for an undecodable value.
  absl::StatusOr<std::vector<EventRecord>> ReadTopic(const std::string& topic, absl::Duration timeout) const;

 private:
  rd_kafka_t* handle_ = nullptr;  // owns the cluster's bookkeeping
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

}  // namespace rend::es

#endif  // REND_LIBS_ES_MOCK_KAFKA_H_
