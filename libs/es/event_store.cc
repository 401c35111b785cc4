#include "libs/es/event_store.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/write_batch_with_index.h"
#include "spdlog/spdlog.h"

namespace rend::es {
namespace {

enum Family : size_t { kDefault, kEvents, kStreams, kHeads, kState, kCommands, kInbox, kCheckpoints, kFamilyCount };
constexpr const char* kFamilyNames[kFamilyCount] = {
    "default", "events", "streams", "stream_heads", "state",
    "commands", "inbox", "checkpoints"};

constexpr size_t kMaxEventsPerAppend = 1000;
constexpr size_t kReplayChunk = 1000;

rocksdb::Slice ToSlice(absl::string_view bytes) { return rocksdb::Slice(bytes.data(), bytes.size()); }

std::string BigEndian(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  return out;
}

uint64_t FromBigEndian(absl::string_view bytes) {
  uint64_t value = 0;
  for (unsigned char c : bytes.substr(0, 8)) value = (value << 8) | c;
  return value;
}

std::string StreamKey(absl::string_view stream_id, uint64_t version) {
  return absl::StrCat(stream_id, absl::string_view("\0", 1), BigEndian(version));
}

std::string StateKey(absl::string_view projection, absl::string_view key) {
  return absl::StrCat(projection, "/", key);
}

std::string ProjectionCheckpoint(absl::string_view projection) { return absl::StrCat("projection/", projection); }

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", status.ToString()));
}

absl::StatusOr<uint64_t> ParseCounter(const std::string& text) {
  uint64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) return absl::DataLossError(absl::StrCat("corrupt counter \"", text, "\""));
  return value;
}

std::string EncodeCommand(const StoredCommand& command) {
  return absl::StrCat(command.fingerprint.size(), ":", command.fingerprint, command.response);
}

absl::StatusOr<StoredCommand> DecodeCommand(absl::string_view bytes) {
  size_t colon = bytes.find(':');
  size_t length = 0;
  if (colon == absl::string_view::npos || !absl::SimpleAtoi(bytes.substr(0, colon), &length) ||
      colon + 1 + length > bytes.size()) {
    return absl::DataLossError("corrupt command record");
  }
  return StoredCommand{std::string(bytes.substr(colon + 1, length)), std::string(bytes.substr(colon + 1 + length))};
}

}  // namespace

absl::StatusOr<bool> StateWriter::GetProto(absl::string_view key, google::protobuf::Message& out) {
  out.Clear();
  REND_ASSIGN_OR_RETURN(std::optional<std::string> bytes, Get(key));
  if (!bytes) return false;
  if (!out.ParseFromString(*bytes)) return absl::DataLossError(absl::StrCat("corrupt state value at ", key));
  return true;
}

absl::Status StateWriter::PutProto(absl::string_view key, const google::protobuf::Message& value) {
  return Put(key, value.SerializeAsString());
}

// One group commit: a WriteBatchWithIndex so later requests in the group,
// and projections, read what earlier ones wrote.
class EventStore::Batch {
 public:
  Batch(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& handles)
      : db_(db), handles_(handles), batch_(rocksdb::BytewiseComparator(), 0, /*overwrite_key=*/true) {}

  absl::StatusOr<std::optional<std::string>> Get(Family family, absl::string_view key) {
    std::string value;
    rocksdb::Status status =
        batch_.GetFromBatchAndDB(db_, rocksdb::ReadOptions(), handles_[family], ToSlice(key), &value);
    if (status.IsNotFound()) return std::nullopt;
    REND_RETURN_IF_ERROR(FromRocks(status, "read"));
    return value;
  }
  absl::Status Put(Family family, absl::string_view key, absl::string_view value) {
    return FromRocks(batch_.Put(handles_[family], ToSlice(key), ToSlice(value)), "batch put");
  }
  absl::Status Delete(Family family, absl::string_view key) {
    return FromRocks(batch_.Delete(handles_[family], ToSlice(key)), "batch delete");
  }
  void SetSavePoint() { batch_.SetSavePoint(); }
  void RollbackToSavePoint() { IgnoreError(FromRocks(batch_.RollbackToSavePoint(), "rollback"), "nothing to undo"); }
  void PopSavePoint() { IgnoreError(FromRocks(batch_.PopSavePoint(), "pop save point"), "no save point"); }
  size_t Count() { return batch_.GetWriteBatch()->Count(); }
  rocksdb::WriteBatch* write_batch() { return batch_.GetWriteBatch(); }

