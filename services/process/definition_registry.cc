#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/common/status.h"
#include "services/process/definition.h"
#include "spdlog/spdlog.h"

namespace rend::process {
namespace {

absl::StatusOr<ProcessDefinition> LoadFile(const std::filesystem::path& path, const PeopleDirectory& people) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat(path.string(), ": cannot be read"));
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<ProcessDefinition> definition = ParseDefinition(text.str(), people);
  if (!definition.ok()) {
    return absl::Status(definition.status().code(), absl::StrCat(path.string(), ": ", definition.status().message()));
  }
  return definition;
}

}  // namespace

absl::StatusOr<DefinitionRegistry> DefinitionRegistry::LoadDirectory(const std::string& directory,
                                                                     const PeopleDirectory& people) {
  std::error_code error;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") paths.push_back(entry.path());
  }
  if (error) return absl::NotFoundError(absl::StrCat(directory, ": cannot list: ", error.message()));
  if (paths.empty()) return absl::NotFoundError(absl::StrCat(directory, ": no process definition (*.yaml)"));
  std::sort(paths.begin(), paths.end());

  std::vector<ProcessDefinition> definitions;
  for (const std::filesystem::path& path : paths) {
    REND_ASSIGN_OR_RETURN(ProcessDefinition definition, LoadFile(path, people));
    spdlog::info("loaded process definition {} version {} from {}", definition.id, definition.version, path.string());
    definitions.push_back(std::move(definition));
  }
  return Create(std::move(definitions));
}

absl::StatusOr<DefinitionRegistry> DefinitionRegistry::Create(std::vector<ProcessDefinition> definitions) {
  DefinitionRegistry registry;
  for (ProcessDefinition& definition : definitions) {
    absl::MutexLock lock(registry.mutex_.get());
    if (registry.definitions_.count({definition.id, definition.version}) > 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("definition ", definition.id, " version ", definition.version, " is defined twice"));
    }
    REND_RETURN_IF_ERROR(registry.AddLocked(std::move(definition)));
  }
  return registry;
}

absl::Status DefinitionRegistry::Add(ProcessDefinition definition) {
  absl::MutexLock lock(mutex_.get());
  return AddLocked(std::move(definition));
}

absl::Status DefinitionRegistry::AddLocked(ProcessDefinition definition) {
  auto key = std::make_pair(definition.id, definition.version);
  auto existing = definitions_.find(key);
  if (existing != definitions_.end()) {
    if (existing->second.yaml_text == definition.yaml_text) return absl::OkStatus();
    return absl::AlreadyExistsError(
        absl::StrCat("definition ", key.first, " version ", key.second, " is defined twice"));
  }
  for (intake::v1::RequestType type : definition.request_types) {
    auto it = id_by_type_.find(type);
    if (it != id_by_type_.end() && it->second != definition.id) {
      return absl::InvalidArgumentError(absl::StrCat("request type ", intake::v1::RequestType_Name(type),
                                                     " is served by both ", it->second, " and ", definition.id));
    }
  }
  for (intake::v1::RequestType type : definition.request_types) id_by_type_.emplace(type, definition.id);
  definitions_.emplace(key, std::move(definition));
  return absl::OkStatus();
}

const ProcessDefinition* DefinitionRegistry::Latest(const std::string& id) const {
  absl::MutexLock lock(mutex_.get());
  auto it = definitions_.upper_bound({id, UINT32_MAX});
  if (it == definitions_.begin()) return nullptr;
  --it;
  return it->first.first == id ? &it->second : nullptr;
}

const ProcessDefinition* DefinitionRegistry::ForRequestType(intake::v1::RequestType type) const {
  absl::MutexLock lock(mutex_.get());
  auto id = id_by_type_.find(type);
  if (id == id_by_type_.end()) return nullptr;
  const ProcessDefinition* latest = nullptr;
  for (const auto& [key, definition] : definitions_) {
    if (key.first != id->second) continue;
    bool serves = std::find(definition.request_types.begin(), definition.request_types.end(), type) !=
                  definition.request_types.end();
    if (serves && (latest == nullptr || definition.version > latest->version)) latest = &definition;
  }
  return latest;
}

const ProcessDefinition* DefinitionRegistry::Find(const std::string& id, uint32_t version) const {
  absl::MutexLock lock(mutex_.get());
  auto it = definitions_.find({id, version});
  return it == definitions_.end() ? nullptr : &it->second;
}

bool DefinitionRegistry::IsCompletingEventType(const std::string& event_type) const {
  absl::MutexLock lock(mutex_.get());
  for (const auto& [key, definition] : definitions_) {
    if (definition.StepCompletedBy(event_type) != nullptr) return true;
  }
  return false;
}

bool DefinitionRegistry::IsLoopEventType(const std::string& event_type) const {
  absl::MutexLock lock(mutex_.get());
  for (const auto& [key, definition] : definitions_) {
    if (definition.LoopOn(event_type) != nullptr) return true;
  }
  return false;
}

std::vector<const ProcessDefinition*> DefinitionRegistry::All() const {
  absl::MutexLock lock(mutex_.get());
  std::vector<const ProcessDefinition*> all;
  for (const auto& [key, definition] : definitions_) all.push_back(&definition);
  return all;
}

}  // namespace rend::process
