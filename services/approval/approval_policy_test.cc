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