 private:
  rocksdb::DB* db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>& handles_;
  rocksdb::WriteBatchWithIndex batch_;
};

namespace {

// StateWriter over a Batch, confined to one projection's key prefix.
class BatchStateWriter final : public StateWriter {
 public:
  BatchStateWriter(EventStore::Batch& batch, std::string projection) : batch_(batch), projection_(std::move(projection)) {}
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) override {
    return batch_.Get(kState, StateKey(projection_, key));
  }
  absl::Status Put(absl::string_view key, absl::string_view value) override {
    return batch_.Put(kState, StateKey(projection_, key), value);
  }
  absl::Status Delete(absl::string_view key) override { return batch_.Delete(kState, StateKey(projection_, key)); }

 private:
  EventStore::Batch& batch_;
  std::string projection_;
};

}  // namespace

struct EventStore::Pending {
  AppendRequest request;
  absl::StatusOr<AppendResult> result;
  bool done = false;
};

EventStore::EventStore(EventStoreOptions options) : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<EventStore>> EventStore::Open(const EventStoreOptions& options,
                                                             std::vector<Projection*> projections) {
  if (options.path.empty()) return absl::InvalidArgumentError("event store path must not be empty");
  if (options.source.empty()) return absl::InvalidArgumentError("event store source must not be empty");
  std::unique_ptr<EventStore> store(new EventStore(options));
  store->projections_ = std::move(projections);
  REND_RETURN_IF_ERROR(store->OpenDb());
  for (Projection* projection : store->projections_) {
    REND_RETURN_IF_ERROR(store->CatchUpProjection(projection));
  }
  store->writer_ = std::thread([s = store.get()] { s->WriterLoop(); });
  spdlog::info("event store open: source={} path={} last_position={}", options.source, options.path,
               store->LastPosition());
  return store;
}

absl::Status EventStore::OpenDb() {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 4;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : kFamilyNames) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  REND_RETURN_IF_ERROR(FromRocks(rocksdb::DB::Open(db_options, options_.path, families, &handles_, &db_),
                                 absl::StrCat("open RocksDB at ", options_.path)));

  // The last key of the events family is the last committed position.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kEvents]));
  it->SeekToLast();
  REND_RETURN_IF_ERROR(FromRocks(it->status(), "seek to the last event"));
  absl::MutexLock lock(&mutex_);
  last_position_ = it->Valid() ? FromBigEndian(absl::string_view(it->key().data(), it->key().size())) : 0;
  return absl::OkStatus();
}

EventStore::~EventStore() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  for (auto* handle : handles_) IgnoreError(FromRocks(db_->DestroyColumnFamilyHandle(handle), "close"), "shutdown");
  if (db_ != nullptr) {
    IgnoreError(FromRocks(db_->Close(), "close RocksDB"), "shutdown");
    delete db_;
  }
}

absl::StatusOr<AppendResult> EventStore::Append(AppendRequest request) {
  if (request.events.size() > kMaxEventsPerAppend) {
    return absl::InvalidArgumentError(absl::StrCat("too many events in one append (max ", kMaxEventsPerAppend, ")"));
  }
  // A command that decided to change nothing still records its request id,
  // so a retry returns the same response.
  if (request.events.empty() && request.inbox_event_id.empty() && request.command_id.empty()) {
    return absl::InvalidArgumentError("an append needs events, an inbox entry or a command id");
  }
  if (!request.events.empty() && request.stream_id.empty()) {
    return absl::InvalidArgumentError("stream id must not be empty");
  }
  Pending pending{std::move(request), absl::UnknownError("not committed"), false};
  absl::MutexLock lock(&mutex_);
  if (!latched_error_.ok()) return latched_error_;
  if (stopping_) return absl::UnavailableError("event store is shutting down");
  queue_.push_back(&pending);
  queue_changed_.Signal();
  mutex_.Await(absl::Condition(&pending.done));
  return std::move(pending.result);
}

