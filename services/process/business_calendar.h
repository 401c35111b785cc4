// Deadline arithmetic: adding business days or hours to a point in time.
//
// A business day is Monday to Friday in the calendar's time zone (Europe/
// Budapest for Rend). Adding N business days keeps the local time of day and
// moves forward to the N-th following business day, so Friday 15:00 plus one
// business day is Monday 15:00. A start on a weekend counts from that day,
// so Saturday 10:00 plus one business day is Monday 10:00.
//
// Thread safety: immutable after construction; all methods are thread-safe.
#ifndef REND_SERVICES_PROCESS_BUSINESS_CALENDAR_H_
#define REND_SERVICES_PROCESS_BUSINESS_CALENDAR_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace rend::process {

// A step's time limit from the moment the step opens.
struct Deadline {
  enum class Unit { kBusinessDays, kHours };
  Unit unit = Unit::kBusinessDays;
  int amount = 0;  // > 0
};

class BusinessCalendar {
 public:
  // Loads Europe/Budapest from the system time zone database (Debian
  // package tzdata). Returns NOT_FOUND when the zone cannot be loaded.
  static absl::StatusOr<BusinessCalendar> Budapest();

  explicit BusinessCalendar(absl::TimeZone zone) : zone_(zone) {}

  // NOTE: only weekends are non-working days; Hungarian public holidays and
  // transferred working days are not yet taken into account.
  bool IsBusinessDay(absl::CivilDay day) const;

  // Returns `start` plus `days` business days (days >= 0), keeping the local
  // time of day. A local time that does not exist on the target day (a
  // daylight-saving gap) is moved forward by the length of the gap, and one
  // that exists twice takes its first occurrence.
  absl::Time AddBusinessDays(absl::Time start, int days) const;

  // Returns when a step opened at `opened` is due: business days through
  // AddBusinessDays, hours as elapsed time.
  absl::Time DueAt(absl::Time opened, const Deadline& deadline) const;

  const absl::TimeZone& zone() const { return zone_; }

 private:
  absl::TimeZone zone_;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_BUSINESS_CALENDAR_H_
