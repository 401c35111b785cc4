// Commands that issue invoices: from milestones and partial deliveries
// (IssueInvoice), and corrections (IssueModifyingInvoice, CancelInvoice).
#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/documents/invoice_document.h"
#include "libs/es/command.h"
#include "services/billing/billing_keys.h"
#include "services/billing/billing_service.h"
#include "services/billing/invoice_mapping.h"
#include "spdlog/spdlog.h"

namespace rend::billing {
namespace {

constexpr int kMaxIssueAttempts = 20;
constexpr uint32_t kDefaultPaymentDays = 8;
constexpr uint32_t kMaxPaymentDays = 365;
constexpr size_t kMaxReferenceLength = 64;
constexpr size_t kMaxReasonLength = 200;

bool IsCorrection(const v1::Invoice& invoice) {
  return invoice.kind() == v1::INVOICE_KIND_MODIFYING || invoice.kind() == v1::INVOICE_KIND_STORNO;
}

absl::Status AddInputLines(const google::protobuf::RepeatedPtrField<v1::InvoiceLineInput>& lines,
                           v1::Invoice& invoice) {
  if (lines.empty()) return FieldError("lines", "must not be empty");
  if (lines.size() > documents::kMaxLines) return FieldError("lines", "at most 1000 lines");
  for (int i = 0; i < lines.size(); ++i) {
    REND_ASSIGN_OR_RETURN(*invoice.add_lines(), LineFromInput(lines[i], absl::StrCat("lines[", i, "]")));
  }
  return absl::OkStatus();
}

// Sets currency and exchange rate: HUF at 1, or EUR with a rate > 0.
absl::Status SetCurrency(const v1::IssueInvoiceRequest& request, v1::Invoice& invoice) {
  std::string currency = request.currency().empty() ? "HUF" : request.currency();
  if (currency != "HUF" && currency != "EUR") return FieldError("currency", "must be HUF or EUR");
  invoice.set_currency(currency);
  if (currency == "HUF") {
    if (!request.exchange_rate().empty() && request.exchange_rate() != "1") {
      return FieldError("exchange_rate", "must be empty or 1 for HUF");
    }
    invoice.set_exchange_rate("1");
    return absl::OkStatus();
  }
  REND_ASSIGN_OR_RETURN(Decimal rate, RequireDecimal("exchange_rate", request.exchange_rate(), /*positive=*/true));
  invoice.set_exchange_rate(rate.ToString());
  return absl::OkStatus();
}

absl::Status ValidateIssueHeader(const v1::IssueInvoiceRequest& request) {
  REND_RETURN_IF_ERROR(RequireText("request_id", request.request_id(), 128));
  if (request.kind() != v1::INVOICE_KIND_UNSPECIFIED && request.kind() != v1::INVOICE_KIND_NORMAL &&
      request.kind() != v1::INVOICE_KIND_ADVANCE && request.kind() != v1::INVOICE_KIND_FINAL) {
    return FieldError("kind", "must be NORMAL, ADVANCE or FINAL; use IssueModifyingInvoice or CancelInvoice");
  }
  if (!v1::PaymentMethod_IsValid(request.payment_method())) return FieldError("payment_method", "unknown method");
  if (request.payment_days() > kMaxPaymentDays) return FieldError("payment_days", "must be at most 365");
  REND_RETURN_IF_ERROR(OptionalText("delivery_reference", request.delivery_reference(), kMaxReferenceLength));
  if (request.has_fulfilment_date()) {
    REND_RETURN_IF_ERROR(RequireDate("fulfilment_date", request.fulfilment_date()).status());
  }
  return absl::OkStatus();
}

// The date an advance invoice was paid in full, from its last payment.
absl::StatusOr<rend::common::v1::Date> AdvancePaymentDate(const v1::Invoice& advance,
                                                          const std::optional<v1::InvoiceAccount>& account) {
  absl::StatusOr<Decimal> balance = Decimal::Parse(account ? account->balance() : "1");
  if (!account || !balance.ok() || *balance > Decimal() || account->payments().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("advance invoice ", advance.invoice_number(), " is not paid; record its payment first"));
  }
  return account->payments(account->payments_size() - 1).payment_date();
}

// Returns the deduction line of one line of a paid advance invoice.
v1::InvoiceLine DeductionLine(const v1::Invoice& advance, const v1::InvoiceLine& line,
                              const rend::common::v1::Date& paid_on) {
  v1::InvoiceLine out;
  out.set_description(absl::StrCat("Előleg levonása (", advance.invoice_number(), " számla)"));
  out.set_unit(line.unit());
  out.set_net(absl::StrCat(line.net().front() == '-' ? line.net().substr(1) : "-" + line.net()));
  out.set_vat_rate_percent(line.vat_rate_percent());
  out.set_vat_exemption_case(line.vat_exemption_case());
  out.set_vat_exemption_reason(line.vat_exemption_reason());
  out.set_vat_out_of_scope(line.vat_out_of_scope());
  out.set_advance_invoice_number(advance.invoice_number());
  *out.mutable_advance_payment_date() = paid_on;
  out.set_advance_exchange_rate(advance.exchange_rate().empty() ? "1" : advance.exchange_rate());
  return out;
}

}  // namespace

