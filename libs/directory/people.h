// PeopleDirectory: who the people of the company are and which roles they
// hold, loaded from a YAML file (deploy/config/people.yaml):
//
//   people:
//     - id: sales.kovacs        # 1..128 printable ASCII, no spaces
//       name: Kovács Anna
//       roles: [sales]
//       manager: sales.lead     # optional, for escalation
//
// Thread safety: immutable after Load; all methods are thread-safe.
#ifndef REND_LIBS_DIRECTORY_PEOPLE_H_
#define REND_LIBS_DIRECTORY_PEOPLE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace rend {

struct Person {
  std::string id;
  std::string name;
  std::set<std::string> roles;
  std::string manager;
};

class PeopleDirectory {
 public:
  // Loads a file; INVALID_ARGUMENT names the entry and field that is wrong,
  // NOT_FOUND when the file does not exist.
  static absl::StatusOr<PeopleDirectory> Load(const std::string& path);
  // Parses YAML text; same errors as Load.
  static absl::StatusOr<PeopleDirectory> Parse(const std::string& yaml_text);

  // Returns nullptr for an unknown id.
  const Person* Find(const std::string& id) const;
  bool HasRole(const std::string& id, const std::string& role) const;
  std::vector<const Person*> WithRole(const std::string& role) const;
  std::set<std::string> AllRoles() const;

 private:
  std::map<std::string, Person> people_;
};

}  // namespace rend

#endif  // REND_LIBS_DIRECTORY_PEOPLE_H_
