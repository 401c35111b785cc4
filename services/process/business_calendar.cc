#include "services/process/business_calendar.h"

namespace rend::process {

absl::StatusOr<BusinessCalendar> BusinessCalendar::Budapest() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/Budapest", &zone)) {
    return absl::NotFoundError("time zone Europe/Budapest cannot be loaded; install the tzdata package");
  }
  return BusinessCalendar(zone);
}

bool BusinessCalendar::IsBusinessDay(absl::CivilDay day) const {
  absl::Weekday weekday = absl::GetWeekday(day);
  return weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday;
}

absl::Time BusinessCalendar::AddBusinessDays(absl::Time start, int days) const {
  absl::CivilSecond local = absl::ToCivilSecond(start, zone_);
  absl::CivilDay day = absl::CivilDay(local);
  for (int remaining = days; remaining > 0;) {
    day += 1;
    if (IsBusinessDay(day)) --remaining;
  }
  absl::CivilSecond target(day.year(), day.month(), day.day(), local.hour(), local.minute(), local.second());

  // FromCivil applies the offset in force before a transition: a skipped
  // local time moves forward by the gap, a repeated one takes its first
  // occurrence.
  absl::Duration fraction = start - absl::FromUnixSeconds(absl::ToUnixSeconds(start));
  return absl::FromCivil(target, zone_) + fraction;
}

absl::Time BusinessCalendar::DueAt(absl::Time opened, const Deadline& deadline) const {
  if (deadline.unit == Deadline::Unit::kHours) return opened + absl::Hours(deadline.amount);
  return AddBusinessDays(opened, deadline.amount);
}

}  // namespace rend::process
