#include "libs/es/event_store.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "libs/common/status.h"
#include "libs/es/command.h"
#include "libs/es/mock_kafka.h"
#include "libs/es/outbox_publisher.h"
#include "libs/es/test_util.h"
#include "libs/testing/temp_dir.h"

namespace rend::es {
namespace {

using State = std::map<std::string, std::string>;

// Counts the events of each stream ("count/<stream>") and stores the last
// payload of each stream ("last/<stream>").
class CountingProjection : public Projection {
 public:
  explicit CountingProjection(std::string name = "counts") : name_(std::move(name)) {}
  std::string name() const override { return name_; }

  absl::Status Apply(const EventRecord& event, StateWriter& state) override {
    ++apply_calls_;
    std::string count_key = absl::StrCat("count/", event.stream_id());
    REND_ASSIGN_OR_RETURN(std::optional<std::string> stored, state.Get(count_key));
    uint64_t count = 0;
    if (stored && !absl::SimpleAtoi(*stored, &count)) return absl::DataLossError("count is not a number");
    REND_RETURN_IF_ERROR(state.Put(count_key, absl::StrCat(count + 1)));
    return state.Put(absl::StrCat("last/", event.stream_id()), PayloadText(event.payload()));
  }

  int apply_calls() const { return apply_calls_; }

 private:
  std::string name_;
  std::atomic<int> apply_calls_{0};
};

// Rejects every event whose payload is the text "reject".
class RejectingProjection : public Projection {
 public:
  std::string name() const override { return "rejecting"; }
  absl::Status Apply(const EventRecord& event, StateWriter& state) override {
    if (PayloadText(event.payload()) == "reject") return absl::InvalidArgumentError("payload is \"reject\"");
    return absl::OkStatus();
  }
};

// Records the store's committed LastPosition() each time an event is
// applied. Within one group commit nothing is committed yet, so every event
// of a group reads the same value, and the number of distinct values is the
// number of groups, that is of RocksDB writes.
class GroupProbe : public Projection {
 public:
  std::string name() const override { return "group_probe"; }
  absl::Status Apply(const EventRecord& event, StateWriter& state) override {
    EventStore* store = store_.load();
    if (store == nullptr) return absl::OkStatus();  // replay during Open
    uint64_t committed = store->LastPosition();
    absl::MutexLock lock(&mutex_);
    ++applied_;
    committed_positions_.insert(committed);
    return absl::OkStatus();
  }

  void set_store(EventStore* store) { store_ = store; }
  int applied() {
    absl::MutexLock lock(&mutex_);
    return applied_;
  }
  size_t groups() {
    absl::MutexLock lock(&mutex_);
    return committed_positions_.size();
  }

