#include "libs/calendar/hungarian_holidays.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace rend::calendar {
namespace {

std::string Format(absl::CivilDay day) { return absl::FormatCivilTime(day); }

TEST(EasterSundayTest, KnownYears) {
  const struct {
    int year;
    absl::CivilDay easter;
  } cases[] = {
      {2000, absl::CivilDay(2000, 4, 23)}, {2008, absl::CivilDay(2008, 3, 23)},
      {2011, absl::CivilDay(2011, 4, 24)}, {2019, absl::CivilDay(2019, 4, 21)},
      {2024, absl::CivilDay(2024, 3, 31)}, {2025, absl::CivilDay(2025, 4, 20)},
      {2026, absl::CivilDay(2026, 4, 5)},  {2027, absl::CivilDay(2027, 3, 28)},
      {2038, absl::CivilDay(2038, 4, 25)},  // latest possible date
      {2285, absl::CivilDay(2285, 3, 22)},  // earliest possible date
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.year);
    EXPECT_EQ(Format(EasterSunday(c.year)), Format(c.easter));
  }
}

TEST(PublicHolidaysTest, MovableFeastsPerYear) {
  const struct {
    int year;
    absl::CivilDay good_friday;
    absl::CivilDay easter_monday;
    absl::CivilDay whit_monday;
  } cases[] = {
      {2017, absl::CivilDay(2017, 4, 14), absl::CivilDay(2017, 4, 17), absl::CivilDay(2017, 6, 5)},
      {2024, absl::CivilDay(2024, 3, 29), absl::CivilDay(2024, 4, 1), absl::CivilDay(2024, 5, 20)},
      {2025, absl::CivilDay(2025, 4, 18), absl::CivilDay(2025, 4, 21), absl::CivilDay(2025, 6, 9)},
      {2026, absl::CivilDay(2026, 4, 3), absl::CivilDay(2026, 4, 6), absl::CivilDay(2026, 5, 25)},
      {2027, absl::CivilDay(2027, 3, 26), absl::CivilDay(2027, 3, 29), absl::CivilDay(2027, 5, 17)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.year);
    for (absl::CivilDay day : {c.good_friday, c.easter_monday, c.whit_monday}) {
      SCOPED_TRACE(Format(day));
      absl::StatusOr<bool> holiday = IsPublicHoliday(day);
      ASSERT_TRUE(holiday.ok()) << holiday.status();
      EXPECT_TRUE(*holiday);
    }
    EXPECT_EQ(absl::GetWeekday(c.good_friday), absl::Weekday::friday);
    EXPECT_EQ(absl::GetWeekday(c.easter_monday), absl::Weekday::monday);
    EXPECT_EQ(absl::GetWeekday(c.whit_monday), absl::Weekday::monday);
  }
}

TEST(PublicHolidaysTest, FullListOf2025InOrder) {
  absl::StatusOr<std::vector<PublicHoliday>> holidays = PublicHolidays(2025);
  ASSERT_TRUE(holidays.ok()) << holidays.status();

  std::vector<std::string> days;
  for (const PublicHoliday& holiday : *holidays) days.push_back(Format(holiday.day));
  EXPECT_EQ(days, (std::vector<std::string>{"2025-01-01", "2025-03-15", "2025-04-18", "2025-04-20", "2025-04-21",
                                            "2025-05-01", "2025-06-08", "2025-06-09", "2025-08-20", "2025-10-23",
                                            "2025-11-01", "2025-12-25", "2025-12-26"}));
  EXPECT_EQ((*holidays)[4].name, "húsvéthétfő");
}

TEST(PublicHolidaysTest, ChristmasEveIsNoHoliday) {
  for (int year : {2024, 2025, 2026}) {
    SCOPED_TRACE(year);
    absl::StatusOr<bool> holiday = IsPublicHoliday(absl::CivilDay(year, 12, 24));
    ASSERT_TRUE(holiday.ok()) << holiday.status();
    EXPECT_FALSE(*holiday);
  }
}

TEST(PublicHolidaysTest, OrdinaryDayIsNoHoliday) {
  absl::StatusOr<bool> holiday = IsPublicHoliday(absl::CivilDay(2025, 4, 22));
  ASSERT_TRUE(holiday.ok()) << holiday.status();
  EXPECT_FALSE(*holiday);
}

TEST(PublicHolidaysTest, YearOutsideRangeRejected) {
  for (int year : {kFirstSupportedYear - 1, kLastSupportedYear + 1}) {
    SCOPED_TRACE(year);
    absl::StatusOr<std::vector<PublicHoliday>> holidays = PublicHolidays(year);
    EXPECT_EQ(holidays.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(holidays.status().message().find(std::to_string(year)), absl::string_view::npos);
  }
}

}  // namespace
}  // namespace rend::calendar
