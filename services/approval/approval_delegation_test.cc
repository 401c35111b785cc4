// Tests of delegation: deciding on a delegator's behalf, the period, four
// eyes, counting once, revoking and listing.
#include <string>

#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "services/approval/approval_test_fixture.h"

namespace rend::approval {
namespace {

// fin.deputy holds no approver role, so they can decide only by delegation.
constexpr const char* kDelegationPeople = R"(
people:
  - {id: sales.kovacs, name: Kovács Anna, roles: [sales]}
  - {id: eng.lead.horvath, name: Horváth Zsófia, roles: [engineering_lead]}
  - {id: fin.varga, name: Varga Ildikó, roles: [finance_director]}
  - {id: fin.deputy, name: Fekete Ádám, roles: [cost_accountant], manager: fin.varga}
  - {id: fin.second, name: Szűts Lili, roles: [finance_director]}
)";

class DelegationTest : public ApprovalServiceTest {
 protected:
  void SetUp() override {
    people_ = PeopleDirectory::Parse(kDelegationPeople).value();
    ApprovalServiceTest::SetUp();
  }

  // A delegation from `delegator` to `delegate` for [now + from, now + until).
  v1::DelegateRequest Delegation(const char* delegator, const char* delegate, absl::Duration from,
                                 absl::Duration until, const char* role = "") {
    v1::DelegateRequest request;
    request.mutable_context()->set_request_id("delegate-" + std::to_string(++command_count_));
    request.mutable_context()->set_actor(delegator);
    request.set_delegate(delegate);
    *request.mutable_starts_at() = ToProtoTime(now_ + from);
    *request.mutable_ends_at() = ToProtoTime(now_ + until);
    request.set_role(role);
    return request;
  }

  grpc::Status Delegate(const v1::DelegateRequest& request, v1::Delegation* delegation = nullptr) {
    v1::Delegation ignored;
    return service_->Delegate(nullptr, &request, delegation ? delegation : &ignored);
  }

  // Grants a week-long delegation of `role` starting now; returns its id.
  std::string GrantWeek(const char* delegator, const char* delegate, const char* role = "financial") {
    v1::Delegation delegation;
    EXPECT_TRUE(Delegate(Delegation(delegator, delegate, absl::ZeroDuration(), absl::Hours(24 * 7), role),
                         &delegation).ok());
    return delegation.delegation_id();
  }

  grpc::Status Revoke(const char* actor, const std::string& delegation_id, v1::Delegation* delegation = nullptr) {
    v1::RevokeDelegationRequest request;
    request.mutable_context()->set_request_id("revoke-" + std::to_string(++command_count_));
    request.mutable_context()->set_actor(actor);
    request.set_delegation_id(delegation_id);
    v1::Delegation ignored;
    return service_->RevokeDelegation(nullptr, &request, delegation ? delegation : &ignored);
  }

  v1::ListDelegationsResponse List(const char* person) {
    v1::ListDelegationsRequest request;
    request.set_person(person);
    v1::ListDelegationsResponse response;
    EXPECT_TRUE(service_->ListDelegations(nullptr, &request, &response).ok());
    return response;
  }
};

TEST_F(DelegationTest, DelegateDecidesOnBehalfInPeriod) {
  DeliverPrepared(1, "3707600");
  std::string id = GrantWeek("fin.varga", "fin.deputy");
  EXPECT_EQ(id, "delegation-fin.varga-1");
  now_ += absl::Hours(2);

  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("fin.deputy", "financial"), &approval).ok());
  ASSERT_EQ(approval.decisions_size(), 1);
  EXPECT_EQ(approval.decisions(0).approver(), "fin.deputy");
  EXPECT_EQ(approval.decisions(0).on_behalf_of(), "fin.varga");
  EXPECT_EQ(approval.decisions(0).delegation_id(), id);
  EXPECT_TRUE(approval.decisions(0).counted());
  ASSERT_EQ(approval.roles(1).approvers_size(), 1);
  EXPECT_EQ(approval.roles(1).approvers(0), "fin.varga");
  EXPECT_TRUE(approval.roles(1).approved());

  v1::Approval stored = Get();
  const v1::HistoryEntry& entry = stored.history(1);
  EXPECT_EQ(entry.kind(), v1::HISTORY_KIND_DECIDED);
  EXPECT_EQ(entry.actor(), "fin.deputy");
  EXPECT_EQ(entry.on_behalf_of(), "fin.varga");
  EXPECT_EQ(entry.detail(), "approved (on behalf of fin.varga, delegation delegation-fin.varga-1)");
  ASSERT_EQ(stored.delegations_size(), 1);
  EXPECT_EQ(stored.delegations(0).delegation_id(), id);
}

