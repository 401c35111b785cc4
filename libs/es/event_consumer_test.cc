#include "libs/es/event_consumer.h"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "libs/common/status.h"
#include "libs/es/event_store.h"
#include "libs/es/log_service.h"
#include "libs/es/mock_kafka.h"
#include "libs/es/outbox_publisher.h"
#include "libs/es/test_util.h"
#include "libs/testing/temp_dir.h"

namespace rend::es {
namespace {

// A source store "upstream" serves its log over gRPC on loopback and
// publishes it to an in-process Kafka. The consumer of a target store
// "downstream" appends one event to stream "effects" per upstream event, with
// the upstream event id as payload.
class EventConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REND_ASSERT_OK(kafka_.CreateTopic("rend.upstream.v1"));
    ASSERT_NO_FATAL_FAILURE(OpenStore("upstream", source_));
    ASSERT_NO_FATAL_FAILURE(OpenStore("downstream", target_));

    log_service_ = std::make_unique<EventLogService>(source_.get());
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(log_service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port_, 0);
  }

  void TearDown() override {
    consumer_.reset();
    publisher_.reset();
    if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  }

  void OpenStore(const std::string& source, std::unique_ptr<EventStore>& store) {
    EventStoreOptions options;
    options.path = dir_.Sub(source);
    options.source = source;
    absl::StatusOr<std::unique_ptr<EventStore>> opened = EventStore::Open(options, {});
    REND_ASSERT_OK(opened);
    store = std::move(*opened);
  }

  void StartPublisher() {
    KafkaOptions options;
    options.bootstrap_servers = kafka_.bootstrap_servers();
    absl::StatusOr<std::unique_ptr<OutboxPublisher>> publisher = OutboxPublisher::Start(source_.get(), options);
    REND_ASSERT_OK(publisher);
    publisher_ = std::move(*publisher);
  }

  // Starts the consumer; `from_beginning` makes it read the whole topic
  // again, as a consumer whose offsets were lost would.
  void StartConsumer(bool from_beginning = false) {
    ConsumerOptions options;
    options.kafka.bootstrap_servers = kafka_.bootstrap_servers();
    options.from_beginning = from_beginning;
    options.sources = {{"upstream", absl::StrCat("127.0.0.1:", port_)}};
    options.poll_interval = absl::Milliseconds(100);
    auto handler = [this](const EventRecord& event) -> absl::StatusOr<std::optional<AppendRequest>> {
      ++handler_calls_;
      AppendRequest append;
      append.stream_id = "effects";
      append.events.push_back(TextEvent(event.event_id()));
      return append;
    };
    absl::StatusOr<std::unique_ptr<EventConsumer>> consumer =
        EventConsumer::Start(target_.get(), std::move(options), handler);
    REND_ASSERT_OK(consumer);
    consumer_ = std::move(*consumer);
  }

  absl::Status AppendSource(int count) {
    for (int i = 0; i < count; ++i) {
      AppendRequest request;
      request.stream_id = absl::StrCat("item-", i % 3);
      request.events.push_back(TextEvent("changed"));
      REND_RETURN_IF_ERROR(source_->Append(std::move(request)).status());
    }
    return absl::OkStatus();
  }

  // Waits up to 20 seconds until the target has handled upstream events
  // through `position`.
  bool WaitForWatermark(uint64_t position) {
    return WaitUntil([&] { return target_->GetCheckpoint("consumer/upstream").value_or(0) >= position; });
  }

  // Returns the number of target events caused by each upstream event id.
  std::map<std::string, int> Effects() {
    std::map<std::string, int> effects;
    absl::StatusOr<std::vector<EventRecord>> events = target_->ReadAll(1, 100000);
    EXPECT_TRUE(events.ok()) << events.status();
    for (const EventRecord& event : events.value_or(std::vector<EventRecord>{})) {
      ++effects[PayloadText(event.payload())];
    }
    return effects;
  }

  // Returns every upstream event id mapped to 1, the expected Effects().
  std::map<std::string, int> OneEffectPerSourceEvent() {
    std::map<std::string, int> expected;
    absl::StatusOr<std::vector<EventRecord>> events = source_->ReadAll(1, 100000);
    EXPECT_TRUE(events.ok()) << events.status();
    for (const EventRecord& event : events.value_or(std::vector<EventRecord>{})) expected[event.event_id()] = 1;
    return expected;
  }