void EventStore::WriterLoop() {
  while (true) {
    std::vector<Pending*> group;
    {
      absl::MutexLock lock(&mutex_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return stopping_ || !queue_.empty(); };
      mutex_.Await(absl::Condition(&ready));
      if (queue_.empty()) return;  // stopping
      while (!queue_.empty() && group.size() < options_.max_group_size) {
        group.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    absl::MutexLock write_lock(&write_mutex_);
    CommitGroup(group);
  }
}

void EventStore::CommitGroup(std::vector<Pending*>& group) {
  Batch batch(db_, handles_);
  uint64_t next_position;
  {
    absl::MutexLock lock(&mutex_);
    next_position = last_position_ + 1;
    if (!latched_error_.ok()) {
      for (Pending* p : group) p->result = latched_error_;
      for (Pending* p : group) p->done = true;
      return;
    }
  }

  // Check and stage each request; a failing one is rolled back alone.
  for (Pending* p : group) {
    uint64_t start = next_position;
    batch.SetSavePoint();
    absl::Status status = Prepare(batch, *p, next_position);
    if (status.ok()) {
      batch.PopSavePoint();
    } else {
      batch.RollbackToSavePoint();
      next_position = start;
      p->result = status;
    }
  }

  // One synced write for the whole group.
  absl::Status write_status;
  if (batch.Count() > 0) {
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync;
    write_status = FromRocks(db_->Write(write_options, batch.write_batch()), "commit event batch");
  }

  absl::MutexLock lock(&mutex_);
  if (!write_status.ok()) {
    spdlog::error("event store write failed, rejecting all further appends: {}", write_status.ToString());
    latched_error_ = absl::FailedPreconditionError(
        absl::StrCat("event store is read-only after a write error (restart the service): ", write_status.message()));
    for (Pending* p : group) {
      if (p->result.ok()) p->result = latched_error_;
    }
  } else {
    last_position_ = next_position - 1;
  }
  for (Pending* p : group) p->done = true;
}

absl::Status EventStore::Prepare(Batch& batch, Pending& pending, uint64_t& next_position) {
  const AppendRequest& request = pending.request;
  AppendResult result;

  // An event already in the inbox has had its effect: write nothing.
  std::string inbox_key;
  if (!request.inbox_event_id.empty()) {
    inbox_key = absl::StrCat(request.inbox_source, "/", request.inbox_event_id);
    REND_ASSIGN_OR_RETURN(auto seen, batch.Get(kInbox, inbox_key));
    if (seen) {
      result.duplicate_event = true;
      pending.result = std::move(result);
      return absl::OkStatus();
    }
  }

  // A retried command returns the first call's response.
  if (!request.command_id.empty()) {
    REND_ASSIGN_OR_RETURN(auto stored, batch.Get(kCommands, request.command_id));
    if (stored) {
      REND_ASSIGN_OR_RETURN(StoredCommand command, DecodeCommand(*stored));
      if (command.fingerprint != request.command_fingerprint) {
        return absl::AlreadyExistsError(
            absl::StrCat("request id ", request.command_id, " was already used for a different request"));
      }
      result.duplicate_command = true;
      result.command_response = std::move(command.response);
      pending.result = std::move(result);
      return absl::OkStatus();
    }
  }

  if (!request.events.empty()) {
    REND_ASSIGN_OR_RETURN(auto head, batch.Get(kHeads, request.stream_id));
    uint64_t version = 0;
    if (head) {
      REND_ASSIGN_OR_RETURN(version, ParseCounter(*head));
    }
    if (request.expected_version != kAnyVersion && request.expected_version != version) {
      return absl::AbortedError(absl::StrCat("stream ", request.stream_id, " is at version ", version,
                                             ", expected ", request.expected_version, "; reload and retry"));
    }
    absl::Time now = absl::Now();
    for (const google::protobuf::Any& payload : request.events) {
      EventRecord record;
      record.set_event_id(NewUuid());
      record.set_stream_id(request.stream_id);
      record.set_stream_version(++version);
      record.set_position(next_position++);
      absl::string_view type_url = payload.type_url();
      record.set_type(std::string(type_url.substr(type_url.rfind('/') + 1)));
      *record.mutable_time() = ToProtoTime(now);
      record.set_actor(request.actor);
      record.set_correlation_id(request.correlation_id);
      record.set_causation_id(request.causation_id);
      record.set_source(options_.source);
      *record.mutable_payload() = payload;
      REND_RETURN_IF_ERROR(batch.Put(kEvents, BigEndian(record.position()), record.SerializeAsString()));
      REND_RETURN_IF_ERROR(batch.Put(kStreams, StreamKey(request.stream_id, version), BigEndian(record.position())));
      for (Projection* projection : projections_) {
        BatchStateWriter writer(batch, projection->name());
        absl::Status applied = projection->Apply(record, writer);
        if (!applied.ok()) {
          return absl::InternalError(absl::StrCat("projection ", projection->name(), " rejected ", record.type(),
                                                  ": ", applied.message()));
        }
      }
      result.records.push_back(std::move(record));
    }
    REND_RETURN_IF_ERROR(batch.Put(kHeads, request.stream_id, absl::StrCat(version)));
    for (Projection* projection : projections_) {
      REND_RETURN_IF_ERROR(
          batch.Put(kCheckpoints, ProjectionCheckpoint(projection->name()), absl::StrCat(next_position - 1)));
    }
    result.stream_version = version;
  }

  if (!request.command_id.empty()) {
    REND_RETURN_IF_ERROR(batch.Put(kCommands, request.command_id,
                                   EncodeCommand({request.command_fingerprint, request.command_response})));
    result.command_response = request.command_response;
  }
  if (!inbox_key.empty()) {
    REND_RETURN_IF_ERROR(batch.Put(kInbox, inbox_key, BigEndian(request.inbox_position)));
    REND_RETURN_IF_ERROR(batch.Put(kCheckpoints, absl::StrCat("consumer/", request.inbox_source),
                                   absl::StrCat(request.inbox_position)));
  }
  pending.result = std::move(result);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<EventRecord>> EventStore::ReadAll(uint64_t from_position, size_t max_count) const {
  std::vector<EventRecord> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kEvents]));
  for (it->Seek(BigEndian(from_position)); it->Valid() && out.size() < max_count; it->Next()) {
    EventRecord record;
    if (!record.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("corrupt event at position ", FromBigEndian(absl::string_view(it->key().data(), it->key().size()))));
    }
    out.push_back(std::move(record));
  }
  REND_RETURN_IF_ERROR(FromRocks(it->status(), "read events"));
  return out;
}