 private:
  std::atomic<EventStore*> store_{nullptr};
  absl::Mutex mutex_;
  int applied_ ABSL_GUARDED_BY(mutex_) = 0;
  std::set<uint64_t> committed_positions_ ABSL_GUARDED_BY(mutex_);
};

// Runs `body(thread_index)` on `threads` threads and joins them.
void RunConcurrently(int threads, const std::function<void(int)>& body) {
  std::vector<std::thread> running;
  for (int i = 0; i < threads; ++i) running.emplace_back(body, i);
  for (std::thread& thread : running) thread.join();
}

std::vector<uint64_t> Positions(const std::vector<EventRecord>& records) {
  std::vector<uint64_t> positions;
  for (const EventRecord& record : records) positions.push_back(record.position());
  return positions;
}

// Returns 1, 2, ..., n.
std::vector<uint64_t> OneTo(uint64_t n) {
  std::vector<uint64_t> values;
  for (uint64_t i = 1; i <= n; ++i) values.push_back(i);
  return values;
}

rend::common::v1::CommandContext Context(const std::string& request_id, const std::string& actor = "sales.kovacs") {
  rend::common::v1::CommandContext context;
  context.set_request_id(request_id);
  context.set_actor(actor);
  return context;
}

google::protobuf::StringValue Request(const std::string& text) {
  google::protobuf::StringValue request;
  request.set_value(text);
  return request;
}

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Reopen()); }

  // Closes the store, if open, and opens it again on the same directory.
  void Reopen(std::vector<Projection*> projections = {}) {
    store_.reset();
    if (projections.empty()) projections = {&counts_};
    EventStoreOptions options;
    options.path = dir_.Sub("log");
    options.source = "test";
    absl::StatusOr<std::unique_ptr<EventStore>> store = EventStore::Open(options, std::move(projections));
    REND_ASSERT_OK(store);
    store_ = std::move(*store);
  }

  absl::StatusOr<AppendResult> AppendText(const std::string& stream, const std::string& text,
                                          uint64_t expected_version = kAnyVersion) {
    AppendRequest request;
    request.stream_id = stream;
    request.expected_version = expected_version;
    request.events.push_back(TextEvent(text));
    return store_->Append(std::move(request));
  }

  // Appends `count` events "<stream>-1", "<stream>-2", ... one per append.
  absl::Status AppendMany(const std::string& stream, int count) {
    for (int i = 1; i <= count; ++i) {
      REND_RETURN_IF_ERROR(AppendText(stream, absl::StrCat(stream, "-", i)).status());
    }
    return absl::OkStatus();
  }

  // Appends nine events over three streams, texts and numbers mixed.
  absl::Status AppendMix() {
    REND_RETURN_IF_ERROR(AppendMany("a", 4));
    REND_RETURN_IF_ERROR(AppendMany("b", 2));
    AppendRequest numbers;
    numbers.stream_id = "c";
    for (int64_t n : {10, 20, 30}) {
      google::protobuf::Int64Value value;
      value.set_value(n);
      numbers.events.push_back(PackEvent(value));
    }
    return store_->Append(std::move(numbers)).status();
  }

  AppendRequest InboxAppend(const std::string& event_id, uint64_t position) {
    AppendRequest request;
    request.stream_id = "effects";
    request.events.push_back(TextEvent(event_id));
    request.inbox_source = "upstream";
    request.inbox_event_id = event_id;
    request.inbox_position = position;
    return request;
  }

  AppendRequest CommandAppend(const std::string& command_id, const std::string& fingerprint,
                              const std::string& response) {
    AppendRequest request;
    request.stream_id = "orders";
    request.events.push_back(TextEvent("placed"));
    request.command_id = command_id;
    request.command_fingerprint = fingerprint;
    request.command_response = response;
    return request;
  }

  // Runs a command whose decider appends the request's text to "orders" and
  // sets the response to "call <n>", where n counts the decider's calls.
  absl::Status Execute(const rend::common::v1::CommandContext& context, const google::protobuf::StringValue& request,
                       google::protobuf::StringValue* response) {
    return ExecuteCommand(*store_, context, request, response, [&]() -> absl::StatusOr<AppendRequest> {
      response->set_value(absl::StrCat("call ", ++decide_calls_));
      AppendRequest append;
      append.stream_id = "orders";
      append.events.push_back(TextEvent(request.value()));
      return append;
    });
  }

  // Returns every key and value of a projection's state.
  State DumpState(const std::string& projection = "counts") {
    State state;
    absl::Status status = store_->ScanState(projection, "", [&](const std::string& key, const std::string& value) {
      state[key] = value;
      return true;
    });
    EXPECT_TRUE(status.ok()) << status;
    return state;
  }

  std::vector<EventRecord> ReadLog() {
    absl::StatusOr<std::vector<EventRecord>> events = store_->ReadAll(1, 100000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<EventRecord>{};
  }

  uint64_t Checkpoint(const std::string& name) {
    absl::StatusOr<uint64_t> position = store_->GetCheckpoint(name);
    EXPECT_TRUE(position.ok()) << position.status();
    return position.value_or(0);
  }

  uint64_t Version(const std::string& stream) {
    absl::StatusOr<uint64_t> version = store_->StreamVersion(stream);
    EXPECT_TRUE(version.ok()) << version.status();
    return version.value_or(0);
  }

  // Runs an OutboxPublisher until the broker acknowledged `position`, then
  // stops it. Returns DEADLINE_EXCEEDED after 20 seconds.
  absl::Status PublishThrough(MockKafka& kafka, uint64_t position) {
    KafkaOptions options;
    options.bootstrap_servers = kafka.bootstrap_servers();
    REND_ASSIGN_OR_RETURN(std::unique_ptr<OutboxPublisher> publisher, OutboxPublisher::Start(store_.get(), options));
    if (!WaitUntil([&] { return publisher->acknowledged_position() >= position; })) {
      return absl::DeadlineExceededError(absl::StrCat("outbox acknowledged only ", publisher->acknowledged_position(),
                                                      " of ", position, ": ", publisher->health().ToString()));
    }
    return absl::OkStatus();
  }

  rend::testing::TempDir dir_;
  CountingProjection counts_;
  std::unique_ptr<EventStore> store_;
  std::atomic<int> decide_calls_{0};
};

