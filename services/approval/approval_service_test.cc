#include "services/approval/approval_service.h"

#include <string>

#include "gtest/gtest.h"
#include "services/approval/approval_test_fixture.h"

namespace rend::approval {
namespace {

using Ids = std::vector<std::string>;

TEST_F(ApprovalServiceTest, ScenarioNeedsTechnicalThenFinancial) {
  DeliverPrepared(1, "3707600");
  v1::Approval approval = Get();
  EXPECT_EQ(approval.approval_id(), "approval-quote-REQ-1-v1");
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_PENDING);
  ASSERT_EQ(approval.required_roles_size(), 2);
  EXPECT_EQ(approval.required_roles(0), "technical");
  EXPECT_EQ(approval.required_roles(1), "financial");

  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical"), &approval).ok());
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_PENDING);
  ASSERT_EQ(approval.missing_roles_size(), 1);
  EXPECT_EQ(approval.missing_roles(0), "financial");
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial"), &approval).ok());
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_APPROVED);
  EXPECT_EQ(approval.missing_roles_size(), 0);
  EXPECT_EQ(approval.version(), 4u);
  EXPECT_EQ(Get().SerializeAsString(), approval.SerializeAsString());

  // The last decision and QuoteApproved share one append.
  std::vector<es::EventRecord> events = store_->ReadStream("approval-quote-REQ-1-v1").value();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[3].type(), "rend.approval.v1.QuoteApproved");
  EXPECT_EQ(events[3].causation_id(), events[2].causation_id());
  for (const es::EventRecord& event : events) EXPECT_EQ(event.correlation_id(), "REQ-1") << event.type();
}

TEST_F(ApprovalServiceTest, NetAtThresholdNeedsNoFinancial) {
  DeliverPrepared(1, "3000000");
  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical"), &approval).ok());
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_APPROVED);
  EXPECT_EQ(Decide(Decision("fin.varga", "financial")).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ApprovalServiceTest, NetOneAboveThresholdNeedsFinancial) {
  DeliverPrepared(1, "3000001");
  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical"), &approval).ok());
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_PENDING);
  EXPECT_EQ(approval.missing_roles(0), "financial");
}

TEST_F(ApprovalServiceTest, NonStandardTermsNeedLegal) {
  DeliverPrepared(1, "100", /*standard_terms=*/false);
  v1::Approval approval = Get();
  ASSERT_EQ(approval.required_roles_size(), 2);
  EXPECT_EQ(approval.required_roles(1), "legal");
  ASSERT_TRUE(Decide(Decision("legal.kiss", "legal")).ok());
}

