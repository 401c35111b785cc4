// OutboxPublisher: publishes a service's committed events to Kafka, in log
// order, from the position after the last one the broker acknowledged.
//
// The log is the outbox: events reach Kafka only by being read back from the
// committed log, never by a second write beside the append. Each record is
// keyed by stream id, its value is the serialized EventRecord, and headers
// carry the event type and id. The producer is librdkafka's idempotent
// producer, so per-partition order holds across its internal retries. The
// acknowledged position is stored as the checkpoint "outbox" without fsync:
// after a crash a few events may be published again, which consumers
// deduplicate by event id.
//
// A fatal producer error is latched: publishing stops, health() reports it,
// and the service must be restarted.
//
// Thread safety: the public methods are thread-safe.
#ifndef REND_LIBS_ES_OUTBOX_PUBLISHER_H_
#define REND_LIBS_ES_OUTBOX_PUBLISHER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/es/event_store.h"

namespace rend::es {

struct KafkaOptions {
  std::string bootstrap_servers;  // "host:port[,host:port]"
  // Extra librdkafka properties ("security.protocol", "sasl.mechanisms", ...),
  // applied after Rend's own; never logged because they may hold secrets.
  std::vector<std::pair<std::string, std::string>> properties;
};

// Returns the topic of a source service's events: "rend.<source>.v1".
std::string TopicFor(const std::string& source);

class OutboxPublisher {
 public:
  // Starts publishing `store`'s log to TopicFor(store->source()). `store`
  // must outlive the publisher.
  static absl::StatusOr<std::unique_ptr<OutboxPublisher>> Start(EventStore* store, const KafkaOptions& options);
  ~OutboxPublisher();  // stops and flushes for at most two seconds

  // Last position the broker acknowledged.
  uint64_t acknowledged_position() const { return acknowledged_.load(); }
  // OK, or the latched fatal producer error.
  absl::Status health() const;

 private:
  struct Kafka;
  OutboxPublisher(EventStore* store, std::unique_ptr<Kafka> kafka);
  void Run();
  // Produces events from `from` and waits for their delivery reports;
  // returns the last position of the contiguous acknowledged prefix.
  uint64_t PublishBatch(uint64_t from);

  EventStore* store_;
  std::unique_ptr<Kafka> kafka_;
  std::atomic<uint64_t> acknowledged_{0};
  std::atomic<bool> stop_{false};
  mutable absl::Mutex mutex_;
  absl::Status fatal_ ABSL_GUARDED_BY(mutex_);
  std::thread thread_;
};

}  // namespace rend::es

#endif  // REND_LIBS_ES_OUTBOX_PUBLISHER_H_
