// EventConsumer: applies other services' events to this service exactly
// once in effect, whatever Kafka delivers.
//
// For each source service the consumer keeps a watermark, the checkpoint
// "consumer/<source>": every event of that source up to it has been handled.
// Events are handled strictly in the source's log order. Kafka is the fast
// path; a record at or below the watermark is a redelivery and is skipped,
// and a record beyond watermark + 1 reveals a gap (lost by the broker, or
// published before this consumer joined), which is filled by reading the
// source's own log over gRPC (rend.eventlog.v1.EventLog). The same read runs
// at start and every `poll_interval`, so history a broker lost is recovered
// even when no new record arrives.
//
// The handler decides what an event causes and returns it as an
// AppendRequest (or nothing); the consumer adds the inbox entry for the
// event to that append, so the effect, the inbox entry and the watermark
// commit together. Handlers must not have side effects of their own.
//
// The consumer assigns itself every partition of the source's topic and
// joins no consumer group: positions live in the watermark, not in Kafka
// offsets, and without group membership a restarted consumer never waits
// for a rebalance behind its killed predecessor.
//
// Thread safety: one thread per source; the handler is called from those
// threads, concurrently for different sources.
#ifndef REND_LIBS_ES_EVENT_CONSUMER_H_
#define REND_LIBS_ES_EVENT_CONSUMER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/es/event_store.h"
#include "libs/es/outbox_publisher.h"

namespace rend::es {

struct SourceOptions {
  std::string name;         // source service, e.g. "intake"
  std::string log_address;  // gRPC address of its EventLog, e.g. "127.0.0.1:50051"
};

struct ConsumerOptions {
  KafkaOptions kafka;
  std::vector<SourceOptions> sources;
  // Where Kafka reading starts: at the end of each partition (the default,
  // because the start-up catch-up reads the history from the source's log)
  // or at the beginning, which redelivers everything the broker still has.
  bool from_beginning = false;
  absl::Duration poll_interval = absl::Seconds(2);
};

// Returns what `event` causes in this service, or nullopt for nothing.
// INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION and ALREADY_EXISTS mean
// the event can never have an effect: it is recorded as handled and logged.
// ABORTED is retried after re-running the handler; other errors are retried
// with a delay.
using EventHandler = std::function<absl::StatusOr<std::optional<AppendRequest>>(const EventRecord& event)>;

class EventConsumer {
 public:
  // `store` must outlive the consumer.
  static absl::StatusOr<std::unique_ptr<EventConsumer>> Start(EventStore* store, ConsumerOptions options,
                                                              EventHandler handler);
  ~EventConsumer();  // stops all source threads

  // Number of Kafka records received so far, duplicates included.
  uint64_t records_received() const;

 private:
  class SourceWorker;
  EventConsumer() = default;
  ConsumerOptions options_;
  std::vector<std::unique_ptr<SourceWorker>> workers_;
};

}  // namespace rend::es

#endif  // REND_LIBS_ES_EVENT_CONSUMER_H_
