#include "services/process/business_calendar.h"

#include "gtest/gtest.h"

namespace rend::process {
namespace {

class BusinessCalendarTest : public ::testing::Test {
 protected:
  void SetUp() override { calendar_ = std::make_unique<BusinessCalendar>(BusinessCalendar::Budapest().value()); }

  absl::Time Local(int year, int month, int day, int hour, int minute = 0) const {
    return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), calendar_->zone());
  }

  std::unique_ptr<BusinessCalendar> calendar_;
};

TEST_F(BusinessCalendarTest, AddsBusinessDaysKeepingLocalTime) {
  struct Case {
    const char* name;
    absl::Time start;
    int days;
    absl::Time expected;
  } cases[] = {
      {"Friday 15:00 + 1 is Monday 15:00", Local(2025, 1, 10, 15), 1, Local(2025, 1, 13, 15)},
      {"Wednesday 09:30 + 2 is Friday 09:30", Local(2025, 1, 8, 9, 30), 2, Local(2025, 1, 10, 9, 30)},
      {"Thursday 08:00 + 3 is Tuesday 08:00", Local(2025, 1, 9, 8), 3, Local(2025, 1, 14, 8)},
      {"Monday 12:00 + 10 is Monday 12:00 two weeks on", Local(2025, 1, 6, 12), 10, Local(2025, 1, 20, 12)},
      {"Saturday 10:00 + 1 is Monday 10:00", Local(2025, 1, 11, 10), 1, Local(2025, 1, 13, 10)},
      {"Sunday 23:00 + 1 is Monday 23:00", Local(2025, 1, 12, 23), 1, Local(2025, 1, 13, 23)},
      {"zero days is the start", Local(2025, 1, 10, 15), 0, Local(2025, 1, 10, 15)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(calendar_->AddBusinessDays(c.start, c.days), c.expected);
  }
}

TEST_F(BusinessCalendarTest, FridayToMondayAsUtc) {
  // 2025-01-10 15:00 CET is 14:00 UTC.
  absl::Time friday = absl::FromCivil(absl::CivilSecond(2025, 1, 10, 14, 0, 0), absl::UTCTimeZone());
  absl::Time monday = absl::FromCivil(absl::CivilSecond(2025, 1, 13, 14, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(calendar_->DueAt(friday, {Deadline::Unit::kBusinessDays, 1}), monday);
}

TEST_F(BusinessCalendarTest, KeepsLocalTimeAcrossDaylightSavingStart) {
  // Summer time starts on Sunday 2025-03-30: Friday 15:00 CET is 14:00 UTC,
  // Monday 15:00 CEST is 13:00 UTC.
  absl::Time friday = absl::FromCivil(absl::CivilSecond(2025, 3, 28, 14, 0, 0), absl::UTCTimeZone());
  absl::Time monday = absl::FromCivil(absl::CivilSecond(2025, 3, 31, 13, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(calendar_->AddBusinessDays(friday, 1), monday);
}

TEST_F(BusinessCalendarTest, HoursAreElapsedTime) {
  EXPECT_EQ(calendar_->DueAt(Local(2025, 1, 10, 22), {Deadline::Unit::kHours, 4}), Local(2025, 1, 11, 2));
  // Summer time ends on Sunday 2025-10-26 at 03:00 CEST; four hours from
  // 01:00 CEST (23:00 UTC) is 03:00 UTC, which is 04:00 CET.
  absl::Time start = absl::FromCivil(absl::CivilSecond(2025, 10, 25, 23, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(calendar_->DueAt(start, {Deadline::Unit::kHours, 4}), Local(2025, 10, 26, 4));
}

TEST_F(BusinessCalendarTest, WeekendsAreNotBusinessDays) {
  EXPECT_TRUE(calendar_->IsBusinessDay(absl::CivilDay(2025, 1, 10)));   // Friday
  EXPECT_FALSE(calendar_->IsBusinessDay(absl::CivilDay(2025, 1, 11)));  // Saturday
  EXPECT_FALSE(calendar_->IsBusinessDay(absl::CivilDay(2025, 1, 12)));  // Sunday
  EXPECT_TRUE(calendar_->IsBusinessDay(absl::CivilDay(2025, 1, 13)));   // Monday
}

}  // namespace
}  // namespace rend::process
