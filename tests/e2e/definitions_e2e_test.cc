// Every shipped process definition driven through the real services: a
// request of its type is submitted to intake, and people holding each
// task's role claim and complete the tasks until the process completes.
// The custom product quote has its own scenario test.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/channel.h"
#include "libs/directory/people.h"
#include "rend/approval/v1/approval.grpc.pb.h"
#include "rend/billing/v1/billing.grpc.pb.h"
#include "rend/costing/v1/costing.grpc.pb.h"
#include "rend/intake/v1/intake.grpc.pb.h"
#include "rend/process/v1/process.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace rend::tools {
namespace {

namespace approval = rend::approval::v1;
namespace billing = rend::billing::v1;
namespace costing = rend::costing::v1;
namespace intake = rend::intake::v1;
namespace process = rend::process::v1;

class DefinitionsE2eTest : public StackTest {
 protected:
  void SetUp() override {
    StackTest::SetUp();
    if (HasFatalFailure()) return;
    intake_ = intake::IntakeService::NewStub(CreateServiceChannel(stack_->Address("intake")));
    process_ = process::ProcessService::NewStub(CreateServiceChannel(stack_->Address("process")));
    costing_ = costing::CostingService::NewStub(CreateServiceChannel(stack_->Address("costing")));
    approval_ = approval::ApprovalService::NewStub(CreateServiceChannel(stack_->Address("approval")));
    billing_ = billing::BillingService::NewStub(CreateServiceChannel(stack_->Address("billing")));
    absl::StatusOr<PeopleDirectory> people = PeopleDirectory::Load(REND_SOURCE_DIR "/deploy/config/people.yaml");
    ASSERT_TRUE(people.ok()) << people.status();
    people_ = std::move(*people);
  }

