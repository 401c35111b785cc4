// Public holidays (munkaszüneti napok) of Hungary, computed per year.
//
// The list follows the Labour Code, Act I of 2012 (Munka Törvénykönyve),
// 102. § (1) as amended by Act XIII of 2017, which added Good Friday:
// January 1, March 15, Good Friday, Easter Monday, May 1, Whit Monday,
// August 20, October 23, November 1, December 25 and 26. Easter Sunday and
// Whit Sunday always fall on a Sunday, so they are returned as well but never
// change whether a day is worked. December 24 is not a public holiday by law;
// when a decree makes it a rest day, that comes from the decreed-days data.
//
// Thread safety: all functions are pure and thread-safe.
#ifndef REND_LIBS_CALENDAR_HUNGARIAN_HOLIDAYS_H_
#define REND_LIBS_CALENDAR_HUNGARIAN_HOLIDAYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace rend::calendar {

// Years whose holidays the list above describes: Good Friday became a public
// holiday in 2017, and 2199 is the last year Rend accepts in dates.
inline constexpr int kFirstSupportedYear = 2017;
inline constexpr int kLastSupportedYear = 2199;

struct PublicHoliday {
  absl::CivilDay day;
  std::string name;  // Hungarian name, e.g. "húsvéthétfő"
};

// Returns Easter Sunday of `year` by the Gregorian computus (the anonymous
// Gregorian algorithm of Meeus, Jones and Butcher). REQUIRES: year >= 1583.
absl::CivilDay EasterSunday(int year);

// Returns the public holidays of `year` in date order, including Easter
// Sunday and Whit Sunday. Returns INVALID_ARGUMENT for a year outside
// kFirstSupportedYear..kLastSupportedYear.
absl::StatusOr<std::vector<PublicHoliday>> PublicHolidays(int year);

// Returns whether `day` is one of PublicHolidays(day.year()), with the same errors.
absl::StatusOr<bool> IsPublicHoliday(absl::CivilDay day);

}  // namespace rend::calendar

#endif  // REND_LIBS_CALENDAR_HUNGARIAN_HOLIDAYS_H_
