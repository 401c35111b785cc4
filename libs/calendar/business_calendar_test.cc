#include "libs/calendar/business_calendar.h"

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace rend::calendar {
namespace {

using ::testing::HasSubstr;

absl::TimeZone Budapest() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(kTimeZoneName, &zone));
  return zone;
}

// Returns the instant of a Europe/Budapest wall-clock time.
absl::Time Local(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), Budapest());
}

absl::Time Utc(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), absl::UTCTimeZone());
}

std::string FormatUtc(absl::Time time) { return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", time, absl::UTCTimeZone()); }

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream file(path);
  file << text;
}

std::string EmptyYear(int year) {
  return absl::StrCat("year: ", year, "\ndecree: \"test data\"\nrest_days: []\nworking_days: []\n");
}

class BusinessCalendarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Load(REND_CALENDAR_DATA_DIR);
    ASSERT_TRUE(calendar.ok()) << calendar.status();
    calendar_ = std::make_unique<BusinessCalendar>(*std::move(calendar));
  }

  std::unique_ptr<BusinessCalendar> calendar_;
};

TEST_F(BusinessCalendarTest, ClassifiesDays) {
  const struct {
    absl::CivilDay day;
    DayKind kind;
  } cases[] = {
      {absl::CivilDay(2025, 3, 14), DayKind::kWorkingDay},
      {absl::CivilDay(2025, 3, 15), DayKind::kPublicHoliday},  // a Saturday anyway
      {absl::CivilDay(2025, 3, 16), DayKind::kWeekend},
      {absl::CivilDay(2024, 3, 29), DayKind::kPublicHoliday},  // Good Friday
      {absl::CivilDay(2024, 4, 1), DayKind::kPublicHoliday},   // Easter Monday
      {absl::CivilDay(2025, 4, 18), DayKind::kPublicHoliday},  // Good Friday
      {absl::CivilDay(2025, 4, 21), DayKind::kPublicHoliday},  // Easter Monday
      {absl::CivilDay(2026, 4, 3), DayKind::kPublicHoliday},   // Good Friday
      {absl::CivilDay(2026, 4, 6), DayKind::kPublicHoliday},   // Easter Monday
      {absl::CivilDay(2024, 5, 20), DayKind::kPublicHoliday},  // Whit Monday
      {absl::CivilDay(2025, 6, 9), DayKind::kPublicHoliday},   // Whit Monday
      {absl::CivilDay(2026, 5, 25), DayKind::kPublicHoliday},  // Whit Monday
      {absl::CivilDay(2025, 6, 10), DayKind::kWorkingDay},
      {absl::CivilDay(2025, 5, 2), DayKind::kDecreedRestDay},
      {absl::CivilDay(2025, 5, 17), DayKind::kDecreedWorkingDay},  // Saturday
      {absl::CivilDay(2024, 8, 19), DayKind::kDecreedRestDay},
      {absl::CivilDay(2024, 8, 3), DayKind::kDecreedWorkingDay},
      {absl::CivilDay(2026, 1, 2), DayKind::kDecreedRestDay},
      {absl::CivilDay(2026, 1, 10), DayKind::kDecreedWorkingDay},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::FormatCivilTime(c.day));
    absl::StatusOr<DayKind> kind = calendar_->Classify(c.day);
    ASSERT_TRUE(kind.ok()) << kind.status();
    EXPECT_EQ(*kind, c.kind);
  }
}

TEST_F(BusinessCalendarTest, LastWeekOfDecember) {
  // Per the decrees, December 24 is a rest day in all three years and 2024
  // also makes December 27 one; December 25-26 are public holidays.
  const struct {
    int year;
    std::vector<int> working;  // December 20..31 that are working days
  } cases[] = {
      {2024, {20, 23, 30, 31}},
      {2025, {22, 23, 29, 30, 31}},
      {2026, {21, 22, 23, 28, 29, 30, 31}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.year);
    std::vector<int> working;
    for (int day = 20; day <= 31; ++day) {
      absl::StatusOr<bool> is_working = calendar_->IsWorkingDay(absl::CivilDay(c.year, 12, day));
      ASSERT_TRUE(is_working.ok()) << is_working.status();
      if (*is_working) working.push_back(day);
    }
    EXPECT_EQ(working, c.working);
  }
}

