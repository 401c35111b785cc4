// Tests of escalation: the durable timer of each waiting approval role.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "services/approval/approval_test_fixture.h"

namespace rend::approval {
namespace {

constexpr const char* kEscalationPeople = R"(
people:
  - {id: sales.kovacs, name: Kovács Anna, roles: [sales]}
  - {id: eng.lead.horvath, name: Horváth Zsófia, roles: [engineering_lead], manager: ceo.lakatos}
  - {id: fin.varga, name: Varga Ildikó, roles: [finance_director], manager: ceo.lakatos}
  - {id: fin.second, name: Szűts Lili, roles: [finance_director], manager: cfo.bodnar}
  - {id: cfo.bodnar, name: Bodnár Gergely, roles: [cfo]}
  - {id: ceo.lakatos, name: Lakatos Ede, roles: [managing_director]}
)";

class EscalationTest : public ApprovalServiceTest {
 protected:
  void SetUp() override {
    people_ = PeopleDirectory::Parse(kEscalationPeople).value();
    options_.escalation_after = absl::Hours(24);
    ApprovalServiceTest::SetUp();
  }

  int Fire() {
    absl::StatusOr<int> fired = service_->EscalateDue();
    EXPECT_TRUE(fired.ok()) << fired.status();
    return fired.value_or(-1);
  }

  // The ApprovalEscalated events of the approval of quote version `version`.
  std::vector<v1::ApprovalEscalated> Escalations(uint32_t version = 1) {
    std::vector<v1::ApprovalEscalated> found;
    std::vector<es::EventRecord> events = store_->ReadStream(ApprovalId("quote-REQ-1", version)).value();
    for (const es::EventRecord& event : events) {
      if (v1::ApprovalEscalated escalated; event.payload().UnpackTo(&escalated)) found.push_back(escalated);
    }
    return found;
  }
};

TEST_F(EscalationTest, FiresOnceAfterDowntime) {
  DeliverPrepared(1, "3707600");
  absl::Time requested = now_;
  Close();
  now_ += absl::Hours(30);
  Open();

  EXPECT_EQ(Fire(), 2);
  EXPECT_EQ(Fire(), 0);
  std::vector<v1::ApprovalEscalated> escalations = Escalations();
  ASSERT_EQ(escalations.size(), 2u);
  // Roles due at the same time fire in role name order.
  EXPECT_EQ(escalations[0].role(), "financial");
  ASSERT_EQ(escalations[0].escalated_to_size(), 2);
  EXPECT_EQ(escalations[0].escalated_to(0), "ceo.lakatos");
  EXPECT_EQ(escalations[0].escalated_to(1), "cfo.bodnar");
  EXPECT_EQ(escalations[1].role(), "technical");
  ASSERT_EQ(escalations[1].escalated_to_size(), 1);
  EXPECT_EQ(escalations[1].escalated_to(0), "ceo.lakatos");
  EXPECT_EQ(FromProtoTime(escalations[1].escalated_at()), now_);
  EXPECT_EQ(FromProtoTime(Get().roles(0).escalate_at()), requested + absl::Hours(24));

  Close();
  now_ += absl::Hours(100);
  Open();
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(Escalations().size(), 2u);
}

TEST_F(EscalationTest, NotificationTextsInHungarianAndEnglish) {
  DeliverPrepared(1, "100");
  now_ += absl::Hours(24);
  ASSERT_EQ(Fire(), 1);
  v1::ApprovalEscalated escalated = Escalations().at(0);
  // 2025-01-14 09:00 UTC is 10:00 in Budapest; a host without tzdata shows UTC.
  std::string deadline = absl::StrContains(escalated.text_en(), "UTC") ? "2025-01-14 09:00 UTC" : "2025-01-14 10:00";
  EXPECT_EQ(escalated.text_hu(),
            "Késik a jóváhagyás: a(z) quote-REQ-1 árajánlat 1. változatának „technical” jóváhagyása nem történt meg "
            "a határidőig (" + deadline + "). Döntésre jogosult: eng.lead.horvath. Kérjük, gondoskodjon a döntésről.");
  EXPECT_EQ(escalated.text_en(), "Approval overdue: the technical approval of quote quote-REQ-1 v1 was not given by "
                                 "its deadline (" + deadline + "). May decide: eng.lead.horvath. Please see that it "
                                 "is decided.");
}

TEST_F(EscalationTest, WaitsUntilEscalateAt) {
  DeliverPrepared(1, "100");
  now_ += absl::Hours(24) - absl::Seconds(1);
  EXPECT_EQ(Fire(), 0);
  now_ += absl::Seconds(1);
  EXPECT_EQ(Fire(), 1);
}

TEST_F(EscalationTest, RebuildFiresNothing) {
  DeliverPrepared(1, "3707600");
  now_ += absl::Hours(30);
  uint64_t position = store_->LastPosition();
  ASSERT_TRUE(store_->RebuildProjection(ApprovalProjection::kName).ok());
  EXPECT_EQ(store_->LastPosition(), position);
  EXPECT_EQ(Fire(), 2);

  position = store_->LastPosition();
  ASSERT_TRUE(store_->RebuildProjection(ApprovalProjection::kName).ok());
  EXPECT_EQ(store_->LastPosition(), position);
  EXPECT_EQ(Fire(), 0);
  EXPECT_TRUE(Get().roles(0).escalated());
  EXPECT_TRUE(Get().roles(1).escalated());
}

TEST_F(EscalationTest, DecisionCancelsTheTimer) {
  DeliverPrepared(1, "3707600");
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical")).ok());
  now_ += absl::Hours(30);
  EXPECT_EQ(Fire(), 1);
  ASSERT_EQ(Escalations().size(), 1u);
  EXPECT_EQ(Escalations()[0].role(), "financial");
}

TEST_F(EscalationTest, RejectionCancelsEveryTimer) {
  DeliverPrepared(1, "3707600");
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial", /*approve=*/false)).ok());
  now_ += absl::Hours(30);
  EXPECT_EQ(Fire(), 0);
}

TEST_F(EscalationTest, VoidCancelsTheTimer) {
  DeliverPrepared(1, "100");
  now_ += absl::Hours(1);
  DeliverPrepared(2, "100");
  now_ += absl::Hours(23) + absl::Minutes(30);  // v1 was due, v2 is not yet
  EXPECT_EQ(Fire(), 0);
  now_ += absl::Hours(1);
  EXPECT_EQ(Fire(), 1);
  EXPECT_TRUE(Escalations(1).empty());
  EXPECT_EQ(Escalations(2).size(), 1u);
}

TEST_F(EscalationTest, NextStageIsScheduledWhenItOpens) {
  DeliverPrepared(1, "30000000");  // technical and financial, then executive
  ASSERT_EQ(Get().roles_size(), 3);
  EXPECT_FALSE(Get().roles(2).has_escalate_at());
  now_ += absl::Hours(2);
  ASSERT_TRUE(Decide(Decision("eng.lead.horvath", "technical")).ok());
  v1::Approval approval;
  ASSERT_TRUE(Decide(Decision("fin.varga", "financial"), &approval).ok());
  EXPECT_EQ(FromProtoTime(approval.roles(2).escalate_at()), now_ + absl::Hours(24));
  EXPECT_EQ(Get().SerializeAsString(), approval.SerializeAsString());

  now_ += absl::Hours(24);
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Escalations().at(0).role(), "executive");
}

