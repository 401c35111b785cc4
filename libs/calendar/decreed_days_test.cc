#include "libs/calendar/decreed_days.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace rend::calendar {
namespace {

using ::testing::HasSubstr;

constexpr char kValid2025[] = R"(year: 2025
decree: "11/2024. (IV. 8.) NGM rendelet"
rest_days:
  - 2025-05-02
  - 2025-10-24
  - 2025-12-24
working_days: [2025-05-17, 2025-10-18, 2025-12-13]
)";

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream file(path);
  file << text;
}

TEST(ParseDecreedDaysTest, ParsesAllFields) {
  absl::StatusOr<DecreedDays> days = ParseDecreedDays(kValid2025, "hu-2025.yaml");
  ASSERT_TRUE(days.ok()) << days.status();

  EXPECT_EQ(days->year, 2025);
  EXPECT_EQ(days->decree, "11/2024. (IV. 8.) NGM rendelet");
  EXPECT_EQ(days->rest_days, (std::vector<absl::CivilDay>{absl::CivilDay(2025, 5, 2), absl::CivilDay(2025, 10, 24),
                                                           absl::CivilDay(2025, 12, 24)}));
  EXPECT_EQ(days->working_days, (std::vector<absl::CivilDay>{absl::CivilDay(2025, 5, 17),
                                                              absl::CivilDay(2025, 10, 18),
                                                              absl::CivilDay(2025, 12, 13)}));
}

TEST(ParseDecreedDaysTest, AcceptsEmptyLists) {
  absl::StatusOr<DecreedDays> days =
      ParseDecreedDays("year: 2023\ndecree: \"no transfers\"\nrest_days: []\nworking_days: []\n", "hu-2023.yaml");
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_TRUE(days->rest_days.empty());
  EXPECT_TRUE(days->working_days.empty());
}

TEST(ParseDecreedDaysTest, RejectsMalformedData) {
  const std::string header = "year: 2025\ndecree: \"test decree\"\n";
  const struct {
    const char* name;
    std::string text;
    const char* message;
  } cases[] = {
      {"impossible date", header + "rest_days:\n  - 2025-13-01\nworking_days: []\n",
       "hu-2025.yaml:4: rest_days[0]: invalid date \"2025-13-01\", expected YYYY-MM-DD"},
      {"day past month end", header + "rest_days: []\nworking_days:\n  - 2025-02-29\n",
       "hu-2025.yaml:5: working_days[0]: invalid date \"2025-02-29\""},
      {"date without zero padding", header + "rest_days: [2025-5-2]\nworking_days: []\n",
       "hu-2025.yaml:3: rest_days[0]: invalid date \"2025-5-2\""},
      {"rest day on a Saturday", header + "rest_days:\n  - 2025-05-02\n  - 2025-05-03\nworking_days: []\n",
       "hu-2025.yaml:5: rest_days[1]: 2025-05-03 is a Saturday, but a rest day must be a Monday to Friday"},
      {"working day on a weekday", header + "rest_days: []\nworking_days:\n  - 2025-05-14\n",
       "hu-2025.yaml:5: working_days[0]: 2025-05-14 is a Wednesday, but a working day must be a Saturday or Sunday"},
      {"rest day on a holiday", header + "rest_days:\n  - 2025-05-01\nworking_days: []\n",
       "hu-2025.yaml:4: rest_days[0]: 2025-05-01 is a public holiday"},
      {"date in another year", header + "rest_days:\n  - 2026-01-02\nworking_days: []\n",
       "hu-2025.yaml:4: rest_days[0]: 2026-01-02 is not in year 2025"},
      {"duplicate date", header + "rest_days: []\nworking_days:\n  - 2025-05-17\n  - 2025-05-17\n",
       "hu-2025.yaml:6: working_days[1]: 2025-05-17 is listed twice"},
      {"misspelled key", header + "rest_day: []\nworking_days: []\n", "hu-2025.yaml:3: unknown key \"rest_day\""},
      {"missing list", header + "rest_days: []\n", "hu-2025.yaml: working_days: missing or not a list"},
      {"list is a scalar", header + "rest_days: 2025-05-02\nworking_days: []\n",
       "hu-2025.yaml:3: rest_days: missing or not a list"},
      {"missing decree", "year: 2025\nrest_days: []\nworking_days: []\n", "hu-2025.yaml: decree: missing or empty"},
      {"year not a number", "year: twenty\ndecree: x\nrest_days: []\nworking_days: []\n",
       "hu-2025.yaml:1: year: missing or not an integer"},
      {"year before Good Friday rule", "year: 2016\ndecree: x\nrest_days: []\nworking_days: []\n",
       "hu-2025.yaml:1: year: year 2016 is outside 2017..2199"},
      {"broken YAML", header + "rest_days: [2025-05-02\nworking_days: []\n", "hu-2025.yaml:4: invalid YAML: "},
      {"top level list", "- 2025-05-02\n", "hu-2025.yaml:1: expected a mapping"},
      {"empty file", "", "hu-2025.yaml: expected a mapping"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    absl::StatusOr<DecreedDays> days = ParseDecreedDays(c.text, "hu-2025.yaml");
    EXPECT_EQ(days.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(days.status().message()), HasSubstr(c.message));
  }
}

TEST(ValidateDecreedDaysTest, NamesTheBadEntry) {
  DecreedDays days{2025, "test decree", {absl::CivilDay(2025, 5, 2), absl::CivilDay(2025, 12, 25)}, {}};
  absl::Status status = ValidateDecreedDays(days);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "year 2025: rest_days[1]: 2025-12-25 is a public holiday");
}