TEST_F(BusinessCalendarTest, AddBusinessDays) {
  const struct {
    const char* name;
    absl::Time start;
    int days;
    absl::Time expected;
  } cases[] = {
      // Friday 15:00 CET + 1 is Monday 15:00 CEST: 13:00 UTC, not 14:00.
      {"across the March change", Local(2025, 3, 28, 15), 1, Utc(2025, 3, 31, 13)},
      // October 23 holiday, October 24 rest day, then the October change.
      {"across the October change", Local(2025, 10, 22, 15), 1, Utc(2025, 10, 27, 14)},
      {"backward across the March change", Local(2025, 3, 31, 15), -1, Utc(2025, 3, 28, 14)},
      {"over a weekend", Local(2025, 3, 7, 10), 1, Utc(2025, 3, 10, 9)},
      {"from a Saturday", Local(2025, 3, 8, 10), 1, Utc(2025, 3, 10, 9)},
      {"onto a decreed working Saturday", Local(2025, 5, 16, 15), 1, Utc(2025, 5, 17, 13)},
      {"over May 1 and a decreed rest day", Local(2025, 4, 30, 10), 1, Utc(2025, 5, 5, 8)},
      {"over Easter", Local(2025, 4, 17, 9), 1, Utc(2025, 4, 22, 7)},
      {"over Whit Monday", Local(2025, 6, 6, 9), 1, Utc(2025, 6, 10, 7)},
      {"over Christmas 2024", Local(2024, 12, 23, 12), 1, Utc(2024, 12, 30, 11)},
      {"over Christmas 2025", Local(2025, 12, 23, 12), 1, Utc(2025, 12, 29, 11)},
      {"into the next year", Local(2025, 12, 31, 10), 2, Utc(2026, 1, 6, 9)},
      {"ten days", Local(2025, 4, 14, 8, 30), 10, Utc(2025, 4, 30, 6, 30)},
      {"zero days", Local(2025, 3, 8, 10), 0, Utc(2025, 3, 8, 9)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<absl::Time> result = calendar_->AddBusinessDays(c.start, c.days);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(FormatUtc(*result), FormatUtc(c.expected));
  }
}

TEST_F(BusinessCalendarTest, AddBusinessDaysKeepsSubseconds) {
  absl::Time start = Local(2025, 3, 28, 15) + absl::Milliseconds(250);
  absl::StatusOr<absl::Time> result = calendar_->AddBusinessDays(start, 1);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, Utc(2025, 3, 31, 13) + absl::Milliseconds(250));
}

