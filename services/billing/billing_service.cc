#include "services/billing/billing_service.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/common/decimal.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "services/costing/money.h"
#include "spdlog/spdlog.h"

namespace rend::billing {
namespace {

constexpr int kPaymentDays = 8;
constexpr uint32_t kDefaultPageSize = 50;
constexpr uint32_t kMaxPageSize = 500;
constexpr size_t kMaxInvoiceNumberLength = 64;

std::string InvoiceKey(absl::string_view number) { return absl::StrCat("invoice/", number); }
std::string QuoteKey(absl::string_view quote_id, uint32_t version) {
  return absl::StrCat("quote/", quote_id, "/v", version);
}
std::string RequestPrefix(absl::string_view request_id) { return absl::StrCat("request/", request_id, "/"); }

// Parses a decimal field of the quote; INVALID_ARGUMENT names the field.
absl::StatusOr<Decimal> QuoteDecimal(absl::string_view field, const std::string& value) {
  absl::StatusOr<Decimal> parsed = Decimal::Parse(value);
  if (!parsed.ok()) return FieldError(field, parsed.status().message());
  return parsed;
}

// Adds one invoice line for `line`, VAT at `rate` rounded to `digits`.
absl::Status AddLine(const rend::costing::v1::QuoteLine& line, Decimal rate, int digits, v1::Invoice& invoice) {
  REND_ASSIGN_OR_RETURN(Decimal net, QuoteDecimal("quote.lines.net", line.net()));
  REND_ASSIGN_OR_RETURN(Decimal vat, costing::PercentRounded(net, rate, digits));
  REND_ASSIGN_OR_RETURN(Decimal gross, net.Add(vat));
  v1::InvoiceLine* out = invoice.add_lines();
  out->set_description(line.description());
  out->set_quantity(line.quantity());
  out->set_unit(line.unit());
  out->set_unit_price(line.unit_price());
  out->set_net(net.ToString(digits));
  out->set_vat_rate_percent(rate.ToString());
  out->set_vat(vat.ToString(digits));
  out->set_gross(gross.ToString(digits));
  return absl::OkStatus();
}

// Sums the lines into the invoice totals.
absl::Status SumLines(int digits, v1::Invoice& invoice) {
  Decimal net;
  Decimal vat;
  for (const v1::InvoiceLine& line : invoice.lines()) {
    REND_ASSIGN_OR_RETURN(net, net.Add(*Decimal::Parse(line.net())));
    REND_ASSIGN_OR_RETURN(vat, vat.Add(*Decimal::Parse(line.vat())));
  }
  REND_ASSIGN_OR_RETURN(Decimal gross, net.Add(vat));
  invoice.set_net(net.ToString(digits));
  invoice.set_vat(vat.ToString(digits));
  invoice.set_gross(gross.ToString(digits));
  return absl::OkStatus();
}

absl::Status ApplyIssued(const es::EventRecord& event, const v1::Invoice& invoice, es::StateWriter& state) {
  if (invoice.sequence() != event.stream_version() || event.stream_id() != absl::StrCat("series-", invoice.series())) {
    return absl::InternalError(absl::StrCat("invoice ", invoice.invoice_number(), " is not at position ",
                                            invoice.sequence(), " of its series stream"));
  }
  std::string quote_key = QuoteKey(invoice.quote_id(), invoice.quote_version());
  REND_ASSIGN_OR_RETURN(std::optional<std::string> earlier, state.Get(quote_key));
  if (earlier) {
    return absl::InternalError(absl::StrCat("quote ", invoice.quote_id(), " v", invoice.quote_version(),
                                            " already has invoice ", *earlier));
  }
  REND_RETURN_IF_ERROR(state.PutProto(InvoiceKey(invoice.invoice_number()), invoice));
  REND_RETURN_IF_ERROR(state.Put(quote_key, invoice.invoice_number()));
  return state.Put(absl::StrCat(RequestPrefix(invoice.request_id()), invoice.invoice_number()), "");
}

}  // namespace

absl::Status InvoiceProjection::Apply(const es::EventRecord& event, es::StateWriter& state) {
  v1::InvoiceIssued issued;
  if (!event.payload().UnpackTo(&issued)) return absl::OkStatus();  // not an event this projection keeps
  return ApplyIssued(event, issued.invoice(), state);
}

absl::StatusOr<absl::TimeZone> LoadBudapestTimeZone() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/Budapest", &zone)) {
    return absl::NotFoundError("time zone Europe/Budapest not found; install the tzdata package");
  }
  return zone;
}

absl::StatusOr<v1::Invoice> BuildInvoice(const rend::costing::v1::Quote& quote, absl::CivilDay issue_day) {
  absl::StatusOr<int> digits = CurrencyDigits(quote.currency());
  if (!digits.ok()) return FieldError("quote.currency", digits.status().message());
  REND_ASSIGN_OR_RETURN(Decimal rate, QuoteDecimal("quote.vat_rate_percent", quote.vat_rate_percent()));
  if (quote.lines_size() == 0) return FieldError("quote.lines", "must not be empty");

  v1::Invoice invoice;
  // NOTE: VAT is rounded per line, as invoices show it. For a quote with
  // several lines the sum can differ from the quote's VAT, which was rounded
  // once on the total.
  for (const rend::costing::v1::QuoteLine& line : quote.lines()) {
    REND_RETURN_IF_ERROR(AddLine(line, rate, *digits, invoice));
  }
  REND_RETURN_IF_ERROR(SumLines(*digits, invoice));
  invoice.set_request_id(quote.request_id());
  invoice.set_quote_id(quote.quote_id());
  invoice.set_quote_version(quote.quote_version());
  invoice.set_customer_external_id(quote.customer_external_id());
  invoice.set_customer_name(quote.customer_name());
  invoice.set_currency(quote.currency());
  *invoice.mutable_issue_date() = ToProtoDate(issue_day);
  *invoice.mutable_fulfilment_date() = ToProtoDate(issue_day);
  *invoice.mutable_payment_due_date() = ToProtoDate(issue_day + kPaymentDays);
  return invoice;
}

