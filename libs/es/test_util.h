// Helpers shared by the libs/es tests: status assertions, bounded waiting
// and StringValue event payloads. Test-only.
#ifndef REND_LIBS_ES_TEST_UTIL_H_
#define REND_LIBS_ES_TEST_UTIL_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/wrappers.pb.h"
#include "gtest/gtest.h"
#include "libs/es/event_store.h"

namespace rend::es {

inline absl::Status StatusOf(const absl::Status& status) { return status; }
template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& value) {
  return value.status();
}

// Evaluates `expr` (an absl::Status or absl::StatusOr) once and fails the
// test with its status when it is not OK.
#define REND_ASSERT_OK(expr)                                    \
  do {                                                          \
    ::absl::Status rend_test_status_ = ::rend::es::StatusOf(expr); \
    ASSERT_TRUE(rend_test_status_.ok()) << rend_test_status_;   \
  } while (false)
#define REND_EXPECT_OK(expr)                                    \
  do {                                                          \
    ::absl::Status rend_test_status_ = ::rend::es::StatusOf(expr); \
    EXPECT_TRUE(rend_test_status_.ok()) << rend_test_status_;   \
  } while (false)

// Polls `condition` every 10 ms until it is true or `timeout` passes.
// Returns whether it became true.
inline bool WaitUntil(const std::function<bool()>& condition, absl::Duration timeout = absl::Seconds(20)) {
  absl::Time deadline = absl::Now() + timeout;
  while (!condition()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

// Returns a google.protobuf.StringValue event payload.
inline google::protobuf::Any TextEvent(const std::string& text) {
  google::protobuf::StringValue value;
  value.set_value(text);
  return PackEvent(value);
}

// Returns the text of a StringValue payload, the decimal value of an
// Int64Value payload, or the type URL of any other payload.
inline std::string PayloadText(const google::protobuf::Any& payload) {
  google::protobuf::StringValue text;
  if (payload.UnpackTo(&text)) return text.value();
  google::protobuf::Int64Value number;
  if (payload.UnpackTo(&number)) return std::to_string(number.value());
  return payload.type_url();
}

}  // namespace rend::es

#endif  // REND_LIBS_ES_TEST_UTIL_H_