TEST(LoadDecreedDaysDirectoryTest, LoadsFilesSortedByYear) {
  rend::testing::TempDir dir;
  WriteFile(dir.Sub("hu-2025.yaml"), kValid2025);
  WriteFile(dir.Sub("hu-2023.yaml"), "year: 2023\ndecree: x\nrest_days: []\nworking_days: []\n");
  WriteFile(dir.Sub("README.md"), "not calendar data\n");

  absl::StatusOr<std::vector<DecreedDays>> years = LoadDecreedDaysDirectory(dir.path());
  ASSERT_TRUE(years.ok()) << years.status();
  ASSERT_EQ(years->size(), 2u);
  EXPECT_EQ((*years)[0].year, 2023);
  EXPECT_EQ((*years)[1].year, 2025);
}

TEST(LoadDecreedDaysDirectoryTest, MalformedFileNamesFileAndLine) {
  rend::testing::TempDir dir;
  WriteFile(dir.Sub("hu-2025.yaml"), "year: 2025\ndecree: x\nrest_days:\n  - 2025-05-03\nworking_days: []\n");

  absl::StatusOr<std::vector<DecreedDays>> years = LoadDecreedDaysDirectory(dir.path());
  EXPECT_EQ(years.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(years.status().message()),
              HasSubstr(absl::StrCat(dir.Sub("hu-2025.yaml"), ":4: rest_days[0]: 2025-05-03 is a Saturday")));
}

TEST(LoadDecreedDaysDirectoryTest, YearMustMatchFileName) {
  rend::testing::TempDir dir;
  WriteFile(dir.Sub("hu-2026.yaml"), kValid2025);

  absl::StatusOr<std::vector<DecreedDays>> years = LoadDecreedDaysDirectory(dir.path());
  EXPECT_EQ(years.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(years.status().message()), HasSubstr("hu-2026.yaml: year 2025 does not match the file name"));
}

TEST(LoadDecreedDaysDirectoryTest, RejectsOtherYamlFileNames) {
  rend::testing::TempDir dir;
  WriteFile(dir.Sub("2025.yaml"), kValid2025);

  absl::StatusOr<std::vector<DecreedDays>> years = LoadDecreedDaysDirectory(dir.path());
  EXPECT_EQ(years.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(years.status().message()), HasSubstr("2025.yaml: calendar data files must be named hu-YYYY.yaml"));
}

TEST(LoadDecreedDaysDirectoryTest, MissingDirectoryIsNotFound) {
  rend::testing::TempDir dir;
  absl::StatusOr<std::vector<DecreedDays>> years = LoadDecreedDaysDirectory(dir.Sub("absent"));
  EXPECT_EQ(years.status().code(), absl::StatusCode::kNotFound);
}

TEST(LoadDecreedDaysDirectoryTest, ShippedDataMatchesDecrees) {
  absl::StatusOr<std::vector<DecreedDays>> years = LoadDecreedDaysDirectory(REND_CALENDAR_DATA_DIR);
  ASSERT_TRUE(years.ok()) << years.status();

  const struct {
    int year;
    std::vector<absl::CivilDay> rest_days;
    std::vector<absl::CivilDay> working_days;
  } decrees[] = {
      {2024,
       {absl::CivilDay(2024, 8, 19), absl::CivilDay(2024, 12, 24), absl::CivilDay(2024, 12, 27)},
       {absl::CivilDay(2024, 8, 3), absl::CivilDay(2024, 12, 7), absl::CivilDay(2024, 12, 14)}},
      {2025,
       {absl::CivilDay(2025, 5, 2), absl::CivilDay(2025, 10, 24), absl::CivilDay(2025, 12, 24)},
       {absl::CivilDay(2025, 5, 17), absl::CivilDay(2025, 10, 18), absl::CivilDay(2025, 12, 13)}},
      {2026,
       {absl::CivilDay(2026, 1, 2), absl::CivilDay(2026, 8, 21), absl::CivilDay(2026, 12, 24)},
       {absl::CivilDay(2026, 1, 10), absl::CivilDay(2026, 8, 8), absl::CivilDay(2026, 12, 12)}},
  };
  for (const auto& decree : decrees) {
    SCOPED_TRACE(decree.year);
    auto it = std::find_if(years->begin(), years->end(),
                           [&](const DecreedDays& days) { return days.year == decree.year; });
    ASSERT_NE(it, years->end());
    EXPECT_EQ(it->rest_days, decree.rest_days);
    EXPECT_EQ(it->working_days, decree.working_days);
  }
}

}  // namespace
}  // namespace rend::calendar
