// StackTest: a GoogleTest fixture that starts the broker and the five
// services from the build tree in a fresh temp directory, plus helpers to
// read services' event logs over gRPC and topics from the broker.
#ifndef REND_TESTS_E2E_E2E_FIXTURE_H_
#define REND_TESTS_E2E_E2E_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"
#include "rend/eventlog/v1/event_log.pb.h"
#include "tools/stack/scenario.h"
#include "tools/stack/stack.h"

namespace rend::tools {

class StackTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  ScenarioOptions Options() const;
  // Reads a service's whole event log through its EventLog service.
  std::vector<rend::eventlog::v1::EventRecord> ReadLog(const std::string& service) const;
  uint64_t LastPosition(const std::string& service) const;

  rend::testing::TempDir dir_;
  std::unique_ptr<Stack> stack_;
};

// A Kafka record as an independent consumer sees it.
struct ConsumedRecord {
  std::string topic;
  std::string key;
  rend::eventlog::v1::EventRecord event;
};

// Consumes `topics` from the beginning with a new consumer group until
// `enough` returns true or `timeout` passes; returns what it read.
std::vector<ConsumedRecord> ConsumeTopics(const std::string& bootstrap, const std::vector<std::string>& topics,
                                          const std::function<bool(const std::vector<ConsumedRecord>&)>& enough,
                                          absl::Duration timeout);

}  // namespace rend::tools

#endif  // REND_TESTS_E2E_E2E_FIXTURE_H_
