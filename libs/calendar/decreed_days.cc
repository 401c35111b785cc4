#include "libs/calendar/decreed_days.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/calendar/hungarian_holidays.h"
#include "libs/common/status.h"
#include "yaml-cpp/yaml.h"

namespace rend::calendar {
namespace {

constexpr absl::string_view kRestDaysKey = "rest_days";
constexpr absl::string_view kWorkingDaysKey = "working_days";

const char* WeekdayName(absl::Weekday weekday) {
  switch (weekday) {
    case absl::Weekday::monday: return "Monday";
    case absl::Weekday::tuesday: return "Tuesday";
    case absl::Weekday::wednesday: return "Wednesday";
    case absl::Weekday::thursday: return "Thursday";
    case absl::Weekday::friday: return "Friday";
    case absl::Weekday::saturday: return "Saturday";
    case absl::Weekday::sunday: return "Sunday";
  }
  return "unknown weekday";
}

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

// Checks one entry of the list `key` against the rules in the header and
// against the entries already in `seen`. The message carries no location.
absl::Status CheckEntry(int year, absl::string_view key, absl::CivilDay day, std::set<absl::CivilDay>& seen) {
  const std::string date = absl::FormatCivilTime(day);
  if (day.year() != year) {
    return absl::InvalidArgumentError(absl::StrCat(date, " is not in year ", year));
  }
  REND_ASSIGN_OR_RETURN(bool holiday, IsPublicHoliday(day));
  if (holiday) return absl::InvalidArgumentError(absl::StrCat(date, " is a public holiday"));

  const bool rest_list = key == kRestDaysKey;
  if (rest_list && IsWeekend(day)) {
    return absl::InvalidArgumentError(absl::StrCat(date, " is a ", WeekdayName(absl::GetWeekday(day)),
                                                   ", but a rest day must be a Monday to Friday"));
  }
  if (!rest_list && !IsWeekend(day)) {
    return absl::InvalidArgumentError(absl::StrCat(date, " is a ", WeekdayName(absl::GetWeekday(day)),
                                                   ", but a working day must be a Saturday or Sunday"));
  }
  if (!seen.insert(day).second) return absl::InvalidArgumentError(absl::StrCat(date, " is listed twice"));
  return absl::OkStatus();
}

absl::Status CheckYear(int year) {
  if (year < kFirstSupportedYear || year > kLastSupportedYear) {
    return absl::InvalidArgumentError(
        absl::StrCat("year ", year, " is outside ", kFirstSupportedYear, "..", kLastSupportedYear));
  }
  return absl::OkStatus();
}

// Returns "<file_name>:<line>" for a node read from the file, or the file
// name alone for a missing node. yaml-cpp counts lines from 0.
std::string Location(absl::string_view file_name, const YAML::Node& node) {
  if (!node.IsDefined() || node.Mark().is_null()) return std::string(file_name);
  return absl::StrCat(file_name, ":", node.Mark().line + 1);
}

absl::Status ErrorAt(absl::string_view file_name, const YAML::Node& node, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat(Location(file_name, node), ": ", message));
}

absl::Status CheckKeys(const YAML::Node& root, absl::string_view file_name) {
  for (const auto& entry : root) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (key != "year" && key != "decree" && key != kRestDaysKey && key != kWorkingDaysKey) {
      return ErrorAt(file_name, entry.first,
                     absl::StrCat("unknown key \"", key, "\", expected year, decree, rest_days, working_days"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int> ReadYear(const YAML::Node& root, absl::string_view file_name) {
  const YAML::Node node = root["year"];
  int year = 0;
  if (!node.IsDefined() || !node.IsScalar() || !absl::SimpleAtoi(node.Scalar(), &year)) {
    return ErrorAt(file_name, node, "year: missing or not an integer");
  }
  absl::Status status = CheckYear(year);
  if (!status.ok()) return ErrorAt(file_name, node, absl::StrCat("year: ", status.message()));
  return year;
}

absl::StatusOr<std::string> ReadDecree(const YAML::Node& root, absl::string_view file_name) {
  const YAML::Node node = root["decree"];
  if (!node.IsDefined() || !node.IsScalar() || absl::StripAsciiWhitespace(node.Scalar()).empty()) {
    return ErrorAt(file_name, node, "decree: missing or empty, expected the citation of the decree that sets the days");
  }
  return node.Scalar();
}

// Reads the date list `key` and checks each entry where it sits, so an error
// names the line of the entry.
absl::StatusOr<std::vector<absl::CivilDay>> ReadDates(const YAML::Node& root, absl::string_view key, int year,
                                                      absl::string_view file_name) {
  const YAML::Node list = root[std::string(key)];
  if (!list.IsDefined() || !list.IsSequence()) {
    return ErrorAt(file_name, list, absl::StrCat(key, ": missing or not a list (use [] for none)"));
  }
  std::vector<absl::CivilDay> days;
  std::set<absl::CivilDay> seen;
  for (const YAML::Node& entry : list) {
    const std::string where = absl::StrCat(key, "[", days.size(), "]: ");
    absl::CivilDay day;
    const std::string text = entry.IsScalar() ? entry.Scalar() : "";
    if (!absl::ParseCivilTime(text, &day) || absl::FormatCivilTime(day) != text) {
      return ErrorAt(file_name, entry, absl::StrCat(where, "invalid date \"", text, "\", expected YYYY-MM-DD"));
    }
    absl::Status status = CheckEntry(year, key, day, seen);
    if (!status.ok()) return ErrorAt(file_name, entry, absl::StrCat(where, status.message()));
    days.push_back(day);
  }
  return days;
}

absl::StatusOr<DecreedDays> ParseRoot(const YAML::Node& root, absl::string_view file_name) {
  if (!root.IsMap()) return ErrorAt(file_name, root, "expected a mapping with year, decree, rest_days, working_days");
  REND_RETURN_IF_ERROR(CheckKeys(root, file_name));

  DecreedDays days;
  REND_ASSIGN_OR_RETURN(days.year, ReadYear(root, file_name));
  REND_ASSIGN_OR_RETURN(days.decree, ReadDecree(root, file_name));
  REND_ASSIGN_OR_RETURN(days.rest_days, ReadDates(root, kRestDaysKey, days.year, file_name));
  REND_ASSIGN_OR_RETURN(days.working_days, ReadDates(root, kWorkingDaysKey, days.year, file_name));
  return days;
}

absl::StatusOr<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) return absl::FailedPreconditionError(absl::StrCat("cannot read calendar data file ", path.string()));
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Returns the year in a file name of the form hu-YYYY.yaml, or 0.
int YearFromFileName(const std::string& name) {
  int year = 0;
  if (name.size() != std::string("hu-YYYY.yaml").size() || !absl::StartsWith(name, "hu-") ||
      !absl::EndsWith(name, ".yaml") || !absl::SimpleAtoi(name.substr(3, 4), &year)) {
    return 0;
  }
  return year;
}

// Returns the .yaml files directly in `directory`, sorted by name so that
// errors come out in a stable order. Uses the error_code overloads of
// std::filesystem, which do not throw.
absl::StatusOr<std::vector<std::filesystem::path>> ListYamlFiles(const std::string& directory) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return absl::NotFoundError(absl::StrCat("calendar data directory ", directory, " does not exist"));
  }
  std::vector<std::filesystem::path> files;
  std::filesystem::directory_iterator it(directory, error);
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (it->path().extension() == ".yaml") files.push_back(it->path());
  }
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot list calendar data directory ", directory, ": ", error.message()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

absl::Status ValidateDecreedDays(const DecreedDays& days) {
  REND_RETURN_IF_ERROR(CheckYear(days.year));
  if (absl::StripAsciiWhitespace(days.decree).empty()) {
    return absl::InvalidArgumentError(absl::StrCat("year ", days.year, ": decree must not be empty"));
  }
  for (absl::string_view key : {kRestDaysKey, kWorkingDaysKey}) {
    const std::vector<absl::CivilDay>& list = key == kRestDaysKey ? days.rest_days : days.working_days;
    std::set<absl::CivilDay> seen;
    for (size_t i = 0; i < list.size(); ++i) {
      absl::Status status = CheckEntry(days.year, key, list[i], seen);
      if (!status.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("year ", days.year, ": ", key, "[", i, "]: ", status.message()));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<DecreedDays> ParseDecreedDays(absl::string_view yaml_text, absl::string_view file_name) {
  // yaml-cpp reports errors by exception, and none may leave this function.
  try {
    const YAML::Node root = YAML::Load(std::string(yaml_text));
    return ParseRoot(root, file_name);
  } catch (const YAML::Exception& e) {
    const std::string location =
        e.mark.is_null() ? std::string(file_name) : absl::StrCat(file_name, ":", e.mark.line + 1);
    return absl::InvalidArgumentError(absl::StrCat(location, ": invalid YAML: ", e.msg));
  }
}

absl::StatusOr<std::vector<DecreedDays>> LoadDecreedDaysDirectory(const std::string& directory) {
  REND_ASSIGN_OR_RETURN(std::vector<std::filesystem::path> files, ListYamlFiles(directory));
  std::vector<DecreedDays> years;
  for (const std::filesystem::path& path : files) {
    const int name_year = YearFromFileName(path.filename().string());
    if (name_year == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path.string(), ": calendar data files must be named hu-YYYY.yaml"));
    }

    REND_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    REND_ASSIGN_OR_RETURN(DecreedDays days, ParseDecreedDays(text, path.string()));
    if (days.year != name_year) {
      return absl::InvalidArgumentError(
          absl::StrCat(path.string(), ": year ", days.year, " does not match the file name"));
    }
    years.push_back(std::move(days));
  }
  return years;
}

}  // namespace rend::calendar