TEST_F(EventStoreTest, AppendAssignsPositionsAndVersions) {
  REND_ASSERT_OK(AppendMany("a", 2));
  absl::StatusOr<AppendResult> result = AppendText("b", "x");
  REND_ASSERT_OK(result);
  ASSERT_EQ(result->records.size(), 1u);
  EXPECT_EQ(result->records[0].position(), 3u);
  EXPECT_EQ(result->records[0].stream_version(), 1u);
  EXPECT_EQ(result->records[0].type(), "google.protobuf.StringValue");
  EXPECT_EQ(result->records[0].source(), "test");
  EXPECT_EQ(result->stream_version, 1u);
  EXPECT_EQ(store_->LastPosition(), 3u);
  EXPECT_EQ(Version("a"), 2u);
}

TEST_F(EventStoreTest, VersionConflictIsAbortedAndWritesNothing) {
  REND_ASSERT_OK(AppendMany("a", 2));
  absl::StatusOr<AppendResult> result = AppendText("a", "late", /*expected_version=*/1);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_->LastPosition(), 2u);
  EXPECT_EQ(Version("a"), 2u);
  EXPECT_EQ(DumpState(), (State{{"count/a", "2"}, {"last/a", "a-2"}}));
}

TEST_F(EventStoreTest, MatchingExpectedVersionAppends) {
  REND_ASSERT_OK(AppendMany("a", 2));
  absl::StatusOr<AppendResult> result = AppendText("a", "next", /*expected_version=*/2);
  REND_ASSERT_OK(result);
  EXPECT_EQ(result->stream_version, 3u);
}

TEST_F(EventStoreTest, NoStreamOnExistingStreamIsAborted) {
  REND_ASSERT_OK(AppendText("a", "first", kNoStream));
  absl::StatusOr<AppendResult> second = AppendText("a", "second", kNoStream);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store_->LastPosition(), 1u);
  EXPECT_EQ(Version("a"), 1u);
}

TEST_F(EventStoreTest, ConcurrentAppendsGetDensePositions) {
  absl::Mutex mutex;
  std::vector<uint64_t> acknowledged;
  RunConcurrently(32, [&](int thread) {
    for (int i = 0; i < 50; ++i) {
      for (const std::string& stream : {absl::StrCat("own-", thread), std::string("shared")}) {
        absl::StatusOr<AppendResult> result = AppendText(stream, "x");
        REND_EXPECT_OK(result);
        absl::MutexLock lock(&mutex);
        if (result.ok()) acknowledged.push_back(result->records.at(0).position());
      }
    }
  });

  std::sort(acknowledged.begin(), acknowledged.end());
  EXPECT_EQ(acknowledged, OneTo(3200));
  std::vector<EventRecord> log = ReadLog();
  EXPECT_EQ(Positions(log), OneTo(3200));
  std::map<std::string, std::vector<uint64_t>> versions;
  for (const EventRecord& record : log) versions[record.stream_id()].push_back(record.stream_version());
  EXPECT_EQ(versions.size(), 33u);
  for (const auto& [stream, stream_versions] : versions) {
    SCOPED_TRACE(stream);
    EXPECT_EQ(stream_versions, OneTo(stream == "shared" ? 1600 : 50));
  }
}

