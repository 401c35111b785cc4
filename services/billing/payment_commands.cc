// Payments: recording them with cash rounding, invoice accounts and the
// overdue query.
#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/es/command.h"
#include "services/billing/billing_keys.h"
#include "services/billing/billing_service.h"
#include "spdlog/spdlog.h"

namespace rend::billing {
namespace {

constexpr uint32_t kDefaultPageSize = 50;
constexpr uint32_t kMaxPageSize = 500;
constexpr size_t kMaxInvoiceNumberLength = 64;

absl::StatusOr<Decimal> ParseAmount(const std::string& value) { return Decimal::Parse(value.empty() ? "0" : value); }

// Returns the cash rounding difference a HUF cash payment settles. When the
// payment covers the balance rounded to 0 or 5 forints, the difference is
// the balance minus that rounded balance. Otherwise it is zero. Cash must
// come in multiples of 5 forints.
absl::StatusOr<Decimal> CashRoundingDifference(const v1::InvoiceAccount& account, Decimal amount) {
  if (account.currency() != "HUF") return Decimal();
  REND_ASSIGN_OR_RETURN(Decimal rounded_amount, RoundCashHuf(amount));
  if (rounded_amount != amount) return FieldError("amount", "cash in HUF must be a multiple of 5 forints");
  REND_ASSIGN_OR_RETURN(Decimal balance, ParseAmount(account.balance()));
  if (balance <= Decimal()) return Decimal();
  REND_ASSIGN_OR_RETURN(Decimal rounded_balance, RoundCashHuf(balance));
  if (amount < rounded_balance) return Decimal();  // a partial payment settles no rounding
  return balance.Subtract(rounded_balance);
}

absl::Status ValidatePayment(const v1::RecordPaymentRequest& request) {
  REND_RETURN_IF_ERROR(RequireText("invoice_number", request.invoice_number(), kMaxInvoiceNumberLength));
  if (!v1::PaymentMethod_IsValid(request.method())) return FieldError("method", "unknown payment method");
  REND_RETURN_IF_ERROR(RequireDecimal("amount", request.amount(), /*positive=*/true).status());
  return RequireDate("payment_date", request.payment_date()).status();
}

}  // namespace

absl::StatusOr<Decimal> RoundCashHuf(Decimal amount) {
  if (amount.RoundTo(0) != amount) return FieldError("amount", "cash in HUF must be whole forints");
  int64_t forints = amount.raw() / Decimal::kOne;
  int64_t remainder = forints % 5;  // C++ keeps the sign of `forints`
  int64_t rounded = forints - remainder;
  if (remainder >= 3) rounded += 5;
  if (remainder <= -3) rounded -= 5;
  return Decimal::FromInteger(rounded);
}

absl::StatusOr<es::AppendRequest> BillingServiceImpl::DecidePayment(const v1::RecordPaymentRequest& request) const {
  REND_RETURN_IF_ERROR(ValidatePayment(request));
  REND_ASSIGN_OR_RETURN(std::optional<v1::InvoiceAccount> account, FindAccount(request.invoice_number()));
  if (!account) {
    return absl::NotFoundError(absl::StrCat("invoice ", request.invoice_number(),
                                            " not found or a correction; payments go to the original invoice"));
  }
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(account->currency()));
  REND_ASSIGN_OR_RETURN(Decimal amount, Decimal::Parse(request.amount()));
  if (amount.RoundTo(digits) != amount) {
    return FieldError("amount", absl::StrCat("has more than ", digits, " fractional digits for ", account->currency()));
  }
  v1::PaymentMethod method = request.method() == v1::PAYMENT_METHOD_CASH ? v1::PAYMENT_METHOD_CASH
                                                                         : v1::PAYMENT_METHOD_TRANSFER;
  Decimal difference;
  if (method == v1::PAYMENT_METHOD_CASH) {
    REND_ASSIGN_OR_RETURN(difference, CashRoundingDifference(*account, amount));
  }