TEST_F(BusinessCalendarTest, AddBusinessHours) {
  const struct {
    const char* name;
    absl::Time start;
    absl::Duration duration;
    absl::Time expected;
  } cases[] = {
      {"within one day", Local(2025, 3, 10, 9), absl::Hours(3), Utc(2025, 3, 10, 11)},
      {"before the window", Local(2025, 3, 10, 7), absl::Hours(1), Utc(2025, 3, 10, 8)},
      {"ends at the window end", Local(2025, 3, 10, 8), absl::Hours(8), Utc(2025, 3, 10, 15)},
      {"after the window", Local(2025, 3, 10, 17), absl::Minutes(30), Utc(2025, 3, 11, 7, 30)},
      {"over a weekend", Local(2025, 3, 7, 14), absl::Hours(4), Utc(2025, 3, 10, 9)},
      {"over Easter", Local(2025, 4, 17, 15), absl::Hours(3), Utc(2025, 4, 22, 8)},
      {"across the March change", Local(2025, 3, 28, 14), absl::Hours(4), Utc(2025, 3, 31, 8)},
      {"across the October change", Local(2025, 10, 22, 15), absl::Hours(2), Utc(2025, 10, 27, 8)},
      {"into a decreed working Saturday", Local(2025, 5, 16, 8), absl::Hours(16), Utc(2025, 5, 17, 14)},
      {"over Christmas 2025", Local(2025, 12, 23, 15), absl::Hours(2), Utc(2025, 12, 29, 8)},
      {"three working days", Local(2025, 3, 10, 12), absl::Hours(24), Utc(2025, 3, 13, 11)},
      {"zero", Local(2025, 3, 8, 10), absl::ZeroDuration(), Utc(2025, 3, 8, 9)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<absl::Time> result = calendar_->AddBusinessHours(c.start, c.duration);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(FormatUtc(*result), FormatUtc(c.expected));
  }
}

TEST_F(BusinessCalendarTest, AddBusinessHoursRejectsNegative) {
  absl::StatusOr<absl::Time> result = calendar_->AddBusinessHours(Local(2025, 3, 10, 9), absl::Hours(-1));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BusinessCalendarTest, AddElapsedIgnoresCalendar) {
  // 24 hours from Saturday noon CET is Sunday 13:00 CEST, and from Saturday
  // noon CEST is Sunday 11:00 CET.
  absl::StatusOr<absl::Time> spring = calendar_->AddElapsed(Local(2025, 3, 29, 12), absl::Hours(24));
  ASSERT_TRUE(spring.ok()) << spring.status();
  EXPECT_EQ(FormatUtc(*spring), FormatUtc(Local(2025, 3, 30, 13)));

  absl::StatusOr<absl::Time> autumn = calendar_->AddElapsed(Local(2025, 10, 25, 12), absl::Hours(24));
  ASSERT_TRUE(autumn.ok()) << autumn.status();
  EXPECT_EQ(FormatUtc(*autumn), FormatUtc(Local(2025, 10, 26, 11)));

  absl::StatusOr<absl::Time> negative = calendar_->AddElapsed(Local(2025, 10, 25, 12), absl::Hours(-1));
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BusinessCalendarTest, BusinessDaysBetween) {
  const struct {
    const char* name;
    absl::CivilDay from;
    absl::CivilDay to;
    int expected;
  } cases[] = {
      {"same day", absl::CivilDay(2025, 3, 10), absl::CivilDay(2025, 3, 10), 0},
      {"end of December 2024", absl::CivilDay(2024, 12, 20), absl::CivilDay(2024, 12, 31), 3},
      {"end of December 2025", absl::CivilDay(2025, 12, 20), absl::CivilDay(2025, 12, 31), 5},
      {"Easter 2025", absl::CivilDay(2025, 4, 17), absl::CivilDay(2025, 4, 22), 1},
      {"decreed working Saturday", absl::CivilDay(2025, 5, 16), absl::CivilDay(2025, 5, 19), 2},
      {"backward", absl::CivilDay(2025, 5, 19), absl::CivilDay(2025, 5, 16), -2},
      {"January 2026", absl::CivilDay(2025, 12, 31), absl::CivilDay(2026, 1, 31), 21},
      // 261 weekdays - 9 holidays on weekdays - 3 rest days + 3 working Saturdays.
      {"year 2025", absl::CivilDay(2024, 12, 31), absl::CivilDay(2025, 12, 31), 252},
      {"year 2026", absl::CivilDay(2025, 12, 31), absl::CivilDay(2026, 12, 31), 253},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<int> count = calendar_->BusinessDaysBetween(c.from, c.to);
    ASSERT_TRUE(count.ok()) << count.status();
    EXPECT_EQ(*count, c.expected);
  }
}

TEST_F(BusinessCalendarTest, BusinessDaysBetweenUsesLocalDays) {
  // Friday 23:30 CET and Monday 00:30 CEST are Friday 22:30 and Sunday
  // 22:30 UTC. Counting uses the local days, Friday and Monday, so 1, not 0.
  absl::StatusOr<int> count = calendar_->BusinessDaysBetween(Local(2025, 3, 28, 23, 30), Local(2025, 3, 31, 0, 30));
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 1);
}

TEST_F(BusinessCalendarTest, BetweenInvertsAddBusinessDays) {
  const absl::Time starts[] = {Local(2024, 12, 20, 9), Local(2025, 3, 28, 15), Local(2025, 4, 30, 10),
                               Local(2025, 10, 18, 8), Local(2025, 12, 31, 23, 59)};
  for (absl::Time start : starts) {
    for (int days = -15; days <= 15; ++days) {
      SCOPED_TRACE(absl::StrCat(FormatUtc(start), " + ", days));
      absl::StatusOr<absl::Time> end = calendar_->AddBusinessDays(start, days);
      ASSERT_TRUE(end.ok()) << end.status();
      absl::StatusOr<int> count = calendar_->BusinessDaysBetween(start, *end);
      ASSERT_TRUE(count.ok()) << count.status();
      EXPECT_EQ(*count, days);
    }
  }
}

TEST_F(BusinessCalendarTest, YearWithoutDataIsFailedPrecondition) {
  const absl::CivilDay day(2199, 1, 5);
  absl::StatusOr<bool> working = calendar_->IsWorkingDay(day);
  EXPECT_EQ(working.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(working.status().message()), HasSubstr("no business calendar data for year 2199"));
}

