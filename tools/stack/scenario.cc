#include "tools/stack/scenario.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/channel.h"
#include "libs/common/decimal.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "rend/approval/v1/approval.grpc.pb.h"
#include "rend/billing/v1/billing.grpc.pb.h"
#include "rend/costing/v1/costing.grpc.pb.h"
#include "rend/intake/v1/intake.grpc.pb.h"
#include "rend/process/v1/process.grpc.pb.h"
#include "tools/stack/money_format.h"

namespace rend::tools {
namespace {

namespace approval = rend::approval::v1;
namespace billing = rend::billing::v1;
namespace costing = rend::costing::v1;
namespace intake = rend::intake::v1;
namespace process = rend::process::v1;

// People of deploy/config/people.yaml who act in the scenario.
constexpr char kSales[] = "sales.kovacs";
constexpr char kEngineer[] = "eng.nagy";
constexpr char kBuyer[] = "buyer.szabo";
constexpr char kCostAccountant[] = "cost.toth";
constexpr char kEngineeringLead[] = "eng.lead.horvath";
constexpr char kFinanceDirector[] = "fin.varga";
constexpr char kCustomer[] = "customer.crm-10442";

absl::Status FromGrpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat(what, ": ", status.error_message()));
}

absl::CivilDay TodayInBudapest() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/Budapest", &zone)) zone = absl::UTCTimeZone();
  return absl::ToCivilDay(absl::Now(), zone);
}

class Runner {
 public:
  explicit Runner(const ScenarioOptions& options) : options_(options), run_id_(NewUuid().substr(0, 8)) {
    auto channel = [&](const char* name) {
      return CreateServiceChannel(options.addresses.at(name));
    };
    intake_ = intake::IntakeService::NewStub(channel("intake"));
    process_ = process::ProcessService::NewStub(channel("process"));
    costing_ = costing::CostingService::NewStub(channel("costing"));
    approval_ = approval::ApprovalService::NewStub(channel("approval"));
    billing_ = billing::BillingService::NewStub(channel("billing"));
  }

  absl::StatusOr<ScenarioResult> Run() {
    REND_RETURN_IF_ERROR(Step("submit_request", [&] { return SubmitRequest(); }));
    REND_RETURN_IF_ERROR(Step("record_need", [&] { return RecordNeed(); }));
    REND_RETURN_IF_ERROR(Step("engineering_assessment", [&] { return AssessDrawing(); }));
    REND_RETURN_IF_ERROR(Step("procurement_check", [&] { return AskSupplier(); }));
    REND_RETURN_IF_ERROR(Step("cost_lines", [&] { return EnterCostLines(); }));
    REND_RETURN_IF_ERROR(Step("costing", [&] { return FinalizeCosts(); }));
    REND_RETURN_IF_ERROR(Step("formal_quote", [&] { return PrepareQuote(); }));
    REND_RETURN_IF_ERROR(Step("send_blocked", [&] { return TrySendUnapproved(); }));
    REND_RETURN_IF_ERROR(Step("approvals", [&] { return Approve(); }));
    REND_RETURN_IF_ERROR(Step("send_quote", [&] { return SendQuote(); }));
    REND_RETURN_IF_ERROR(Step("customer_acceptance", [&] { return Accept(); }));
    REND_RETURN_IF_ERROR(Step("invoicing", [&] { return AwaitInvoice(); }));
    REND_RETURN_IF_ERROR(Step("documents", [&] { return FetchDocuments(); }));
    REND_RETURN_IF_ERROR(Step("completed", [&] { return AwaitCompletion(); }));
    return result_;
  }

 private:
  absl::Status Step(const std::string& name, const std::function<absl::Status()>& body) {
    absl::Status status = body();
    if (!status.ok()) return absl::Status(status.code(), absl::StrCat("step ", name, ": ", status.message()));
    if (options_.after_step) REND_RETURN_IF_ERROR(options_.after_step(name));
    return absl::OkStatus();
  }

  void Narrate(const std::string& hu, const std::string& en) {
    if (options_.narrate) options_.narrate(hu, en);
  }

  rend::common::v1::CommandContext Context(const std::string& actor, const std::string& step) {
    rend::common::v1::CommandContext context;
    context.set_request_id(absl::StrCat("demo-", run_id_, "-", step));
    context.set_actor(actor);
    return context;
  }

