// Deadline: a step's time limit, and how it is turned into a due time on the
// Hungarian business calendar (libs/calendar, Europe/Budapest).
//
// Thread safety: plain data and pure functions, thread-safe.
#ifndef REND_SERVICES_PROCESS_DEADLINE_H_
#define REND_SERVICES_PROCESS_DEADLINE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/calendar/business_calendar.h"

namespace rend::process {

// A step's time limit from the moment the step opens.
struct Deadline {
  enum class Unit {
    kHours,          // elapsed hours, any day, any time
    kBusinessHours,  // working hours (08:00-16:00) of working days
    kBusinessDays,   // working days, keeping the local time of day
  };
  Unit unit = Unit::kBusinessDays;
  int amount = 0;  // > 0
};

// Returns when a step opened at `opened` is due. FAILED_PRECONDITION when the
// deadline reaches a year without decree data in `calendar`; the message
// names the year, and adding deploy/config/calendar/hu-<year>.yaml fixes it.
absl::StatusOr<absl::Time> DueAt(const calendar::BusinessCalendar& calendar, absl::Time opened,
                                 const Deadline& deadline);

// Loads the business calendar from `directory` (hu-YYYY.yaml files) and
// extends it to the end of the year after `now`: each later year without a
// file counts public holidays and weekends only, as if its decree moved no
// day, and is logged as a warning. Decrees are published in the spring
// before their year, so without this a deadline reaching into next year
// could not be computed until then. NOT_FOUND for a missing directory and
// the other errors of calendar::BusinessCalendar::Create.
absl::StatusOr<calendar::BusinessCalendar> LoadProcessCalendar(const std::string& directory, absl::Time now);

// Returns the end of `day` in Europe/Budapest: 24:00, the next day's midnight.
absl::Time EndOfLocalDay(const calendar::BusinessCalendar& calendar, absl::CivilDay day);

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_DEADLINE_H_