TEST(BusinessCalendarDataTest, MissingYearNamedByEveryQuery) {
  rend::testing::TempDir dir;
  WriteFile(dir.Sub("hu-2025.yaml"), EmptyYear(2025));
  absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Load(dir.path());
  ASSERT_TRUE(calendar.ok()) << calendar.status();

  const absl::Status statuses[] = {
      calendar->IsWorkingDay(absl::CivilDay(2027, 3, 29)).status(),
      calendar->AddBusinessDays(Local(2025, 12, 31, 10), 1).status(),
      calendar->AddBusinessHours(Local(2025, 12, 31, 15), absl::Hours(2)).status(),
      calendar->BusinessDaysBetween(absl::CivilDay(2025, 12, 1), absl::CivilDay(2026, 1, 10)).status(),
  };
  const char* years[] = {"2027", "2026", "2026", "2026"};
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(statuses[i].code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(statuses[i].message()),
                HasSubstr(absl::StrCat("no business calendar data for year ", years[i], " (loaded years: 2025)")));
  }
}

TEST(BusinessCalendarDataTest, Easter2027FromTestData) {
  // No decree for 2027 is shipped; this test supplies a year without
  // decreed days. Easter Sunday 2027 is also the day of the March change.
  rend::testing::TempDir dir;
  WriteFile(dir.Sub("hu-2027.yaml"), EmptyYear(2027));
  absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Load(dir.path());
  ASSERT_TRUE(calendar.ok()) << calendar.status();

  EXPECT_EQ(*calendar->Classify(absl::CivilDay(2027, 3, 26)), DayKind::kPublicHoliday);
  EXPECT_EQ(*calendar->Classify(absl::CivilDay(2027, 3, 29)), DayKind::kPublicHoliday);
  EXPECT_EQ(*calendar->Classify(absl::CivilDay(2027, 5, 17)), DayKind::kPublicHoliday);
  absl::StatusOr<absl::Time> result = calendar->AddBusinessDays(Local(2027, 3, 25, 10), 1);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(FormatUtc(*result), FormatUtc(Utc(2027, 3, 30, 8)));
}

TEST(BusinessCalendarDataTest, MalformedFileRejectedOnLoad) {
  rend::testing::TempDir dir;
  WriteFile(dir.Sub("hu-2025.yaml"), "year: 2025\ndecree: x\nrest_days:\n  - 2025-13-01\nworking_days: []\n");

  absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Load(dir.path());
  EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(calendar.status().message()),
              HasSubstr(absl::StrCat(dir.Sub("hu-2025.yaml"), ":4: rest_days[0]: invalid date \"2025-13-01\"")));
}

TEST(BusinessCalendarDataTest, DuplicateYearRejected) {
  DecreedDays year{2025, "test data", {}, {}};
  absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Create({year, year});
  EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(calendar.status().message()), HasSubstr("year 2025 is given twice"));
}

TEST(BusinessCalendarDataTest, CustomWorkingHours) {
  WorkingHours hours{absl::Hours(9), absl::Hours(17) + absl::Minutes(30)};
  absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Create({{2025, "test data", {}, {}}}, hours);
  ASSERT_TRUE(calendar.ok()) << calendar.status();

  // Friday 17:00 + 1 hour: 30 minutes on Friday, 30 on Monday from 09:00 CET.
  absl::StatusOr<absl::Time> result = calendar->AddBusinessHours(Local(2025, 3, 7, 17), absl::Hours(1));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(FormatUtc(*result), FormatUtc(Utc(2025, 3, 10, 8, 30)));
}

TEST(BusinessCalendarDataTest, InvalidWorkingHoursRejected) {
  const WorkingHours cases[] = {
      {absl::Hours(16), absl::Hours(8)},
      {absl::Hours(8), absl::Hours(8)},
      {absl::Hours(-1), absl::Hours(8)},
      {absl::Hours(8), absl::Hours(25)},
      {absl::Hours(8) + absl::Milliseconds(1), absl::Hours(16)},
  };
  for (const WorkingHours& hours : cases) {
    SCOPED_TRACE(absl::StrCat(absl::FormatDuration(hours.start), "..", absl::FormatDuration(hours.end)));
    absl::StatusOr<BusinessCalendar> calendar = BusinessCalendar::Create({}, hours);
    EXPECT_EQ(calendar.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace rend::calendar