  v1::PaymentRecorded recorded;
  recorded.set_invoice_number(request.invoice_number());
  recorded.set_payment_id(request.context().request_id());
  recorded.set_method(method);
  recorded.set_amount(amount.ToString(digits));
  recorded.set_rounding_difference(difference.ToString(digits));
  *recorded.mutable_payment_date() = request.payment_date();
  *recorded.mutable_recorded_at() = ToProtoTime(clock_());
  std::string stream = keys::PaymentStream(request.invoice_number());
  REND_ASSIGN_OR_RETURN(uint64_t version, store_->StreamVersion(stream));
  es::AppendRequest append;
  append.stream_id = stream;
  append.expected_version = version;  // the rounding depends on the balance read above
  append.correlation_id = account->request_id();
  append.events.push_back(es::PackEvent(recorded));
  return append;
}

grpc::Status BillingServiceImpl::RecordPayment(grpc::ServerContext*, const v1::RecordPaymentRequest* request,
                                               v1::InvoiceAccount* response) {
  // The stored command response stays empty; the account is read afterwards,
  // so a retried request returns the current account.
  v1::InvoiceAccount unused;
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, &unused,
                                           [&] { return DecidePayment(*request); });
  if (!status.ok()) return ToGrpcStatus(status);
  spdlog::info("payment {} recorded for invoice {}", request->context().request_id(), request->invoice_number());
  v1::GetInvoiceRequest get;
  get.set_invoice_number(request->invoice_number());
  return GetInvoiceAccount(nullptr, &get, response);
}

grpc::Status BillingServiceImpl::GetInvoiceAccount(grpc::ServerContext*, const v1::GetInvoiceRequest* request,
                                                   v1::InvoiceAccount* response) {
  absl::Status valid = RequireText("invoice_number", request->invoice_number(), kMaxInvoiceNumberLength);
  if (!valid.ok()) return ToGrpcStatus(valid);
  absl::StatusOr<std::optional<v1::InvoiceAccount>> account = FindAccount(request->invoice_number());
  if (!account.ok()) return ToGrpcStatus(account.status());
  if (!account->has_value()) {
    return ToGrpcStatus(absl::NotFoundError(
        absl::StrCat("invoice ", request->invoice_number(), " has no account (unknown, or a correction)")));
  }
  *response = **std::move(account);
  return grpc::Status::OK;
}

grpc::Status BillingServiceImpl::ListOverdueInvoices(grpc::ServerContext*,
                                                     const v1::ListOverdueInvoicesRequest* request,
                                                     v1::ListOverdueInvoicesResponse* response) {
  absl::StatusOr<absl::CivilDay> as_of = absl::ToCivilDay(clock_(), zone_);
  if (request->has_as_of()) as_of = RequireDate("as_of", request->as_of());
  absl::Status valid = as_of.status();
  if (valid.ok() && request->page_size() > kMaxPageSize) valid = FieldError("page_size", "must be at most 500");
  if (valid.ok()) valid = OptionalText("page_token", request->page_token(), kMaxInvoiceNumberLength);
  if (!valid.ok()) return ToGrpcStatus(valid);
  uint32_t page_size = request->page_size() == 0 ? kDefaultPageSize : request->page_size();

  // NOTE: scans every account; fine for thousands of invoices, an index by
  // due date is needed beyond that.
  std::string start = request->page_token().empty() ? "" : keys::Account(request->page_token()) + std::string(1, '\0');
  absl::Status parse_error;
  auto visit = [&](const std::string&, const std::string& value) {
    v1::InvoiceAccount account;
    if (!account.ParseFromString(value)) parse_error = absl::DataLossError("corrupt invoice account");
    absl::StatusOr<Decimal> balance = Decimal::Parse(account.balance());
    const rend::common::v1::Date& due = account.payment_due_date();
    absl::CivilDay due_day(due.year(), due.month(), due.day());
    if (parse_error.ok() && balance.ok() && *balance > Decimal() && due_day < *as_of) {
      account.set_days_overdue(static_cast<uint32_t>(*as_of - due_day));
      *response->add_accounts() = std::move(account);
    }
    return parse_error.ok() && response->accounts_size() < static_cast<int>(page_size);
  };
  absl::Status scanned = store_->ScanState(InvoiceProjection::kName, "account/", visit, start);
  if (scanned.ok()) scanned = parse_error;
  if (!scanned.ok()) return ToGrpcStatus(scanned);
  if (response->accounts_size() == static_cast<int>(page_size)) {
    response->set_next_page_token(response->accounts(response->accounts_size() - 1).invoice_number());
  }
  return grpc::Status::OK;
}

}  // namespace rend::billing