TEST_F(EscalationTest, HistoryShowsEscalation) {
  DeliverPrepared(1, "100");
  now_ += absl::Hours(25);
  ASSERT_EQ(Fire(), 1);
  v1::Approval approval = Get();
  const v1::HistoryEntry& entry = *approval.history().rbegin();
  EXPECT_EQ(entry.kind(), v1::HISTORY_KIND_ESCALATED);
  EXPECT_EQ(entry.role(), "technical");
  EXPECT_EQ(entry.detail(), "escalated to ceo.lakatos");
  EXPECT_EQ(FromProtoTime(entry.at()), now_);
}

TEST_F(EscalationTest, RpcRunsThePass) {
  DeliverPrepared(1, "100");
  now_ += absl::Hours(25);
  v1::FireDueEscalationsRequest request;
  v1::FireDueEscalationsResponse response;
  ASSERT_TRUE(service_->FireDueEscalations(nullptr, &request, &response).ok());
  EXPECT_EQ(response.fired(), 1);
}

class NoEscalationTest : public EscalationTest {
 protected:
  void SetUp() override {
    EscalationTest::SetUp();
    Close();
    options_.escalation_after = absl::ZeroDuration();
    Open();
  }
};

TEST_F(NoEscalationTest, ZeroWaitNeverEscalates) {
  DeliverPrepared(1, "3707600");
  EXPECT_FALSE(Get().roles(0).has_escalate_at());
  now_ += absl::Hours(24 * 365);
  EXPECT_EQ(Fire(), 0);
}

}  // namespace
}  // namespace rend::approval
