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
  static const std::map<std::string, ApprovalCondition> kConditions = {
      {"always", ApprovalCondition::kAlways},
      {"net_above", ApprovalCondition::kNetAbove},
      {"non_standard_terms", ApprovalCondition::kNonStandardTerms},
      {"margin_below", ApprovalCondition::kMarginBelow},
      {"discount_above", ApprovalCondition::kDiscountAbove},
      {"currency", ApprovalCondition::kCurrency},
      {"customer", ApprovalCondition::kCustomer},
  };
  auto found = kConditions.find(when);
  if (found != kConditions.end()) return found->second;
  return absl::InvalidArgumentError(absl::StrCat(where, ".when: '", when,
                                                 "' is not always, net_above, margin_below, discount_above, "
                                                 "non_standard_terms, currency or customer"));
}

absl::StatusOr<Decimal> ParsePercent(const std::string& field, const YAML::Node& node) {
  absl::StatusOr<Decimal> percent = Decimal::Parse(node ? node.as<std::string>() : "");
  if (!percent.ok() || percent->is_negative() || *percent > Decimal::FromInteger(100)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be a percentage in 0..100"));
  }
  return *percent;
}

absl::StatusOr<std::set<std::string>> ParseList(const std::string& field, const YAML::Node& node) {
  if (!node || !node.IsSequence() || node.size() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be a non-empty list"));
  }
  std::set<std::string> values;
  for (const YAML::Node& value : node) values.insert(value.as<std::string>());
  return values;
}

absl::StatusOr<uint32_t> ParseCount(const std::string& field, const YAML::Node& node, uint32_t max) {
  if (!node) return 1u;
  int value = node.as<int>(0);
  if (value < 1 || value > static_cast<int>(max)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be a whole number in 1..", max));
  }
  return static_cast<uint32_t>(value);
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

// Parses the parameter of one condition into `rule`.
absl::Status ParseParameter(const std::string& where, const YAML::Node& node, ApprovalCondition condition,
                            ApprovalRule& rule) {
  switch (condition) {
    case ApprovalCondition::kNetAbove:
      return ParseThresholds(where, node, rule);
    case ApprovalCondition::kMarginBelow: {
      REND_ASSIGN_OR_RETURN(rule.margin_below, ParsePercent(where + ".margin_below", node["margin_below"]));
      return absl::OkStatus();
    }
    case ApprovalCondition::kDiscountAbove: {
      REND_ASSIGN_OR_RETURN(rule.discount_above, ParsePercent(where + ".discount_above", node["discount_above"]));
      return absl::OkStatus();
    }
    case ApprovalCondition::kCurrency: {
      REND_ASSIGN_OR_RETURN(rule.currencies, ParseList(where + ".currencies", node["currencies"]));
      return absl::OkStatus();
    }
    case ApprovalCondition::kCustomer: {
      REND_ASSIGN_OR_RETURN(rule.customers, ParseList(where + ".customers", node["customers"]));
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status ParseConditions(const std::string& where, const YAML::Node& node, ApprovalRule& rule) {
  std::vector<std::string> names;
  if (node["when"] && node["when"].IsSequence()) {
    for (const YAML::Node& name : node["when"]) names.push_back(name.as<std::string>());
  } else {
    names.push_back(Text(node, "when"));
  }
  for (const std::string& name : names) {
    REND_ASSIGN_OR_RETURN(ApprovalCondition condition, ParseCondition(where, name));
    REND_RETURN_IF_ERROR(ParseParameter(where, node, condition, rule));
    rule.conditions.push_back(condition);
  }
  rule.condition = rule.conditions.front();
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
  REND_RETURN_IF_ERROR(ParseConditions(where, node, rule));
  REND_ASSIGN_OR_RETURN(rule.stage, ParseCount(where + ".stage", node["stage"], 10));
  REND_ASSIGN_OR_RETURN(rule.approvers, ParseCount(where + ".approvers", node["approvers"], 10));
  return rule;
}

// Returns whether `condition` of `rule` holds for `quote`.
absl::StatusOr<bool> Holds(const ApprovalRule& rule, ApprovalCondition condition, const rend::costing::v1::Quote& quote,
                           Decimal net) {
  switch (condition) {
    case ApprovalCondition::kAlways:
      return true;
    case ApprovalCondition::kNetAbove: {
      auto threshold = rule.net_thresholds.find(quote.currency());
      return threshold == rule.net_thresholds.end() || net > threshold->second;
    }
    case ApprovalCondition::kNonStandardTerms:
      return !quote.standard_terms();
    case ApprovalCondition::kMarginBelow: {
      // Versions prepared before costing recorded margins have none.
      if (quote.margin_percent().empty()) return false;
      absl::StatusOr<Decimal> margin = Decimal::Parse(quote.margin_percent());
      if (!margin.ok()) return FieldError("quote.margin_percent", margin.status().message());
      return *margin < rule.margin_below;
    }
    case ApprovalCondition::kDiscountAbove: {
      if (quote.total_discount_percent().empty()) return false;
      absl::StatusOr<Decimal> discount = Decimal::Parse(quote.total_discount_percent());
      if (!discount.ok()) return FieldError("quote.total_discount_percent", discount.status().message());
      return *discount > rule.discount_above;
    }
    case ApprovalCondition::kCurrency:
      return rule.currencies.count(quote.currency()) > 0;
    case ApprovalCondition::kCustomer:
      return rule.customers.count(quote.customer_external_id()) > 0;
  }
  return false;
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
    bool needed = false;
    for (ApprovalCondition condition : rule.conditions) {
      REND_ASSIGN_OR_RETURN(bool holds, Holds(rule, condition, quote, *net));
      needed = needed || holds;
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