TEST_F(DelegationTest, DecisionOutsidePeriodRejected) {
  DeliverPrepared(1, "3707600");
  ASSERT_TRUE(Delegate(Delegation("fin.varga", "fin.deputy", absl::Hours(24), absl::Hours(48))).ok());
  EXPECT_EQ(Decide(Decision("fin.deputy", "financial")).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  now_ += absl::Hours(48);  // ends_at is exclusive
  grpc::Status after = Decide(Decision("fin.deputy", "financial"));
  EXPECT_EQ(after.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(after.error_message().find("no delegation of it to them is in effect"), std::string::npos)
      << after.error_message();

  now_ -= absl::Hours(1);
  EXPECT_TRUE(Decide(Decision("fin.deputy", "financial")).ok());
}

TEST_F(DelegationTest, DelegateWhoPreparedQuoteRejected) {
  DeliverPrepared(1, "3707600", true, /*prepared_by=*/"fin.deputy");
  GrantWeek("fin.varga", "fin.deputy");
  uint64_t position = store_->LastPosition();
  grpc::Status status = Decide(Decision("fin.deputy", "financial"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "fin.deputy prepared quote quote-REQ-1 v1 and so cannot approve it");
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(DelegationTest, DelegationFromPreparerGivesNoAuthority) {
  DeliverPrepared(1, "3707600", true, /*prepared_by=*/"fin.varga");
  GrantWeek("fin.varga", "fin.deputy");
  grpc::Status status = Decide(Decision("fin.deputy", "financial"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "fin.varga prepared quote quote-REQ-1 v1, so fin.deputy cannot approve it on their behalf");
}

TEST_F(DelegationTest, DelegationOfOtherRoleDoesNotCover) {
  DeliverPrepared(1, "3707600");
  GrantWeek("eng.lead.horvath", "fin.deputy", "technical");
  EXPECT_EQ(Decide(Decision("fin.deputy", "financial")).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Decide(Decision("fin.deputy", "technical")).ok());
}

TEST_F(DelegationTest, DelegateDecidesOneRoleOnly) {
  DeliverPrepared(1, "3707600");
  GrantWeek("eng.lead.horvath", "fin.deputy", "");
  GrantWeek("fin.varga", "fin.deputy", "");
  ASSERT_TRUE(Decide(Decision("fin.deputy", "technical")).ok());
  grpc::Status status = Decide(Decision("fin.deputy", "financial"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("one person decides one role"), std::string::npos) << status.error_message();
}

TEST_F(DelegationTest, RevokeEndsTheDelegation) {
  DeliverPrepared(1, "3707600");
  std::string id = GrantWeek("fin.varga", "fin.deputy");
  now_ += absl::Hours(1);
  v1::Delegation revoked;
  ASSERT_TRUE(Revoke("fin.varga", id, &revoked).ok());
  EXPECT_EQ(FromProtoTime(revoked.revoked_at()), now_);
  EXPECT_EQ(Decide(Decision("fin.deputy", "financial")).error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::ListDelegationsResponse listed = List("fin.varga");
  ASSERT_EQ(listed.delegations_size(), 1);
  EXPECT_EQ(listed.delegations(0).delegation_id(), id);
  EXPECT_EQ(FromProtoTime(listed.delegations(0).revoked_at()), now_);
}

TEST_F(DelegationTest, RevokeErrors) {
  std::string id = GrantWeek("fin.varga", "fin.deputy");
  EXPECT_EQ(Revoke("fin.varga", "delegation-fin.varga-9").error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Revoke("fin.deputy", id).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status empty = Revoke("fin.varga", "");
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(empty.error_message().rfind("delegation_id:", 0), 0u) << empty.error_message();
  ASSERT_TRUE(Revoke("fin.varga", id).ok());
  EXPECT_EQ(Revoke("fin.varga", id).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  std::string ended = GrantWeek("fin.varga", "fin.second");
  now_ += absl::Hours(24 * 8);
  EXPECT_EQ(Revoke("fin.varga", ended).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(DelegationTest, BadDelegationNamesTheField) {
  struct Case {
    const char* field;
    void (*mutate)(v1::DelegateRequest&);
  } cases[] = {
      {"delegate", [](v1::DelegateRequest& r) { r.clear_delegate(); }},
      {"delegate", [](v1::DelegateRequest& r) { r.set_delegate("fin.varga"); }},
      {"role", [](v1::DelegateRequest& r) { r.set_role("ceo"); }},
      {"ends_at", [](v1::DelegateRequest& r) { r.clear_ends_at(); }},
      {"ends_at", [](v1::DelegateRequest& r) { *r.mutable_ends_at() = r.starts_at(); }},
      {"ends_at", [](v1::DelegateRequest& r) {
         *r.mutable_ends_at() = ToProtoTime(FromProtoTime(r.starts_at()) + absl::Hours(24 * 367));
       }},
  };
  uint64_t position = store_->LastPosition();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::DelegateRequest request = Delegation("fin.varga", "fin.deputy", absl::ZeroDuration(), absl::Hours(24));
    c.mutate(request);
    grpc::Status status = Delegate(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind(std::string(c.field) + ":", 0), 0u) << status.error_message();
  }
  grpc::Status past = Delegate(Delegation("fin.varga", "fin.deputy", -absl::Hours(48), -absl::Hours(24)));
  EXPECT_EQ(past.error_message(), "ends_at: must be in the future");
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(DelegationTest, DelegationNeedsKnownPeopleAndRole) {
  EXPECT_EQ(Delegate(Delegation("fin.varga", "nobody", absl::ZeroDuration(), absl::Hours(24))).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Delegate(Delegation("fin.deputy", "fin.varga", absl::ZeroDuration(), absl::Hours(24))).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status other_role =
      Delegate(Delegation("fin.varga", "fin.deputy", absl::ZeroDuration(), absl::Hours(24), "technical"));
  EXPECT_EQ(other_role.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(other_role.error_message().find("engineering_lead"), std::string::npos) << other_role.error_message();
}

TEST_F(DelegationTest, ListPendingIncludesDelegatedApprovals) {
  DeliverPrepared(1, "3707600");
  EXPECT_TRUE(Pending("fin.deputy").empty());
  GrantWeek("fin.varga", "fin.deputy");
  EXPECT_EQ(Pending("fin.deputy"), (std::vector<std::string>{"approval-quote-REQ-1-v1"}));
}

TEST_F(DelegationTest, ListDelegationsOfUnknownPersonIsNotFound) {
  v1::ListDelegationsRequest request;
  request.set_person("nobody");
  v1::ListDelegationsResponse response;
  EXPECT_EQ(service_->ListDelegations(nullptr, &request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  request.clear_person();
  EXPECT_EQ(service_->ListDelegations(nullptr, &request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Two finance directors must approve.
constexpr const char* kTwoFinancePolicy = R"(
approvals:
  - {role: financial, approver_role: finance_director, when: always, approvers: 2}
)";

TEST_F(DelegationTest, DelegatorAndDelegateCountOnce) {
  policy_ = ApprovalPolicy::Parse(kTwoFinancePolicy).value();
  DeliverPrepared(1, "100");
  GrantWeek("fin.varga", "fin.deputy");
  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("fin.deputy", "financial"), &approval).ok());
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial"), &approval).ok());
  EXPECT_FALSE(approval.decisions(1).counted());
  EXPECT_EQ(approval.roles(0).approvers_size(), 1);
  EXPECT_FALSE(approval.roles(0).approved());
  ASSERT_TRUE(Decide(Decision("fin.second", "financial"), &approval).ok());
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_APPROVED);
}

}  // namespace
}  // namespace rend::approval
