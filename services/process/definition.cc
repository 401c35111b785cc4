#include "services/process/definition.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/common/status.h"
#include "services/process/payload_fields.h"
#include "rend/approval/v1/approval.pb.h"
#include "rend/billing/v1/billing.pb.h"
#include "rend/costing/v1/costing.pb.h"
#include "yaml-cpp/yaml.h"

namespace rend::process {
namespace {

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxSteps = 100;
constexpr int kMaxBusinessDays = 365;
constexpr int kMaxHours = 24 * 365;
constexpr int kMaxBusinessHours = 8 * 365;

absl::Status Invalid(const std::string& field, const std::string& problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

bool IsValidId(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdLength || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// Reads a required scalar string of 1..max_length bytes.
absl::StatusOr<std::string> ReadText(const YAML::Node& parent, const char* key, const std::string& field,
                                     size_t max_length) {
  const YAML::Node node = parent[key];
  if (!node) return Invalid(field, "missing");
  if (!node.IsScalar()) return Invalid(field, "must be a string");
  std::string value = node.as<std::string>();
  if (value.empty() || value.size() > max_length) {
    return Invalid(field, absl::StrCat("must be 1..", max_length, " bytes"));
  }
  return value;
}

absl::StatusOr<std::string> ReadId(const YAML::Node& parent, const char* key, const std::string& field) {
  REND_ASSIGN_OR_RETURN(std::string id, ReadText(parent, key, field, kMaxIdLength));
  if (!IsValidId(id)) {
    return Invalid(field, absl::StrCat("\"", id, "\" must match [a-z][a-z0-9_]* and be at most 64 characters"));
  }
  return id;
}

absl::StatusOr<int> ReadPositiveInt(const YAML::Node& node, const std::string& field, int max) {
  int value = 0;
  if (!node.IsScalar() || !YAML::convert<int>::decode(node, value) || value < 1 || value > max) {
    return Invalid(field, absl::StrCat("must be an integer 1..", max));
  }
  return value;
}

constexpr const char* kDeadlineForms = "must be exactly one of {business_days: N}, {business_hours: N} or {hours: N}";

// Reads a deadline mapping, where `extra_key` (e.g. "then") may appear besides the unit.
absl::StatusOr<Deadline> ReadDeadlineNode(const YAML::Node& node, const std::string& field,
                                          const char* extra_key = nullptr) {
  size_t extra = extra_key != nullptr && node.IsMap() && node[extra_key] ? 1 : 0;
  if (!node.IsMap() || node.size() != 1 + extra) return Invalid(field, kDeadlineForms);
  struct Form {
    const char* key;
    Deadline::Unit unit;
    int max;
  } forms[] = {{"business_days", Deadline::Unit::kBusinessDays, kMaxBusinessDays},
               {"business_hours", Deadline::Unit::kBusinessHours, kMaxBusinessHours},
               {"hours", Deadline::Unit::kHours, kMaxHours}};
  for (const Form& form : forms) {
    if (!node[form.key]) continue;
    Deadline deadline;
    deadline.unit = form.unit;
    REND_ASSIGN_OR_RETURN(deadline.amount, ReadPositiveInt(node[form.key], field + "." + form.key, form.max));
    return deadline;
  }
  return Invalid(field, kDeadlineForms);
}

absl::StatusOr<Deadline> ReadDeadline(const YAML::Node& step, const std::string& field) {
  const YAML::Node node = step["deadline"];
  if (!node) return Invalid(field, "missing; set {business_days: N}, {business_hours: N} or {hours: N}");
  return ReadDeadlineNode(node, field);
}

absl::StatusOr<Condition> ReadWhen(const YAML::Node& step, const std::string& field) {
  Condition condition;
  const YAML::Node node = step["when"];
  if (!node) return condition;
  if (!node.IsMap() || node.size() != 2 || !node["field"] || (!node["equals"] == !node["not_equals"])) {
    return Invalid(field, "must be {field: KEY, equals: VALUE} or {field: KEY, not_equals: VALUE}");
  }
  REND_ASSIGN_OR_RETURN(condition.field, ReadText(node, "field", field + ".field", kMaxIdLength));
  condition.negated = static_cast<bool>(node["not_equals"]);
  const YAML::Node value = condition.negated ? node["not_equals"] : node["equals"];
  if (!value.IsScalar()) return Invalid(field + (condition.negated ? ".not_equals" : ".equals"), "must be a scalar");
  condition.value = value.as<std::string>();
  return condition;
}

absl::StatusOr<StepTimeout> ReadTimeout(const YAML::Node& step, const std::string& field) {
  StepTimeout timeout;
  const YAML::Node node = step["timeout"];
  if (!node) return timeout;
  REND_ASSIGN_OR_RETURN(timeout.after, ReadDeadlineNode(node, field, "then"));
  timeout.enabled = true;
  std::string then = node["then"] && node["then"].IsScalar() ? node["then"].as<std::string>() : "";
  if (then == "complete") {
    timeout.then = StepTimeout::Then::kComplete;
  } else if (then == "escalate") {
    timeout.then = StepTimeout::Then::kEscalate;
  } else {
    return Invalid(field + ".then", "missing or unknown; use complete or escalate");
  }
  return timeout;
}

// Reads `capture`, checking each path against the completing event's type.
absl::StatusOr<std::map<std::string, std::string>> ReadCapture(const YAML::Node& step, const std::string& field,
                                                               const std::string& event_type) {
  std::map<std::string, std::string> capture;
  const YAML::Node node = step["capture"];
  if (!node) return capture;
  if (event_type.empty()) return Invalid(field, "only event steps capture event fields");
  if (!node.IsMap()) return Invalid(field, "must map data keys to payload field paths");
  for (const auto& entry : node) {
    std::string key = entry.first.IsScalar() ? entry.first.as<std::string>() : "";
    std::string entry_field = absl::StrCat(field, ".", key);
    if (!IsValidId(key)) return Invalid(field, absl::StrCat("data key \"", key, "\" must match [a-z][a-z0-9_]*"));
    if (!entry.second.IsScalar()) return Invalid(entry_field, "must be a payload field path");
    std::string path = entry.second.as<std::string>();
    absl::Status checked = CheckPayloadPath(event_type, path);
    if (!checked.ok()) return Invalid(entry_field, std::string(checked.message()));
    capture[key] = path;
  }
  return capture;
}

absl::StatusOr<v1::StepKind> ReadKind(const YAML::Node& step, const std::string& field) {
  REND_ASSIGN_OR_RETURN(std::string kind, ReadText(step, "kind", field, kMaxIdLength));
  if (kind == "user_task") return v1::STEP_KIND_USER_TASK;
  if (kind == "event") return v1::STEP_KIND_EVENT;
  return Invalid(field, absl::StrCat("unknown kind \"", kind, "\"; use user_task or event"));
}

absl::StatusOr<std::vector<std::string>> ReadStepList(const YAML::Node& parent, const char* key,
                                                      const std::string& field) {
  std::vector<std::string> after;
  const YAML::Node node = parent[key];
  if (!node) return after;
  if (!node.IsSequence()) return Invalid(field, "must be a list of step ids");
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) return Invalid(field, "must be a list of step ids");
    after.push_back(item.as<std::string>());
  }
  return after;
}

// Reads the role and, for event steps, the completing event type.
absl::Status ReadAssignment(const YAML::Node& node, const std::string& where, const PeopleDirectory& people,
                            StepDefinition& step) {
  REND_ASSIGN_OR_RETURN(step.role, ReadText(node, "role", where + ".role", kMaxIdLength));
  std::set<std::string> roles = people.AllRoles();
  if (roles.count(step.role) == 0) {
    return Invalid(where + ".role", absl::StrCat("unknown role \"", step.role, "\"; known roles: ",
                                                 absl::StrJoin(roles, ", ")));
  }
  if (step.kind == v1::STEP_KIND_USER_TASK) {
    if (node["completes_on"]) return Invalid(where + ".completes_on", "only event steps complete on an event");
    return absl::OkStatus();
  }
  REND_ASSIGN_OR_RETURN(step.completes_on, ReadText(node, "completes_on", where + ".completes_on", 200));
  if (KnownEventTypes().count(step.completes_on) == 0) {
    return Invalid(where + ".completes_on", absl::StrCat("unknown event type \"", step.completes_on, "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<StepDefinition> ReadStep(const YAML::Node& node, const std::string& where,
                                        const PeopleDirectory& people) {
  if (!node.IsMap()) return Invalid(where, "must be a mapping");
  StepDefinition step;
  REND_ASSIGN_OR_RETURN(step.id, ReadId(node, "id", where + ".id"));
  REND_ASSIGN_OR_RETURN(step.name_hu, ReadText(node, "name_hu", where + ".name_hu", kMaxNameLength));
  REND_ASSIGN_OR_RETURN(step.name_en, ReadText(node, "name_en", where + ".name_en", kMaxNameLength));
  REND_ASSIGN_OR_RETURN(step.kind, ReadKind(node, where + ".kind"));
  REND_RETURN_IF_ERROR(ReadAssignment(node, where, people, step));
  REND_ASSIGN_OR_RETURN(step.deadline, ReadDeadline(node, where + ".deadline"));
  REND_ASSIGN_OR_RETURN(step.after, ReadStepList(node, "after", where + ".after"));
  REND_ASSIGN_OR_RETURN(step.capture, ReadCapture(node, where + ".capture", step.completes_on));
  REND_ASSIGN_OR_RETURN(step.when, ReadWhen(node, where + ".when"));
  REND_ASSIGN_OR_RETURN(step.timeout, ReadTimeout(node, where + ".timeout"));
  return step;
}

absl::StatusOr<std::vector<intake::v1::RequestType>> ReadRequestTypes(const YAML::Node& root) {
  const YAML::Node node = root["request_types"];
  if (!node || !node.IsSequence() || node.size() == 0) {
    return Invalid("request_types", "must be a non-empty list, e.g. [CUSTOM_PRODUCT_QUOTE]");
  }
  std::vector<intake::v1::RequestType> types;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string name = node[i].IsScalar() ? node[i].as<std::string>() : "";
    intake::v1::RequestType type = intake::v1::REQUEST_TYPE_UNSPECIFIED;
    if (!intake::v1::RequestType_Parse(absl::StrCat("REQUEST_TYPE_", name), &type) ||
        type == intake::v1::REQUEST_TYPE_UNSPECIFIED) {
      return Invalid(absl::StrCat("request_types[", i, "]"), absl::StrCat("unknown request type \"", name, "\""));
    }
    types.push_back(type);
  }
  return types;
}

absl::Status ReadHeader(const YAML::Node& root, ProcessDefinition& definition) {
  REND_ASSIGN_OR_RETURN(definition.id, ReadId(root, "id", "id"));
  if (!root["version"]) return Invalid("version", "missing");
  REND_ASSIGN_OR_RETURN(int version, ReadPositiveInt(root["version"], "version", 1'000'000));
  definition.version = static_cast<uint32_t>(version);
  REND_ASSIGN_OR_RETURN(definition.request_types, ReadRequestTypes(root));
  REND_ASSIGN_OR_RETURN(definition.name_hu, ReadText(root, "name_hu", "name_hu", kMaxNameLength));
  REND_ASSIGN_OR_RETURN(definition.name_en, ReadText(root, "name_en", "name_en", kMaxNameLength));
  return absl::OkStatus();
}

}  // namespace

const StepDefinition* ProcessDefinition::FindStep(const std::string& step_id) const {
  for (const StepDefinition& step : steps) {
    if (step.id == step_id) return &step;
  }
  return nullptr;
}

const StepDefinition* ProcessDefinition::StepCompletedBy(const std::string& event_type) const {
  for (const StepDefinition& step : steps) {
    if (step.kind == v1::STEP_KIND_EVENT && step.completes_on == event_type) return &step;
  }
  return nullptr;
}

const LoopDefinition* ProcessDefinition::LoopOn(const std::string& event_type) const {
  for (const LoopDefinition& loop : loops) {
    if (loop.on == event_type) return &loop;
  }
  return nullptr;
}

bool Condition::Holds(const google::protobuf::Map<std::string, std::string>& data) const {
  if (field.empty()) return true;
  auto it = data.find(field);
  bool equal = (it == data.end() ? std::string() : it->second) == value;
  return negated ? !equal : equal;
}

const std::set<std::string>& KnownEventTypes() {
  static const std::set<std::string>* types = new std::set<std::string>{
      intake::v1::RequestSubmitted::descriptor()->full_name(),
      costing::v1::CostSheetOpened::descriptor()->full_name(),
      costing::v1::CostLineAdded::descriptor()->full_name(),
      costing::v1::PricingSet::descriptor()->full_name(),
      costing::v1::CostSheetFinalized::descriptor()->full_name(),
      costing::v1::QuotePrepared::descriptor()->full_name(),
      costing::v1::QuoteSent::descriptor()->full_name(),
      costing::v1::QuoteAccepted::descriptor()->full_name(),
      approval::v1::ApprovalRequested::descriptor()->full_name(),
      approval::v1::ApprovalDecided::descriptor()->full_name(),
      approval::v1::QuoteApproved::descriptor()->full_name(),
      approval::v1::QuoteRejected::descriptor()->full_name(),
      billing::v1::InvoiceIssued::descriptor()->full_name(),
  };
  return *types;
}

absl::StatusOr<ProcessDefinition> ParseDefinition(const std::string& yaml_text, const PeopleDirectory& people) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("invalid YAML: ", e.what()));
  }
  if (!root.IsMap()) return absl::InvalidArgumentError("a definition must be a YAML mapping");