TEST_F(EventStoreTest, ConcurrentExpectedVersionHasOneWinnerPerVersion) {
  constexpr uint64_t kTarget = 200;
  absl::Mutex mutex;
  std::map<uint64_t, int> winners;  // expected version -> successful appends
  std::map<absl::StatusCode, int> failures;
  RunConcurrently(32, [&](int) {
    // Each thread reads the head and appends at it until the stream reaches kTarget.
    for (int attempt = 0; attempt < 100000; ++attempt) {
      // One read serves both the stop check and the expected version, so no
      // thread appends past kTarget after another reached it.
      uint64_t expected = Version("shared");
      if (expected >= kTarget) break;
      absl::StatusOr<AppendResult> result = AppendText("shared", "x", expected);
      absl::MutexLock lock(&mutex);
      if (result.ok()) ++winners[expected];
      if (!result.ok()) ++failures[result.status().code()];
    }
  });

  std::map<uint64_t, int> one_each;
  for (uint64_t version = 0; version < kTarget; ++version) one_each[version] = 1;
  EXPECT_EQ(winners, one_each);
  EXPECT_EQ(failures.size(), failures.count(absl::StatusCode::kAborted)) << "only ABORTED may fail";
  EXPECT_EQ(Version("shared"), kTarget);
  EXPECT_EQ(store_->LastPosition(), kTarget);
}

TEST_F(EventStoreTest, ConcurrentAppendsShareWrites) {
  GroupProbe probe;
  ASSERT_NO_FATAL_FAILURE(Reopen({&counts_, &probe}));
  probe.set_store(store_.get());
  RunConcurrently(32, [&](int thread) {
    for (int i = 0; i < 50; ++i) REND_EXPECT_OK(AppendText(absl::StrCat("own-", thread), "x"));
  });

  EXPECT_EQ(probe.applied(), 1600);
  EXPECT_LT(probe.groups(), 1600u) << "every append had a RocksDB write of its own";
}

TEST_F(EventStoreTest, CheckpointMatchesStateAfterReopen) {
  REND_ASSERT_OK(AppendMany("a", 5));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(Checkpoint("projection/counts"), 5u);
  EXPECT_EQ(DumpState(), (State{{"count/a", "5"}, {"last/a", "a-5"}}));
  EXPECT_EQ(counts_.apply_calls(), 5) << "reopening replayed events already in the state";
}

