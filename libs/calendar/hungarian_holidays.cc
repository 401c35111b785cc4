#include "libs/calendar/hungarian_holidays.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/common/status.h"

namespace rend::calendar {

absl::CivilDay EasterSunday(int year) {
  // Anonymous Gregorian algorithm. Every division is integer division.
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(year, month, day);
}

absl::StatusOr<std::vector<PublicHoliday>> PublicHolidays(int year) {
  if (year < kFirstSupportedYear || year > kLastSupportedYear) {
    return absl::InvalidArgumentError(absl::StrCat("year ", year, " is outside the supported range ",
                                                   kFirstSupportedYear, "..", kLastSupportedYear,
                                                   " of the Hungarian public holiday rules"));
  }
  // Easter falls between March 22 and April 25, so Good Friday follows
  // March 15, Easter Monday precedes May 1 and Whit Sunday (May 10 or later)
  // follows it, so the list below is in date order in every year.
  const absl::CivilDay easter = EasterSunday(year);
  std::vector<PublicHoliday> holidays = {
      {absl::CivilDay(year, 1, 1), "újév"},
      {absl::CivilDay(year, 3, 15), "nemzeti ünnep"},
      {easter - 2, "nagypéntek"},
      {easter, "húsvétvasárnap"},
      {easter + 1, "húsvéthétfő"},
      {absl::CivilDay(year, 5, 1), "a munka ünnepe"},
      {easter + 49, "pünkösdvasárnap"},
      {easter + 50, "pünkösdhétfő"},
      {absl::CivilDay(year, 8, 20), "államalapítás ünnepe"},
      {absl::CivilDay(year, 10, 23), "nemzeti ünnep"},
      {absl::CivilDay(year, 11, 1), "mindenszentek"},
      {absl::CivilDay(year, 12, 25), "karácsony"},
      {absl::CivilDay(year, 12, 26), "karácsony másnapja"},
  };
  return holidays;
}

absl::StatusOr<bool> IsPublicHoliday(absl::CivilDay day) {
  REND_ASSIGN_OR_RETURN(std::vector<PublicHoliday> holidays, PublicHolidays(static_cast<int>(day.year())));
  return std::any_of(holidays.begin(), holidays.end(),
                     [day](const PublicHoliday& holiday) { return holiday.day == day; });
}

}  // namespace rend::calendar