  // Calls `rpc` until it succeeds, fails with a code other than the
  // transient ones, or the wait timeout passes. `retry_not_found` also
  // waits for an entity that another service creates asynchronously.
  grpc::Status Call(const std::function<grpc::Status(grpc::ClientContext&)>& rpc, bool retry_not_found = false) {
    absl::Time deadline = absl::Now() + options_.wait_timeout;
    while (true) {
      grpc::ClientContext context;
      // A restarting service is waited for instead of failing at once.
      context.set_wait_for_ready(true);
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      grpc::Status status = rpc(context);
      bool transient = status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                       status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
                       status.error_code() == grpc::StatusCode::ABORTED ||
                       (retry_not_found && status.error_code() == grpc::StatusCode::NOT_FOUND);
      if (!transient || absl::Now() >= deadline) return status;
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  // Polls until `done` returns true, an error, or the wait timeout passes.
  absl::Status WaitUntil(const std::string& what, const std::function<absl::StatusOr<bool>()>& done) {
    absl::Time deadline = absl::Now() + options_.wait_timeout;
    while (absl::Now() < deadline) {
      absl::StatusOr<bool> reached = done();
      if (!reached.ok()) return reached.status();
      if (*reached) return absl::OkStatus();
      absl::SleepFor(absl::Milliseconds(100));
    }
    return absl::DeadlineExceededError(absl::StrCat("timed out waiting for ", what));
  }

  // Waits until the process has an unfinished task for `step_id`.
  absl::StatusOr<process::Task> AwaitTask(const std::string& step_id) {
    process::Task found;
    REND_RETURN_IF_ERROR(WaitUntil(absl::StrCat("task ", step_id), [&]() -> absl::StatusOr<bool> {
      process::ListTasksRequest request;
      request.set_request_id(result_.request_id);
      process::ListTasksResponse response;
      grpc::Status status = Call([&](grpc::ClientContext& c) { return process_->ListTasks(&c, request, &response); });
      REND_RETURN_IF_ERROR(FromGrpc(status, "list tasks"));
      for (const process::Task& task : response.tasks()) {
        if (task.step_id() == step_id && task.state() != process::TASK_STATE_COMPLETED) {
          found = task;
          return true;
        }
      }
      return false;
    }));
    return found;
  }

  absl::Status AwaitTaskCompleted(const std::string& step_id) {
    return WaitUntil(absl::StrCat(step_id, " to complete"), [&]() -> absl::StatusOr<bool> {
      process::ListTasksRequest request;
      request.set_request_id(result_.request_id);
      request.set_include_completed(true);
      process::ListTasksResponse response;
      grpc::Status status = Call([&](grpc::ClientContext& c) { return process_->ListTasks(&c, request, &response); });
      REND_RETURN_IF_ERROR(FromGrpc(status, "list tasks"));
      for (const process::Task& task : response.tasks()) {
        if (task.step_id() == step_id && task.state() == process::TASK_STATE_COMPLETED) return true;
      }
      return false;
    });
  }

  absl::Status Claim(const process::Task& task, const std::string& actor) {
    if (task.state() == process::TASK_STATE_CLAIMED && task.holder() == actor) return absl::OkStatus();
    process::ClaimTaskRequest request;
    *request.mutable_context() = Context(actor, absl::StrCat("claim-", task.step_id()));
    request.set_task_id(task.task_id());
    process::TaskResponse response;
    return FromGrpc(Call([&](grpc::ClientContext& c) { return process_->ClaimTask(&c, request, &response); }),
                    absl::StrCat("claim ", task.step_id()));
  }

  absl::Status CompleteUserTask(const std::string& step_id, const std::string& actor,
                                const std::map<std::string, std::string>& output) {
    REND_ASSIGN_OR_RETURN(process::Task task, AwaitTask(step_id));
    REND_RETURN_IF_ERROR(Claim(task, actor));
    process::CompleteTaskRequest request;
    *request.mutable_context() = Context(actor, absl::StrCat("complete-", step_id));
    request.set_task_id(task.task_id());
    for (const auto& [key, value] : output) (*request.mutable_output())[key] = value;
    process::TaskResponse response;
    return FromGrpc(Call([&](grpc::ClientContext& c) { return process_->CompleteTask(&c, request, &response); }),
                    absl::StrCat("complete ", step_id));
  }

  absl::Status SubmitRequest() {
    intake::SubmitRequestRequest request;
    *request.mutable_context() = Context(kSales, "submit");
    request.set_type(intake::REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE);
    request.mutable_customer()->set_external_id("crm-10442");
    request.mutable_customer()->set_name("Dunamenti Gépgyártó Zrt.");
    // Invoicing data as the CRM stores it (a fictitious company).
    request.mutable_customer()->set_vat_status(intake::CUSTOMER_VAT_STATUS_DOMESTIC);
    request.mutable_customer()->set_tax_number("12345676-2-07");
    intake::Address* address = request.mutable_customer()->mutable_address();
    address->set_country_code("HU");
    address->set_postal_code("2400");
    address->set_city("Dunaújváros");
    address->set_street_name("Papírgyári");
    address->set_public_place_category("út");
    address->set_number("12.");
    request.mutable_need()->set_description("Hegesztett acél konzol, S235JR, rajz szerint");
    request.mutable_need()->set_quantity("500");
    request.mutable_need()->set_unit("db");
    intake::DrawingRef* drawing = request.mutable_need()->add_drawings();
    drawing->set_number("DGY-BR-220");
    drawing->set_revision("C");
    *request.mutable_wanted_delivery_date() = ToProtoDate(TodayInBudapest() + 56);
    intake::SubmitRequestResponse response;
    REND_RETURN_IF_ERROR(FromGrpc(
        Call([&](grpc::ClientContext& c) { return intake_->SubmitRequest(&c, request, &response); }), "submit"));
    result_.request_id = response.request_id();
    Narrate(absl::StrCat("Értékesítés rögzítette az ajánlatkérést: ", result_.request_id),
            absl::StrCat("Sales recorded the quote request: ", result_.request_id));
    return absl::OkStatus();
  }

  absl::Status RecordNeed() {
    REND_RETURN_IF_ERROR(CompleteUserTask("record_need", kSales, {{"drawing", "DGY-BR-220 rev C"}}));
    Narrate("Az igény rögzítve, a rajz a tervezéshez került", "Need recorded, drawing passed to engineering");
    return absl::OkStatus();
  }

  absl::Status AssessDrawing() {
    REND_RETURN_IF_ERROR(CompleteUserTask("engineering_assessment", kEngineer,
                                          {{"material", "S235JR 4 mm steel sheet"},
                                           {"material_kg_per_piece", "3.2"},
                                           {"labour_hours_per_piece", "0.35"},
                                           {"operations", "laser cutting, welding"}}));
    Narrate("Tervezés: 3,2 kg S235JR 4 mm lemez/db, lézervágás és hegesztés, 0,35 munkaóra/db",
            "Engineering: 3.2 kg S235JR 4 mm sheet per piece, laser cutting and welding, 0.35 labour hours per piece");
    return absl::OkStatus();
  }

  absl::Status AskSupplier() {
    REND_RETURN_IF_ERROR(CompleteUserTask("procurement_check", kBuyer,
                                          {{"supplier_price_huf_per_kg", "420"},
                                           {"available_in_working_days", "10"}}));
    Narrate("Beszerzés: a beszállító 420 Ft/kg áron, 10 munkanap múlva tudja szállítani a lemezt",
            "Procurement: the supplier offers the sheet at 420 HUF/kg, available in 10 working days");
    return absl::OkStatus();
  }

  absl::Status AddLine(costing::CostLineKind kind, const std::string& description, const Decimal& quantity,
                       const std::string& unit, const std::string& unit_cost, costing::FigureSource source,
                       const std::string& step) {
    costing::AddCostLineRequest request;
    *request.mutable_context() = Context(kCostAccountant, step);
    request.set_sheet_id(result_.cost_sheet.sheet_id());
    request.set_kind(kind);
    request.set_description(description);
    request.set_quantity(quantity.ToString());
    request.set_unit(unit);
    request.set_unit_cost(unit_cost);
    request.set_source(source);
    return FromGrpc(Call([&](grpc::ClientContext& c) {
                      return costing_->AddCostLine(&c, request, &result_.cost_sheet);
                    }),
                    absl::StrCat("add cost line ", step));
  }

  absl::Status EnterCostLines() {
    REND_ASSIGN_OR_RETURN(process::Task task, AwaitTask("costing"));
    REND_RETURN_IF_ERROR(Claim(task, kCostAccountant));
    costing::OpenCostSheetRequest open;
    *open.mutable_context() = Context(kCostAccountant, "open-sheet");
    open.set_request_id(result_.request_id);
    open.set_currency("HUF");
    REND_RETURN_IF_ERROR(FromGrpc(Call([&](grpc::ClientContext& c) {
                                    return costing_->OpenCostSheet(&c, open, &result_.cost_sheet);
                                  }, /*retry_not_found=*/true),
                                  "open cost sheet"));

    // Quantities follow from the engineering assessment for 500 pieces.
    Decimal pieces = Decimal::FromInteger(500);
    REND_ASSIGN_OR_RETURN(Decimal kg, Decimal::Parse("3.2").value().Multiply(pieces));
    REND_ASSIGN_OR_RETURN(Decimal hours, Decimal::Parse("0.35").value().Multiply(pieces));
    REND_RETURN_IF_ERROR(AddLine(costing::COST_LINE_KIND_MATERIAL, "S235JR 4 mm acéllemez", kg, "kg", "420",
                                 costing::FIGURE_SOURCE_SUPPLIER_ANSWER, "line-material"));
    REND_RETURN_IF_ERROR(AddLine(costing::COST_LINE_KIND_LABOUR, "Lézervágás és hegesztés", hours, "h", "9800",
                                 costing::FIGURE_SOURCE_RATE_TABLE, "line-labour"));
    REND_RETURN_IF_ERROR(AddLine(costing::COST_LINE_KIND_SHIPPING, "Szállítás", Decimal::FromInteger(1), "tétel",
                                 "85000", costing::FIGURE_SOURCE_RATE_TABLE, "line-shipping"));
    Narrate("Költségkalkuláció: anyag, munkadíj és szállítás rögzítve",
            "Costing: material, labour and shipping lines entered");
    return absl::OkStatus();
  }

  absl::Status FinalizeCosts() {
    costing::SetPricingRequest pricing;
    *pricing.mutable_context() = Context(kCostAccountant, "pricing");
    pricing.set_sheet_id(result_.cost_sheet.sheet_id());
    pricing.set_overhead_rate_percent("18");
    pricing.set_margin_percent("25");
    REND_RETURN_IF_ERROR(FromGrpc(Call([&](grpc::ClientContext& c) {
                                    return costing_->SetPricing(&c, pricing, &result_.cost_sheet);
                                  }),
                                  "set pricing"));
    costing::FinalizeCostSheetRequest finalize;
    *finalize.mutable_context() = Context(kCostAccountant, "finalize");
    finalize.set_sheet_id(result_.cost_sheet.sheet_id());
    REND_RETURN_IF_ERROR(FromGrpc(Call([&](grpc::ClientContext& c) {
                                    return costing_->FinalizeCostSheet(&c, finalize, &result_.cost_sheet);
                                  }),
                                  "finalize cost sheet"));
    REND_RETURN_IF_ERROR(AwaitTaskCompleted("costing"));
    const costing::CostTotals& totals = result_.cost_sheet.totals();
    Narrate(absl::StrCat("Önköltség ", FormatMoney(totals.total_cost(), "HUF", Language::kHungarian),
                         ", 25% árréssel nettó ár ", FormatMoney(totals.net_price(), "HUF", Language::kHungarian)),
            absl::StrCat("Total cost ", FormatMoney(totals.total_cost(), "HUF", Language::kEnglish),
                         ", net price with 25% margin ", FormatMoney(totals.net_price(), "HUF", Language::kEnglish)));
    return absl::OkStatus();
  }

  absl::Status PrepareQuote() {
    REND_ASSIGN_OR_RETURN(process::Task task, AwaitTask("formal_quote"));
    REND_RETURN_IF_ERROR(Claim(task, kSales));
    costing::PrepareQuoteRequest request;
    *request.mutable_context() = Context(kSales, "prepare-quote");
    request.set_sheet_id(result_.cost_sheet.sheet_id());
    request.set_line_description("Hegesztett acél konzol, DGY-BR-220 rev C");
    request.set_quantity("500");
    request.set_unit("db");
    request.set_vat_rate_percent("27");
    absl::CivilDay today = TodayInBudapest();
    *request.mutable_valid_until() = ToProtoDate(today + 30);
    *request.mutable_promised_delivery() = ToProtoDate(today + 56);
    request.set_payment_terms("8 nap átutalás");
    request.set_standard_terms(true);
    REND_RETURN_IF_ERROR(FromGrpc(
        Call([&](grpc::ClientContext& c) { return costing_->PrepareQuote(&c, request, &result_.quote); }),
        "prepare quote"));
    Narrate(absl::StrCat("Árajánlat elkészült: ", result_.quote.quote_id(), " v", result_.quote.quote_version()),
            absl::StrCat("Quote prepared: ", result_.quote.quote_id(), " v", result_.quote.quote_version()));
    return absl::OkStatus();
  }

  costing::QuoteCommandRequest QuoteCommand(const std::string& actor, const std::string& step) {
    costing::QuoteCommandRequest request;
    *request.mutable_context() = Context(actor, step);
    request.set_quote_id(result_.quote.quote_id());
    request.set_quote_version(result_.quote.quote_version());
    return request;
  }

  // An unapproved quote must never go out, so sending it now must fail.
  // Waits until approval has registered the quote, so the refusal names
  // the approvals that are missing.
  absl::Status TrySendUnapproved() {
    approval::GetApprovalRequest get;
    get.set_quote_id(result_.quote.quote_id());
    get.set_quote_version(result_.quote.quote_version());
    REND_RETURN_IF_ERROR(FromGrpc(Call([&](grpc::ClientContext& c) {
                                    return approval_->GetApproval(&c, get, &result_.approval);
                                  }, /*retry_not_found=*/true),
                                  "await the approval request"));
    costing::QuoteCommandRequest request = QuoteCommand(kSales, "send-unapproved");
    costing::Quote quote;
    grpc::Status status = Call([&](grpc::ClientContext& c) { return costing_->SendQuote(&c, request, &quote); });
    if (status.error_code() != grpc::StatusCode::FAILED_PRECONDITION) {
      return absl::InternalError(absl::StrCat("sending an unapproved quote did not fail: ", status.error_message()));
    }
    result_.send_before_approval_error = status.error_message();
    result_.send_before_approval_text_hu = LocalizedErrorText(status, "hu");
    Narrate(result_.send_before_approval_text_hu, LocalizedErrorText(status, "en"));
    return absl::OkStatus();
  }

  // Returns the gRPC status itself, so a refusal keeps its localized texts.
  grpc::Status Decide(const std::string& actor, const std::string& role, approval::Approval* out) {
    approval::DecideRequest request;
    *request.mutable_context() = Context(actor, absl::StrCat("approve-", role));
    request.set_quote_id(result_.quote.quote_id());
    request.set_quote_version(result_.quote.quote_version());
    request.set_role(role);
    request.set_approve(true);
    return Call([&](grpc::ClientContext& c) { return approval_->Decide(&c, request, out); },
                /*retry_not_found=*/true);
  }

  absl::Status Approve() {
    approval::Approval approval;
    grpc::Status own = Decide(kSales, "technical", &approval);
    if (own.ok()) return absl::InternalError("the preparer was allowed to approve the quote");
    result_.preparer_approval_error = own.error_message();
    Narrate(LocalizedErrorText(own, "hu"), LocalizedErrorText(own, "en"));

    REND_RETURN_IF_ERROR(FromGrpc(Decide(kEngineeringLead, "technical", &approval), "approve technical"));
    Narrate("Műszaki jóváhagyás: Horváth Zsófia (műszaki vezető)",
            "Technical approval: Zsófia Horváth (engineering lead)");
    REND_RETURN_IF_ERROR(FromGrpc(Decide(kFinanceDirector, "financial", &approval), "approve financial"));
    Narrate("Pénzügyi jóváhagyás: Varga Ildikó (pénzügyi igazgató), mert a nettó ár 3 000 000 Ft felett van",
            "Financial approval: Ildikó Varga (finance director), because the net price is above 3,000,000 HUF");
    result_.approval = approval;
    if (approval.state() != approval::APPROVAL_STATE_APPROVED) {
      return absl::InternalError("the quote is not approved after both approvals");
    }
    return absl::OkStatus();
  }

  absl::Status SendQuote() {
    costing::QuoteCommandRequest request = QuoteCommand(kSales, "send");
    REND_RETURN_IF_ERROR(FromGrpc(
        Call([&](grpc::ClientContext& c) { return costing_->SendQuote(&c, request, &result_.quote); }), "send"));
    Narrate("Az árajánlat kiküldve az ügyfélnek", "Quote sent to the customer");
    return absl::OkStatus();
  }

  absl::Status Accept() {
    costing::QuoteCommandRequest request = QuoteCommand(kCustomer, "accept");
    REND_RETURN_IF_ERROR(FromGrpc(
        Call([&](grpc::ClientContext& c) { return costing_->AcceptQuote(&c, request, &result_.quote); }),
        "accept"));
    Narrate("Az ügyfél elfogadta az ajánlatot", "The customer accepted the quote");
    return absl::OkStatus();
  }

  absl::Status AwaitInvoice() {
    REND_RETURN_IF_ERROR(WaitUntil("the invoice", [&]() -> absl::StatusOr<bool> {
      billing::ListInvoicesRequest request;
      request.set_request_id(result_.request_id);
      billing::ListInvoicesResponse response;
      grpc::Status status = Call([&](grpc::ClientContext& c) { return billing_->ListInvoices(&c, request, &response); });
      REND_RETURN_IF_ERROR(FromGrpc(status, "list invoices"));
      if (response.invoices_size() == 0) return false;
      result_.invoice = response.invoices(0);
      return true;
    }));
    Narrate(absl::StrCat("Számla kiállítva: ", result_.invoice.invoice_number()),
            absl::StrCat("Invoice issued: ", result_.invoice.invoice_number()));
    return absl::OkStatus();
  }

  absl::Status FetchDocuments() {
    costing::RenderQuoteDocumentRequest quote_request;
    quote_request.set_quote_id(result_.quote.quote_id());
    quote_request.set_quote_version(result_.quote.quote_version());
    costing::QuoteDocumentFile quote_file;
    REND_RETURN_IF_ERROR(FromGrpc(Call([&](grpc::ClientContext& c) {
                                    return costing_->RenderQuoteDocument(&c, quote_request, &quote_file);
                                  }),
                                  "quote PDF"));
    result_.quote_pdf = quote_file.content();

    billing::GetInvoicePdfRequest pdf_request;
    pdf_request.set_invoice_number(result_.invoice.invoice_number());
    billing::InvoicePdf pdf;
    REND_RETURN_IF_ERROR(FromGrpc(
        Call([&](grpc::ClientContext& c) { return billing_->GetInvoicePdf(&c, pdf_request, &pdf); }), "invoice PDF"));
    result_.invoice_pdf = pdf.content();

    billing::GetInvoiceRequest xml_request;
    xml_request.set_invoice_number(result_.invoice.invoice_number());
    billing::NavInvoiceData xml;
    REND_RETURN_IF_ERROR(FromGrpc(
        Call([&](grpc::ClientContext& c) { return billing_->GetNavInvoiceData(&c, xml_request, &xml); }),
        "NAV invoice data"));
    result_.invoice_nav_xml = xml.xml();
    Narrate("Az árajánlat és a számla PDF-je, valamint a számla NAV-adatai elkészültek",
            "The quote and invoice PDFs and the invoice's NAV data are ready");
    return absl::OkStatus();
  }

  absl::Status AwaitCompletion() {
    REND_RETURN_IF_ERROR(WaitUntil("the process to complete", [&]() -> absl::StatusOr<bool> {
      process::StatusRequest request;
      request.set_request_id(result_.request_id);
      process::StatusResponse response;
      grpc::Status status = Call([&](grpc::ClientContext& c) { return process_->GetStatus(&c, request, &response); });
      REND_RETURN_IF_ERROR(FromGrpc(status, "status"));
      return response.state() == process::INSTANCE_STATE_COMPLETED;
    }));
    process::StatusRequest request;
    request.set_request_id(result_.request_id);
    return FromGrpc(
        Call([&](grpc::ClientContext& c) { return process_->GetTimeline(&c, request, &result_.timeline); }),
        "timeline");
  }

  const ScenarioOptions& options_;
  const std::string run_id_;
  ScenarioResult result_;
  std::unique_ptr<intake::IntakeService::Stub> intake_;
  std::unique_ptr<process::ProcessService::Stub> process_;
  std::unique_ptr<costing::CostingService::Stub> costing_;
  std::unique_ptr<approval::ApprovalService::Stub> approval_;
  std::unique_ptr<billing::BillingService::Stub> billing_;
};

}  // namespace

absl::StatusOr<ScenarioResult> RunQuoteScenario(const ScenarioOptions& options) {
  for (const char* service : {"intake", "process", "costing", "approval", "billing"}) {
    if (options.addresses.count(service) == 0) {
      return absl::InvalidArgumentError(absl::StrCat("no address for the ", service, " service"));
    }
  }
  return Runner(options).Run();
}

}  // namespace rend::tools
