#include "tests/e2e/e2e_fixture.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "librdkafka/rdkafka.h"
#include "libs/common/channel.h"
#include "libs/common/ids.h"
#include "rend/eventlog/v1/event_log.grpc.pb.h"

namespace rend::tools {

void StackTest::SetUp() {
  StackOptions options;
  options.build_dir = REND_BUILD_DIR;
  options.config_dir = REND_SOURCE_DIR "/deploy/config";
  options.work_dir = dir_.path();
  absl::StatusOr<std::unique_ptr<Stack>> stack = Stack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  stack_ = std::move(*stack);
}

void StackTest::TearDown() {
  if (stack_ != nullptr) {
    absl::Status stopped = stack_->Stop();
    EXPECT_TRUE(stopped.ok()) << stopped << " (logs in " << dir_.path() << "/logs)";
  }
}

ScenarioOptions StackTest::Options() const {
  ScenarioOptions options;
  for (const std::string& service : Stack::ServiceNames()) options.addresses[service] = stack_->Address(service);
  return options;
}

std::vector<rend::eventlog::v1::EventRecord> StackTest::ReadLog(const std::string& service) const {
  auto stub = rend::eventlog::v1::EventLog::NewStub(
      CreateServiceChannel(stack_->Address(service)));
  std::vector<rend::eventlog::v1::EventRecord> events;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  rend::eventlog::v1::ReadLogRequest request;
  request.set_max_count(10000);
  auto reader = stub->ReadLog(&context, request);
  rend::eventlog::v1::EventRecord event;
  while (reader->Read(&event)) events.push_back(event);
  grpc::Status status = reader->Finish();
  EXPECT_TRUE(status.ok()) << service << ": " << status.error_message();
  return events;
}

uint64_t StackTest::LastPosition(const std::string& service) const {
  auto stub = rend::eventlog::v1::EventLog::NewStub(
      CreateServiceChannel(stack_->Address(service)));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  rend::eventlog::v1::LogInfo info;
  grpc::Status status = stub->GetLogInfo(&context, rend::eventlog::v1::LogInfoRequest(), &info);
  EXPECT_TRUE(status.ok()) << service << ": " << status.error_message();
  return info.last_position();
}

std::vector<ConsumedRecord> ConsumeTopics(const std::string& bootstrap, const std::vector<std::string>& topics,
                                          const std::function<bool(const std::vector<ConsumedRecord>&)>& enough,
                                          absl::Duration timeout) {
  std::vector<ConsumedRecord> records;
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::string group = absl::StrCat("e2e-reader-", NewUuid());
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), error, sizeof(error));
  rd_kafka_conf_set(conf, "group.id", group.c_str(), error, sizeof(error));
  rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", error, sizeof(error));
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  if (consumer == nullptr) return records;
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(topics.size()));
  for (const std::string& topic : topics) rd_kafka_topic_partition_list_add(list, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer, list);
  rd_kafka_topic_partition_list_destroy(list);

  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline && !enough(records)) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 200);
    if (message == nullptr) continue;
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ConsumedRecord record;
      record.topic = rd_kafka_topic_name(message->rkt);
      record.key.assign(static_cast<const char*>(message->key), message->key_len);
      if (record.event.ParseFromArray(message->payload, static_cast<int>(message->len))) records.push_back(record);
    }
    rd_kafka_message_destroy(message);
  }
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  return records;
}

}  // namespace rend::tools
