// Checks of the step graph of a process definition.
#include <algorithm>
#include <deque>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/common/status.h"
#include "services/process/definition.h"

namespace rend::process {
namespace {

std::string StepField(size_t index, const char* field = "") { return absl::StrCat("steps[", index, "]", field); }

absl::Status CheckReferences(const std::vector<StepDefinition>& steps, const std::map<std::string, size_t>& index) {
  std::map<std::string, std::string> step_by_event;
  for (size_t i = 0; i < steps.size(); ++i) {
    for (const std::string& before : steps[i].after) {
      if (index.count(before) == 0) {
        return absl::InvalidArgumentError(absl::StrCat(StepField(i, ".after"), ": unknown step \"", before, "\""));
      }
    }
    if (steps[i].completes_on.empty()) continue;
    auto [it, inserted] = step_by_event.emplace(steps[i].completes_on, steps[i].id);
    if (!inserted) {
      return absl::InvalidArgumentError(absl::StrCat(StepField(i, ".completes_on"), ": event type ",
                                                     steps[i].completes_on, " already completes step \"",
                                                     it->second, "\""));
    }
  }
  return absl::OkStatus();
}

// Walks forward from the steps without `after` along every `after` edge.
absl::Status CheckReachable(const std::vector<StepDefinition>& steps, const std::map<std::string, size_t>& index) {
  std::vector<std::vector<size_t>> next(steps.size());
  std::vector<bool> reached(steps.size(), false);
  std::deque<size_t> queue;
  for (size_t i = 0; i < steps.size(); ++i) {
    for (const std::string& before : steps[i].after) next[index.at(before)].push_back(i);
    if (steps[i].after.empty()) {
      reached[i] = true;
      queue.push_back(i);
    }
  }
  while (!queue.empty()) {
    size_t current = queue.front();
    queue.pop_front();
    for (size_t following : next[current]) {
      if (!reached[following]) {
        reached[following] = true;
        queue.push_back(following);
      }
    }
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    if (!reached[i]) {
      return absl::InvalidArgumentError(absl::StrCat(StepField(i), ": step \"", steps[i].id,
                                                     "\" is unreachable: no chain of `after` leads to it from a "
                                                     "step without `after`"));
    }
  }
  return absl::OkStatus();
}

// Searches depth-first over `after` edges for a cycle. `path` is the chain of
// steps being visited, and on success the cycle itself.
bool FindCycle(const std::vector<StepDefinition>& steps, const std::map<std::string, size_t>& index, size_t current,
               std::vector<int>& color, std::vector<size_t>& path) {
  color[current] = 1;
  path.push_back(current);
  for (const std::string& before : steps[current].after) {
    size_t next = index.at(before);
    if (color[next] == 1) {
      path.erase(path.begin(), std::find(path.begin(), path.end(), next));
      path.push_back(next);
      return true;
    }
    if (color[next] == 0 && FindCycle(steps, index, next, color, path)) return true;
  }
  color[current] = 2;
  path.pop_back();
  return false;
}

absl::Status CheckAcyclic(const std::vector<StepDefinition>& steps, const std::map<std::string, size_t>& index) {
  std::vector<int> color(steps.size(), 0);  // 0 unvisited, 1 on the path, 2 done
  for (size_t i = 0; i < steps.size(); ++i) {
    std::vector<size_t> path;
    if (color[i] != 0 || !FindCycle(steps, index, i, color, path)) continue;
    std::vector<std::string> ids;
    for (size_t step : path) ids.push_back(steps[step].id);
    return absl::InvalidArgumentError(
        absl::StrCat(StepField(path.front(), ".after"), ": cycle ", absl::StrJoin(ids, " after ")));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckStepGraph(const std::vector<StepDefinition>& steps) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (!index.emplace(steps[i].id, i).second) {
      return absl::InvalidArgumentError(absl::StrCat(StepField(i, ".id"), ": duplicate step id \"", steps[i].id, "\""));
    }
  }
  REND_RETURN_IF_ERROR(CheckReferences(steps, index));
  REND_RETURN_IF_ERROR(CheckReachable(steps, index));
  return CheckAcyclic(steps, index);
}

}  // namespace rend::process