  std::string Submit(intake::RequestType type) {
    intake::SubmitRequestRequest request;
    request.mutable_context()->set_request_id(absl::StrCat("definitions-", intake::RequestType_Name(type)));
    request.mutable_context()->set_actor("sales.kovacs");
    request.set_type(type);
    request.mutable_customer()->set_external_id("crm-10442");
    request.mutable_customer()->set_name("Dunamenti Gépgyártó Zrt.");
    request.mutable_need()->set_description("Konzol, rajz szerint");
    request.mutable_need()->set_quantity("500");
    request.mutable_need()->set_unit("db");
    request.mutable_wanted_delivery_date()->set_year(2027);
    request.mutable_wanted_delivery_date()->set_month(3);
    request.mutable_wanted_delivery_date()->set_day(1);
    grpc::ClientContext context;
    intake::SubmitRequestResponse response;
    grpc::Status status = intake_->SubmitRequest(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.request_id();
  }

  // Claims and completes `task` as the first person holding its role.
  void Complete(const process::Task& task) {
    std::vector<const Person*> eligible = people_.WithRole(task.role());
    ASSERT_FALSE(eligible.empty()) << "nobody has the role " << task.role();
    const std::string& actor = eligible.front()->id;
    process::CompleteTaskRequest request;
    request.mutable_context()->set_request_id(absl::StrCat("complete-", task.task_id()));
    request.mutable_context()->set_actor(actor);
    request.set_task_id(task.task_id());
    (*request.mutable_output())["standard_payment_terms"] = "false";
    (*request.mutable_output())["note"] = "end-to-end test";
    grpc::ClientContext context;
    context.set_wait_for_ready(true);
    process::TaskResponse response;
    grpc::Status status = process_->CompleteTask(&context, request, &response);
    ASSERT_TRUE(status.ok()) << task.step_id() << " as " << actor << ": " << status.error_message();
  }

  // Completes open tasks until the instance completes or 60 s pass; returns
  // the final state.
  process::InstanceState DriveToCompletion(const std::string& request_id) {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      process::StatusRequest status_request;
      status_request.set_request_id(request_id);
      process::StatusResponse status;
      grpc::ClientContext context;
      context.set_wait_for_ready(true);
      grpc::Status got = process_->GetStatus(&context, status_request, &status);
      if (got.ok() && status.state() == process::INSTANCE_STATE_COMPLETED) return status.state();
      if (got.ok()) {
        for (const process::OpenStep& open : status.open_steps()) {
          if (open.task().kind() != process::STEP_KIND_USER_TASK) continue;
          Complete(open.task());
          if (HasFatalFailure()) return process::INSTANCE_STATE_UNSPECIFIED;
        }
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return process::INSTANCE_STATE_RUNNING;
  }

  std::set<std::string> FinishedSteps(const std::string& request_id) {
    process::StatusRequest request;
    request.set_request_id(request_id);
    process::TimelineResponse timeline;
    grpc::ClientContext context;
    EXPECT_TRUE(process_->GetTimeline(&context, request, &timeline).ok());
    std::set<std::string> steps;
    for (const auto& entry : timeline.entries()) {
      if (entry.finished_at().seconds() > 0) steps.insert(entry.step_id());
    }
    return steps;
  }

  // Calls `rpc` until it succeeds or fails with a code other than NOT_FOUND
  // (an entity another service creates from an event) within 30 s.
  static grpc::Status Retry(const std::function<grpc::Status(grpc::ClientContext&)>& rpc) {
    absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (true) {
      grpc::ClientContext context;
      context.set_wait_for_ready(true);
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      grpc::Status status = rpc(context);
      if (status.error_code() != grpc::StatusCode::NOT_FOUND || absl::Now() > deadline) return status;
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  static rend::common::v1::CommandContext Context(const std::string& actor, const std::string& step) {
    rend::common::v1::CommandContext context;
    context.set_request_id(absl::StrCat("catalogue-", step));
    context.set_actor(actor);
    return context;
  }

  // Prices a catalogue item: 100 pcs at 1,000 HUF cost with a 20 % margin.
  costing::CostSheet PriceCatalogueItem(const std::string& request_id) {
    costing::OpenCostSheetRequest open;
    *open.mutable_context() = Context("cost.toth", "open");
    open.set_request_id(request_id);
    costing::CostSheet sheet;
    EXPECT_TRUE(Retry([&](grpc::ClientContext& c) { return costing_->OpenCostSheet(&c, open, &sheet); }).ok());
    costing::AddCostLineRequest line;
    *line.mutable_context() = Context("cost.toth", "line");
    line.set_sheet_id(sheet.sheet_id());
    line.set_kind(costing::COST_LINE_KIND_MATERIAL);
    line.set_description("Katalógus konzol");
    line.set_quantity("100");
    line.set_unit("db");
    line.set_unit_cost("1000");
    line.set_source(costing::FIGURE_SOURCE_RATE_TABLE);
    EXPECT_TRUE(Retry([&](grpc::ClientContext& c) { return costing_->AddCostLine(&c, line, &sheet); }).ok());
    costing::SetPricingRequest pricing;
    *pricing.mutable_context() = Context("cost.toth", "pricing");
    pricing.set_sheet_id(sheet.sheet_id());
    pricing.set_overhead_rate_percent("0");
    pricing.set_margin_percent("20");
    EXPECT_TRUE(Retry([&](grpc::ClientContext& c) { return costing_->SetPricing(&c, pricing, &sheet); }).ok());
    costing::FinalizeCostSheetRequest finalize;
    *finalize.mutable_context() = Context("cost.toth", "finalize");
    finalize.set_sheet_id(sheet.sheet_id());
    EXPECT_TRUE(Retry([&](grpc::ClientContext& c) { return costing_->FinalizeCostSheet(&c, finalize, &sheet); }).ok());
    return sheet;
  }

  costing::Quote QuoteApproveAndAccept(const costing::CostSheet& sheet) {
    costing::PrepareQuoteRequest prepare;
    *prepare.mutable_context() = Context("sales.kovacs", "prepare");
    prepare.set_sheet_id(sheet.sheet_id());
    prepare.set_line_description("Katalógus konzol");
    prepare.set_quantity("100");
    prepare.set_unit("db");
    prepare.set_vat_rate_percent("27");
    prepare.set_standard_terms(true);
    costing::Quote quote;
    EXPECT_TRUE(Retry([&](grpc::ClientContext& c) { return costing_->PrepareQuote(&c, prepare, &quote); }).ok());

    approval::DecideRequest decide;
    *decide.mutable_context() = Context("eng.lead.horvath", "approve");
    decide.set_quote_id(quote.quote_id());
    decide.set_quote_version(quote.quote_version());
    decide.set_role("technical");
    decide.set_approve(true);
    approval::Approval decided;
    grpc::Status approved = Retry([&](grpc::ClientContext& c) { return approval_->Decide(&c, decide, &decided); });
    EXPECT_TRUE(approved.ok()) << approved.error_message();

    for (const char* step : {"send", "accept"}) {
      costing::QuoteCommandRequest command;
      *command.mutable_context() = Context(std::string(step) == "send" ? "sales.kovacs" : "customer.crm-10442", step);
      command.set_quote_id(quote.quote_id());
      command.set_quote_version(quote.quote_version());
      grpc::Status status = Retry([&](grpc::ClientContext& c) {
        return std::string(step) == "send" ? costing_->SendQuote(&c, command, &quote)
                                           : costing_->AcceptQuote(&c, command, &quote);
      });
      EXPECT_TRUE(status.ok()) << step << ": " << status.error_message();
    }
    return quote;
  }

  PeopleDirectory people_;
  std::unique_ptr<intake::IntakeService::Stub> intake_;
  std::unique_ptr<process::ProcessService::Stub> process_;
  std::unique_ptr<costing::CostingService::Stub> costing_;
  std::unique_ptr<approval::ApprovalService::Stub> approval_;
  std::unique_ptr<billing::BillingService::Stub> billing_;
};

TEST_F(DefinitionsE2eTest, CatalogueQuoteRunsThroughCostingApprovalAndBilling) {
  std::string request_id = Submit(intake::REQUEST_TYPE_CATALOGUE_QUOTE);
  ASSERT_FALSE(request_id.empty());
  costing::CostSheet sheet = PriceCatalogueItem(request_id);
  EXPECT_EQ(sheet.totals().total_cost(), "100000");
  EXPECT_EQ(sheet.totals().net_price(), "125000");
  costing::Quote quote = QuoteApproveAndAccept(sheet);
  EXPECT_EQ(quote.net(), "125000");
  EXPECT_EQ(quote.vat(), "33750");
  EXPECT_EQ(quote.gross(), "158750");
  EXPECT_EQ(quote.state(), costing::QUOTE_STATE_ACCEPTED);

  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  EXPECT_EQ(FinishedSteps(request_id), (std::set<std::string>{"record_need", "formal_quote", "send_quote",
                                                              "customer_acceptance", "invoicing"}));
  billing::ListInvoicesRequest list;
  list.set_request_id(request_id);
  billing::ListInvoicesResponse invoices;
  grpc::ClientContext context;
  ASSERT_TRUE(billing_->ListInvoices(&context, list, &invoices).ok());
  ASSERT_EQ(invoices.invoices_size(), 1);
  EXPECT_EQ(invoices.invoices(0).gross(), "158750");
}

TEST_F(DefinitionsE2eTest, ComplaintRunsToCompletion) {
  std::string request_id = Submit(intake::REQUEST_TYPE_COMPLAINT);
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  EXPECT_EQ(FinishedSteps(request_id).size(), 4u);
}

TEST_F(DefinitionsE2eTest, NewNeedRunsToCompletion) {
  std::string request_id = Submit(intake::REQUEST_TYPE_NEW_NEED);
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  EXPECT_EQ(FinishedSteps(request_id),
            (std::set<std::string>{"record_need", "feasibility", "decision", "customer_agreement"}));
}

TEST_F(DefinitionsE2eTest, ContractWithOwnPaymentTermsGoesThroughLegal) {
  std::string request_id = Submit(intake::REQUEST_TYPE_CONTRACT);
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  std::set<std::string> steps = FinishedSteps(request_id);
  EXPECT_EQ(steps.size(), 6u);
}

TEST_F(DefinitionsE2eTest, FulfilmentRunsThroughItsMilestones) {
  std::string request_id = Submit(intake::REQUEST_TYPE_FULFILMENT);
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  EXPECT_EQ(FinishedSteps(request_id),
            (std::set<std::string>{"plan_production", "order_material", "advance_invoice", "production",
                                   "quality_check", "delivery", "final_invoice"}));
}

}  // namespace
}  // namespace rend::tools
