// EventStore: the append-only, RocksDB-backed event log of one service, with
// its projections, its command-idempotency records and its consumer inbox.
//
// Layout (one RocksDB database, one column family per concern):
//   events        position (8-byte big endian)       -> EventRecord
//   streams       stream_id \0 version (big endian)  -> position
//   stream_heads  stream_id                          -> version (decimal)
//   state         projection name / key              -> projection value
//   commands      request id                         -> fingerprint + response
//   inbox         source / event id                  -> position
//   checkpoints   name                               -> position (decimal)
//
// Appends go through one writer thread that takes every pending append,
// checks each against the expected stream version, applies the new events to
// all projections, and commits the whole group as one synced WriteBatch
// (group commit): concurrent appends share one fsync. A request that fails
// its checks is rolled back alone; the others in the group still commit.
// Projection state and the projection checkpoint are in the same batch as the
// events, so they can never disagree after a crash.
//
// After a failed write the store latches the error and rejects every later
// append until the process restarts, so the log and the acknowledged state
// cannot diverge.
//
// Thread safety: all methods are thread-safe.
#ifndef REND_LIBS_ES_EVENT_STORE_H_
#define REND_LIBS_ES_EVENT_STORE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/message.h"
#include "libs/es/projection.h"
#include "rend/eventlog/v1/event_log.pb.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
}  // namespace rocksdb

namespace rend::es {

using EventRecord = ::rend::eventlog::v1::EventRecord;

// Expected-version values with a special meaning.
inline constexpr uint64_t kNoStream = 0;  // the stream must not exist yet
inline constexpr uint64_t kAnyVersion = std::numeric_limits<uint64_t>::max();

struct AppendRequest {
  std::string stream_id;
  uint64_t expected_version = kAnyVersion;
  std::vector<google::protobuf::Any> events;
  std::string actor;
  std::string correlation_id;
  std::string causation_id;

  // Idempotency. When `command_id` is set, a later append with the same id
  // and the same fingerprint writes nothing and returns `command_response`
  // of the first one; a different fingerprint fails with ALREADY_EXISTS.
  // `events` may be empty, which records the id of a command that changed
  // nothing.
  std::string command_id;
  std::string command_fingerprint;
  std::string command_response;

  // Inbox. When `inbox_event_id` is set, the append is the effect of that
  // event of `inbox_source`: it is committed once only, together with the
  // inbox entry and the consumer checkpoint "consumer/<source>" set to
  // `inbox_position`. `events` may be empty, which records the event as seen.
  std::string inbox_source;
  std::string inbox_event_id;
  uint64_t inbox_position = 0;
};

struct AppendResult {
  std::vector<EventRecord> records;  // empty for duplicates
  uint64_t stream_version = 0;       // after the append
  // True when the command id was seen before; `command_response` is the
  // stored response of the first call.
  bool duplicate_command = false;
  std::string command_response;
  // True when the inbox already held `inbox_event_id`.
  bool duplicate_event = false;
};

struct StoredCommand {
  std::string fingerprint;
  std::string response;
};

struct EventStoreOptions {
  std::string path;    // directory of the RocksDB database
  std::string source;  // service name recorded in every event
  bool sync = true;    // fsync the WAL before an append is acknowledged
  size_t max_group_size = 512;
};

class EventStore {
 public:
  // Opens or creates the store. `projections` are not owned and must outlive
  // the store; their state is brought up to the end of the log before Open
  // returns (which replays events without side effects).
  static absl::StatusOr<std::unique_ptr<EventStore>> Open(const EventStoreOptions& options,
                                                          std::vector<Projection*> projections);
  ~EventStore();

  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Appends durably. Errors: ABORTED when the stream is not at the expected
  // version, ALREADY_EXISTS for a reused command id with another content,
  // INVALID_ARGUMENT for a malformed request, INTERNAL when a projection
  // rejects an event, FAILED_PRECONDITION once a write error was latched.
  // On any error nothing of this request is written.
  absl::StatusOr<AppendResult> Append(AppendRequest request);

  // Returns up to `max_count` events with position >= `from_position`.
  absl::StatusOr<std::vector<EventRecord>> ReadAll(uint64_t from_position, size_t max_count) const;
  // Returns the events of one stream from `from_version` on, in order.
  absl::StatusOr<std::vector<EventRecord>> ReadStream(const std::string& stream_id,
                                                      uint64_t from_version = 1) const;

  uint64_t LastPosition() const;
  // Returns 0 (kNoStream) for a stream without events.
  absl::StatusOr<uint64_t> StreamVersion(const std::string& stream_id) const;
  // Blocks until the log reaches `position` or `timeout` passes; returns
  // whether it was reached.
  bool WaitForPosition(uint64_t position, absl::Duration timeout) const;

  // Looks up a command id recorded by an earlier append.
  absl::StatusOr<std::optional<StoredCommand>> FindCommand(const std::string& command_id) const;
  absl::StatusOr<bool> InboxContains(const std::string& source, const std::string& event_id) const;

  // Projection state, read-only. Keys are the projection's own keys.
  absl::StatusOr<std::optional<std::string>> GetState(const std::string& projection,
                                                      const std::string& key) const;
  // Calls `visit` for each key that starts with `prefix`, in key order,
  // until it returns false. A non-empty `start` skips keys before it.
  absl::Status ScanState(const std::string& projection, const std::string& prefix,
                         const std::function<bool(const std::string& key, const std::string& value)>& visit,
                         const std::string& start = "") const;

  // Named checkpoints (outbox, consumers). A missing one reads as 0.
  absl::StatusOr<uint64_t> GetCheckpoint(const std::string& name) const;
  absl::Status PutCheckpoint(const std::string& name, uint64_t position);

  // Drops the projection's state and replays the whole log into it. Appends
  // wait meanwhile. Replay calls only Projection::Apply, never a side effect.
  absl::Status RebuildProjection(const std::string& name);

  const std::string& source() const { return options_.source; }

 // Staging area of one group commit; defined in the implementation file.
  class Batch;

 private:
  struct Pending;

  explicit EventStore(EventStoreOptions options);
  absl::Status OpenDb();
  absl::Status CatchUpProjection(Projection* projection);
  void WriterLoop();
  void CommitGroup(std::vector<Pending*>& group);
  absl::Status Prepare(Batch& batch, Pending& pending, uint64_t& next_position);

  const EventStoreOptions options_;
  std::vector<Projection*> projections_;
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;

  mutable absl::Mutex mutex_;
  mutable absl::CondVar queue_changed_;
  mutable absl::CondVar position_changed_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  uint64_t last_position_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::Status latched_error_ ABSL_GUARDED_BY(mutex_);
  // Held by the writer while it commits and by RebuildProjection.
  absl::Mutex write_mutex_;
  std::thread writer_;
};

// Packs a domain event for an AppendRequest.
google::protobuf::Any PackEvent(const google::protobuf::Message& event);

// Returns the deterministic serialization of `message`, used as a command
// fingerprint. ExecuteCommand fingerprints the whole request, context
// included, so the same request id sent by another actor is a different
// request.
std::string Fingerprint(const google::protobuf::Message& message);

}  // namespace rend::es

#endif  // REND_LIBS_ES_EVENT_STORE_H_
