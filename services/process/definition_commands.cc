// The deciders of definition deployment and instance migration.
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "services/process/instance_change.h"
#include "services/process/instance_projection.h"
#include "services/process/instance_state.h"
#include "services/process/process_engine.h"
#include "spdlog/spdlog.h"

namespace rend::process {
namespace {

constexpr size_t kMaxYamlBytes = 256 * 1024;

absl::Status RequireKnownPerson(const PeopleDirectory& people, const std::string& actor) {
  if (people.Find(actor) != nullptr) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(actor, " is not in the people directory"));
}

}  // namespace

absl::StatusOr<es::AppendRequest> ProcessEngine::DecideDeploy(const std::string& yaml_text, const std::string& actor,
                                                              v1::DeployDefinitionResponse* response,
                                                              ProcessDefinition* parsed) const {
  if (yaml_text.empty() || yaml_text.size() > kMaxYamlBytes) {
    return FieldError("yaml_text", absl::StrCat("must be 1..", kMaxYamlBytes, " bytes"));
  }
  absl::StatusOr<ProcessDefinition> definition = ParseDefinition(yaml_text, *people_);
  if (!definition.ok()) return FieldError("yaml_text", definition.status().message());
  REND_RETURN_IF_ERROR(RequireKnownPerson(*people_, actor));
  response->set_definition_id(definition->id);
  response->set_version(definition->version);

  es::AppendRequest append;
  append.stream_id = absl::StrCat("definition-", definition->id);
  const ProcessDefinition* same = definitions_->Find(definition->id, definition->version);
  if (same != nullptr && same->yaml_text == yaml_text) {
    response->set_unchanged(true);
    return append;  // no events: the request id is recorded, nothing else
  }
  if (same != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("definition ", definition->id, " version ", definition->version,
                                                 " is deployed with other content; raise the version"));
  }
  const ProcessDefinition* latest = definitions_->Latest(definition->id);
  if (latest != nullptr && latest->version > definition->version) {
    return FieldError("yaml_text", absl::StrCat("version: must be greater than ", latest->version,
                                                ", the latest deployed version of ", definition->id));
  }
  for (intake::v1::RequestType type : definition->request_types) {
    const ProcessDefinition* serving = definitions_->ForRequestType(type);
    if (serving != nullptr && serving->id != definition->id) {
      return FieldError("yaml_text", absl::StrCat("request_types: ", intake::v1::RequestType_Name(type),
                                                  " is already served by ", serving->id));
    }
  }

  v1::DefinitionDeployed deployed;
  deployed.set_definition_id(definition->id);
  deployed.set_version(definition->version);
  deployed.set_yaml_text(yaml_text);
  deployed.set_deployed_by(actor);
  *deployed.mutable_deployed_at() = ToProtoTime(Now());
  REND_ASSIGN_OR_RETURN(append.expected_version, store_->StreamVersion(append.stream_id));
  append.events.push_back(es::PackEvent(deployed));
  *parsed = *std::move(definition);
  return append;
}

absl::Status ProcessEngine::RegisterDeployed(ProcessDefinition definition) const {
  std::string id = definition.id;
  uint32_t version = definition.version;
  REND_RETURN_IF_ERROR(definitions_->Add(std::move(definition)));
  spdlog::info("deployed process definition {} version {}", id, version);
  return absl::OkStatus();
}

absl::StatusOr<int> ProcessEngine::LoadDeployedDefinitions() const {
  int added = 0;
  absl::Status status = absl::OkStatus();
  REND_RETURN_IF_ERROR(store_->ScanState(
      InstanceProjection::kName, InstanceProjection::kDefinitionPrefix,
      [&](const std::string& key, const std::string& value) {
        v1::DefinitionDeployed deployed;
        if (!deployed.ParseFromString(value)) {
          status = absl::DataLossError(absl::StrCat("corrupt deployed definition at ", key));
          return false;
        }
        absl::StatusOr<ProcessDefinition> definition = ParseDefinition(deployed.yaml_text(), *people_);
        absl::Status registered = definition.ok() ? definitions_->Add(*std::move(definition)) : definition.status();
        if (!registered.ok()) {
          spdlog::error("deployed definition {} version {} not loaded: {}", deployed.definition_id(),
                        deployed.version(), registered.ToString());
          return true;
        }
        ++added;
        return true;
      }));
  REND_RETURN_IF_ERROR(status);
  return added;
}

absl::StatusOr<es::AppendRequest> ProcessEngine::DecideMigrate(const std::string& request_id, uint32_t to_version,
                                                               const std::string& actor,
                                                               v1::Instance* instance) const {
  if (request_id.empty() || !IsValidClientId(request_id)) return FieldError("request_id", "must be a request id");
  if (to_version == 0) return FieldError("to_version", "must be a deployed version, 1 or more");
  REND_RETURN_IF_ERROR(RequireKnownPerson(*people_, actor));
  REND_ASSIGN_OR_RETURN(v1::Instance current, LoadInstance(request_id));
  if (current.state() == v1::INSTANCE_STATE_UNSPECIFIED) {
    return absl::NotFoundError(absl::StrCat("no process instance for request ", request_id));
  }
  if (current.state() != v1::INSTANCE_STATE_RUNNING) {
    return absl::FailedPreconditionError(absl::StrCat("instance of ", request_id, " is completed"));
  }
  const ProcessDefinition* target = definitions_->Find(current.definition_id(), to_version);
  if (target == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("definition ", current.definition_id(), " version ", to_version, " is not deployed"));
  }
  if (current.definition_version() == to_version) {
    return absl::FailedPreconditionError(absl::StrCat("instance of ", request_id, " already runs version ", to_version));
  }

  v1::InstanceMigrated migrated;
  migrated.set_request_id(request_id);
  migrated.set_from_version(current.definition_version());
  migrated.set_to_version(to_version);
  migrated.set_migrated_by(actor);
  *migrated.mutable_migrated_at() = ToProtoTime(Now());
  for (const v1::Task& task : current.tasks()) {
    if (!IsDone(task) && target->FindStep(task.step_id()) == nullptr) migrated.add_removed_task_ids(task.task_id());
  }
  Change change(request_id, std::move(current));
  REND_RETURN_IF_ERROR(change.Emit(migrated));
  REND_RETURN_IF_ERROR(Advance(change, *target));
  *instance = change.instance();
  return change.ToAppend();
}

}  // namespace rend::process