  ProcessDefinition definition;
  try {
    REND_RETURN_IF_ERROR(ReadHeader(root, definition));
    const YAML::Node steps = root["steps"];
    if (!steps || !steps.IsSequence() || steps.size() == 0 || steps.size() > kMaxSteps) {
      return Invalid("steps", absl::StrCat("must be a list of 1..", kMaxSteps, " steps"));
    }
    for (size_t i = 0; i < steps.size(); ++i) {
      REND_ASSIGN_OR_RETURN(StepDefinition step, ReadStep(steps[i], absl::StrCat("steps[", i, "]"), people));
      definition.steps.push_back(std::move(step));
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("invalid definition: ", e.what()));
  }
  REND_RETURN_IF_ERROR(CheckStepGraph(definition.steps));
  try {
    REND_ASSIGN_OR_RETURN(definition.loops, ReadLoops(root, definition.steps));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("invalid definition: ", e.what()));
  }
  definition.yaml_text = yaml_text;
  return definition;
}

}  // namespace rend::process

namespace rend::process {

absl::StatusOr<std::vector<LoopDefinition>> ReadLoops(const YAML::Node& root,
                                                      const std::vector<StepDefinition>& steps) {
  std::vector<LoopDefinition> loops;
  const YAML::Node node = root["loops"];
  if (!node) return loops;
  if (!node.IsSequence()) return Invalid("loops", "must be a list");
  for (size_t i = 0; i < node.size(); ++i) {
    std::string where = absl::StrCat("loops[", i, "]");
    LoopDefinition loop;
    REND_ASSIGN_OR_RETURN(loop.on, ReadText(node[i], "on", where + ".on", 200));
    if (KnownEventTypes().count(loop.on) == 0) return Invalid(where + ".on", absl::StrCat("unknown event type \"", loop.on, "\""));
    for (const StepDefinition& step : steps) {
      if (step.completes_on == loop.on) {
        return Invalid(where + ".on", absl::StrCat("event type ", loop.on, " already completes step \"", step.id, "\""));
      }
    }
    // NOTE: steps after the reopened ones that `reopen` does not list keep
    // their tasks; the check that a loop lists every such step is missing.
    REND_ASSIGN_OR_RETURN(loop.reopen, ReadStepList(node[i], "reopen", where + ".reopen"));
    if (loop.reopen.empty()) return Invalid(where + ".reopen", "must list at least one step");
    for (size_t j = 0; j < loop.reopen.size(); ++j) {
      bool known = std::any_of(steps.begin(), steps.end(), [&](const StepDefinition& s) { return s.id == loop.reopen[j]; });
      if (!known) return Invalid(absl::StrCat(where, ".reopen[", j, "]"), absl::StrCat("unknown step \"", loop.reopen[j], "\""));
    }
    if (node[i]["reason_field"]) {
      REND_ASSIGN_OR_RETURN(loop.reason_field, ReadText(node[i], "reason_field", where + ".reason_field", 200));
      absl::Status checked = CheckPayloadPath(loop.on, loop.reason_field);
      if (!checked.ok()) return Invalid(where + ".reason_field", std::string(checked.message()));
    }
    loops.push_back(std::move(loop));
  }
  return loops;
}

}  // namespace rend::process
