// BillingServiceImpl: invoices, their corrections and payments, their PDF
// documents and NAV invoice data, the NAV reporting queue, and the consumer
// of intake's and costing's events.
//
// Numbering. Invoices are numbered per series, one series per issue year in
// Europe/Budapest, "<prefix>-<year>" with the prefix of the company profile
// ("RND-2026"), as "RND-2026-000001". Each series is one stream,
// "series-<series>", and an invoice's sequence number is its event's version
// in that stream. Every issue appends with the stream's expected version, so
// a concurrent issue fails with ABORTED instead of reusing a number, and a
// rejected or failed append writes nothing, so it takes no number. Normal,
// advance, final, modifying and storno invoices share the series. An issued
// invoice is never changed or deleted: corrections are new invoices.
//
// The projection "invoices" keeps (see billing_keys.h):
//   invoice/<number>                 -> rend.billing.v1.Invoice
//   quote/<quote_id>/v<version>      -> number (one invoice per quote version)
//   request/<request_id>/<number>    -> ""
//   customer/<request_id>            -> rend.intake.v1.Customer from intake
//   delivery/<request_id>/<ref>      -> number (one invoice per delivery reference)
//   correction/<original>/<index>    -> number of a modifying or storno invoice
//   cancelled/<original>             -> number of its storno invoice
//   account/<number>                 -> rend.billing.v1.InvoiceAccount
//   nav/<number>                     -> rend.billing.v1.NavReport
//   navqueue/<position, 20 digits>   -> number, the invoices waiting to be sent
//
// Thread safety: thread-safe.
#ifndef REND_SERVICES_BILLING_BILLING_SERVICE_H_
#define REND_SERVICES_BILLING_BILLING_SERVICE_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "libs/directory/company.h"
#include "libs/es/event_store.h"
#include "libs/es/projection.h"
#include "rend/billing/v1/billing.grpc.pb.h"
#include "rend/costing/v1/costing.pb.h"

namespace rend::billing {

class InvoiceProjection final : public es::Projection {
 public:
  static constexpr const char* kName = "invoices";
  std::string name() const override { return kName; }
  // Rejects (INTERNAL) an invoice whose sequence is not its event's stream
  // version, a second invoice for one quote version or delivery reference,
  // a correction of a cancelled invoice, and queue moves from a wrong state.
  absl::Status Apply(const es::EventRecord& event, es::StateWriter& state) override;
};

// Loads Europe/Budapest from the system's time zone database; NOT_FOUND when
// it is missing (install tzdata).
absl::StatusOr<absl::TimeZone> LoadBudapestTimeZone();

// Builds the invoice of an accepted quote issued on `issue_day`: its lines
// at the quote's VAT rate, amounts and totals (see invoice_mapping.h), and
// issue, fulfilment and payment due dates (issue + 8 days). Number, series,
// sequence, issue time and parties are left for the caller. INVALID_ARGUMENT
// names the malformed quote field.
absl::StatusOr<v1::Invoice> BuildInvoice(const rend::costing::v1::Quote& quote, absl::CivilDay issue_day);

// Rounds a HUF amount in whole forints to the nearest 0 or 5, as cash is
// paid: last digit 1-2 down to 0, 3-4 up to 5, 6-7 down to 5, 8-9 up to 10.
// INVALID_ARGUMENT for an amount with a fractional part.
absl::StatusOr<Decimal> RoundCashHuf(Decimal amount);

class BillingServiceImpl final : public rend::billing::v1::BillingService::Service {
 public:
  using Clock = std::function<absl::Time()>;

  // `store` (with an InvoiceProjection) is not owned and must outlive the
  // service. `zone` decides the issue date and so the series; `clock` is
  // replaceable for tests. Without `company` invoices are still issued, in
  // the "RND" series, but they carry no supplier, so their PDF and NAV data
  // fail with FAILED_PRECONDITION.
  BillingServiceImpl(es::EventStore* store, absl::TimeZone zone, Clock clock = [] { return absl::Now(); },
                     std::optional<CompanyProfile> company = std::nullopt)
      : store_(store), zone_(zone), clock_(std::move(clock)), company_(std::move(company)) {}

  grpc::Status GetInvoice(grpc::ServerContext* context, const v1::GetInvoiceRequest* request,
                          v1::Invoice* response) override;
  grpc::Status ListInvoices(grpc::ServerContext* context, const v1::ListInvoicesRequest* request,
                            v1::ListInvoicesResponse* response) override;

  // Commands that issue an invoice return it with its number. Errors are
  // INVALID_ARGUMENT naming the field and NOT_FOUND for an unknown original
  // invoice. FAILED_PRECONDITION means the state forbids the invoice: no
  // customer data for the request, an unpaid advance, a cancelled original,
  // or customer data NAV would reject. ALREADY_EXISTS is a second invoice of
  // one delivery reference or a second final invoice.
  grpc::Status IssueInvoice(grpc::ServerContext* context, const v1::IssueInvoiceRequest* request,
                            v1::Invoice* response) override;
  grpc::Status IssueModifyingInvoice(grpc::ServerContext* context, const v1::IssueModifyingInvoiceRequest* request,
                                     v1::Invoice* response) override;
  grpc::Status CancelInvoice(grpc::ServerContext* context, const v1::CancelInvoiceRequest* request,
                             v1::Invoice* response) override;