TEST_F(EventStoreTest, RejectedEventWritesNothing) {
  RejectingProjection rejecting;
  ASSERT_NO_FATAL_FAILURE(Reopen({&counts_, &rejecting}));
  REND_ASSERT_OK(AppendText("a", "fine"));
  absl::StatusOr<AppendResult> result = AppendText("a", "reject");

  EXPECT_EQ(result.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(store_->LastPosition(), 1u);
  EXPECT_EQ(Positions(ReadLog()), OneTo(1));
  EXPECT_EQ(Version("a"), 1u);
  EXPECT_EQ(DumpState(), (State{{"count/a", "1"}, {"last/a", "fine"}}));
  EXPECT_EQ(Checkpoint("projection/counts"), 1u);
}

TEST_F(EventStoreTest, AppendAfterRejectedAppendLeavesNoHole) {
  RejectingProjection rejecting;
  ASSERT_NO_FATAL_FAILURE(Reopen({&counts_, &rejecting}));
  EXPECT_EQ(AppendText("a", "reject").status().code(), absl::StatusCode::kInternal);
  absl::StatusOr<AppendResult> result = AppendText("a", "fine");
  REND_ASSERT_OK(result);
  EXPECT_EQ(result->records.at(0).position(), 1u);
  EXPECT_EQ(result->records.at(0).stream_version(), 1u);
}

TEST_F(EventStoreTest, RebuildReproducesLiveState) {
  REND_ASSERT_OK(AppendMix());
  State live = DumpState();
  REND_ASSERT_OK(store_->RebuildProjection("counts"));
  EXPECT_EQ(DumpState(), live);
  EXPECT_EQ(live, (State{{"count/a", "4"}, {"count/b", "2"}, {"count/c", "3"},
                         {"last/a", "a-4"}, {"last/b", "b-2"}, {"last/c", "30"}}));
  EXPECT_EQ(Checkpoint("projection/counts"), 9u);
}

TEST_F(EventStoreTest, RebuildAppliesEachEventOnce) {
  REND_ASSERT_OK(AppendMix());
  int before = counts_.apply_calls();
  REND_ASSERT_OK(store_->RebuildProjection("counts"));
  EXPECT_EQ(counts_.apply_calls() - before, 9);
  EXPECT_EQ(store_->LastPosition(), 9u);
  EXPECT_EQ(Positions(ReadLog()), OneTo(9));
}

TEST_F(EventStoreTest, RebuildOfUnknownProjectionIsNotFound) {
  EXPECT_EQ(store_->RebuildProjection("missing").code(), absl::StatusCode::kNotFound);
}

TEST_F(EventStoreTest, NewProjectionCatchesUpOnOpen) {
  REND_ASSERT_OK(AppendMix());
  State live = DumpState();
  CountingProjection late("late_counts");
  ASSERT_NO_FATAL_FAILURE(Reopen({&counts_, &late}));
  EXPECT_EQ(DumpState("late_counts"), live);
  EXPECT_EQ(late.apply_calls(), 9);
  EXPECT_EQ(Checkpoint("projection/late_counts"), 9u);
}

TEST_F(EventStoreTest, CaughtUpProjectionFollowsLiveAppends) {
  REND_ASSERT_OK(AppendMix());
  CountingProjection late("late_counts");
  ASSERT_NO_FATAL_FAILURE(Reopen({&counts_, &late}));
  REND_ASSERT_OK(AppendMany("d", 1));
  EXPECT_EQ(DumpState("late_counts"), DumpState());
  EXPECT_EQ(Checkpoint("projection/late_counts"), 10u);
}

TEST_F(EventStoreTest, CheckpointSurvivesReopen) {
  EXPECT_EQ(Checkpoint("outbox"), 0u);
  REND_ASSERT_OK(store_->PutCheckpoint("outbox", 42));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(Checkpoint("outbox"), 42u);
}

TEST_F(EventStoreTest, OutboxResumesFromStoredCheckpoint) {
  MockKafka kafka;
  REND_ASSERT_OK(kafka.CreateTopic("rend.test.v1"));
  REND_ASSERT_OK(AppendMany("a", 3));
  REND_ASSERT_OK(PublishThrough(kafka, 3));
  EXPECT_EQ(Checkpoint("outbox"), 3u);

  REND_ASSERT_OK(AppendMany("b", 2));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  REND_ASSERT_OK(PublishThrough(kafka, 5));
  absl::StatusOr<std::vector<EventRecord>> topic = kafka.ReadTopic("rend.test.v1", absl::Seconds(20));
  REND_ASSERT_OK(topic);
  EXPECT_EQ(Positions(*topic), OneTo(5));
  EXPECT_EQ(Checkpoint("outbox"), 5u);
}

TEST_F(EventStoreTest, OutboxStartsAfterCheckpoint) {
  MockKafka kafka;
  REND_ASSERT_OK(kafka.CreateTopic("rend.test.v1"));
  REND_ASSERT_OK(AppendMany("a", 4));
  REND_ASSERT_OK(store_->PutCheckpoint("outbox", 2));
  REND_ASSERT_OK(PublishThrough(kafka, 4));
  absl::StatusOr<std::vector<EventRecord>> topic = kafka.ReadTopic("rend.test.v1", absl::Seconds(20));
  REND_ASSERT_OK(topic);
  EXPECT_EQ(Positions(*topic), (std::vector<uint64_t>{3, 4}));
  EXPECT_EQ(topic->at(0).stream_id(), "a");
  EXPECT_EQ(PayloadText(topic->at(0).payload()), "a-3");
}

TEST_F(EventStoreTest, InboxDuplicateWritesNothing) {
  REND_ASSERT_OK(store_->Append(InboxAppend("event-1", 7)));
  absl::StatusOr<AppendResult> again = store_->Append(InboxAppend("event-1", 7));
  REND_ASSERT_OK(again);
  EXPECT_TRUE(again->duplicate_event);
  EXPECT_TRUE(again->records.empty());
  EXPECT_EQ(store_->LastPosition(), 1u);
  EXPECT_EQ(Version("effects"), 1u);
  EXPECT_EQ(DumpState(), (State{{"count/effects", "1"}, {"last/effects", "event-1"}}));
}

TEST_F(EventStoreTest, InboxAppendSetsConsumerCheckpoint) {
  EXPECT_FALSE(store_->InboxContains("upstream", "event-1").value_or(true));
  REND_ASSERT_OK(store_->Append(InboxAppend("event-1", 7)));
  EXPECT_EQ(Checkpoint("consumer/upstream"), 7u);
  EXPECT_TRUE(store_->InboxContains("upstream", "event-1").value_or(false));
}

TEST_F(EventStoreTest, InboxEntryWithoutEventsMarksEventSeen) {
  AppendRequest seen = InboxAppend("event-1", 7);
  seen.events.clear();
  REND_ASSERT_OK(store_->Append(seen));
  EXPECT_EQ(store_->LastPosition(), 0u);
  EXPECT_EQ(Checkpoint("consumer/upstream"), 7u);
  absl::StatusOr<AppendResult> again = store_->Append(InboxAppend("event-1", 7));
  REND_ASSERT_OK(again);
  EXPECT_TRUE(again->duplicate_event);
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(EventStoreTest, FailedInboxAppendRecordsNothing) {
  REND_ASSERT_OK(AppendMany("effects", 1));
  AppendRequest conflicting = InboxAppend("event-1", 7);
  conflicting.expected_version = kNoStream;
  EXPECT_EQ(store_->Append(conflicting).status().code(), absl::StatusCode::kAborted);
  EXPECT_FALSE(store_->InboxContains("upstream", "event-1").value_or(true));
  EXPECT_EQ(Checkpoint("consumer/upstream"), 0u);
}

TEST_F(EventStoreTest, RepeatedCommandReturnsFirstResponse) {
  REND_ASSERT_OK(store_->Append(CommandAppend("command-1", "fingerprint", "first")));
  absl::StatusOr<AppendResult> again = store_->Append(CommandAppend("command-1", "fingerprint", "second"));
  REND_ASSERT_OK(again);
  EXPECT_TRUE(again->duplicate_command);
  EXPECT_EQ(again->command_response, "first");
  EXPECT_TRUE(again->records.empty());
  EXPECT_EQ(store_->LastPosition(), 1u);
  EXPECT_EQ(Version("orders"), 1u);
}

TEST_F(EventStoreTest, CommandIdWithOtherFingerprintIsAlreadyExists) {
  REND_ASSERT_OK(store_->Append(CommandAppend("command-1", "fingerprint", "first")));
  absl::StatusOr<AppendResult> other = store_->Append(CommandAppend("command-1", "other", "second"));
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->LastPosition(), 1u);
  absl::StatusOr<std::optional<StoredCommand>> stored = store_->FindCommand("command-1");
  REND_ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->fingerprint, "fingerprint");
  EXPECT_EQ((*stored)->response, "first");
}