absl::StatusOr<std::vector<EventRecord>> EventStore::ReadStream(const std::string& stream_id,
                                                                uint64_t from_version) const {
  std::vector<EventRecord> out;
  std::string prefix = absl::StrCat(stream_id, absl::string_view("\0", 1));
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kStreams]));
  for (it->Seek(StreamKey(stream_id, from_version)); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    std::string value;
    REND_RETURN_IF_ERROR(FromRocks(db_->Get(rocksdb::ReadOptions(), handles_[kEvents], it->value(), &value),
                                   "read stream event"));
    EventRecord record;
    if (!record.ParseFromString(value)) return absl::DataLossError(absl::StrCat("corrupt event in ", stream_id));
    out.push_back(std::move(record));
  }
  REND_RETURN_IF_ERROR(FromRocks(it->status(), "read stream"));
  return out;
}

uint64_t EventStore::LastPosition() const {
  absl::MutexLock lock(&mutex_);
  return last_position_;
}

absl::StatusOr<uint64_t> EventStore::StreamVersion(const std::string& stream_id) const {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), handles_[kHeads], stream_id, &value);
  if (status.IsNotFound()) return kNoStream;
  REND_RETURN_IF_ERROR(FromRocks(status, "read stream head"));
  return ParseCounter(value);
}

bool EventStore::WaitForPosition(uint64_t position, absl::Duration timeout) const {
  absl::MutexLock lock(&mutex_);
  auto reached = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return last_position_ >= position || stopping_; };
  mutex_.AwaitWithTimeout(absl::Condition(&reached), timeout);
  return last_position_ >= position;
}

absl::StatusOr<std::optional<StoredCommand>> EventStore::FindCommand(const std::string& command_id) const {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), handles_[kCommands], command_id, &value);
  if (status.IsNotFound()) return std::nullopt;
  REND_RETURN_IF_ERROR(FromRocks(status, "read command"));
  REND_ASSIGN_OR_RETURN(StoredCommand command, DecodeCommand(value));
  return command;
}

absl::StatusOr<bool> EventStore::InboxContains(const std::string& source, const std::string& event_id) const {
  std::string value;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), handles_[kInbox], absl::StrCat(source, "/", event_id), &value);
  if (status.IsNotFound()) return false;
  REND_RETURN_IF_ERROR(FromRocks(status, "read inbox"));
  return true;
}

