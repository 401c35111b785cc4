#include "libs/common/validation.h"

#include "absl/strings/str_cat.h"
#include "libs/common/status.h"

namespace rend {
namespace {

// Returns the length of the UTF-8 sequence starting at `data[i]`, or 0 when
// it is malformed.
size_t Utf8SequenceLength(absl::string_view data, size_t i) {
  unsigned char lead = data[i];
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > data.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(data[i + k]) >> 6) != 0x2) return 0;
  }
  return length;
}

}  // namespace

absl::Status OptionalText(absl::string_view field, absl::string_view value, size_t max_length) {
  if (value.size() > max_length) return FieldError(field, absl::StrCat("must be at most ", max_length, " bytes"));
  for (size_t i = 0; i < value.size();) {
    size_t length = Utf8SequenceLength(value, i);
    if (length == 0) return FieldError(field, "must be valid UTF-8");
    unsigned char c = value[i];
    if (length == 1 && c < 0x20 && c != '\n' && c != '\t') return FieldError(field, "must not contain control characters");
    i += length;
  }
  return absl::OkStatus();
}

absl::Status RequireText(absl::string_view field, absl::string_view value, size_t max_length) {
  if (value.empty()) return FieldError(field, "must not be empty");
  return OptionalText(field, value, max_length);
}

absl::StatusOr<Decimal> RequireDecimal(absl::string_view field, absl::string_view value, bool positive) {
  if (value.empty()) return FieldError(field, "must not be empty");
  absl::StatusOr<Decimal> parsed = Decimal::Parse(value);
  if (!parsed.ok()) return FieldError(field, parsed.status().message());
  if (positive && parsed->raw() <= 0) return FieldError(field, "must be greater than 0");
  if (!positive && parsed->is_negative()) return FieldError(field, "must not be negative");
  return parsed;
}

absl::StatusOr<absl::CivilDay> RequireDate(absl::string_view field, const rend::common::v1::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return FieldError(field, "must be set");
  if (date.year() < 2000 || date.year() > 2199) return FieldError(field, "year must be between 2000 and 2199");
  absl::CivilDay day(date.year(), date.month(), date.day());
  if (day.month() != date.month() || day.day() != date.day() || date.month() < 1 || date.day() < 1) {
    return FieldError(field, absl::StrCat(date.year(), "-", date.month(), "-", date.day(), " is not a calendar date"));
  }
  return day;
}

rend::common::v1::Date ToProtoDate(absl::CivilDay day) {
  rend::common::v1::Date out;
  out.set_year(static_cast<int32_t>(day.year()));
  out.set_month(day.month());
  out.set_day(day.day());
  return out;
}

}  // namespace rend
