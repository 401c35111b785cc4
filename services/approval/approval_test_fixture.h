// ApprovalServiceTest: the shared fixture of the approval service tests.
#ifndef REND_SERVICES_APPROVAL_APPROVAL_TEST_FIXTURE_H_
#define REND_SERVICES_APPROVAL_APPROVAL_TEST_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "libs/testing/temp_dir.h"
#include "rend/costing/v1/costing.pb.h"
#include "services/approval/approval_service.h"

namespace rend::approval {

// The demo company's approvers, plus boss.both with two approver roles.
constexpr const char* kPeople = R"(
people:
  - {id: sales.kovacs, name: Kovács Anna, roles: [sales]}
  - {id: eng.lead.horvath, name: Horváth Zsófia, roles: [engineer, engineering_lead]}
  - {id: fin.varga, name: Varga Ildikó, roles: [finance_director, cost_accountant]}
  - {id: legal.kiss, name: Kiss Dóra, roles: [legal_counsel]}
  - {id: boss.both, name: Both Bence, roles: [engineering_lead, finance_director]}
)";

// A fixture with a real event store in a temporary directory and a fake
// clock that only the test moves.
class ApprovalServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  // Opens the store and a service on it, as a process start does.
  void Open() {
    store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "approval"}, {&projection_}).value();
    service_ = std::make_unique<ApprovalServiceImpl>(store_.get(), &policy_, &people_, options_,
                                                     [this] { return now_; });
  }

  // Closes the service and the store, as a process stop does.
  void Close() {
    service_.reset();
    store_.reset();
  }

  // Delivers costing's QuotePrepared as the consumer would.
  void DeliverPrepared(uint32_t version, const char* net, bool standard_terms = true,
                       const char* prepared_by = "sales.kovacs") {
    rend::costing::v1::QuotePrepared prepared;
    rend::costing::v1::Quote* quote = prepared.mutable_quote();
    quote->set_quote_id("quote-REQ-1");
    quote->set_quote_version(version);
    quote->set_request_id("REQ-1");
    quote->set_currency("HUF");
    quote->set_net(net);
    quote->set_standard_terms(standard_terms);
    quote->set_prepared_by(prepared_by);
    es::EventRecord event;
    event.set_event_id(NewUuid());
    event.mutable_payload()->PackFrom(prepared);
    auto append = service_->HandleCostingEvent(event);
    ASSERT_TRUE(append.ok()) << append.status();
    if (append->has_value()) {
      ASSERT_TRUE(store_->Append(std::move(**append)).ok());
    }
  }

  v1::DecideRequest Decision(const char* actor, const char* role, bool approve = true, uint32_t version = 1) {
    v1::DecideRequest request;
    request.mutable_context()->set_request_id("decide-" + std::to_string(++command_count_));
    request.mutable_context()->set_actor(actor);
    request.set_quote_id("quote-REQ-1");
    request.set_quote_version(version);
    request.set_role(role);
    request.set_approve(approve);
    if (!approve) request.set_reason("price too low for the welding effort");
    return request;
  }

  grpc::Status Decide(const v1::DecideRequest& request, v1::Approval* approval = nullptr) {
    v1::Approval ignored;
    return service_->Decide(nullptr, &request, approval ? approval : &ignored);
  }

  v1::Approval Get(uint32_t version = 1) {
    v1::GetApprovalRequest request;
    request.set_quote_id("quote-REQ-1");
    request.set_quote_version(version);
    v1::Approval approval;
    EXPECT_TRUE(service_->GetApproval(nullptr, &request, &approval).ok());
    return approval;
  }

  std::vector<std::string> Pending(const char* approver) {
    v1::ListPendingRequest request;
    request.set_approver(approver);
    v1::ListPendingResponse response;
    EXPECT_TRUE(service_->ListPending(nullptr, &request, &response).ok());
    std::vector<std::string> ids;
    for (const v1::Approval& approval : response.approvals()) ids.push_back(approval.approval_id());
    return ids;
  }

  testing::TempDir dir_;
  ApprovalProjection projection_;
  ApprovalPolicy policy_ = ApprovalPolicy::Load(REND_APPROVAL_POLICY_PATH).value();
  PeopleDirectory people_ = PeopleDirectory::Parse(kPeople).value();
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<ApprovalServiceImpl> service_;
  int command_count_ = 0;
  ApprovalOptions options_;
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2025, 1, 13, 9, 0, 0), absl::UTCTimeZone());
};

}  // namespace rend::approval

#endif  // REND_SERVICES_APPROVAL_APPROVAL_TEST_FIXTURE_H_