TEST_F(ApprovalServiceTest, PreparerCannotApprove) {
  DeliverPrepared(1, "3707600", true, "eng.lead.horvath");
  uint64_t position = store_->LastPosition();
  grpc::Status status = Decide(Decision("eng.lead.horvath", "technical"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "eng.lead.horvath prepared quote quote-REQ-1 v1 and so cannot approve it");
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(ApprovalServiceTest, ApproverNeedsThePolicyRole) {
  DeliverPrepared(1, "3707600");
  grpc::Status status = Decide(Decision("legal.kiss", "financial"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(status.error_message().find("finance_director"), std::string::npos) << status.error_message();
  EXPECT_EQ(Decide(Decision("unknown.person", "technical")).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ApprovalServiceTest, OnePersonDecidesOnce) {
  DeliverPrepared(1, "3707600");
  ASSERT_TRUE(Decide(Decision("boss.both", "technical")).ok());
  uint64_t position = store_->LastPosition();
  grpc::Status status = Decide(Decision("boss.both", "financial"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("one person decides one role"), std::string::npos);
  EXPECT_EQ(store_->LastPosition(), position);
  EXPECT_TRUE(Decide(Decision("fin.varga", "financial")).ok());
}

TEST_F(ApprovalServiceTest, RoleIsDecidedOnce) {
  DeliverPrepared(1, "3707600");
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical")).ok());
  EXPECT_EQ(Decide(Decision("boss.both", "technical")).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ApprovalServiceTest, RejectionClosesTheApproval) {
  DeliverPrepared(1, "3707600");
  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial", /*approve=*/false), &approval).ok());
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_REJECTED);
  std::vector<es::EventRecord> events = store_->ReadStream("approval-quote-REQ-1-v1").value();
  ASSERT_EQ(events.size(), 3u);
  v1::QuoteRejected rejected;
  ASSERT_TRUE(events[2].payload().UnpackTo(&rejected));
  EXPECT_EQ(rejected.reason(), "price too low for the welding effort");
  EXPECT_EQ(Decide(Decision("eng.lead.horvath", "technical")).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(Pending("eng.lead.horvath").empty());
}

TEST_F(ApprovalServiceTest, BadInputNamesTheFieldAndWritesNothing) {
  DeliverPrepared(1, "3707600");
  uint64_t position = store_->LastPosition();
  struct Case {
    const char* field;
    void (*mutate)(v1::DecideRequest&);
  } cases[] = {
      {"context.request_id", [](v1::DecideRequest& r) { r.mutable_context()->clear_request_id(); }},
      {"context.actor", [](v1::DecideRequest& r) { r.mutable_context()->set_actor("has space"); }},
      {"quote_id", [](v1::DecideRequest& r) { r.clear_quote_id(); }},
      {"quote_id", [](v1::DecideRequest& r) { r.set_quote_id(std::string(161, 'q')); }},
      {"quote_version", [](v1::DecideRequest& r) { r.set_quote_version(0); }},
      {"role", [](v1::DecideRequest& r) { r.clear_role(); }},
      {"role", [](v1::DecideRequest& r) { r.set_role("ceo"); }},
      {"reason", [](v1::DecideRequest& r) { r.set_approve(false); r.clear_reason(); }},
      {"reason", [](v1::DecideRequest& r) { r.set_reason(std::string(2001, 'r')); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::DecideRequest request = Decision("eng.lead.horvath", "technical");
    c.mutate(request);
    grpc::Status status = Decide(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind(std::string(c.field) + ":", 0), 0u) << status.error_message();
  }
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(ApprovalServiceTest, UnknownApprovalIsNotFound) {
  EXPECT_EQ(Decide(Decision("eng.lead.horvath", "technical")).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::GetApprovalRequest request;
  request.set_quote_id("quote-REQ-1");
  request.set_quote_version(1);
  v1::Approval approval;
  EXPECT_EQ(service_->GetApproval(nullptr, &request, &approval).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ApprovalServiceTest, RetryReturnsFirstResult) {
  DeliverPrepared(1, "3707600");
  v1::DecideRequest request = Decision("eng.lead.horvath", "technical");
  v1::Approval first;
  v1::Approval second;
  ASSERT_TRUE(Decide(request, &first).ok());
  uint64_t position = store_->LastPosition();
  ASSERT_TRUE(Decide(request, &second).ok());
  EXPECT_EQ(store_->LastPosition(), position);
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
}

TEST_F(ApprovalServiceTest, DuplicateQuotePreparedRequestsOnce) {
  DeliverPrepared(1, "3707600");
  uint64_t position = store_->LastPosition();
  DeliverPrepared(1, "3707600");
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(ApprovalServiceTest, ListPendingShowsWhatEachPersonMayDecide) {
  DeliverPrepared(1, "3707600");
  EXPECT_EQ(Pending("eng.lead.horvath"), (Ids{"approval-quote-REQ-1-v1"}));
  EXPECT_EQ(Pending("fin.varga"), (Ids{"approval-quote-REQ-1-v1"}));
  EXPECT_TRUE(Pending("sales.kovacs").empty());
  EXPECT_TRUE(Pending("legal.kiss").empty());
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical")).ok());
  EXPECT_TRUE(Pending("eng.lead.horvath").empty());

  v1::ListPendingRequest unknown;
  unknown.set_approver("nobody");
  v1::ListPendingResponse response;
  EXPECT_EQ(service_->ListPending(nullptr, &unknown, &response).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(ApprovalServiceTest, NewQuoteVersionSupersedesTheOld) {
  DeliverPrepared(1, "3707600");
  DeliverPrepared(2, "2900000");
  EXPECT_EQ(Pending("eng.lead.horvath"), (Ids{"approval-quote-REQ-1-v2"}));
  EXPECT_EQ(Decide(Decision("eng.lead.horvath", "technical", true, 1)).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical", true, 2), &approval).ok());
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_APPROVED);
}

TEST_F(ApprovalServiceTest, NewVersionVoidsApprovalsAndAsksAgain) {
  DeliverPrepared(1, "3707600");
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical")).ok());
  DeliverPrepared(2, "3707600");

  v1::Approval old = Get(1);
  EXPECT_EQ(old.state(), v1::APPROVAL_STATE_VOIDED);
  ASSERT_GE(old.history_size(), 3);
  EXPECT_EQ(old.history(0).kind(), v1::HISTORY_KIND_REQUESTED);
  EXPECT_EQ(old.history(1).kind(), v1::HISTORY_KIND_DECIDED);
  EXPECT_EQ(old.history(2).kind(), v1::HISTORY_KIND_VOIDED);
  EXPECT_EQ(old.history(2).detail(), "superseded by v2");
  v1::Approval fresh = Get(2);
  EXPECT_EQ(fresh.state(), v1::APPROVAL_STATE_PENDING);
  EXPECT_EQ(fresh.missing_roles_size(), 2);  // the technical approval is asked again
  EXPECT_EQ(fresh.decisions_size(), 0);
}

TEST_F(ApprovalServiceTest, VoidIsAnEventOnTheNewStream) {
  DeliverPrepared(1, "3707600");
  DeliverPrepared(2, "3707600");
  auto events = store_->ReadStream("approval-quote-REQ-1-v2").value();
  ASSERT_EQ(events.size(), 2u);
  v1::ApprovalVoided voided;
  ASSERT_TRUE(events[0].payload().UnpackTo(&voided));
  EXPECT_EQ(voided.approval_id(), "approval-quote-REQ-1-v1");
  EXPECT_EQ(voided.superseded_by_version(), 2u);
}

TEST_F(ApprovalServiceTest, GrantedApprovalIsVoidedToo) {
  DeliverPrepared(1, "100");
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical")).ok());
  ASSERT_EQ(Get(1).state(), v1::APPROVAL_STATE_APPROVED);
  DeliverPrepared(2, "100");
  EXPECT_EQ(Get(1).state(), v1::APPROVAL_STATE_VOIDED);
}

TEST_F(ApprovalServiceTest, RejectionRecordsReasonInHistory) {
  DeliverPrepared(1, "3707600");
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial", /*approve=*/false)).ok());
  v1::Approval approval = Get(1);
  ASSERT_EQ(approval.history_size(), 3);
  EXPECT_EQ(approval.history(2).kind(), v1::HISTORY_KIND_REJECTED);
  EXPECT_EQ(approval.history(2).detail(), "price too low for the welding effort");
}

// Two financial approvers in parallel with technical, and an executive
// approval in a second stage.
constexpr const char* kStagedPolicy = R"(
approvals:
  - {role: technical, approver_role: engineering_lead, when: always}
  - {role: financial, approver_role: finance_director, when: always, approvers: 2}
  - {role: executive, approver_role: managing_director, when: always, stage: 2}
)";

constexpr const char* kStagedPeople = R"(
people:
  - {id: sales.kovacs, name: Kovács Anna, roles: [sales]}
  - {id: eng.lead.horvath, name: Horváth Zsófia, roles: [engineering_lead]}
  - {id: fin.varga, name: Varga Ildikó, roles: [finance_director]}
  - {id: fin.deputy, name: Fekete Ádám, roles: [finance_director]}
  - {id: ceo.lakatos, name: Lakatos Ede, roles: [managing_director]}
)";

class StagedApprovalTest : public ApprovalServiceTest {
 protected:
  void SetUp() override {
    policy_ = ApprovalPolicy::Parse(kStagedPolicy).value();
    people_ = PeopleDirectory::Parse(kStagedPeople).value();
    ApprovalServiceTest::SetUp();
  }
};

TEST_F(StagedApprovalTest, OnePersonCountsOnce) {
  DeliverPrepared(1, "100");
  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial"), &approval).ok());
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial"), &approval).ok());
  EXPECT_FALSE(approval.decisions(1).counted());
  EXPECT_EQ(approval.roles(1).approvers_size(), 1);
  EXPECT_FALSE(approval.roles(1).approved());
  ASSERT_TRUE(Decide(Decision("fin.deputy", "financial"), &approval).ok());
  EXPECT_TRUE(approval.roles(1).approved());
  EXPECT_EQ(approval.missing_roles_size(), 2);  // technical and executive
}

TEST_F(StagedApprovalTest, LaterStageWaitsForEarlier) {
  DeliverPrepared(1, "100");
  EXPECT_EQ(Pending("ceo.lakatos"), Ids{});
  grpc::Status early = Decide(Decision("ceo.lakatos", "executive"));
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(early.error_message().find("waits for the earlier stage: technical, financial"), std::string::npos)
      << early.error_message();

  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical")).ok());
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial")).ok());
  ASSERT_TRUE(Decide(Decision("fin.deputy", "financial")).ok());
  EXPECT_EQ(Pending("ceo.lakatos"), (Ids{"approval-quote-REQ-1-v1"}));
  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("ceo.lakatos", "executive"), &approval).ok());
  EXPECT_EQ(approval.state(), v1::APPROVAL_STATE_APPROVED);
}

TEST_F(StagedApprovalTest, PreparerCannotApproveEvenWithTheRole) {
  DeliverPrepared(1, "100", /*standard_terms=*/true, /*prepared_by=*/"fin.varga");
  EXPECT_EQ(Decide(Decision("fin.varga", "financial")).error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace rend::approval
