// ApprovalPolicy: which approvals a quote version needs and which role a
// person must hold to decide each, loaded from YAML
// (deploy/config/approval_policy.yaml documents the format):
//
//   approvals:
//     - role: financial
//       approver_role: finance_director
//       when: [net_above, margin_below]   # any of; or one condition
//       net_above: {HUF: "3000000"}
//       margin_below: "15"
//       stage: 1        # lower stages are decided first; equal stages in parallel
//       approvers: 1    # distinct people needed
//
// Conditions: always, net_above, margin_below, discount_above,
// non_standard_terms, currency (currencies: [EUR]) and customer
// (customers: [crm-10442]).
//
// Thread safety: immutable after Load; all methods are thread-safe.
#ifndef REND_SERVICES_APPROVAL_APPROVAL_POLICY_H_
#define REND_SERVICES_APPROVAL_APPROVAL_POLICY_H_

#include <cstdint>
#include <map>
#include <set>
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
  kMarginBelow,       // margin percent below margin_below; never when unknown
  kDiscountAbove,     // total discount percent above discount_above
  kCurrency,          // quote currency in `currencies`
  kCustomer,          // customer external id in `customers`
};

struct ApprovalRule {
  std::string role;           // e.g. "technical"
  std::string approver_role;  // e.g. "engineering_lead"
  ApprovalCondition condition = ApprovalCondition::kAlways;  // the first of `conditions`
  std::vector<ApprovalCondition> conditions;  // the approval is needed when any of them applies
  std::map<std::string, Decimal> net_thresholds;  // currency -> amount, for kNetAbove
  Decimal margin_below;                           // percent, for kMarginBelow
  Decimal discount_above;                         // percent, for kDiscountAbove
  std::set<std::string> currencies;               // for kCurrency
  std::set<std::string> customers;                // customer external ids, for kCustomer
  uint32_t stage = 1;
  uint32_t approvers = 1;
};

class ApprovalPolicy {
 public:
  // Loads a file; NOT_FOUND when it cannot be read, INVALID_ARGUMENT naming
  // the entry and field that is wrong.
  static absl::StatusOr<ApprovalPolicy> Load(const std::string& path);
  // Parses YAML text; INVALID_ARGUMENT as for Load.
  static absl::StatusOr<ApprovalPolicy> Parse(const std::string& yaml_text);

  // Returns the approval roles `quote` needs, in policy order. A net amount
  // exactly at a threshold, a margin exactly at margin_below and a discount
  // exactly at discount_above do not need the approval. INVALID_ARGUMENT
  // when the quote's net, margin or discount is not a decimal.
  absl::StatusOr<std::vector<std::string>> RequiredRoles(const rend::costing::v1::Quote& quote) const;
  // Returns nullptr for a role the policy does not name.
  const ApprovalRule* Find(const std::string& role) const;
  const std::vector<ApprovalRule>& rules() const { return rules_; }

 private:
  std::vector<ApprovalRule> rules_;
};

}  // namespace rend::approval

#endif  // REND_SERVICES_APPROVAL_APPROVAL_POLICY_H_
