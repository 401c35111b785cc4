// ApprovalPolicy: which approvals a quote version needs and which role a
// person must hold to decide each, loaded from YAML
// (deploy/config/approval_policy.yaml documents the format):
//
//   approvals:
//     - role: financial
//       approver_role: finance_director
//       when: net_above          # or: always, non_standard_terms
//       net_above: {HUF: "3000000"}
//
// Thread safety: immutable after Load; all methods are thread-safe.
#ifndef REND_SERVICES_APPROVAL_APPROVAL_POLICY_H_
#define REND_SERVICES_APPROVAL_APPROVAL_POLICY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/common/decimal.h"
#include "rend/costing/v1/costing.pb.h"

namespace rend::approval {

enum class ApprovalCondition {
  kAlways,
  kNetAbove,          // net amount above the currency's threshold
  kNonStandardTerms,  // quote not on standard terms
};

struct ApprovalRule {
  std::string role;           // e.g. "technical"
  std::string approver_role;  // e.g. "engineering_lead"
  ApprovalCondition condition = ApprovalCondition::kAlways;
  std::map<std::string, Decimal> net_thresholds;  // currency -> amount, for kNetAbove
};

class ApprovalPolicy {
 public:
  // Loads a file; NOT_FOUND when it cannot be read, INVALID_ARGUMENT naming
  // the entry and field that is wrong.
  static absl::StatusOr<ApprovalPolicy> Load(const std::string& path);
  // Parses YAML text; INVALID_ARGUMENT as for Load.
  static absl::StatusOr<ApprovalPolicy> Parse(const std::string& yaml_text);

  // Returns the approval roles `quote` needs, in policy order. A net amount
  // exactly at the threshold does not need the approval. INVALID_ARGUMENT
  // when the quote's net is not a decimal.
  absl::StatusOr<std::vector<std::string>> RequiredRoles(const rend::costing::v1::Quote& quote) const;
  // Returns nullptr for a role the policy does not name.
  const ApprovalRule* Find(const std::string& role) const;
  const std::vector<ApprovalRule>& rules() const { return rules_; }

 private:
  std::vector<ApprovalRule> rules_;
};

}  // namespace rend::approval

#endif  // REND_SERVICES_APPROVAL_APPROVAL_POLICY_H_
