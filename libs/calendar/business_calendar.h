// BusinessCalendar: the Hungarian business calendar for deadlines. A day is
// a working day when it is a Monday to Friday that is neither a public
// holiday (hungarian_holidays.h) nor a decreed rest day, or when it is a
// decreed working Saturday (decreed_days.h).
//
// All local-time arithmetic is done in Europe/Budapest on civil times, so
// results keep the local time of day across the daylight-saving changes
// (last Sunday of March and of October). Years without loaded decree data
// are never guessed: any query that touches such a year returns
// FAILED_PRECONDITION naming the year.
//
// Thread safety: immutable after construction; all methods are const and
// thread-safe.
#ifndef REND_LIBS_CALENDAR_BUSINESS_CALENDAR_H_
#define REND_LIBS_CALENDAR_BUSINESS_CALENDAR_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/calendar/decreed_days.h"

namespace rend::calendar {

inline constexpr char kTimeZoneName[] = "Europe/Budapest";

// The daily working window in local time, as offsets from local midnight.
// REQUIRES (checked on construction): whole seconds, 0 <= start < end <= 24h.
struct WorkingHours {
  absl::Duration start = absl::Hours(8);
  absl::Duration end = absl::Hours(16);
};

enum class DayKind {
  kWorkingDay,       // Monday to Friday, nothing decreed
  kWeekend,          // Saturday or Sunday, nothing decreed
  kPublicHoliday,    // munkaszüneti nap by law
  kDecreedRestDay,   // áthelyezett pihenőnap
  kDecreedWorkingDay,  // áthelyezett munkanap, usually a Saturday
};

class BusinessCalendar {
 public:
  // Loads every hu-YYYY.yaml file in `directory` (see decreed_days.h).
  // Returns the errors of LoadDecreedDaysDirectory and of Create.
  static absl::StatusOr<BusinessCalendar> Load(const std::string& directory, WorkingHours hours = {});

  // Builds a calendar from decree data already in memory. Returns
  // INVALID_ARGUMENT for invalid data (ValidateDecreedDays), a year given
  // twice or invalid `hours`. Returns FAILED_PRECONDITION when the time zone
  // database has no Europe/Budapest (install tzdata).
  static absl::StatusOr<BusinessCalendar> Create(const std::vector<DecreedDays>& years, WorkingHours hours = {});

  // Returns the kind of `day`, or FAILED_PRECONDITION when no data for its
  // year is loaded.
  absl::StatusOr<DayKind> Classify(absl::CivilDay day) const;
  // Returns true for kWorkingDay and kDecreedWorkingDay, with the errors of Classify.
  absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day) const;

  // Returns the same local time of day on the `days`-th working day after
  // (or, for negative `days`, before) the local day of `start`. `start` may
  // fall on any day: Saturday + 1 is the next working day. 0 returns `start`.
  // NOTE: a local time that does not exist on the target day (02:00-03:00 on
  // the March change) maps to one hour later. A repeated one (October) maps
  // to its first occurrence. Both only matter on a decreed working Sunday.
  absl::StatusOr<absl::Time> AddBusinessDays(absl::Time start, int days) const;

  // Returns the instant at which `duration` of working time has passed,
  // counting only the working hours of working days from `start` on. Time
  // before the window or on a non-working day counts from the next window
  // start, and a result exactly at a window end stays there. A zero duration
  // returns `start`. INVALID_ARGUMENT for a negative or infinite duration.
  absl::StatusOr<absl::Time> AddBusinessHours(absl::Time start, absl::Duration duration) const;

  // Returns `start` + `duration` of elapsed (absolute) time, so 24 hours
  // across a daylight-saving change end one hour off the local time of day.
  // Needs no decree data. INVALID_ARGUMENT for a negative or infinite duration.
  absl::StatusOr<absl::Time> AddElapsed(absl::Time start, absl::Duration duration) const;

  // Returns the number of working days d with from < d <= to, or minus the
  // number with to < d <= from when `to` is earlier, so that
  // BusinessDaysBetween(LocalDay(t), LocalDay(AddBusinessDays(t, n))) == n.
  absl::StatusOr<int> BusinessDaysBetween(absl::CivilDay from, absl::CivilDay to) const;
  // As above on the local days of two instants.
  absl::StatusOr<int> BusinessDaysBetween(absl::Time from, absl::Time to) const;

  // Returns the Europe/Budapest calendar day of `time`.
  absl::CivilDay LocalDay(absl::Time time) const;

  const absl::TimeZone& time_zone() const { return time_zone_; }
  const WorkingHours& working_hours() const { return hours_; }
  // Years with loaded decree data, ascending.
  std::vector<int> years() const { return {years_.begin(), years_.end()}; }

 private:
  BusinessCalendar() = default;

  absl::Status AddYear(const DecreedDays& year);
  absl::Status RequireYear(int year) const;
  absl::Time LocalTime(absl::CivilDay day, absl::Duration offset) const;
  absl::StatusOr<absl::CivilDay> StepWorkingDays(absl::CivilDay day, int days) const;

  absl::TimeZone time_zone_;
  WorkingHours hours_;
  std::set<int> years_;
  std::map<absl::CivilDay, DayKind> special_days_;  // holidays and decreed days of years_
};

}  // namespace rend::calendar

#endif  // REND_LIBS_CALENDAR_BUSINESS_CALENDAR_H_