TEST_F(EventStoreTest, ExecuteCommandRetryReturnsStoredResponse) {
  google::protobuf::StringValue first;
  REND_ASSERT_OK(Execute(Context("request-1"), Request("a"), &first));
  google::protobuf::StringValue retried;
  REND_ASSERT_OK(Execute(Context("request-1"), Request("a"), &retried));
  EXPECT_EQ(first.value(), "call 1");
  EXPECT_EQ(retried.value(), "call 1");
  EXPECT_EQ(decide_calls_.load(), 1);
  EXPECT_EQ(store_->LastPosition(), 1u);
}

TEST_F(EventStoreTest, ExecuteCommandReusedRequestIdIsAlreadyExists) {
  google::protobuf::StringValue response;
  REND_ASSERT_OK(Execute(Context("request-1"), Request("a"), &response));
  absl::Status status = Execute(Context("request-1"), Request("b"), &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(decide_calls_.load(), 1);
  EXPECT_EQ(store_->LastPosition(), 1u);
}

TEST_F(EventStoreTest, ExecuteCommandStampsActorAndCausation) {
  google::protobuf::StringValue response;
  REND_ASSERT_OK(Execute(Context("request-1", "sales.kovacs"), Request("a"), &response));
  std::vector<EventRecord> log = ReadLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].actor(), "sales.kovacs");
  EXPECT_EQ(log[0].causation_id(), "request-1");
  EXPECT_EQ(PayloadText(log[0].payload()), "a");
}

