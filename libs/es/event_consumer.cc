#include "libs/es/event_consumer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "librdkafka/rdkafka.h"
#include "libs/common/channel.h"
#include "libs/common/status.h"
#include "libs/es/kafka_config.h"
#include "rend/eventlog/v1/event_log.grpc.pb.h"
#include "spdlog/spdlog.h"

namespace rend::es {
namespace {

constexpr int kMaxAbortedRetries = 50;
constexpr uint32_t kCatchUpChunk = 500;

bool IsPermanent(absl::StatusCode code) {
  return code == absl::StatusCode::kInvalidArgument || code == absl::StatusCode::kNotFound ||
         code == absl::StatusCode::kFailedPrecondition || code == absl::StatusCode::kAlreadyExists ||
         code == absl::StatusCode::kOutOfRange;
}

}  // namespace

class EventConsumer::SourceWorker {
 public:
  SourceWorker(EventStore* store, const ConsumerOptions& options, SourceOptions source, EventHandler handler)
      : store_(store), options_(options), source_(std::move(source)), handler_(std::move(handler)) {}

  ~SourceWorker() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (consumer_ != nullptr) {
      rd_kafka_consumer_close(consumer_);
      rd_kafka_destroy(consumer_);
    }
  }

  absl::Status Start() {
    REND_ASSIGN_OR_RETURN(watermark_, store_->GetCheckpoint(absl::StrCat("consumer/", source_.name)));
    // group.id only satisfies librdkafka; the consumer never joins the group.
    REND_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, NewKafkaConf(options_.kafka, {{"group.id", "rend"},
                                                                                {"enable.auto.commit", "false"},
                                                                                {"enable.partition.eof", "false"}}));
    char error[512];
    consumer_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
    if (consumer_ == nullptr) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(absl::StrCat("cannot create Kafka consumer: ", error));
    }
    rd_kafka_poll_set_consumer(consumer_);
    channel_ = CreateServiceChannel(source_.log_address);
    stub_ = rend::eventlog::v1::EventLog::NewStub(channel_);
    thread_ = std::thread([this] { Run(); });
    spdlog::info("consumer of {} started: topic={} watermark={}", source_.name, TopicFor(source_.name), watermark_);
    return absl::OkStatus();
  }

  uint64_t records_received() const { return records_received_.load(); }

 private:
  // Assigns every partition of the source's topic; returns false while the
  // broker cannot be reached, and the caller tries again later.
  bool Assign() {
    std::string topic = TopicFor(source_.name);
    rd_kafka_topic_t* handle = rd_kafka_topic_new(consumer_, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(consumer_, 0, handle, &metadata, 2000);
    rd_kafka_topic_destroy(handle);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || metadata->topic_cnt != 1 || metadata->topics[0].err != 0 ||
        metadata->topics[0].partition_cnt == 0) {
      if (metadata != nullptr) rd_kafka_metadata_destroy(metadata);
      spdlog::debug("consumer of {}: topic {} not available yet", source_.name, topic);
      return false;
    }
    int64_t offset = options_.from_beginning ? RD_KAFKA_OFFSET_BEGINNING : RD_KAFKA_OFFSET_END;
    rd_kafka_topic_partition_list_t* partitions = rd_kafka_topic_partition_list_new(metadata->topics[0].partition_cnt);
    for (int i = 0; i < metadata->topics[0].partition_cnt; ++i) {
      rd_kafka_topic_partition_list_add(partitions, topic.c_str(), metadata->topics[0].partitions[i].id)->offset = offset;
    }
    rd_kafka_metadata_destroy(metadata);
    err = rd_kafka_assign(consumer_, partitions);
    rd_kafka_topic_partition_list_destroy(partitions);
    return err == RD_KAFKA_RESP_ERR_NO_ERROR;
  }

  void Run() {
    absl::Time next_catch_up = absl::InfinitePast();
    bool assigned = false;
    while (!stop_) {
      // Assign before the catch-up, so nothing committed after it is missed.
      if (!assigned && absl::Now() >= next_catch_up) assigned = Assign();
      if (absl::Now() >= next_catch_up) {
        CatchUp(0);
        next_catch_up = absl::Now() + options_.poll_interval;
      }
      rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_, 100);
      if (message == nullptr) continue;
      if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++records_received_;
        EventRecord event;
        if (event.ParseFromArray(message->payload, static_cast<int>(message->len)) && event.source() == source_.name) {
          OnKafkaEvent(event);
        } else {
          spdlog::warn("consumer of {} skipped an undecodable record at offset {}", source_.name, message->offset);
        }
      } else if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        spdlog::debug("consumer of {}: {}", source_.name, rd_kafka_message_errstr(message));
      }
      rd_kafka_message_destroy(message);
    }
  }

  void OnKafkaEvent(const EventRecord& event) {
    if (event.position() <= watermark_) return;  // redelivery
    if (event.position() > watermark_ + 1) {
      spdlog::info("consumer of {} found a gap ({} after {}); reading the source's log", source_.name,
                   event.position(), watermark_);
      CatchUp(event.position() - 1);
      if (watermark_ + 1 != event.position()) return;  // the periodic catch-up will get it
    }
    Handle(event);
  }

  // Reads the source's log from watermark + 1 and handles every event, up to
  // `until` (0 for the end of the log).
  void CatchUp(uint64_t until) {
    while (!stop_ && (until == 0 || watermark_ < until)) {
      rend::eventlog::v1::ReadLogRequest request;
      request.set_from_position(watermark_ + 1);
      request.set_max_count(until == 0 ? kCatchUpChunk : std::min<uint64_t>(kCatchUpChunk, until - watermark_));
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      auto reader = stub_->ReadLog(&context, request);
      EventRecord event;
      size_t count = 0;
      while (!stop_ && reader->Read(&event)) {
        ++count;
        if (event.position() != watermark_ + 1) break;
        Handle(event);
      }
      grpc::Status status = reader->Finish();
      if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
        // The first failure and every 30th after it, so an outage does not flood the log.
        if (log_read_failures_++ % 30 == 0) {
          spdlog::warn("consumer of {}: reading the log at {} failed {} time(s) in a row: {}", source_.name,
                       source_.log_address, log_read_failures_, status.error_message());
        }
        return;
      }
      if (log_read_failures_ > 0) {
        spdlog::info("consumer of {}: reading the log at {} works again", source_.name, source_.log_address);
        log_read_failures_ = 0;
      }
      if (count < request.max_count()) return;  // reached the end of the source's log
    }
  }

  void Handle(const EventRecord& event) {
    int aborted = 0;
    absl::Duration delay = absl::Milliseconds(100);
    while (!stop_) {
      absl::Status status = TryHandle(event);
      if (status.ok()) {
        watermark_ = event.position();
        return;
      }
      if (status.code() == absl::StatusCode::kAborted && ++aborted < kMaxAbortedRetries) continue;
      spdlog::warn("consumer of {}: handling event {} ({}) failed, retrying: {}", source_.name, event.event_id(),
                   event.type(), status.ToString());
      absl::SleepFor(delay);
      delay = std::min(delay * 2, absl::Seconds(5));
    }
  }

  absl::Status TryHandle(const EventRecord& event) {
    absl::StatusOr<std::optional<AppendRequest>> decided = handler_(event);
    AppendRequest append;
    if (decided.ok() && decided->has_value()) {
      append = std::move(**decided);
    } else if (!decided.ok()) {
      if (!IsPermanent(decided.status().code())) return decided.status();
      spdlog::warn("consumer of {}: event {} ({}) has no effect: {}", source_.name, event.event_id(), event.type(),
                   decided.status().ToString());
    }
    append.inbox_source = source_.name;
    append.inbox_event_id = event.event_id();
    append.inbox_position = event.position();
    if (append.causation_id.empty()) append.causation_id = event.event_id();
    if (append.correlation_id.empty()) append.correlation_id = event.correlation_id();
    // The effect is this service's doing, not the person behind the cause.
    if (append.actor.empty()) append.actor = absl::StrCat("rend-", store_->source());
    absl::StatusOr<AppendResult> result = store_->Append(std::move(append));
    if (result.ok() && result->duplicate_event) {
      spdlog::debug("consumer of {}: event {} was already handled", source_.name, event.event_id());
    }
    return result.status();
  }

  EventStore* store_;
  const ConsumerOptions& options_;
  SourceOptions source_;
  EventHandler handler_;
  uint64_t watermark_ = 0;  // used only by the worker thread after Start
  uint64_t log_read_failures_ = 0;  // consecutive, worker thread only
  rd_kafka_t* consumer_ = nullptr;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<rend::eventlog::v1::EventLog::Stub> stub_;
  std::atomic<uint64_t> records_received_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

absl::StatusOr<std::unique_ptr<EventConsumer>> EventConsumer::Start(EventStore* store, ConsumerOptions options,
                                                                    EventHandler handler) {
  std::unique_ptr<EventConsumer> consumer(new EventConsumer());
  consumer->options_ = std::move(options);
  for (const SourceOptions& source : consumer->options_.sources) {
    auto worker = std::make_unique<SourceWorker>(store, consumer->options_, source, handler);
    REND_RETURN_IF_ERROR(worker->Start());
    consumer->workers_.push_back(std::move(worker));
  }
  return consumer;
}

EventConsumer::~EventConsumer() { workers_.clear(); }

uint64_t EventConsumer::records_received() const {
  uint64_t total = 0;
  for (const auto& worker : workers_) total += worker->records_received();
  return total;
}

}  // namespace rend::es
