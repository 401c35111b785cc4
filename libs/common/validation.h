// Input validation helpers. Each returns INVALID_ARGUMENT whose message
// starts with the field path given, e.g. "need.quantity: must be > 0".
#ifndef REND_LIBS_COMMON_VALIDATION_H_
#define REND_LIBS_COMMON_VALIDATION_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "libs/common/decimal.h"
#include "rend/common/v1/common.pb.h"

namespace rend {

// Requires 1..max_length bytes of valid UTF-8 without control characters
// other than newline and tab.
absl::Status RequireText(absl::string_view field, absl::string_view value, size_t max_length);
// Like RequireText but accepts an empty value.
absl::Status OptionalText(absl::string_view field, absl::string_view value, size_t max_length);
// Parses a decimal and requires it to be > 0 (`positive`) or >= 0.
absl::StatusOr<Decimal> RequireDecimal(absl::string_view field, absl::string_view value, bool positive);
// Requires a real calendar date between 2000-01-01 and 2199-12-31.
absl::StatusOr<absl::CivilDay> RequireDate(absl::string_view field, const rend::common::v1::Date& date);

rend::common::v1::Date ToProtoDate(absl::CivilDay day);

}  // namespace rend

#endif  // REND_LIBS_COMMON_VALIDATION_H_
