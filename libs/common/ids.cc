#include "libs/common/ids.h"

#include <cstdint>
#include <random>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"

namespace rend {

std::string NewUuid() {
  static absl::Mutex mutex;
  static std::mt19937_64 engine ABSL_GUARDED_BY(mutex){std::random_device{}()};
  uint64_t high;
  uint64_t low;
  {
    absl::MutexLock lock(&mutex);
    high = engine();
    low = engine();
  }
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;    // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32, (high >> 16) & 0xFFFF, high & 0xFFFF,
                         low >> 48, low & 0xFFFFFFFFFFFFULL);
}

bool IsValidClientId(absl::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

google::protobuf::Timestamp ToProtoTime(absl::Time time) {
  google::protobuf::Timestamp out;
  int64_t micros = absl::ToUnixMicros(time);
  out.set_seconds(micros / 1'000'000);
  out.set_nanos(static_cast<int32_t>(micros % 1'000'000) * 1000);
  if (out.nanos() < 0) {
    out.set_seconds(out.seconds() - 1);
    out.set_nanos(out.nanos() + 1'000'000'000);
  }
  return out;
}

absl::Time FromProtoTime(const google::protobuf::Timestamp& time) {
  return absl::FromUnixSeconds(time.seconds()) + absl::Nanoseconds(time.nanos());
}

}  // namespace rend
