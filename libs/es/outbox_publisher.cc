#include "libs/es/outbox_publisher.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "librdkafka/rdkafka.h"
#include "libs/common/status.h"
#include "libs/es/kafka_config.h"
#include "spdlog/spdlog.h"

namespace rend::es {
namespace {

constexpr size_t kBatchSize = 500;
constexpr absl::Duration kRetryDelay = absl::Seconds(1);

}  // namespace

std::string TopicFor(const std::string& source) { return absl::StrCat("rend.", source, ".v1"); }

struct OutboxPublisher::Kafka {
  rd_kafka_t* producer = nullptr;
  std::string topic;
  // Delivery results of the batch in flight, filled by the delivery report
  // callback, which runs inside rd_kafka_poll on the publisher thread.
  std::map<uint64_t, rd_kafka_resp_err_t> delivered;
  ~Kafka() {
    if (producer != nullptr) {
      rd_kafka_flush(producer, 2000);
      rd_kafka_destroy(producer);
    }
  }
};

namespace {

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* delivered = static_cast<std::map<uint64_t, rd_kafka_resp_err_t>*>(opaque);
  uint64_t position = reinterpret_cast<uintptr_t>(message->_private);
  (*delivered)[position] = message->err;
}

}  // namespace

absl::StatusOr<std::unique_ptr<OutboxPublisher>> OutboxPublisher::Start(EventStore* store,
                                                                        const KafkaOptions& options) {
  auto kafka = std::make_unique<Kafka>();
  kafka->topic = TopicFor(store->source());
  REND_ASSIGN_OR_RETURN(rd_kafka_conf_t * conf, NewKafkaConf(options, {{"enable.idempotence", "true"},
                                                                        {"acks", "all"},
                                                                        {"linger.ms", "5"},
                                                                        {"message.timeout.ms", "30000"}}));
  rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
  rd_kafka_conf_set_opaque(conf, &kafka->delivered);
  char error[512];
  kafka->producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (kafka->producer == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InvalidArgumentError(absl::StrCat("cannot create Kafka producer: ", error));
  }
  std::unique_ptr<OutboxPublisher> publisher(new OutboxPublisher(store, std::move(kafka)));
  REND_ASSIGN_OR_RETURN(uint64_t checkpoint, store->GetCheckpoint("outbox"));
  publisher->acknowledged_ = checkpoint;
  publisher->thread_ = std::thread([p = publisher.get()] { p->Run(); });
  spdlog::info("outbox publisher started: topic={} from_position={}", publisher->kafka_->topic, checkpoint + 1);
  return publisher;
}

OutboxPublisher::OutboxPublisher(EventStore* store, std::unique_ptr<Kafka> kafka)
    : store_(store), kafka_(std::move(kafka)) {}

OutboxPublisher::~OutboxPublisher() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::Status OutboxPublisher::health() const {
  absl::MutexLock lock(&mutex_);
  return fatal_;
}

void OutboxPublisher::Run() {
  int failures = 0;
  while (!stop_) {
    uint64_t from = acknowledged_ + 1;
    if (!store_->WaitForPosition(from, absl::Milliseconds(200))) continue;

    uint64_t reached = PublishBatch(from);
    if (reached >= from) {
      acknowledged_ = reached;
      IgnoreError(store_->PutCheckpoint("outbox", reached), "the next acknowledgement rewrites the checkpoint");
      failures = 0;
      continue;
    }

    char reason[256];
    rd_kafka_resp_err_t fatal = rd_kafka_fatal_error(kafka_->producer, reason, sizeof(reason));
    if (fatal != RD_KAFKA_RESP_ERR_NO_ERROR) {
      spdlog::error("outbox publisher stopped by a fatal Kafka error: {}", reason);
      absl::MutexLock lock(&mutex_);
      fatal_ = absl::InternalError(absl::StrCat("fatal Kafka producer error: ", reason));
      return;
    }
    // Log the first failure and then every 30th, so an outage does not flood the log.
    if (failures++ % 30 == 0) {
      spdlog::warn("outbox publishing of position {} failed {} time(s); retrying", from, failures);
    }
    absl::SleepFor(kRetryDelay);
  }
}

uint64_t OutboxPublisher::PublishBatch(uint64_t from) {
  absl::StatusOr<std::vector<EventRecord>> events = store_->ReadAll(from, kBatchSize);
  if (!events.ok() || events->empty()) {
    if (!events.ok()) spdlog::error("outbox cannot read the log: {}", events.status().ToString());
    return from - 1;
  }
  kafka_->delivered.clear();

  size_t produced = 0;
  for (const EventRecord& event : *events) {
    std::string value = event.SerializeAsString();
    rd_kafka_resp_err_t err = rd_kafka_producev(
        kafka_->producer, RD_KAFKA_V_TOPIC(kafka_->topic.c_str()),
        RD_KAFKA_V_KEY(event.stream_id().data(), event.stream_id().size()),
        RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_HEADER("rend-event-type", event.type().data(), static_cast<ssize_t>(event.type().size())),
        RD_KAFKA_V_HEADER("rend-event-id", event.event_id().data(), static_cast<ssize_t>(event.event_id().size())),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<uintptr_t>(event.position()))), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) break;  // queue full or fatal: deliver what was queued first
    ++produced;
  }

  // Wait for every delivery report of this batch; message.timeout.ms bounds it.
  while (kafka_->delivered.size() < produced) {
    rd_kafka_poll(kafka_->producer, 100);
    if (stop_ && kafka_->delivered.size() < produced) rd_kafka_flush(kafka_->producer, 2000);
    if (stop_) break;
  }

  uint64_t reached = from - 1;
  for (size_t i = 0; i < produced; ++i) {
    uint64_t position = (*events)[i].position();
    auto it = kafka_->delivered.find(position);
    if (it == kafka_->delivered.end() || it->second != RD_KAFKA_RESP_ERR_NO_ERROR) break;
    reached = position;
  }
  return reached;
}

}  // namespace rend::es
