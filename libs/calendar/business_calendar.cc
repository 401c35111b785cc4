#include "libs/calendar/business_calendar.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/calendar/hungarian_holidays.h"
#include "libs/common/status.h"

namespace rend::calendar {
namespace {

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

bool IsWholeSeconds(absl::Duration duration) {
  return duration == absl::Seconds(absl::ToInt64Seconds(duration));
}

absl::Status CheckWorkingHours(const WorkingHours& hours) {
  if (!IsWholeSeconds(hours.start) || !IsWholeSeconds(hours.end) || hours.start < absl::ZeroDuration() ||
      hours.start >= hours.end || hours.end > absl::Hours(24)) {
    return absl::InvalidArgumentError(absl::StrCat("working hours ", absl::FormatDuration(hours.start), "..",
                                                   absl::FormatDuration(hours.end),
                                                   " are invalid, expected whole seconds with 0 <= start < end <= 24h"));
  }
  return absl::OkStatus();
}

absl::Status CheckArguments(absl::Time start, absl::Duration duration) {
  if (start == absl::InfiniteFuture() || start == absl::InfinitePast()) {
    return absl::InvalidArgumentError("start time must be finite");
  }
  if (duration < absl::ZeroDuration() || duration == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("duration ", absl::FormatDuration(duration), " is invalid, expected finite and >= 0"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BusinessCalendar> BusinessCalendar::Load(const std::string& directory, WorkingHours hours) {
  REND_ASSIGN_OR_RETURN(std::vector<DecreedDays> years, LoadDecreedDaysDirectory(directory));
  return Create(years, hours);
}

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(const std::vector<DecreedDays>& years,
                                                          WorkingHours hours) {
  REND_RETURN_IF_ERROR(CheckWorkingHours(hours));
  BusinessCalendar calendar;
  if (!absl::LoadTimeZone(kTimeZoneName, &calendar.time_zone_)) {
    return absl::FailedPreconditionError(
        absl::StrCat("time zone ", kTimeZoneName, " not found, install the tzdata package"));
  }
  calendar.hours_ = hours;
  for (const DecreedDays& year : years) REND_RETURN_IF_ERROR(calendar.AddYear(year));
  return calendar;
}

absl::Status BusinessCalendar::AddYear(const DecreedDays& year) {
  REND_RETURN_IF_ERROR(ValidateDecreedDays(year));
  if (!years_.insert(year.year).second) {
    return absl::InvalidArgumentError(absl::StrCat("decree data for year ", year.year, " is given twice"));
  }
  REND_ASSIGN_OR_RETURN(std::vector<PublicHoliday> holidays, PublicHolidays(year.year));
  for (const PublicHoliday& holiday : holidays) special_days_[holiday.day] = DayKind::kPublicHoliday;
  // ValidateDecreedDays guarantees that no decreed day is a holiday.
  for (absl::CivilDay day : year.rest_days) special_days_[day] = DayKind::kDecreedRestDay;
  for (absl::CivilDay day : year.working_days) special_days_[day] = DayKind::kDecreedWorkingDay;
  return absl::OkStatus();
}

absl::Status BusinessCalendar::RequireYear(int year) const {
  if (years_.count(year) > 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "no business calendar data for year ", year, " (loaded years: ",
      years_.empty() ? "none" : absl::StrJoin(years_, ", "), "). Add hu-", year,
      ".yaml with that year's decreed rest days and working days to the calendar data directory"));
}

absl::StatusOr<DayKind> BusinessCalendar::Classify(absl::CivilDay day) const {
  REND_RETURN_IF_ERROR(RequireYear(static_cast<int>(day.year())));
  auto it = special_days_.find(day);
  if (it != special_days_.end()) return it->second;
  return IsWeekend(day) ? DayKind::kWeekend : DayKind::kWorkingDay;
}

absl::StatusOr<bool> BusinessCalendar::IsWorkingDay(absl::CivilDay day) const {
  REND_ASSIGN_OR_RETURN(DayKind kind, Classify(day));
  return kind == DayKind::kWorkingDay || kind == DayKind::kDecreedWorkingDay;
}

absl::CivilDay BusinessCalendar::LocalDay(absl::Time time) const {
  return absl::CivilDay(time_zone_.At(time).cs);
}

absl::Time BusinessCalendar::LocalTime(absl::CivilDay day, absl::Duration offset) const {
  return absl::FromCivil(absl::CivilSecond(day) + absl::ToInt64Seconds(offset), time_zone_);
}

// The loop ends: Classify fails on the first day of a year without data,
// and at most kLastSupportedYear - kFirstSupportedYear + 1 years are loaded.
absl::StatusOr<absl::CivilDay> BusinessCalendar::StepWorkingDays(absl::CivilDay day, int days) const {
  const int step = days > 0 ? 1 : -1;
  int64_t remaining = std::llabs(static_cast<int64_t>(days));
  while (remaining > 0) {
    day += step;
    REND_ASSIGN_OR_RETURN(bool working, IsWorkingDay(day));
    if (working) --remaining;
  }
  return day;
}

absl::StatusOr<absl::Time> BusinessCalendar::AddBusinessDays(absl::Time start, int days) const {
  REND_RETURN_IF_ERROR(CheckArguments(start, absl::ZeroDuration()));
  if (days == 0) return start;

  const absl::TimeZone::CivilInfo local = time_zone_.At(start);
  REND_ASSIGN_OR_RETURN(absl::CivilDay target, StepWorkingDays(absl::CivilDay(local.cs), days));

  // Keep the local wall-clock time, not the elapsed time, so a change of the
  // UTC offset between the two days does not shift the result.
  const absl::CivilSecond target_time(target.year(), target.month(), target.day(), local.cs.hour(),
                                      local.cs.minute(), local.cs.second());
  return absl::FromCivil(target_time, time_zone_) + local.subsecond;
}

absl::StatusOr<absl::Time> BusinessCalendar::AddBusinessHours(absl::Time start, absl::Duration duration) const {
  REND_RETURN_IF_ERROR(CheckArguments(start, duration));
  if (duration == absl::ZeroDuration()) return start;

  // Walk day by day, consuming each working day's window from `start` on.
  // Ends for the same reason as StepWorkingDays.
  absl::Duration remaining = duration;
  for (absl::CivilDay day = LocalDay(start);; ++day) {
    REND_ASSIGN_OR_RETURN(bool working, IsWorkingDay(day));
    if (!working) continue;
    const absl::Time window_start = std::max(start, LocalTime(day, hours_.start));
    const absl::Time window_end = LocalTime(day, hours_.end);
    if (window_start >= window_end) continue;
    if (remaining <= window_end - window_start) return window_start + remaining;
    remaining -= window_end - window_start;
  }
}

absl::StatusOr<absl::Time> BusinessCalendar::AddElapsed(absl::Time start, absl::Duration duration) const {
  REND_RETURN_IF_ERROR(CheckArguments(start, duration));
  return start + duration;
}

absl::StatusOr<int> BusinessCalendar::BusinessDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  if (to < from) {
    REND_ASSIGN_OR_RETURN(int count, BusinessDaysBetween(to, from));
    return -count;
  }
  // Ends for the same reason as StepWorkingDays.
  int count = 0;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    REND_ASSIGN_OR_RETURN(bool working, IsWorkingDay(day));
    if (working) ++count;
  }
  return count;
}

absl::StatusOr<int> BusinessCalendar::BusinessDaysBetween(absl::Time from, absl::Time to) const {
  REND_RETURN_IF_ERROR(CheckArguments(from, absl::ZeroDuration()));
  REND_RETURN_IF_ERROR(CheckArguments(to, absl::ZeroDuration()));
  return BusinessDaysBetween(LocalDay(from), LocalDay(to));
}

}  // namespace rend::calendar
