// BillingServiceImpl: invoices issued from accepted quotes, their projection
// and the consumer of costing's events.
//
// Invoices are numbered per series, one series per issue year in
// Europe/Budapest ("RND-2026"), as "RND-2026-000001". Each series is one
// stream, "series-<series>", and an invoice's sequence number is its event's
// version in that stream. Appending with the expected version of the stream
// makes a concurrent issue fail with ABORTED instead of reusing a number, so
// a series never has a gap or a duplicate.
//
// The projection "invoices" keeps:
//   invoice/<invoice_number>           -> rend.billing.v1.Invoice
//   quote/<quote_id>/v<quote_version>  -> invoice_number (one invoice per version)
//   request/<request_id>/<invoice_number> -> ""
//
// Thread safety: thread-safe.
#ifndef REND_SERVICES_BILLING_BILLING_SERVICE_H_
#define REND_SERVICES_BILLING_BILLING_SERVICE_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
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
  // version, and a second invoice for one quote version.
  absl::Status Apply(const es::EventRecord& event, es::StateWriter& state) override;
};

// Loads Europe/Budapest from the system's time zone database; NOT_FOUND when
// it is missing (install tzdata).
absl::StatusOr<absl::TimeZone> LoadBudapestTimeZone();

// Builds the invoice of an accepted quote issued on `issue_day`: its lines
// with VAT per line at the quote's rate, totals, and issue, fulfilment and
// payment due dates (issue + 8 days). Number, series, sequence and issue
// time are left for the caller. INVALID_ARGUMENT names the malformed quote
// field.
absl::StatusOr<v1::Invoice> BuildInvoice(const rend::costing::v1::Quote& quote, absl::CivilDay issue_day);

class BillingServiceImpl final : public rend::billing::v1::BillingService::Service {
 public:
  using Clock = std::function<absl::Time()>;

  // `store` (with an InvoiceProjection) is not owned and must outlive the
  // service. `zone` decides the issue date and so the series; `clock` is
  // replaceable for tests.
  BillingServiceImpl(es::EventStore* store, absl::TimeZone zone, Clock clock = [] { return absl::Now(); })
      : store_(store), zone_(zone), clock_(std::move(clock)) {}

  grpc::Status GetInvoice(grpc::ServerContext* context, const v1::GetInvoiceRequest* request,
                          v1::Invoice* response) override;
  grpc::Status ListInvoices(grpc::ServerContext* context, const v1::ListInvoicesRequest* request,
                            v1::ListInvoicesResponse* response) override;

  // Consumer handler for costing's events: issues one invoice
  // (InvoiceIssued) per accepted quote version, with the next number of the
  // current year's series; ignores everything else.
  absl::StatusOr<std::optional<es::AppendRequest>> HandleCostingEvent(const es::EventRecord& event) const;

 private:
  absl::StatusOr<std::optional<v1::Invoice>> FindInvoice(const std::string& invoice_number) const;

  es::EventStore* store_;
  absl::TimeZone zone_;
  Clock clock_;
};

}  // namespace rend::billing

#endif  // REND_SERVICES_BILLING_BILLING_SERVICE_H_
