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
//       deadline: {business_days: 1}  # or {business_hours: 6} or {hours: 4}
//     - id: costing
//       ...
//       kind: event
//       completes_on: rend.costing.v1.CostSheetFinalized
//       after: [engineering_assessment, procurement_check]
//     - id: formal_quote
//       ...
//       capture: {standard_terms: quote.standard_terms}  # data key: payload field path
//     - id: legal_review
//       ...
//       when: {field: standard_terms, equals: "false"}   # or not_equals
//     - id: customer_acceptance
//       ...
//       timeout: {business_days: 10, then: complete}     # or then: escalate
//   loops:
//     - on: rend.approval.v1.QuoteRejected
//       reopen: [costing, formal_quote, approvals]
//       reason_field: reason
//
// A step opens when every step in its `after` list has completed or been
// skipped; steps without `after` open when the instance starts. Several
// steps after the same step run in parallel, and a step after several steps
// joins them. A ready step whose `when` is false (a missing data field reads
// as "") is skipped. Instance data holds every task output entry and the
// `capture`d fields of completing events. A loop's event, while the first
// step of `reopen` has opened, moves the tasks of the `reopen` steps to the
// instance's history so that they open again, with the reason.
//
// Thread safety: a definition is immutable once parsed. The registry is
// thread-safe; Add never removes or moves a definition, so the pointers it
// returns stay valid for the registry's lifetime.
#ifndef REND_SERVICES_PROCESS_DEFINITION_H_
#define REND_SERVICES_PROCESS_DEFINITION_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/map.h"
#include "yaml-cpp/yaml.h"
#include "libs/directory/people.h"
#include "rend/intake/v1/intake.pb.h"
#include "rend/process/v1/process.pb.h"
#include "services/process/deadline.h"

namespace rend::process {

// A step's `when`: compares one instance data field with a value.
struct Condition {
  std::string field;  // empty: no condition, the step always opens
  std::string value;
  bool negated = false;  // not_equals

  bool Holds(const google::protobuf::Map<std::string, std::string>& data) const;
};

struct StepTimeout {
  enum class Then { kComplete, kEscalate };
  bool enabled = false;
  Deadline after;
  Then then = Then::kComplete;
};

struct StepDefinition {
  std::string id;
  std::string name_hu;
  std::string name_en;
  v1::StepKind kind = v1::STEP_KIND_UNSPECIFIED;
  std::string role;
  Deadline deadline;
  std::vector<std::string> after;  // step ids
  std::string completes_on;        // event steps only: full event type
  std::map<std::string, std::string> capture;  // data key -> payload field path
  Condition when;
  StepTimeout timeout;
};

struct LoopDefinition {
  std::string on;                   // full event type
  std::vector<std::string> reopen;  // step ids, the first one opens again first
  std::string reason_field;         // payload field path; empty for none
};

struct ProcessDefinition {
  std::string id;
  uint32_t version = 0;
  std::vector<intake::v1::RequestType> request_types;
  std::string name_hu;
  std::string name_en;
  std::vector<StepDefinition> steps;  // in file order
  std::vector<LoopDefinition> loops;
  std::string yaml_text;  // the source, for byte-identical redeploys

  // Returns nullptr for an unknown step id.
  const StepDefinition* FindStep(const std::string& step_id) const;
  // Returns nullptr when no step completes on `event_type`.
  const StepDefinition* StepCompletedBy(const std::string& event_type) const;
  // Returns nullptr when no loop starts on `event_type`.
  const LoopDefinition* LoopOn(const std::string& event_type) const;
};

// Returns the event types of other services that an event step may name in
// `completes_on`: the events of intake, costing, approval and billing.
const std::set<std::string>& KnownEventTypes();

// Parses and validates one definition. Returns INVALID_ARGUMENT whose
// message starts with the path of the bad field, e.g.
// `steps[2].role: unknown role "wizard"`.
absl::StatusOr<ProcessDefinition> ParseDefinition(const std::string& yaml_text, const PeopleDirectory& people);

// Reads `loops`. INVALID_ARGUMENT naming the field, e.g. `loops[0].reopen[1]`.
absl::StatusOr<std::vector<LoopDefinition>> ReadLoops(const YAML::Node& root, const std::vector<StepDefinition>& steps);

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

  // Adds one definition. INVALID_ARGUMENT as for Create; ALREADY_EXISTS when
  // its id and version are registered with other YAML text. Adding the
  // identical definition again is OK and changes nothing.
  absl::Status Add(ProcessDefinition definition);
  // Returns the highest registered version of `id`, or nullptr.
  const ProcessDefinition* Latest(const std::string& id) const;

  // Returns the highest version of the definition serving `type`, or nullptr.
  const ProcessDefinition* ForRequestType(intake::v1::RequestType type) const;
  // Returns nullptr when the id and version are unknown.
  const ProcessDefinition* Find(const std::string& id, uint32_t version) const;
  // Returns whether some step of some definition completes on `event_type`.
  bool IsCompletingEventType(const std::string& event_type) const;
  // Returns whether some loop of some definition starts on `event_type`.
  bool IsLoopEventType(const std::string& event_type) const;
  std::vector<const ProcessDefinition*> All() const;

 private:
  absl::Status AddLocked(ProcessDefinition definition);

  // Guards both maps; a pointer so that the registry stays movable.
  std::unique_ptr<absl::Mutex> mutex_ = std::make_unique<absl::Mutex>();
  std::map<std::pair<std::string, uint32_t>, ProcessDefinition> definitions_;
  std::map<intake::v1::RequestType, std::string> id_by_type_;
};

}  // namespace rend::process

#endif  // REND_SERVICES_PROCESS_DEFINITION_H_