absl::Status BillingServiceImpl::IssueCommand(const rend::common::v1::CommandContext& context,
                                              const google::protobuf::Message& request, v1::Invoice* response,
                                              const InvoiceBuilder& build) {
  absl::MutexLock lock(&issue_mutex_);
  absl::Status status;
  for (int attempt = 0; attempt < kMaxIssueAttempts; ++attempt) {
    status = es::ExecuteCommand(*store_, context, request, response, [&]() -> absl::StatusOr<es::AppendRequest> {
      absl::Time now = clock_();
      REND_ASSIGN_OR_RETURN(v1::Invoice invoice, build(absl::ToCivilDay(now, zone_)));
      REND_ASSIGN_OR_RETURN(es::AppendRequest append, NumberInvoice(invoice, now, /*strict=*/true));
      *response = std::move(invoice);
      return append;
    });
    if (status.code() != absl::StatusCode::kAborted) break;
    spdlog::debug("invoice number taken concurrently for command {}, retrying", context.request_id());
  }
  if (status.ok()) spdlog::info("invoice {} issued for request {}", response->invoice_number(), response->request_id());
  return status;
}

absl::Status BillingServiceImpl::AddAdvanceDeductions(const std::string& request_id, v1::Invoice& invoice) const {
  REND_ASSIGN_OR_RETURN(std::vector<v1::Invoice> invoices, InvoicesOfRequest(request_id));
  for (const v1::Invoice& earlier : invoices) {
    if (earlier.kind() == v1::INVOICE_KIND_FINAL) {
      REND_ASSIGN_OR_RETURN(std::optional<std::string> cancelled,
                            store_->GetState(InvoiceProjection::kName, keys::Cancelled(earlier.invoice_number())));
      if (!cancelled) {
        return absl::AlreadyExistsError(
            absl::StrCat("request ", request_id, " already has final invoice ", earlier.invoice_number()));
      }
    }
  }
  for (const v1::Invoice& advance : invoices) {
    if (advance.kind() != v1::INVOICE_KIND_ADVANCE) continue;
    REND_ASSIGN_OR_RETURN(std::optional<std::string> cancelled,
                          store_->GetState(InvoiceProjection::kName, keys::Cancelled(advance.invoice_number())));
    if (cancelled) continue;  // a cancelled advance has nothing to deduct
    if (advance.currency() != invoice.currency()) {
      return absl::FailedPreconditionError(
          absl::StrCat("advance invoice ", advance.invoice_number(), " is in ", advance.currency()));
    }
    REND_ASSIGN_OR_RETURN(std::optional<v1::InvoiceAccount> account, FindAccount(advance.invoice_number()));
    REND_ASSIGN_OR_RETURN(rend::common::v1::Date paid_on, AdvancePaymentDate(advance, account));
    for (const v1::InvoiceLine& line : advance.lines()) *invoice.add_lines() = DeductionLine(advance, line, paid_on);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Invoice> BillingServiceImpl::BuildRequestInvoice(const v1::IssueInvoiceRequest& request,
                                                                    absl::CivilDay today) const {
  REND_RETURN_IF_ERROR(ValidateIssueHeader(request));
  v1::Invoice invoice;
  invoice.set_kind(request.kind() == v1::INVOICE_KIND_UNSPECIFIED ? v1::INVOICE_KIND_NORMAL : request.kind());
  invoice.set_request_id(request.request_id());
  REND_RETURN_IF_ERROR(SetCurrency(request, invoice));
  REND_RETURN_IF_ERROR(AddInputLines(request.lines(), invoice));
  if (invoice.kind() == v1::INVOICE_KIND_FINAL) REND_RETURN_IF_ERROR(AddAdvanceDeductions(request.request_id(), invoice));

  if (!request.delivery_reference().empty()) {
    REND_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                          store_->GetState(InvoiceProjection::kName,
                                           keys::Delivery(request.request_id(), request.delivery_reference())));
    if (earlier) {
      return absl::AlreadyExistsError(absl::StrCat("delivery ", request.delivery_reference(), " of request ",
                                                   request.request_id(), " already has invoice ", *earlier));
    }
    invoice.set_delivery_reference(request.delivery_reference());
  }
  REND_ASSIGN_OR_RETURN(std::optional<rend::intake::v1::Customer> customer, FindCustomer(request.request_id()));
  if (!customer) {
    return absl::FailedPreconditionError(
        absl::StrCat("no customer recorded for request ", request.request_id(), "; intake has not reported it yet"));
  }
  *invoice.mutable_customer() = *customer;
  invoice.set_customer_external_id(customer->external_id());
  invoice.set_customer_name(customer->name());
  invoice.set_payment_method(request.payment_method() == v1::PAYMENT_METHOD_CASH ? v1::PAYMENT_METHOD_CASH
                                                                                 : v1::PAYMENT_METHOD_TRANSFER);
  uint32_t days = request.payment_days() == 0 ? kDefaultPaymentDays : request.payment_days();
  *invoice.mutable_issue_date() = ToProtoDate(today);
  *invoice.mutable_fulfilment_date() = request.has_fulfilment_date() ? request.fulfilment_date() : ToProtoDate(today);
  *invoice.mutable_payment_due_date() = ToProtoDate(today + days);
  REND_RETURN_IF_ERROR(FillAmounts(invoice));
  return invoice;
}

absl::StatusOr<v1::Invoice> BillingServiceImpl::BuildCorrection(const v1::Invoice& original, v1::InvoiceKind kind,
                                                                std::vector<v1::InvoiceLine> lines,
                                                                absl::CivilDay today) const {
  if (IsCorrection(original)) {
    return absl::FailedPreconditionError(
        absl::StrCat("invoice ", original.invoice_number(), " is itself a correction; correct its original"));
  }
  REND_ASSIGN_OR_RETURN(std::optional<std::string> cancelled,
                        store_->GetState(InvoiceProjection::kName, keys::Cancelled(original.invoice_number())));
  if (cancelled) {
    return absl::FailedPreconditionError(
        absl::StrCat("invoice ", original.invoice_number(), " is already cancelled by ", *cancelled));
  }
  // New lines continue the line numbering of the original and its earlier
  // corrections (NAV lineNumberReference).
  REND_ASSIGN_OR_RETURN(std::vector<v1::Invoice> earlier, CorrectionsOf(original.invoice_number()));
  uint32_t last_line = original.lines_size();
  for (const v1::Invoice& correction : earlier) last_line += correction.lines_size();

  // The correction keeps the original's parties, currency and rate.
  v1::Invoice invoice;
  invoice.set_kind(kind);
  invoice.set_original_invoice_number(original.invoice_number());
  invoice.set_modification_index(earlier.size() + 1);
  invoice.set_request_id(original.request_id());
  invoice.set_customer_external_id(original.customer_external_id());
  invoice.set_customer_name(original.customer_name());
  invoice.set_currency(original.currency());
  invoice.set_exchange_rate(original.exchange_rate().empty() ? "1" : original.exchange_rate());
  invoice.set_payment_method(original.payment_method());
  *invoice.mutable_customer() = original.customer();
  *invoice.mutable_issue_date() = ToProtoDate(today);
  *invoice.mutable_fulfilment_date() = original.fulfilment_date();
  *invoice.mutable_payment_due_date() = ToProtoDate(today + kDefaultPaymentDays);
  for (size_t i = 0; i < lines.size(); ++i) {
    lines[i].set_line_number(i + 1);
    lines[i].set_line_number_reference(last_line + i + 1);
    *invoice.add_lines() = std::move(lines[i]);
  }
  REND_RETURN_IF_ERROR(FillAmounts(invoice));
  return invoice;
}

grpc::Status BillingServiceImpl::IssueInvoice(grpc::ServerContext*, const v1::IssueInvoiceRequest* request,
                                              v1::Invoice* response) {
  return ToGrpcStatus(IssueCommand(request->context(), *request, response, [&](absl::CivilDay today) {
    return BuildRequestInvoice(*request, today);
  }));
}

}  // namespace rend::billing