absl::StatusOr<std::optional<std::string>> EventStore::GetState(const std::string& projection,
                                                                const std::string& key) const {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), handles_[kState], StateKey(projection, key), &value);
  if (status.IsNotFound()) return std::nullopt;
  REND_RETURN_IF_ERROR(FromRocks(status, "read state"));
  return value;
}

absl::Status EventStore::ScanState(
    const std::string& projection, const std::string& prefix,
    const std::function<bool(const std::string& key, const std::string& value)>& visit,
    const std::string& start) const {
  std::string full_prefix = StateKey(projection, prefix);
  std::string seek = std::max(full_prefix, StateKey(projection, start));
  size_t strip = projection.size() + 1;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handles_[kState]));
  for (it->Seek(seek); it->Valid() && it->key().starts_with(full_prefix); it->Next()) {
    if (!visit(it->key().ToString().substr(strip), it->value().ToString())) break;
  }
  return FromRocks(it->status(), "scan state");
}

absl::StatusOr<uint64_t> EventStore::GetCheckpoint(const std::string& name) const {
  std::string value;
  rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), handles_[kCheckpoints], name, &value);
  if (status.IsNotFound()) return 0;
  REND_RETURN_IF_ERROR(FromRocks(status, "read checkpoint"));
  return ParseCounter(value);
}

absl::Status EventStore::PutCheckpoint(const std::string& name, uint64_t position) {
  // Checkpoints written here (the outbox's) may lag after a crash, which
  // only repeats work that consumers deduplicate, so no fsync is needed.
  return FromRocks(db_->Put(rocksdb::WriteOptions(), handles_[kCheckpoints], name, absl::StrCat(position)),
                   "write checkpoint");
}

absl::Status EventStore::CatchUpProjection(Projection* projection) {
  REND_ASSIGN_OR_RETURN(uint64_t checkpoint, GetCheckpoint(ProjectionCheckpoint(projection->name())));
  uint64_t replayed = 0;
  while (true) {
    REND_ASSIGN_OR_RETURN(std::vector<EventRecord> events, ReadAll(checkpoint + 1, kReplayChunk));
    if (events.empty()) break;
    Batch batch(db_, handles_);
    BatchStateWriter writer(batch, projection->name());
    for (const EventRecord& event : events) {
      REND_RETURN_IF_ERROR(projection->Apply(event, writer));
    }
    checkpoint = events.back().position();
    REND_RETURN_IF_ERROR(batch.Put(kCheckpoints, ProjectionCheckpoint(projection->name()), absl::StrCat(checkpoint)));
    rocksdb::WriteOptions write_options;
    write_options.sync = options_.sync;
    REND_RETURN_IF_ERROR(FromRocks(db_->Write(write_options, batch.write_batch()), "write replayed state"));
    replayed += events.size();
  }
  if (replayed > 0) spdlog::info("projection {} replayed {} events", projection->name(), replayed);
  return absl::OkStatus();
}

absl::Status EventStore::RebuildProjection(const std::string& name) {
  Projection* target = nullptr;
  for (Projection* projection : projections_) {
    if (projection->name() == name) target = projection;
  }
  if (target == nullptr) return absl::NotFoundError(absl::StrCat("no projection named ", name));
  absl::MutexLock write_lock(&write_mutex_);

  // Dropping the state and resetting the checkpoint in one write keeps the
  // pair consistent if the rebuild is interrupted; Open resumes it.
  rocksdb::WriteBatch reset;
  std::string begin = StateKey(name, "");
  std::string end = absl::StrCat(name, "0");  // '0' is the byte after '/'
  REND_RETURN_IF_ERROR(FromRocks(reset.DeleteRange(handles_[kState], begin, end), "drop state"));
  REND_RETURN_IF_ERROR(FromRocks(reset.Put(handles_[kCheckpoints], ProjectionCheckpoint(name), "0"), "reset"));
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync;
  REND_RETURN_IF_ERROR(FromRocks(db_->Write(write_options, &reset), "reset projection"));
  return CatchUpProjection(target);
}

google::protobuf::Any PackEvent(const google::protobuf::Message& event) {
  google::protobuf::Any any;
  any.PackFrom(event);
  return any;
}

std::string Fingerprint(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

}  // namespace rend::es