TEST_F(EventStoreTest, ExecuteCommandWithoutEventsRecordsRequestId) {
  auto decide_nothing = [&]() -> absl::StatusOr<AppendRequest> {
    ++decide_calls_;
    return AppendRequest{};
  };
  google::protobuf::StringValue response;
  REND_ASSERT_OK(ExecuteCommand(*store_, Context("request-1"), Request("a"), &response, decide_nothing));
  REND_ASSERT_OK(ExecuteCommand(*store_, Context("request-1"), Request("a"), &response, decide_nothing));
  EXPECT_EQ(decide_calls_.load(), 1);
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(EventStoreTest, ConcurrentRetriesOfOneCommandWriteOnce) {
  std::vector<google::protobuf::StringValue> responses(8);
  RunConcurrently(8, [&](int thread) {
    REND_EXPECT_OK(Execute(Context("request-1"), Request("a"), &responses[thread]));
  });
  EXPECT_EQ(Positions(ReadLog()), OneTo(1));
  absl::StatusOr<std::optional<StoredCommand>> stored = store_->FindCommand("cmd/request-1");
  REND_ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  google::protobuf::StringValue first;
  ASSERT_TRUE(first.ParseFromString((*stored)->response));
  for (const google::protobuf::StringValue& response : responses) EXPECT_EQ(response.value(), first.value());
}

TEST_F(EventStoreTest, ExecuteCommandRejectsInvalidContext) {
  struct Case {
    std::string request_id;
    std::string actor;
    std::string field;
  };
  const Case cases[] = {
      {"", "sales.kovacs", "context.request_id"},
      {std::string(129, 'r'), "sales.kovacs", "context.request_id"},
      {"request 1", "sales.kovacs", "context.request_id"},
      {"request-1", "", "context.actor"},
      {"request-1", std::string(129, 'a'), "context.actor"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat("request_id=\"", c.request_id, "\" actor=\"", c.actor, "\""));
    google::protobuf::StringValue response;
    absl::Status status = Execute(Context(c.request_id, c.actor), Request("a"), &response);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(status.message(), c.field + ": ")) << status.message();
  }
  EXPECT_EQ(decide_calls_.load(), 0);
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(EventStoreTest, ExecuteCommandAcceptsMaxLengthIds) {
  google::protobuf::StringValue response;
  REND_EXPECT_OK(Execute(Context(std::string(128, 'r'), std::string(128, 'a')), Request("a"), &response));
  EXPECT_EQ(store_->LastPosition(), 1u);
}

}  // namespace
}  // namespace rend::es
