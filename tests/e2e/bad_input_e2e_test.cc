// Bad input over real gRPC: each gets a precise status and writes nothing.
#include <map>

#include "absl/strings/match.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/channel.h"
#include "rend/approval/v1/approval.grpc.pb.h"
#include "rend/billing/v1/billing.grpc.pb.h"
#include "rend/costing/v1/costing.grpc.pb.h"
#include "rend/intake/v1/intake.grpc.pb.h"
#include "rend/process/v1/process.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace rend::tools {
namespace {

class BadInputE2eTest : public StackTest {
 protected:
  void SetUp() override {
    StackTest::SetUp();
    if (HasFatalFailure()) return;
    auto channel = [&](const char* name) {
      return CreateServiceChannel(stack_->Address(name));
    };
    intake_ = rend::intake::v1::IntakeService::NewStub(channel("intake"));
    process_ = rend::process::v1::ProcessService::NewStub(channel("process"));
    costing_ = rend::costing::v1::CostingService::NewStub(channel("costing"));
    approval_ = rend::approval::v1::ApprovalService::NewStub(channel("approval"));
    billing_ = rend::billing::v1::BillingService::NewStub(channel("billing"));
    for (const std::string& service : Stack::ServiceNames()) positions_[service] = LastPosition(service);
  }

  void ExpectNothingWritten() {
    for (const std::string& service : Stack::ServiceNames()) {
      EXPECT_EQ(LastPosition(service), positions_[service]) << service << " wrote an event";
    }
  }

  static void ExpectStatus(const grpc::Status& status, grpc::StatusCode code, const std::string& prefix) {
    EXPECT_EQ(status.error_code(), code) << status.error_message();
    EXPECT_TRUE(absl::StartsWith(status.error_message(), prefix)) << status.error_message();
  }

  static rend::common::v1::CommandContext Context() {
    rend::common::v1::CommandContext context;
    context.set_request_id("bad-input-1");
    context.set_actor("sales.kovacs");
    return context;
  }

  std::unique_ptr<rend::intake::v1::IntakeService::Stub> intake_;
  std::unique_ptr<rend::process::v1::ProcessService::Stub> process_;
  std::unique_ptr<rend::costing::v1::CostingService::Stub> costing_;
  std::unique_ptr<rend::approval::v1::ApprovalService::Stub> approval_;
  std::unique_ptr<rend::billing::v1::BillingService::Stub> billing_;
  std::map<std::string, uint64_t> positions_;
};

TEST_F(BadInputE2eTest, MissingFieldsAreNamed) {
  rend::intake::v1::SubmitRequestRequest request;
  *request.mutable_context() = Context();
  request.set_type(rend::intake::v1::REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE);
  rend::intake::v1::SubmitRequestResponse response;
  grpc::ClientContext context;
  ExpectStatus(intake_->SubmitRequest(&context, request, &response), grpc::StatusCode::INVALID_ARGUMENT,
               "customer.external_id");

  rend::intake::v1::SubmitRequestRequest no_context;
  grpc::ClientContext context2;
  ExpectStatus(intake_->SubmitRequest(&context2, no_context, &response), grpc::StatusCode::INVALID_ARGUMENT,
               "context.request_id");
  ExpectNothingWritten();
}

TEST_F(BadInputE2eTest, MalformedMoneyIsNamed) {
  rend::costing::v1::AddCostLineRequest request;
  *request.mutable_context() = Context();
  request.set_sheet_id("costsheet-REQ-none");
  request.set_kind(rend::costing::v1::COST_LINE_KIND_MATERIAL);
  request.set_description("sheet");
  request.set_quantity("1600");
  request.set_unit("kg");
  request.set_unit_cost("4,20");
  request.set_source(rend::costing::v1::FIGURE_SOURCE_SUPPLIER_ANSWER);
  rend::costing::v1::CostSheet sheet;
  grpc::ClientContext context;
  grpc::Status status = costing_->AddCostLine(&context, request, &sheet);
  // Either the malformed amount or the unknown sheet may be reported first,
  // but never success.
  EXPECT_TRUE(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
              status.error_code() == grpc::StatusCode::NOT_FOUND)
      << status.error_message();
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    EXPECT_TRUE(absl::StartsWith(status.error_message(), "unit_cost")) << status.error_message();
  }
  ExpectNothingWritten();
}

TEST_F(BadInputE2eTest, UnknownIdsAreNotFound) {
  {
    grpc::ClientContext context;
    rend::intake::v1::GetRequestRequest request;
    request.set_request_id("REQ-none");
    rend::intake::v1::Request response;
    EXPECT_EQ(intake_->GetRequest(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    rend::process::v1::StatusRequest request;
    request.set_request_id("REQ-none");
    rend::process::v1::StatusResponse response;
    EXPECT_EQ(process_->GetStatus(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    rend::process::v1::ClaimTaskRequest request;
    *request.mutable_context() = Context();
    request.set_task_id("no-such-task");
    rend::process::v1::TaskResponse response;
    EXPECT_EQ(process_->ClaimTask(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    rend::approval::v1::GetApprovalRequest request;
    request.set_quote_id("quote-REQ-none");
    request.set_quote_version(1);
    rend::approval::v1::Approval response;
    EXPECT_EQ(approval_->GetApproval(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    rend::billing::v1::GetInvoiceRequest request;
    request.set_invoice_number("RND-2026-999999");
    rend::billing::v1::Invoice response;
    EXPECT_EQ(billing_->GetInvoice(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  ExpectNothingWritten();
}

TEST_F(BadInputE2eTest, SendingAnUnknownQuoteChangesNothing) {
  grpc::ClientContext context;
  rend::costing::v1::QuoteCommandRequest request;
  *request.mutable_context() = Context();
  request.set_quote_id("quote-REQ-none");
  request.set_quote_version(1);
  rend::costing::v1::Quote quote;
  EXPECT_EQ(costing_->SendQuote(&context, request, &quote).error_code(), grpc::StatusCode::NOT_FOUND);
  ExpectNothingWritten();
}

}  // namespace
}  // namespace rend::tools