absl::StatusOr<std::optional<es::AppendRequest>> BillingServiceImpl::HandleCostingEvent(
    const es::EventRecord& event) const {
  rend::costing::v1::QuoteAccepted accepted;
  if (!event.payload().UnpackTo(&accepted)) return std::nullopt;
  const rend::costing::v1::Quote& quote = accepted.quote();
  REND_RETURN_IF_ERROR(RequireText("quote.quote_id", quote.quote_id(), 160));
  REND_RETURN_IF_ERROR(RequireText("quote.request_id", quote.request_id(), 128));
  REND_ASSIGN_OR_RETURN(std::optional<std::string> issued,
                        store_->GetState(InvoiceProjection::kName, QuoteKey(quote.quote_id(), quote.quote_version())));
  if (issued) return std::nullopt;  // this quote version already has its invoice

  absl::Time now = clock_();
  absl::CivilDay today = absl::ToCivilDay(now, zone_);
  v1::InvoiceIssued issued_event;
  REND_ASSIGN_OR_RETURN(*issued_event.mutable_invoice(), BuildInvoice(quote, today));
  v1::Invoice& invoice = *issued_event.mutable_invoice();
  invoice.set_series(absl::StrCat("RND-", today.year()));
  std::string stream = absl::StrCat("series-", invoice.series());
  REND_ASSIGN_OR_RETURN(uint64_t current, store_->StreamVersion(stream));
  invoice.set_sequence(current + 1);
  invoice.set_invoice_number(absl::StrFormat("%s-%06d", invoice.series(), invoice.sequence()));
  *invoice.mutable_issued_at() = ToProtoTime(now);

  es::AppendRequest append;
  append.stream_id = stream;
  append.expected_version = current;  // a concurrent issue fails with ABORTED and is retried
  append.correlation_id = quote.request_id();
  append.events.push_back(es::PackEvent(issued_event));
  spdlog::debug("issuing invoice {} for {} v{}", invoice.invoice_number(), quote.quote_id(), quote.quote_version());
  return append;
}

absl::StatusOr<std::optional<v1::Invoice>> BillingServiceImpl::FindInvoice(const std::string& invoice_number) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store_->GetState(InvoiceProjection::kName, InvoiceKey(invoice_number)));
  if (!value) return std::nullopt;
  v1::Invoice invoice;
  if (!invoice.ParseFromString(*value)) return absl::DataLossError(absl::StrCat("corrupt invoice ", invoice_number));
  return invoice;
}

grpc::Status BillingServiceImpl::GetInvoice(grpc::ServerContext*, const v1::GetInvoiceRequest* request,
                                            v1::Invoice* response) {
  absl::Status valid = RequireText("invoice_number", request->invoice_number(), kMaxInvoiceNumberLength);
  if (!valid.ok()) return ToGrpcStatus(valid);
  absl::StatusOr<std::optional<v1::Invoice>> invoice = FindInvoice(request->invoice_number());
  if (!invoice.ok()) return ToGrpcStatus(invoice.status());
  if (!invoice->has_value()) {
    return ToGrpcStatus(absl::NotFoundError(absl::StrCat("invoice ", request->invoice_number(), " not found")));
  }
  *response = **std::move(invoice);
  return grpc::Status::OK;
}

grpc::Status BillingServiceImpl::ListInvoices(grpc::ServerContext*, const v1::ListInvoicesRequest* request,
                                              v1::ListInvoicesResponse* response) {
  absl::Status valid = OptionalText("request_id", request->request_id(), 128);
  if (valid.ok() && request->page_size() > kMaxPageSize) valid = FieldError("page_size", "must be at most 500");
  if (valid.ok()) valid = OptionalText("page_token", request->page_token(), kMaxInvoiceNumberLength);
  if (!valid.ok()) return ToGrpcStatus(valid);
  uint32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();

  // Both indexes end their keys with the invoice number; a token resumes just
  // after the number it names.
  std::string prefix = request->request_id().empty() ? "invoice/" : RequestPrefix(request->request_id());
  std::string start = request->page_token().empty() ? "" : absl::StrCat(prefix, request->page_token(), std::string(1, '\0'));
  std::vector<std::string> numbers;
  auto visit = [&](const std::string& key, const std::string&) {
    if (numbers.size() == page_size) return false;
    numbers.push_back(key.substr(prefix.size()));
    return true;
  };
  absl::Status scanned = store_->ScanState(InvoiceProjection::kName, prefix, visit, start);
  if (!scanned.ok()) return ToGrpcStatus(scanned);

  for (const std::string& number : numbers) {
    absl::StatusOr<std::optional<v1::Invoice>> invoice = FindInvoice(number);
    if (!invoice.ok()) return ToGrpcStatus(invoice.status());
    if (invoice->has_value()) *response->add_invoices() = **std::move(invoice);
  }
  if (numbers.size() == page_size) response->set_next_page_token(numbers.back());
  return grpc::Status::OK;
}

}  // namespace rend::billing