namespace rend::billing {
namespace {

// Returns the original's line with the opposite sign: the quantity when it
// has one, else the net.
v1::InvoiceLine NegatedLine(const v1::InvoiceLine& line) {
  v1::InvoiceLine out = line;
  auto negate = [](const std::string& value) { return value.front() == '-' ? value.substr(1) : "-" + value; };
  if (!line.quantity().empty()) {
    out.set_quantity(negate(line.quantity()));
    out.clear_net();
  } else {
    out.set_net(negate(line.net()));
  }
  out.clear_vat();
  out.clear_gross();
  out.clear_line_number_reference();
  return out;
}

}  // namespace

grpc::Status BillingServiceImpl::IssueModifyingInvoice(grpc::ServerContext*,
                                                       const v1::IssueModifyingInvoiceRequest* request,
                                                       v1::Invoice* response) {
  return ToGrpcStatus(IssueCommand(request->context(), *request, response,
                                   [&](absl::CivilDay today) -> absl::StatusOr<v1::Invoice> {
    REND_RETURN_IF_ERROR(RequireText("reason", request->reason(), kMaxReasonLength));
    v1::Invoice input;
    REND_RETURN_IF_ERROR(AddInputLines(request->lines(), input));
    REND_ASSIGN_OR_RETURN(v1::Invoice original, RequireInvoice(request->original_invoice_number()));
    std::vector<v1::InvoiceLine> lines(input.lines().begin(), input.lines().end());
    REND_ASSIGN_OR_RETURN(v1::Invoice invoice,
                          BuildCorrection(original, v1::INVOICE_KIND_MODIFYING, std::move(lines), today));
    invoice.set_correction_reason(request->reason());
    return invoice;
  }));
}

grpc::Status BillingServiceImpl::CancelInvoice(grpc::ServerContext*, const v1::CancelInvoiceRequest* request,
                                               v1::Invoice* response) {
  return ToGrpcStatus(IssueCommand(request->context(), *request, response,
                                   [&](absl::CivilDay today) -> absl::StatusOr<v1::Invoice> {
    REND_RETURN_IF_ERROR(RequireText("reason", request->reason(), kMaxReasonLength));
    REND_ASSIGN_OR_RETURN(v1::Invoice original, RequireInvoice(request->original_invoice_number()));
    // NOTE: only the original's own lines are negated; an earlier modifying
    // invoice of it needs a storno of its own.
    std::vector<v1::InvoiceLine> lines;
    for (const v1::InvoiceLine& line : original.lines()) lines.push_back(NegatedLine(line));
    REND_ASSIGN_OR_RETURN(v1::Invoice invoice,
                          BuildCorrection(original, v1::INVOICE_KIND_STORNO, std::move(lines), today));
    invoice.set_correction_reason(request->reason());
    return invoice;
  }));
}

}  // namespace rend::billing
