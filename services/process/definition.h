// Process definitions: the steps a request of a given type goes through,
// loaded from YAML files (<config_dir>/process/*.yaml):
//
//   id: custom_product_quote          # [a-z][a-z0-9_]*, at most 64 chars
//   version: 1                        # 1.., the highest version starts new instances
//   request_types: [CUSTOM_PRODUCT_QUOTE]   # rend.intake.v1.RequestType without prefix
//   name_hu: Egyedi termék árajánlat
//   name_en: Custom product quote
//   steps:
//     - id: record_need
//       name_hu: Igény rögzítése
//       name_en: Record the need
//       kind: user_task               # user_task | event
//       role: sales                   # a role of deploy/config/people.yaml
//       deadline: {business_days: 1}  # or {hours: 4}
//     - id: costing
//       ...
//       kind: event
//       completes_on: rend.costing.v1.CostSheetFinalized
//       after: [engineering_assessment, procurement_check]
//
// A step opens when every step in its `after` list has completed; steps
// without `after` open when the instance starts. Several steps after the
// same step run in parallel, and a step after several steps joins them.
//
// Thread safety: definitions and the registry are immutable after loading;
// all const methods are thread-safe.
#ifndef REND_SERVICES_PROCESS_DEFINITION_H_
#define REND_SERVICES_PROCESS_DEFINITION_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/directory/people.h"
#include "rend/intake/v1/intake.pb.h"
#include "rend/process/v1/process.pb.h"
#include "services/process/business_calendar.h"

namespace rend::process {

struct StepDefinition {
  std::string id;
  std::string name_hu;
  std::string name_en;
  v1::StepKind kind = v1::STEP_KIND_UNSPECIFIED;
  std::string role;
  Deadline deadline;
  std::vector<std::string> after;  // step ids
  std::string completes_on;        // event steps only: full event type
};

struct ProcessDefinition {
  std::string id;
  uint32_t version = 0;
  std::vector<intake::v1::RequestType> request_types;
  std::string name_hu;
  std::string name_en;
  std::vector<StepDefinition> steps;  // in file order

  // Returns nullptr for an unknown step id.
  const StepDefinition* FindStep(const std::string& step_id) const;
  // Returns nullptr when no step completes on `event_type`.
  const StepDefinition* StepCompletedBy(const std::string& event_type) const;
};

// Returns the event types of other services that an event step may name in
// `completes_on`: the events of intake, costing, approval and billing.
const std::set<std::string>& KnownEventTypes();

// Parses and validates one definition. Returns INVALID_ARGUMENT whose
// message starts with the path of the bad field, e.g.
// `steps[2].role: unknown role "wizard"`.
absl::StatusOr<ProcessDefinition> ParseDefinition(const std::string& yaml_text, const PeopleDirectory& people);

// Checks how the steps connect: unique ids, `after` naming known steps, one
// step per completing event type, every step reachable from a step without
// `after`, and no cycle. Returns INVALID_ARGUMENT naming the first bad step.
absl::Status CheckStepGraph(const std::vector<StepDefinition>& steps);

class DefinitionRegistry {
 public:
  // Loads every *.yaml file in `directory`. Errors start with the file's
  // path; NOT_FOUND when the directory does not exist or has no definition.
  static absl::StatusOr<DefinitionRegistry> LoadDirectory(const std::string& directory,
                                                          const PeopleDirectory& people);
  // Builds a registry. INVALID_ARGUMENT for two definitions with the same id
  // and version, or two definition ids serving the same request type.
  static absl::StatusOr<DefinitionRegistry> Create(std::vector<ProcessDefinition> definitions);

  // Returns the highest version of the definition serving `type`, or nullptr.
  const ProcessDefinition* ForRequestType(intake::v1::RequestType type) const;
  // Returns nullptr when the id and version are unknown.
  const ProcessDefinition* Find(const std::string& id, uint32_t version) const;
  // Returns whether some step of some definition completes on `event_type`.
  bool IsCompletingEventType(const std::string& event_type) const;
  std::vector<const ProcessDefinition*> All() const;

 private:
  std::map<std::pair<std::string, uint32_t>, ProcessDefinition> definitions_;
  std::map<intake::v1::RequestType, std::string> id_by_type_;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_DEFINITION_H_
