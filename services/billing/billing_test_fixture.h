// Test fixture of the billing service: a real event store in a temporary
// directory, the company of deploy/config/company.yaml, a fixed clock in
// Budapest, and helper verbs to record customers, issue invoices and pay
// them. Test-only.
#ifndef REND_SERVICES_BILLING_BILLING_TEST_FIXTURE_H_
#define REND_SERVICES_BILLING_BILLING_TEST_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/directory/company.h"
#include "libs/testing/temp_dir.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/billing/billing_service.h"

namespace rend::billing {

class BillingFixture : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  // Opens (or reopens) the store and the service, as a restart does.
  void Open() {
    service_.reset();
    store_.reset();
    std::vector<es::Projection*> projections = {&projection_};
    for (es::Projection* extra : extra_projections_) projections.push_back(extra);
    store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "billing"}, projections).value();
    service_ = std::make_unique<BillingServiceImpl>(store_.get(), zone_, [this] { return now_; },
                                                    LoadCompanyProfile(REND_COMPANY_YAML).value());
  }

  // The scenario's customer with full invoicing data.
  static rend::intake::v1::Customer ScenarioCustomer() {
    rend::intake::v1::Customer customer;
    customer.set_external_id("crm-10442");
    customer.set_name("Dunamenti Gépgyártó Zrt.");
    customer.set_tax_number("24681357-2-07");
    customer.set_vat_status(rend::intake::v1::CUSTOMER_VAT_STATUS_DOMESTIC);
    rend::intake::v1::Address* address = customer.mutable_address();
    address->set_country_code("HU");
    address->set_postal_code("2400");
    address->set_city("Dunaújváros");
    address->set_street_name("Papírgyári");
    address->set_public_place_category("út");
    address->set_number("12.");
    return customer;
  }

  // Delivers intake's RequestSubmitted for `request_id` as the consumer would.
  absl::Status RecordCustomer(const std::string& request_id,
                              const rend::intake::v1::Customer& customer = ScenarioCustomer()) {
    rend::intake::v1::RequestSubmitted submitted;
    submitted.mutable_request()->set_request_id(request_id);
    *submitted.mutable_request()->mutable_customer() = customer;
    es::EventRecord event;
    event.set_event_id(NewUuid());
    event.set_source("intake");
    event.mutable_payload()->PackFrom(submitted);
    REND_ASSIGN_OR_RETURN(std::optional<es::AppendRequest> append, service_->HandleIntakeEvent(event));
    if (!append) return absl::InternalError("RequestSubmitted was ignored");
    return store_->Append(*std::move(append)).status();
  }

  static v1::InvoiceLineInput Line(const char* description, const char* quantity, const char* unit,
                                   const char* unit_price, const char* vat_rate_percent = "27") {
    v1::InvoiceLineInput line;
    line.set_description(description);
    line.set_quantity(quantity);
    line.set_unit(unit);
    line.set_unit_price(unit_price);
    line.set_vat_rate_percent(vat_rate_percent);
    return line;
  }

  // 500 welded brackets at 7 415,2 HUF: net 3 707 600 HUF at 27 %.
  static v1::InvoiceLineInput BracketLine() {
    v1::InvoiceLineInput line =
        Line("Hegesztett acél tartókonzol, DGY-BR-220 rev C rajz szerint", "500", "pcs", "7415.2");
    line.set_product_code_category("VTSZ");
    line.set_product_code("73269098");
    return line;
  }

  v1::IssueInvoiceRequest IssueRequest(const std::string& command_id, const std::string& request_id,
                                       std::vector<v1::InvoiceLineInput> lines,
                                       v1::InvoiceKind kind = v1::INVOICE_KIND_NORMAL) {
    v1::IssueInvoiceRequest request;
    request.mutable_context()->set_request_id(command_id);
    request.mutable_context()->set_actor("finance.varga");
    request.set_request_id(request_id);
    request.set_kind(kind);
    for (v1::InvoiceLineInput& line : lines) *request.add_lines() = std::move(line);
    return request;
  }

  absl::StatusOr<v1::Invoice> Issue(const v1::IssueInvoiceRequest& request) {
    v1::Invoice invoice;
    grpc::Status status = service_->IssueInvoice(nullptr, &request, &invoice);
    if (!status.ok()) return FromGrpc(status);
    return invoice;
  }

  // Records the customer of `request_id` and issues a normal invoice of the
  // scenario's brackets for it.
  v1::Invoice IssueScenarioInvoice(const std::string& request_id) {
    EXPECT_TRUE(RecordCustomer(request_id).ok());
    absl::StatusOr<v1::Invoice> invoice = Issue(IssueRequest("issue-" + request_id, request_id, {BracketLine()}));
    EXPECT_TRUE(invoice.ok()) << invoice.status();
    return invoice.ok() ? *invoice : v1::Invoice();
  }

  absl::StatusOr<v1::Invoice> Modify(const std::string& original, std::vector<v1::InvoiceLineInput> lines) {
    v1::IssueModifyingInvoiceRequest request;
    request.mutable_context()->set_request_id("modify-" + original + "-" + std::to_string(++commands_));
    request.mutable_context()->set_actor("finance.varga");
    request.set_original_invoice_number(original);
    request.set_reason("Árengedmény minőségi kifogás miatt");
    for (v1::InvoiceLineInput& line : lines) *request.add_lines() = std::move(line);
    v1::Invoice invoice;
    grpc::Status status = service_->IssueModifyingInvoice(nullptr, &request, &invoice);
    if (!status.ok()) return FromGrpc(status);
    return invoice;
  }

  absl::StatusOr<v1::Invoice> Cancel(const std::string& original) {
    v1::CancelInvoiceRequest request;
    request.mutable_context()->set_request_id("cancel-" + original + "-" + std::to_string(++commands_));
    request.mutable_context()->set_actor("finance.varga");
    request.set_original_invoice_number(original);
    request.set_reason("Téves számlázás");
    v1::Invoice invoice;
    grpc::Status status = service_->CancelInvoice(nullptr, &request, &invoice);
    if (!status.ok()) return FromGrpc(status);
    return invoice;
  }

  absl::StatusOr<v1::InvoiceAccount> Pay(const std::string& number, v1::PaymentMethod method, const char* amount,
                                         absl::CivilDay day = absl::CivilDay(2026, 3, 12)) {
    v1::RecordPaymentRequest request;
    request.mutable_context()->set_request_id("pay-" + number + "-" + std::to_string(++commands_));
    request.mutable_context()->set_actor("finance.varga");
    request.set_invoice_number(number);
    request.set_method(method);
    request.set_amount(amount);
    *request.mutable_payment_date() = ToProtoDate(day);
    v1::InvoiceAccount account;
    grpc::Status status = service_->RecordPayment(nullptr, &request, &account);
    if (!status.ok()) return FromGrpc(status);
    return account;
  }

  v1::Invoice Get(const std::string& number) {
    v1::GetInvoiceRequest request;
    request.set_invoice_number(number);
    v1::Invoice invoice;
    grpc::Status status = service_->GetInvoice(nullptr, &request, &invoice);
    EXPECT_TRUE(status.ok()) << number << ": " << status.error_message();
    return invoice;
  }

  v1::InvoiceAccount Account(const std::string& number) {
    v1::GetInvoiceRequest request;
    request.set_invoice_number(number);
    v1::InvoiceAccount account;
    grpc::Status status = service_->GetInvoiceAccount(nullptr, &request, &account);
    EXPECT_TRUE(status.ok()) << number << ": " << status.error_message();
    return account;
  }

  static absl::Status FromGrpc(const grpc::Status& status) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }

  static void ExpectDate(const rend::common::v1::Date& date, int year, int month, int day) {
    EXPECT_EQ(date.year(), year);
    EXPECT_EQ(date.month(), month);
    EXPECT_EQ(date.day(), day);
  }

  testing::TempDir dir_;
  InvoiceProjection projection_;
  std::vector<es::Projection*> extra_projections_;
  absl::TimeZone zone_ = LoadBudapestTimeZone().value();
  absl::Time now_ = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 10, 0, 0), zone_);
  int commands_ = 0;
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<BillingServiceImpl> service_;
};

}  // namespace rend::billing

#endif  // REND_SERVICES_BILLING_BILLING_TEST_FIXTURE_H_
