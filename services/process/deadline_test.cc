#include "services/process/deadline.h"

#include <memory>

#include "gtest/gtest.h"

namespace rend::process {
namespace {

class DeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<calendar::BusinessCalendar> loaded =
        calendar::BusinessCalendar::Load(REND_SOURCE_DIR "/deploy/config/calendar");
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    calendar_ = std::make_unique<calendar::BusinessCalendar>(*std::move(loaded));
  }

  absl::Time Local(int year, int month, int day, int hour, int minute = 0) const {
    return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), calendar_->time_zone());
  }
  static absl::Time Utc(int year, int month, int day, int hour, int minute = 0) {
    return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), absl::UTCTimeZone());
  }

  std::unique_ptr<calendar::BusinessCalendar> calendar_;
};

struct Case {
  const char* name;
  absl::Time opened;
  Deadline deadline;
  absl::Time expected;
};

TEST_F(DeadlineTest, DueTimesOnTheHungarianCalendar) {
  using Unit = Deadline::Unit;
  const Case cases[] = {
      // Good Friday 2025-04-18, the weekend and Easter Monday 2025-04-21.
      {"easter monday, business days", Local(2025, 4, 17, 10), {Unit::kBusinessDays, 1}, Local(2025, 4, 22, 10)},
      {"easter monday, business hours", Local(2025, 4, 17, 14), {Unit::kBusinessHours, 4}, Local(2025, 4, 22, 10)},
      // Saturday 2025-05-17 is a decreed working day.
      {"decreed working saturday", Local(2025, 5, 16, 10), {Unit::kBusinessDays, 1}, Local(2025, 5, 17, 10)},
      {"decreed working saturday, hours", Local(2025, 5, 16, 15), {Unit::kBusinessHours, 2}, Local(2025, 5, 17, 9)},
      // May 1 is a public holiday and Friday 2025-05-02 a decreed rest day.
      {"decreed rest day", Local(2025, 4, 30, 10), {Unit::kBusinessDays, 1}, Local(2025, 5, 5, 10)},
      // December 24 (rest day), 25 and 26 (holidays), then the weekend.
      {"last week of december", Local(2025, 12, 23, 14), {Unit::kBusinessDays, 2}, Local(2025, 12, 30, 14)},
      {"last week of december, hours", Local(2025, 12, 23, 15), {Unit::kBusinessHours, 3}, Local(2025, 12, 29, 10)},
      // January 1 holiday, 2026-01-02 decreed rest day, then the weekend.
      {"into the new year", Local(2025, 12, 31, 10), {Unit::kBusinessDays, 1}, Local(2026, 1, 5, 10)},
      // Clocks go forward on 2025-03-30: CET (UTC+1) before, CEST (UTC+2) after.
      {"march change, elapsed", Local(2025, 3, 29, 12), {Unit::kHours, 24}, Utc(2025, 3, 30, 11)},
      {"march change, business days", Local(2025, 3, 28, 15), {Unit::kBusinessDays, 1}, Utc(2025, 3, 31, 13)},
      {"march change, business hours", Local(2025, 3, 28, 14), {Unit::kBusinessHours, 4}, Utc(2025, 3, 31, 8)},
      // Clocks go back on 2025-10-26. October 23 is a holiday and the 24th a rest day.
      {"october change, elapsed", Local(2025, 10, 25, 12), {Unit::kHours, 24}, Utc(2025, 10, 26, 10)},
      {"october change, business days", Local(2025, 10, 22, 15), {Unit::kBusinessDays, 1}, Utc(2025, 10, 27, 14)},
      {"october change, business hours", Local(2025, 10, 22, 15), {Unit::kBusinessHours, 2}, Utc(2025, 10, 27, 8)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<absl::Time> due = DueAt(*calendar_, c.opened, c.deadline);
    ASSERT_TRUE(due.ok()) << due.status();
    EXPECT_EQ(*due, c.expected) << absl::FormatTime(*due, calendar_->time_zone());
  }
}

TEST_F(DeadlineTest, YearWithoutDataIsFailedPrecondition) {
  absl::StatusOr<absl::Time> due = DueAt(*calendar_, Local(2026, 12, 30, 10), {Deadline::Unit::kBusinessDays, 5});
  EXPECT_EQ(due.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(due.status().message().find("2027"), absl::string_view::npos) << due.status();
}

TEST_F(DeadlineTest, ProcessCalendarExtendsToNextYear) {
  absl::StatusOr<calendar::BusinessCalendar> extended =
      LoadProcessCalendar(REND_SOURCE_DIR "/deploy/config/calendar", Local(2026, 12, 4, 10));
  ASSERT_TRUE(extended.ok()) << extended.status();
  EXPECT_EQ(extended->years().back(), 2027);
  // December 24 (rest day), 25 and 26, the weekend, then 28-31 (four days),
  // January 1 2027 (holiday) and the weekend: the fifth day is Monday the 4th.
  absl::StatusOr<absl::Time> due = DueAt(*extended, Local(2026, 12, 23, 10), {Deadline::Unit::kBusinessDays, 5});
  ASSERT_TRUE(due.ok()) << due.status();
  EXPECT_EQ(*due, Local(2027, 1, 4, 10));
}

TEST_F(DeadlineTest, ProcessCalendarRequiresDirectory) {
  absl::StatusOr<calendar::BusinessCalendar> missing = LoadProcessCalendar("/nonexistent/calendar", absl::Now());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound) << missing.status();
}

TEST_F(DeadlineTest, EndOfLocalDayIsNextMidnight) {
  EXPECT_EQ(EndOfLocalDay(*calendar_, absl::CivilDay(2025, 3, 5)), Utc(2025, 3, 5, 23));
  EXPECT_EQ(EndOfLocalDay(*calendar_, absl::CivilDay(2025, 7, 5)), Utc(2025, 7, 5, 22));
}

}  // namespace
}  // namespace rend::process
