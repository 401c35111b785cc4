#include "services/billing/billing_service.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/common/money.h"
#include "libs/common/decimal.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/documents/invoice_totals.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/billing/billing_keys.h"
#include "services/billing/invoice_mapping.h"
#include "spdlog/spdlog.h"

namespace rend::billing {
namespace {

constexpr int kPaymentDays = 8;
constexpr uint32_t kDefaultPageSize = 50;
constexpr uint32_t kMaxPageSize = 500;
constexpr size_t kMaxInvoiceNumberLength = 64;
constexpr char kDefaultSeriesPrefix[] = "RND";

// Parses a decimal field of the quote; INVALID_ARGUMENT names the field.
absl::StatusOr<Decimal> QuoteDecimal(absl::string_view field, const std::string& value) {
  absl::StatusOr<Decimal> parsed = Decimal::Parse(value);
  if (!parsed.ok()) return FieldError(field, parsed.status().message());
  return parsed;
}

// Returns the invoice line of a quote line. The quote's unit price is kept
// at full precision, so when quantity x unit price does not round to the
// line's net (a discounted line) the invoice line carries the net alone.
absl::StatusOr<v1::InvoiceLine> QuoteLine(const rend::costing::v1::QuoteLine& line, Decimal rate, int digits) {
  REND_ASSIGN_OR_RETURN(Decimal net, QuoteDecimal("quote.lines.net", line.net()));
  v1::InvoiceLine out;
  out.set_description(line.description());
  out.set_unit(line.unit());
  out.set_net(net.ToString(digits));
  out.set_vat_rate_percent(rate.ToString());
  absl::StatusOr<Decimal> quantity = Decimal::Parse(line.quantity());
  absl::StatusOr<Decimal> unit_price = Decimal::Parse(line.unit_price());
  if (!quantity.ok() || !unit_price.ok()) return out;
  absl::StatusOr<Decimal> product = MultiplyRounded(*quantity, *unit_price, digits);
  if (!product.ok() || *product != net) return out;
  out.set_quantity(line.quantity());
  out.set_unit_price(line.unit_price());
  return out;
}

absl::StatusOr<std::string> QuoteExchangeRate(const rend::costing::v1::Quote& quote) {
  if (quote.currency() == "HUF") return std::string("1");
  REND_ASSIGN_OR_RETURN(Decimal rate, QuoteDecimal("quote.exchange_rate", quote.exchange_rate()));
  if (rate <= Decimal()) return FieldError("quote.exchange_rate", "must be > 0 for an EUR quote");
  return rate.ToString();
}

absl::Status ParseInvoice(const std::string& number, const std::string& value, v1::Invoice& invoice) {
  if (!invoice.ParseFromString(value)) return absl::DataLossError(absl::StrCat("corrupt invoice ", number));
  return absl::OkStatus();
}

// Document errors about the parties are state to fix first (customer data
// in intake, the company file), not a malformed request.
absl::Status ClassifyDocumentError(const absl::Status& status) {
  absl::string_view message = status.message();
  if (absl::StartsWith(message, "customer.") || absl::StartsWith(message, "supplier.")) {
    return absl::FailedPreconditionError(absl::StrCat("invoice data NAV would reject: ", message));
  }
  return status;
}

}  // namespace

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
  invoice.set_kind(v1::INVOICE_KIND_NORMAL);
  invoice.set_currency(quote.currency());
  REND_ASSIGN_OR_RETURN(*invoice.mutable_exchange_rate(), QuoteExchangeRate(quote));
  for (const rend::costing::v1::QuoteLine& line : quote.lines()) {
    REND_ASSIGN_OR_RETURN(*invoice.add_lines(), QuoteLine(line, rate, *digits));
  }
  REND_RETURN_IF_ERROR(FillAmounts(invoice));
  invoice.set_request_id(quote.request_id());
  invoice.set_quote_id(quote.quote_id());
  invoice.set_quote_version(quote.quote_version());
  invoice.set_customer_external_id(quote.customer_external_id());
  invoice.set_customer_name(quote.customer_name());
  *invoice.mutable_issue_date() = ToProtoDate(issue_day);
  *invoice.mutable_fulfilment_date() = ToProtoDate(issue_day);
  *invoice.mutable_payment_due_date() = ToProtoDate(issue_day + kPaymentDays);
  return invoice;
}

