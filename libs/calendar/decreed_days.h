// DecreedDays: one year's deviations from the Monday-to-Friday working week
// that the minister decrees each year under the Labour Code 102. § (5)
// ("a ... évi munkaszüneti napok körüli munkarendről" rendelet):
//
//   rest days     (áthelyezett pihenőnap): working days made rest days,
//   working days  (áthelyezett munkanap):  Saturdays made working days.
//
// The data is read from one YAML file per year, named hu-YYYY.yaml:
//
//   year: 2025
//   decree: "11/2024. (IV. 8.) NGM rendelet"
//   rest_days: [2025-05-02, 2025-10-24, 2025-12-24]
//   working_days: [2025-05-17, 2025-10-18, 2025-12-13]
//
// Every date is YYYY-MM-DD in the file's year. A rest day must be a Monday to
// Friday, and a working day a Saturday or Sunday. Neither may be a public
// holiday. Empty lists are allowed for a year whose decree moves no days,
// but both keys must be present.
//
// Thread safety: plain data and pure functions, thread-safe.
#ifndef REND_LIBS_CALENDAR_DECREED_DAYS_H_
#define REND_LIBS_CALENDAR_DECREED_DAYS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace rend::calendar {

struct DecreedDays {
  int year = 0;
  std::string decree;                        // citation of the decree, for readers
  std::vector<absl::CivilDay> rest_days;     // áthelyezett pihenőnapok
  std::vector<absl::CivilDay> working_days;  // áthelyezett munkanapok
};

// Checks the rules in the file comment above (year range, dates in the year,
// weekdays, no public holidays, no duplicates). Returns INVALID_ARGUMENT
// naming the list and index of the first bad entry, e.g. "rest_days[1]".
absl::Status ValidateDecreedDays(const DecreedDays& days);

// Parses one year's YAML text. `file_name` only labels errors: each
// INVALID_ARGUMENT message starts with "<file_name>:<line>: " where the
// line is known, e.g. "hu-2025.yaml:4: rest_days[0]: 2025-05-03 is a Saturday".
absl::StatusOr<DecreedDays> ParseDecreedDays(absl::string_view yaml_text, absl::string_view file_name);

// Loads every hu-YYYY.yaml file in `directory`, sorted by year, and skips
// files with other extensions. Returns INVALID_ARGUMENT naming the file for
// a .yaml file with another name, a `year` that differs from the name, or a
// parse error. Returns NOT_FOUND when the directory does not exist.
absl::StatusOr<std::vector<DecreedDays>> LoadDecreedDaysDirectory(const std::string& directory);

}  // namespace rend::calendar

#endif  // REND_LIBS_CALENDAR_DECREED_DAYS_H_
