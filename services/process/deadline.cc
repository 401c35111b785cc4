#include "services/process/deadline.h"

#include <vector>

#include "absl/strings/str_join.h"
#include "libs/calendar/decreed_days.h"
#include "libs/common/status.h"
#include "spdlog/spdlog.h"

namespace rend::process {

absl::StatusOr<calendar::BusinessCalendar> LoadProcessCalendar(const std::string& directory, absl::Time now) {
  REND_ASSIGN_OR_RETURN(std::vector<calendar::DecreedDays> years, calendar::LoadDecreedDaysDirectory(directory));
  if (years.empty()) return absl::NotFoundError(absl::StrCat(directory, ": no hu-YYYY.yaml calendar file"));
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(calendar::kTimeZoneName, &zone)) {
    return absl::FailedPreconditionError("time zone Europe/Budapest not found; install tzdata");
  }
  int last = years.back().year;
  int until = static_cast<int>(absl::ToCivilYear(now, zone).year()) + 1;
  std::vector<int> assumed;
  for (int year = last + 1; year <= until; ++year) {
    calendar::DecreedDays days;
    days.year = year;
    days.decree = "none loaded: public holidays and weekends only";
    years.push_back(days);
    assumed.push_back(year);
  }
  if (!assumed.empty()) {
    spdlog::warn("no decreed days for {} in {}: deadlines there count public holidays and weekends only; "
                 "add hu-YYYY.yaml once the decree is published", absl::StrJoin(assumed, ", "), directory);
  }
  return calendar::BusinessCalendar::Create(years);
}

absl::StatusOr<absl::Time> DueAt(const calendar::BusinessCalendar& calendar, absl::Time opened,
                                 const Deadline& deadline) {
  switch (deadline.unit) {
    case Deadline::Unit::kHours:
      return calendar.AddElapsed(opened, absl::Hours(deadline.amount));
    case Deadline::Unit::kBusinessHours:
      return calendar.AddBusinessHours(opened, absl::Hours(deadline.amount));
    case Deadline::Unit::kBusinessDays:
      return calendar.AddBusinessDays(opened, deadline.amount);
  }
  return absl::InternalError("unknown deadline unit");
}

absl::Time EndOfLocalDay(const calendar::BusinessCalendar& calendar, absl::CivilDay day) {
  return absl::FromCivil(day + 1, calendar.time_zone());
}

}  // namespace rend::process