  grpc::Status RecordPayment(grpc::ServerContext* context, const v1::RecordPaymentRequest* request,
                             v1::InvoiceAccount* response) override;
  grpc::Status GetInvoiceAccount(grpc::ServerContext* context, const v1::GetInvoiceRequest* request,
                                 v1::InvoiceAccount* response) override;
  grpc::Status ListOverdueInvoices(grpc::ServerContext* context, const v1::ListOverdueInvoicesRequest* request,
                                   v1::ListOverdueInvoicesResponse* response) override;

  grpc::Status GetInvoicePdf(grpc::ServerContext* context, const v1::GetInvoicePdfRequest* request,
                             v1::InvoicePdf* response) override;
  grpc::Status GetNavInvoiceData(grpc::ServerContext* context, const v1::GetInvoiceRequest* request,
                                 v1::NavInvoiceData* response) override;
  grpc::Status TakeNextNavReport(grpc::ServerContext* context, const v1::TakeNextNavReportRequest* request,
                                 v1::TakeNextNavReportResponse* response) override;
  grpc::Status RecordNavReportOutcome(grpc::ServerContext* context, const v1::RecordNavReportOutcomeRequest* request,
                                      v1::NavReport* response) override;
  grpc::Status GetNavReport(grpc::ServerContext* context, const v1::GetInvoiceRequest* request,
                            v1::NavReport* response) override;

  // Consumer handler for costing's events: issues one invoice
  // (InvoiceIssued) per accepted quote version, with the next number of the
  // current year's series; ignores everything else. An invoice whose
  // customer or supplier data NAV would reject is still issued, with
  // nav_blocked_reason set.
  absl::StatusOr<std::optional<es::AppendRequest>> HandleCostingEvent(const es::EventRecord& event) const;
  // Consumer handler for intake's events: records the customer of each
  // submitted request (CustomerRecorded); ignores everything else.
  absl::StatusOr<std::optional<es::AppendRequest>> HandleIntakeEvent(const es::EventRecord& event) const;

 private:
  using InvoiceBuilder = std::function<absl::StatusOr<v1::Invoice>(absl::CivilDay today)>;

  absl::StatusOr<std::optional<v1::Invoice>> FindInvoice(const std::string& invoice_number) const;
  absl::StatusOr<v1::Invoice> RequireInvoice(const std::string& invoice_number) const;
  absl::StatusOr<std::optional<v1::InvoiceAccount>> FindAccount(const std::string& invoice_number) const;
  absl::StatusOr<std::optional<rend::intake::v1::Customer>> FindCustomer(const std::string& request_id) const;
  absl::StatusOr<std::vector<v1::Invoice>> InvoicesOfRequest(const std::string& request_id) const;
  absl::StatusOr<std::vector<v1::Invoice>> CorrectionsOf(const std::string& original) const;

  // Runs an issuing command: builds the invoice, numbers it and appends it,
  // retrying a numbering conflict (ABORTED) a bounded number of times.
  absl::Status IssueCommand(const rend::common::v1::CommandContext& context, const google::protobuf::Message& request,
                            v1::Invoice* response, const InvoiceBuilder& build);
  // Gives `invoice` the next number of the series of `now`, checks its
  // document (strict: rejects; else records nav_blocked_reason), and returns
  // the append of its InvoiceIssued.
  absl::StatusOr<es::AppendRequest> NumberInvoice(v1::Invoice& invoice, absl::Time now, bool strict) const;
  std::string SeriesPrefix() const;

  absl::StatusOr<v1::Invoice> BuildRequestInvoice(const v1::IssueInvoiceRequest& request, absl::CivilDay today) const;
  absl::Status AddAdvanceDeductions(const std::string& request_id, v1::Invoice& invoice) const;
  // Builds a modifying or storno invoice of `original` with `lines`.
  absl::StatusOr<v1::Invoice> BuildCorrection(const v1::Invoice& original, v1::InvoiceKind kind,
                                              std::vector<v1::InvoiceLine> lines, absl::CivilDay today) const;
  absl::StatusOr<es::AppendRequest> DecidePayment(const v1::RecordPaymentRequest& request) const;
  absl::StatusOr<es::AppendRequest> DecideNavTake(v1::TakeNextNavReportResponse& response) const;
  absl::StatusOr<es::AppendRequest> DecideNavOutcome(const v1::RecordNavReportOutcomeRequest& request,
                                                     v1::NavReport& response) const;

  es::EventStore* store_;
  absl::TimeZone zone_;
  Clock clock_;
  std::optional<CompanyProfile> company_;
  // Serializes this service's own issuing commands, so concurrent callers
  // queue instead of racing for the same number. The consumer issues
  // outside this lock, so its appends may still fail with ABORTED and retry.
  absl::Mutex issue_mutex_;
};

}  // namespace rend::billing

#endif  // REND_SERVICES_BILLING_BILLING_SERVICE_H_