std::string BillingServiceImpl::SeriesPrefix() const {
  return company_ ? company_->invoice_series_prefix : kDefaultSeriesPrefix;
}

absl::StatusOr<es::AppendRequest> BillingServiceImpl::NumberInvoice(v1::Invoice& invoice, absl::Time now,
                                                                    bool strict) const {
  invoice.set_series(absl::StrCat(SeriesPrefix(), "-", absl::ToCivilDay(now, zone_).year()));
  std::string stream = keys::SeriesStream(invoice.series());
  REND_ASSIGN_OR_RETURN(uint64_t current, store_->StreamVersion(stream));
  invoice.set_sequence(current + 1);
  invoice.set_invoice_number(absl::StrFormat("%s-%06d", invoice.series(), invoice.sequence()));
  *invoice.mutable_issued_at() = ToProtoTime(now);
  if (company_) *invoice.mutable_supplier() = ToProtoSupplier(company_->supplier);

  // The document check runs on the numbered invoice, as NAV will see it.
  REND_ASSIGN_OR_RETURN(documents::InvoiceDocument document, ToDocument(invoice));
  absl::Status valid = documents::ValidateInvoiceDocument(document);
  if (!valid.ok() && strict) return ClassifyDocumentError(valid);
  if (!valid.ok()) invoice.set_nav_blocked_reason(std::string(valid.message()));

  v1::InvoiceIssued issued;
  *issued.mutable_invoice() = invoice;
  es::AppendRequest append;
  append.stream_id = stream;
  append.expected_version = current;  // a concurrent issue fails with ABORTED and is retried
  append.correlation_id = invoice.request_id();
  append.events.push_back(es::PackEvent(issued));
  return append;
}

absl::StatusOr<std::optional<es::AppendRequest>> BillingServiceImpl::HandleCostingEvent(
    const es::EventRecord& event) const {
  rend::costing::v1::QuoteAccepted accepted;
  if (!event.payload().UnpackTo(&accepted)) return std::nullopt;
  const rend::costing::v1::Quote& quote = accepted.quote();
  REND_RETURN_IF_ERROR(RequireText("quote.quote_id", quote.quote_id(), 160));
  REND_RETURN_IF_ERROR(RequireText("quote.request_id", quote.request_id(), 128));
  REND_ASSIGN_OR_RETURN(std::optional<std::string> issued,
                        store_->GetState(InvoiceProjection::kName, keys::Quote(quote.quote_id(), quote.quote_version())));
  if (issued) return std::nullopt;  // this quote version already has its invoice

  absl::Time now = clock_();
  REND_ASSIGN_OR_RETURN(v1::Invoice invoice, BuildInvoice(quote, absl::ToCivilDay(now, zone_)));
  REND_ASSIGN_OR_RETURN(std::optional<rend::intake::v1::Customer> customer, FindCustomer(quote.request_id()));
  if (customer) {
    *invoice.mutable_customer() = *customer;
  } else {
    invoice.mutable_customer()->set_external_id(quote.customer_external_id());
    invoice.mutable_customer()->set_name(quote.customer_name());
  }
  REND_ASSIGN_OR_RETURN(es::AppendRequest append, NumberInvoice(invoice, now, /*strict=*/false));
  spdlog::debug("issuing invoice {} for {} v{}", invoice.invoice_number(), quote.quote_id(), quote.quote_version());
  return append;
}

absl::StatusOr<std::optional<es::AppendRequest>> BillingServiceImpl::HandleIntakeEvent(
    const es::EventRecord& event) const {
  rend::intake::v1::RequestSubmitted submitted;
  if (!event.payload().UnpackTo(&submitted)) return std::nullopt;
  const rend::intake::v1::Request& request = submitted.request();
  REND_RETURN_IF_ERROR(RequireText("request.request_id", request.request_id(), 128));

  v1::CustomerRecorded recorded;
  recorded.set_request_id(request.request_id());
  *recorded.mutable_customer() = request.customer();
  es::AppendRequest append;
  append.stream_id = keys::CustomerStream(request.request_id());
  append.correlation_id = request.request_id();
  append.events.push_back(es::PackEvent(recorded));
  return append;
}

