#include "services/approval/approval_policy.h"

#include "gtest/gtest.h"

namespace rend::approval {
namespace {

rend::costing::v1::Quote QuoteWith(const char* net, const char* currency, bool standard_terms) {
  rend::costing::v1::Quote quote;
  quote.set_net(net);
  quote.set_currency(currency);
  quote.set_standard_terms(standard_terms);
  return quote;
}

class ShippedPolicyTest : public ::testing::Test {
 protected:
  std::vector<std::string> Required(const char* net, const char* currency, bool standard_terms) {
    return policy_.RequiredRoles(QuoteWith(net, currency, standard_terms)).value();
  }
  ApprovalPolicy policy_ = ApprovalPolicy::Load(REND_APPROVAL_POLICY_PATH).value();
};

using Roles = std::vector<std::string>;

TEST_F(ShippedPolicyTest, ScenarioNeedsTechnicalAndFinancial) {
  EXPECT_EQ(Required("3707600", "HUF", true), (Roles{"technical", "financial"}));
}

TEST_F(ShippedPolicyTest, FinancialThresholdIsExclusive) {
  EXPECT_EQ(Required("3000000", "HUF", true), (Roles{"technical"}));
  EXPECT_EQ(Required("3000001", "HUF", true), (Roles{"technical", "financial"}));
  EXPECT_EQ(Required("3000000.5", "HUF", true), (Roles{"technical", "financial"}));
}

TEST_F(ShippedPolicyTest, NonStandardTermsNeedLegal) {
  EXPECT_EQ(Required("100", "HUF", false), (Roles{"technical", "legal"}));
}

TEST_F(ShippedPolicyTest, CurrencyWithoutThresholdNeedsFinancial) {
  EXPECT_EQ(Required("1", "EUR", true), (Roles{"technical", "financial"}));
}

TEST_F(ShippedPolicyTest, ApproverRoles) {
  ASSERT_NE(policy_.Find("technical"), nullptr);
  EXPECT_EQ(policy_.Find("technical")->approver_role, "engineering_lead");
  EXPECT_EQ(policy_.Find("financial")->approver_role, "finance_director");
  EXPECT_EQ(policy_.Find("legal")->approver_role, "legal_counsel");
  EXPECT_EQ(policy_.Find("ceo"), nullptr);
}

TEST(ApprovalPolicyTest, MalformedNetIsInvalid) {
  ApprovalPolicy policy = ApprovalPolicy::Parse("approvals: [{role: t, approver_role: a, when: always}]").value();
  EXPECT_EQ(policy.RequiredRoles(QuoteWith("3e6", "HUF", true)).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ApprovalPolicyTest, BadFilesNameTheField) {
  struct Case {
    const char* expected_prefix;
    const char* yaml;
  } cases[] = {
      {"approvals:", "approvals: []"},
      {"approvals:", "other: 1"},
      {"approvals[0].role:", "approvals: [{approver_role: a, when: always}]"},
      {"approvals[0].approver_role:", "approvals: [{role: t, when: always}]"},
      {"approvals[0].when:", "approvals: [{role: t, approver_role: a, when: sometimes}]"},
      {"approvals[0].net_above:", "approvals: [{role: f, approver_role: a, when: net_above}]"},
      {"approvals[0].net_above.HUF:", "approvals: [{role: f, approver_role: a, when: net_above, net_above: {HUF: lots}}]"},
      {"approvals[0].net_above.USD:", "approvals: [{role: f, approver_role: a, when: net_above, net_above: {USD: 1}}]"},
      {"approvals[1].role:", "approvals: [{role: t, approver_role: a, when: always}, {role: t, approver_role: b, when: always}]"},
      {"invalid approval policy YAML:", "approvals: [{role: t"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    absl::StatusOr<ApprovalPolicy> policy = ApprovalPolicy::Parse(c.yaml);
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(policy.status().message().rfind(c.expected_prefix, 0), 0u) << policy.status().message();
  }
}

TEST(ApprovalPolicyTest, MissingFileIsNotFound) {
  EXPECT_EQ(ApprovalPolicy::Load("/nonexistent/approval_policy.yaml").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace rend::approval

namespace rend::approval {
namespace {

// Returns the roles the shipped policy requires for a HUF quote on standard
// terms with these figures.
std::vector<std::string> RequiredFor(const char* net, const char* margin, const char* discount,
                                     const char* currency = "HUF", const char* customer = "crm-10442") {
  static const ApprovalPolicy policy = ApprovalPolicy::Load(REND_APPROVAL_POLICY_PATH).value();
  rend::costing::v1::Quote quote = QuoteWith(net, currency, true);
  quote.set_margin_percent(margin);
  quote.set_total_discount_percent(discount);
  quote.set_customer_external_id(customer);
  return policy.RequiredRoles(quote).value();
}

TEST(ShippedPolicyThresholdsTest, BothSidesOfEachThreshold) {
  struct Case {
    const char* net;
    const char* margin;
    const char* discount;
    std::vector<std::string> expected;
  } cases[] = {
      {"1000000", "15.00", "0.00", {"technical"}},
      {"1000000", "14.99", "0.00", {"technical", "financial"}},
      {"1000000", "10.00", "0.00", {"technical", "financial"}},
      {"1000000", "9.99", "0.00", {"technical", "financial", "executive"}},
      {"1000000", "20.00", "15.00", {"technical"}},
      {"1000000", "20.00", "15.01", {"technical", "executive"}},
      {"25000000", "20.00", "0.00", {"technical", "financial"}},
      {"25000001", "20.00", "0.00", {"technical", "financial", "executive"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.net) + " margin " + c.margin + " discount " + c.discount);
    EXPECT_EQ(RequiredFor(c.net, c.margin, c.discount), c.expected);
  }
}

TEST(ShippedPolicyThresholdsTest, EurExecutiveThreshold) {
  EXPECT_EQ(RequiredFor("62500", "20.00", "0.00", "EUR"), (Roles{"technical", "financial"}));
  EXPECT_EQ(RequiredFor("62500.01", "20.00", "0.00", "EUR"), (Roles{"technical", "financial", "executive"}));
}

TEST(ShippedPolicyThresholdsTest, StagesAndApprovers) {
  ApprovalPolicy policy = ApprovalPolicy::Load(REND_APPROVAL_POLICY_PATH).value();
  EXPECT_EQ(policy.Find("technical")->stage, 1u);
  EXPECT_EQ(policy.Find("executive")->stage, 2u);
  EXPECT_EQ(policy.Find("financial")->approvers, 1u);
}

TEST(ApprovalPolicyTest, CurrencyAndCustomerConditions) {
  ApprovalPolicy policy = ApprovalPolicy::Parse(R"(
approvals:
  - {role: legal, approver_role: legal_counsel, when: [currency, customer], currencies: [EUR],
     customers: [crm-1], approvers: 2}
)").value();
  EXPECT_EQ(policy.Find("legal")->approvers, 2u);
  rend::costing::v1::Quote quote = QuoteWith("1", "HUF", true);
  quote.set_customer_external_id("crm-2");
  EXPECT_EQ(policy.RequiredRoles(quote).value(), Roles{});
  quote.set_customer_external_id("crm-1");
  EXPECT_EQ(policy.RequiredRoles(quote).value(), Roles{"legal"});
  quote.set_customer_external_id("crm-2");
  quote.set_currency("EUR");
  EXPECT_EQ(policy.RequiredRoles(quote).value(), Roles{"legal"});
}

TEST(ApprovalPolicyTest, BadConditionParametersNameTheField) {
  struct Case {
    const char* expected_prefix;
    const char* yaml;
  } cases[] = {
      {"approvals[0].margin_below:", "approvals: [{role: f, approver_role: a, when: margin_below}]"},
      {"approvals[0].discount_above:", "approvals: [{role: f, approver_role: a, when: discount_above, discount_above: 101}]"},
      {"approvals[0].currencies:", "approvals: [{role: f, approver_role: a, when: currency}]"},
      {"approvals[0].customers:", "approvals: [{role: f, approver_role: a, when: customer, customers: []}]"},
      {"approvals[0].stage:", "approvals: [{role: f, approver_role: a, when: always, stage: 0}]"},
      {"approvals[0].approvers:", "approvals: [{role: f, approver_role: a, when: always, approvers: 11}]"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.yaml);
    absl::StatusOr<ApprovalPolicy> policy = ApprovalPolicy::Parse(c.yaml);
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.status().message().rfind(c.expected_prefix, 0), 0u) << policy.status().message();
  }
}

}  // namespace
}  // namespace rend::approval
