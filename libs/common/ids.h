// Identifier and time helpers.
//
// Thread safety: all functions are thread-safe.
#ifndef REND_LIBS_COMMON_IDS_H_
#define REND_LIBS_COMMON_IDS_H_

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/timestamp.pb.h"

namespace rend {

// Returns a random (version 4) UUID in its canonical lowercase form.
std::string NewUuid();

// Returns true when `id` is 1..128 characters of printable ASCII without
// spaces, the accepted form of client-chosen ids such as request ids.
bool IsValidClientId(absl::string_view id);

google::protobuf::Timestamp ToProtoTime(absl::Time time);
absl::Time FromProtoTime(const google::protobuf::Timestamp& time);

}  // namespace rend

#endif  // REND_LIBS_COMMON_IDS_H_