absl::StatusOr<std::optional<v1::Invoice>> BillingServiceImpl::FindInvoice(const std::string& invoice_number) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store_->GetState(InvoiceProjection::kName, keys::Invoice(invoice_number)));
  if (!value) return std::nullopt;
  v1::Invoice invoice;
  REND_RETURN_IF_ERROR(ParseInvoice(invoice_number, *value, invoice));
  return invoice;
}

absl::StatusOr<v1::Invoice> BillingServiceImpl::RequireInvoice(const std::string& invoice_number) const {
  REND_RETURN_IF_ERROR(RequireText("invoice_number", invoice_number, kMaxInvoiceNumberLength));
  REND_ASSIGN_OR_RETURN(std::optional<v1::Invoice> invoice, FindInvoice(invoice_number));
  if (!invoice) return absl::NotFoundError(absl::StrCat("invoice ", invoice_number, " not found"));
  return *std::move(invoice);
}

absl::StatusOr<std::optional<v1::InvoiceAccount>> BillingServiceImpl::FindAccount(
    const std::string& invoice_number) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store_->GetState(InvoiceProjection::kName, keys::Account(invoice_number)));
  if (!value) return std::nullopt;
  v1::InvoiceAccount account;
  if (!account.ParseFromString(*value)) return absl::DataLossError(absl::StrCat("corrupt account ", invoice_number));
  return account;
}

absl::StatusOr<std::optional<rend::intake::v1::Customer>> BillingServiceImpl::FindCustomer(
    const std::string& request_id) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store_->GetState(InvoiceProjection::kName, keys::Customer(request_id)));
  if (!value) return std::nullopt;
  rend::intake::v1::Customer customer;
  if (!customer.ParseFromString(*value)) return absl::DataLossError(absl::StrCat("corrupt customer of ", request_id));
  return customer;
}

absl::StatusOr<std::vector<v1::Invoice>> BillingServiceImpl::InvoicesOfRequest(const std::string& request_id) const {
  std::string prefix = keys::RequestPrefix(request_id);
  std::vector<std::string> numbers;
  REND_RETURN_IF_ERROR(store_->ScanState(InvoiceProjection::kName, prefix, [&](const std::string& key, const std::string&) {
    numbers.push_back(key.substr(prefix.size()));
    return true;
  }));
  std::vector<v1::Invoice> invoices;
  for (const std::string& number : numbers) {
    REND_ASSIGN_OR_RETURN(v1::Invoice invoice, RequireInvoice(number));
    invoices.push_back(std::move(invoice));
  }
  return invoices;
}

absl::StatusOr<std::vector<v1::Invoice>> BillingServiceImpl::CorrectionsOf(const std::string& original) const {
  std::vector<std::string> numbers;
  REND_RETURN_IF_ERROR(store_->ScanState(InvoiceProjection::kName, keys::CorrectionPrefix(original),
                                         [&](const std::string&, const std::string& number) {
                                           numbers.push_back(number);
                                           return true;
                                         }));
  std::vector<v1::Invoice> invoices;
  for (const std::string& number : numbers) {
    REND_ASSIGN_OR_RETURN(v1::Invoice invoice, RequireInvoice(number));
    invoices.push_back(std::move(invoice));
  }
  return invoices;
}

grpc::Status BillingServiceImpl::GetInvoice(grpc::ServerContext*, const v1::GetInvoiceRequest* request,
                                            v1::Invoice* response) {
  absl::StatusOr<v1::Invoice> invoice = RequireInvoice(request->invoice_number());
  if (!invoice.ok()) return ToGrpcStatus(invoice.status());
  *response = *std::move(invoice);
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
  std::string prefix = request->request_id().empty() ? "invoice/" : keys::RequestPrefix(request->request_id());
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