  rend::testing::TempDir dir_;
  MockKafka kafka_;
  std::unique_ptr<EventStore> source_;
  std::unique_ptr<EventStore> target_;
  std::unique_ptr<EventLogService> log_service_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<OutboxPublisher> publisher_;
  std::unique_ptr<EventConsumer> consumer_;
  std::atomic<int> handler_calls_{0};
};

TEST_F(EventConsumerTest, EverySourceEventCausesOneEffect) {
  ASSERT_NO_FATAL_FAILURE(StartPublisher());
  ASSERT_NO_FATAL_FAILURE(StartConsumer());
  REND_ASSERT_OK(AppendSource(20));
  ASSERT_TRUE(WaitForWatermark(20));
  EXPECT_EQ(Effects(), OneEffectPerSourceEvent());
  EXPECT_EQ(target_->LastPosition(), 20u);
  EXPECT_EQ(handler_calls_.load(), 20);
}

TEST_F(EventConsumerTest, RestartedConsumerIgnoresRedelivery) {
  ASSERT_NO_FATAL_FAILURE(StartPublisher());
  ASSERT_NO_FATAL_FAILURE(StartConsumer());
  REND_ASSERT_OK(AppendSource(20));
  ASSERT_TRUE(WaitForWatermark(20));
  ASSERT_TRUE(WaitUntil([&] { return publisher_->acknowledged_position() >= 20; }));

  // Reading from the beginning, Kafka delivers all 20 records again before
  // the 5 new ones.
  consumer_.reset();
  ASSERT_NO_FATAL_FAILURE(StartConsumer(/*from_beginning=*/true));
  REND_ASSERT_OK(AppendSource(5));
  ASSERT_TRUE(WaitForWatermark(25));
  ASSERT_TRUE(WaitUntil([&] { return consumer_->records_received() >= 25; }))
      << "the restarted consumer did not read all 25 records from Kafka";
  EXPECT_EQ(Effects(), OneEffectPerSourceEvent());
  EXPECT_EQ(target_->LastPosition(), 25u);
  EXPECT_EQ(handler_calls_.load(), 25);
}

TEST_F(EventConsumerTest, ReplayedEventsHitTheInbox) {
  ASSERT_NO_FATAL_FAILURE(StartConsumer());
  REND_ASSERT_OK(AppendSource(10));
  ASSERT_TRUE(WaitForWatermark(10));

  // Rewinding the watermark makes the consumer handle all 10 events again.
  consumer_.reset();
  REND_ASSERT_OK(target_->PutCheckpoint("consumer/upstream", 0));
  ASSERT_NO_FATAL_FAILURE(StartConsumer());
  ASSERT_TRUE(WaitUntil([&] { return handler_calls_.load() >= 20; }));
  consumer_.reset();  // joins the worker, so the last append has finished
  EXPECT_EQ(Effects(), OneEffectPerSourceEvent());
  EXPECT_EQ(target_->LastPosition(), 10u);
}

TEST_F(EventConsumerTest, GapIsFilledFromSourceLog) {
  ASSERT_NO_FATAL_FAILURE(StartPublisher());
  ASSERT_NO_FATAL_FAILURE(StartConsumer());
  REND_ASSERT_OK(AppendSource(5));
  ASSERT_TRUE(WaitUntil([&] { return publisher_->acknowledged_position() >= 5; }));

  // Positions 6..10 are committed while the publisher is stopped, and its
  // checkpoint skips them, so they never reach Kafka.
  publisher_.reset();
  REND_ASSERT_OK(AppendSource(5));
  REND_ASSERT_OK(source_->PutCheckpoint("outbox", 10));
  ASSERT_NO_FATAL_FAILURE(StartPublisher());
  REND_ASSERT_OK(AppendSource(5));
  ASSERT_TRUE(WaitForWatermark(15));
  ASSERT_TRUE(WaitUntil([&] { return publisher_->acknowledged_position() >= 15; }));

  absl::StatusOr<std::vector<EventRecord>> topic = kafka_.ReadTopic("rend.upstream.v1", absl::Seconds(20));
  REND_ASSERT_OK(topic);
  EXPECT_EQ(topic->size(), 10u) << "positions 6..10 were published";
  EXPECT_EQ(Effects(), OneEffectPerSourceEvent());
  EXPECT_EQ(target_->LastPosition(), 15u);
}

}  // namespace
}  // namespace rend::es
