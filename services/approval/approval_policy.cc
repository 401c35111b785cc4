#include "services/approval/approval_policy.h"

#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/common/status.h"
#include "yaml-cpp/yaml.h"

namespace rend::approval {
namespace {

std::string Text(const YAML::Node& node, const char* key) { return node[key] ? node[key].as<std::string>() : ""; }

absl::StatusOr<ApprovalCondition> ParseCondition(const std::string& where, const std::string& when) {
  if (when == "always") return ApprovalCondition::kAlways;
  if (when == "net_above") return ApprovalCondition::kNetAbove;
  if (when == "non_standard_terms") return ApprovalCondition::kNonStandardTerms;
  return absl::InvalidArgumentError(
      absl::StrCat(where, ".when: '", when, "' is not always, net_above or non_standard_terms"));
}

absl::Status ParseThresholds(const std::string& where, const YAML::Node& node, ApprovalRule& rule) {
  if (!node["net_above"] || !node["net_above"].IsMap() || node["net_above"].size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".net_above: must map currencies to amounts"));
  }
  for (const auto& entry : node["net_above"]) {
    std::string currency = entry.first.as<std::string>();
    std::string field = absl::StrCat(where, ".net_above.", currency);
    if (!CurrencyDigits(currency).ok()) return absl::InvalidArgumentError(absl::StrCat(field, ": not HUF or EUR"));
    absl::StatusOr<Decimal> amount = Decimal::Parse(entry.second.as<std::string>());
    if (!amount.ok() || amount->is_negative()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": must be a non-negative decimal amount"));
    }
    rule.net_thresholds[currency] = *amount;
  }
  return absl::OkStatus();
}

absl::StatusOr<ApprovalRule> ParseRule(const std::string& where, const YAML::Node& node) {
  ApprovalRule rule;
  rule.role = Text(node, "role");
  if (rule.role.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ".role: must not be empty"));
  rule.approver_role = Text(node, "approver_role");
  if (rule.approver_role.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where, ".approver_role: must not be empty"));
  }
  REND_ASSIGN_OR_RETURN(rule.condition, ParseCondition(where, Text(node, "when")));
  if (rule.condition == ApprovalCondition::kNetAbove) REND_RETURN_IF_ERROR(ParseThresholds(where, node, rule));
  return rule;
}

}  // namespace

absl::StatusOr<ApprovalPolicy> ApprovalPolicy::Load(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("approval policy ", path, " cannot be read"));
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<ApprovalPolicy> policy = Parse(text.str());
  if (!policy.ok()) return absl::Status(policy.status().code(), absl::StrCat(path, ": ", policy.status().message()));
  return policy;
}

absl::StatusOr<ApprovalPolicy> ApprovalPolicy::Parse(const std::string& yaml_text) {
  ApprovalPolicy policy;
  std::set<std::string> roles;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (!root["approvals"] || !root["approvals"].IsSequence() || root["approvals"].size() == 0) {
      return absl::InvalidArgumentError("approvals: must be a non-empty list");
    }
    int index = 0;
    for (const YAML::Node& node : root["approvals"]) {
      std::string where = absl::StrCat("approvals[", index++, "]");
      REND_ASSIGN_OR_RETURN(ApprovalRule rule, ParseRule(where, node));
      if (!roles.insert(rule.role).second) {
        return absl::InvalidArgumentError(absl::StrCat(where, ".role: duplicate role ", rule.role));
      }
      policy.rules_.push_back(std::move(rule));
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("invalid approval policy YAML: ", e.what()));
  }
  return policy;
}

absl::StatusOr<std::vector<std::string>> ApprovalPolicy::RequiredRoles(const rend::costing::v1::Quote& quote) const {
  absl::StatusOr<Decimal> net = Decimal::Parse(quote.net());
  if (!net.ok()) return FieldError("quote.net", net.status().message());
  std::vector<std::string> required;
  for (const ApprovalRule& rule : rules_) {
    bool needed = true;
    if (rule.condition == ApprovalCondition::kNetAbove) {
      auto threshold = rule.net_thresholds.find(quote.currency());
      needed = threshold == rule.net_thresholds.end() || *net > threshold->second;
    } else if (rule.condition == ApprovalCondition::kNonStandardTerms) {
      needed = !quote.standard_terms();
    }
    if (needed) required.push_back(rule.role);
  }
  return required;
}

const ApprovalRule* ApprovalPolicy::Find(const std::string& role) const {
  for (const ApprovalRule& rule : rules_) {
    if (rule.role == role) return &rule;
  }
  return nullptr;
}

}  // namespace rend::approval
