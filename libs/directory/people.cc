#include "libs/directory/people.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "yaml-cpp/yaml.h"

namespace rend {

absl::StatusOr<PeopleDirectory> PeopleDirectory::Load(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("people file ", path, " cannot be read"));
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<PeopleDirectory> directory = Parse(text.str());
  if (!directory.ok()) {
    return absl::Status(directory.status().code(), absl::StrCat(path, ": ", directory.status().message()));
  }
  return directory;
}

absl::StatusOr<PeopleDirectory> PeopleDirectory::Parse(const std::string& yaml_text) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("invalid YAML: ", e.what()));
  }
  if (!root["people"] || !root["people"].IsSequence()) {
    return absl::InvalidArgumentError("people: must be a list");
  }
  PeopleDirectory directory;
  int index = 0;
  try {
    for (const YAML::Node& node : root["people"]) {
      std::string where = absl::StrCat("people[", index++, "]");
      Person person;
      person.id = node["id"] ? node["id"].as<std::string>() : "";
      if (!IsValidClientId(person.id)) return absl::InvalidArgumentError(absl::StrCat(where, ".id: invalid or missing"));
      person.name = node["name"] ? node["name"].as<std::string>() : "";
      if (person.name.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ".name: must not be empty"));
      if (node["roles"]) {
        for (const YAML::Node& role : node["roles"]) person.roles.insert(role.as<std::string>());
      }
      if (person.roles.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ".roles: must not be empty"));
      person.manager = node["manager"] ? node["manager"].as<std::string>() : "";
      if (!directory.people_.emplace(person.id, person).second) {
        return absl::InvalidArgumentError(absl::StrCat(where, ".id: duplicate id ", person.id));
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("people: ", e.what()));
  }
  for (const auto& [id, person] : directory.people_) {
    if (!person.manager.empty() && directory.Find(person.manager) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("people ", id, ".manager: unknown person ", person.manager));
    }
  }
  return directory;
}

const Person* PeopleDirectory::Find(const std::string& id) const {
  auto it = people_.find(id);
  return it == people_.end() ? nullptr : &it->second;
}

bool PeopleDirectory::HasRole(const std::string& id, const std::string& role) const {
  const Person* person = Find(id);
  return person != nullptr && person->roles.count(role) > 0;
}

std::vector<const Person*> PeopleDirectory::WithRole(const std::string& role) const {
  std::vector<const Person*> out;
  for (const auto& [id, person] : people_) {
    if (person.roles.count(role) > 0) out.push_back(&person);
  }
  return out;
}

std::set<std::string> PeopleDirectory::AllRoles() const {
  std::set<std::string> roles;
  for (const auto& [id, person] : people_) roles.insert(person.roles.begin(), person.roles.end());
  return roles;
}

}  // namespace rend
