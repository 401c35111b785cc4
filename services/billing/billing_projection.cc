// Appliers of the billing projection "invoices". They change state only,
// because the deciders check the rules first. The checks here guard the
// invariants against a decider bug: one number per position, one invoice per
// quote version or delivery reference, no correction of a cancelled invoice.
#include "absl/strings/str_cat.h"
#include "libs/common/decimal.h"
#include "libs/common/status.h"
#include "services/billing/billing_keys.h"
#include "services/billing/billing_service.h"

namespace rend::billing {
namespace {

bool IsCorrection(const v1::Invoice& invoice) {
  return invoice.kind() == v1::INVOICE_KIND_MODIFYING || invoice.kind() == v1::INVOICE_KIND_STORNO;
}

absl::StatusOr<Decimal> StoredDecimal(const std::string& value) {
  return Decimal::Parse(value.empty() ? "0" : value);
}

// Recomputes balance and overpayment from the account's parts.
absl::Status Rebalance(v1::InvoiceAccount& account) {
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(account.currency()));
  REND_ASSIGN_OR_RETURN(Decimal gross, StoredDecimal(account.gross()));
  REND_ASSIGN_OR_RETURN(Decimal corrections, StoredDecimal(account.corrections()));
  REND_ASSIGN_OR_RETURN(Decimal paid, StoredDecimal(account.paid()));
  REND_ASSIGN_OR_RETURN(Decimal rounding, StoredDecimal(account.rounding_difference()));
  REND_ASSIGN_OR_RETURN(Decimal owed, gross.Add(corrections));
  REND_ASSIGN_OR_RETURN(Decimal settled, paid.Add(rounding));
  REND_ASSIGN_OR_RETURN(Decimal balance, owed.Subtract(settled));
  account.set_balance(balance.ToString(digits));
  account.set_overpayment(balance.is_negative() ? Decimal().Subtract(balance)->ToString(digits)
                                                : Decimal().ToString(digits));
  return absl::OkStatus();
}

absl::Status OpenAccount(const v1::Invoice& invoice, es::StateWriter& state) {
  v1::InvoiceAccount account;
  account.set_invoice_number(invoice.invoice_number());
  account.set_request_id(invoice.request_id());
  account.set_currency(invoice.currency());
  account.set_gross(invoice.gross());
  *account.mutable_payment_due_date() = invoice.payment_due_date();
  REND_RETURN_IF_ERROR(Rebalance(account));
  return state.PutProto(keys::Account(invoice.invoice_number()), account);
}

// Records a modifying or storno invoice against its original.
absl::Status ApplyCorrection(const v1::Invoice& invoice, es::StateWriter& state) {
  const std::string& original = invoice.original_invoice_number();
  REND_ASSIGN_OR_RETURN(std::optional<std::string> cancelled, state.Get(keys::Cancelled(original)));
  if (cancelled) return absl::InternalError(absl::StrCat("invoice ", original, " is already cancelled"));
  std::string correction_key = keys::Correction(original, invoice.modification_index());
  REND_ASSIGN_OR_RETURN(std::optional<std::string> earlier, state.Get(correction_key));
  if (earlier) return absl::InternalError(absl::StrCat("correction ", correction_key, " already exists"));
  REND_RETURN_IF_ERROR(state.Put(correction_key, invoice.invoice_number()));
  if (invoice.kind() == v1::INVOICE_KIND_STORNO) {
    REND_RETURN_IF_ERROR(state.Put(keys::Cancelled(original), invoice.invoice_number()));
  }

  v1::InvoiceAccount account;
  REND_ASSIGN_OR_RETURN(bool found, state.GetProto(keys::Account(original), account));
  if (!found) return absl::InternalError(absl::StrCat("invoice ", original, " has no account"));
  REND_ASSIGN_OR_RETURN(Decimal corrections, StoredDecimal(account.corrections()));
  REND_ASSIGN_OR_RETURN(Decimal gross, StoredDecimal(invoice.gross()));
  REND_ASSIGN_OR_RETURN(corrections, corrections.Add(gross));
  account.set_corrections(corrections.ToString());
  REND_RETURN_IF_ERROR(Rebalance(account));
  return state.PutProto(keys::Account(original), account);
}

// Puts the invoice in the NAV reporting queue, or marks it blocked.
absl::Status EnqueueNavReport(const es::EventRecord& event, const v1::Invoice& invoice, es::StateWriter& state) {
  v1::NavReport report;
  report.set_invoice_number(invoice.invoice_number());
  report.set_operation(invoice.kind() == v1::INVOICE_KIND_STORNO      ? "STORNO"
                       : invoice.kind() == v1::INVOICE_KIND_MODIFYING ? "MODIFY"
                                                                      : "CREATE");
  report.set_queue_position(event.position());
  if (!invoice.nav_blocked_reason().empty()) {
    report.set_state(v1::NAV_REPORT_STATE_BLOCKED);
    report.set_message(invoice.nav_blocked_reason());
    return state.PutProto(keys::NavReport(invoice.invoice_number()), report);
  }
  report.set_state(v1::NAV_REPORT_STATE_TO_SEND);
  REND_RETURN_IF_ERROR(state.PutProto(keys::NavReport(invoice.invoice_number()), report));
  return state.Put(keys::NavQueue(event.position()), invoice.invoice_number());
}

// Claims the quote version or the delivery reference the invoice is for.
absl::Status ClaimSource(const v1::Invoice& invoice, es::StateWriter& state) {
  std::string key;
  if (!invoice.quote_id().empty()) key = keys::Quote(invoice.quote_id(), invoice.quote_version());
  if (!invoice.delivery_reference().empty()) key = keys::Delivery(invoice.request_id(), invoice.delivery_reference());
  if (key.empty()) return absl::OkStatus();
  REND_ASSIGN_OR_RETURN(std::optional<std::string> earlier, state.Get(key));
  if (earlier) return absl::InternalError(absl::StrCat(key, " already has invoice ", *earlier));
  return state.Put(key, invoice.invoice_number());
}

absl::Status ApplyIssued(const es::EventRecord& event, const v1::Invoice& invoice, es::StateWriter& state) {
  if (invoice.sequence() != event.stream_version() || event.stream_id() != keys::SeriesStream(invoice.series())) {
    return absl::InternalError(absl::StrCat("invoice ", invoice.invoice_number(), " is not at position ",
                                            invoice.sequence(), " of its series stream"));
  }
  REND_RETURN_IF_ERROR(ClaimSource(invoice, state));
  REND_RETURN_IF_ERROR(state.PutProto(keys::Invoice(invoice.invoice_number()), invoice));
  REND_RETURN_IF_ERROR(state.Put(absl::StrCat(keys::RequestPrefix(invoice.request_id()), invoice.invoice_number()), ""));
  REND_RETURN_IF_ERROR(IsCorrection(invoice) ? ApplyCorrection(invoice, state) : OpenAccount(invoice, state));
  return EnqueueNavReport(event, invoice, state);
}

absl::Status ApplyPayment(const v1::PaymentRecorded& payment, es::StateWriter& state) {
  v1::InvoiceAccount account;
  REND_ASSIGN_OR_RETURN(bool found, state.GetProto(keys::Account(payment.invoice_number()), account));
  if (!found) return absl::InternalError(absl::StrCat("invoice ", payment.invoice_number(), " has no account"));
  REND_ASSIGN_OR_RETURN(Decimal paid, StoredDecimal(account.paid()));
  REND_ASSIGN_OR_RETURN(Decimal amount, StoredDecimal(payment.amount()));
  REND_ASSIGN_OR_RETURN(Decimal rounding, StoredDecimal(account.rounding_difference()));
  REND_ASSIGN_OR_RETURN(Decimal difference, StoredDecimal(payment.rounding_difference()));
  REND_ASSIGN_OR_RETURN(paid, paid.Add(amount));
  REND_ASSIGN_OR_RETURN(rounding, rounding.Add(difference));
  account.set_paid(paid.ToString());
  account.set_rounding_difference(rounding.ToString());

  v1::Payment* entry = account.add_payments();
  entry->set_payment_id(payment.payment_id());
  entry->set_method(payment.method());
  entry->set_amount(payment.amount());
  entry->set_rounding_difference(payment.rounding_difference());
  *entry->mutable_payment_date() = payment.payment_date();
  REND_RETURN_IF_ERROR(Rebalance(account));
  return state.PutProto(keys::Account(payment.invoice_number()), account);
}

// Moves a NAV report from `from` to `to`; INTERNAL from any other state.
absl::Status MoveNavReport(const std::string& number, v1::NavReportState from, v1::NavReportState to,
                           const std::string& transaction_id, const std::string& message, es::StateWriter& state) {
  v1::NavReport report;
  REND_ASSIGN_OR_RETURN(bool found, state.GetProto(keys::NavReport(number), report));
  if (!found || report.state() != from) {
    return absl::InternalError(absl::StrCat("NAV report of ", number, " is not in state ", v1::NavReportState_Name(from)));
  }
  if (to == v1::NAV_REPORT_STATE_SENT) {
    REND_RETURN_IF_ERROR(state.Delete(keys::NavQueue(report.queue_position())));
    report.set_attempts(report.attempts() + 1);
  }
  report.set_state(to);
  if (!transaction_id.empty()) report.set_transaction_id(transaction_id);
  report.set_message(message);
  return state.PutProto(keys::NavReport(number), report);
}

}  // namespace

absl::Status InvoiceProjection::Apply(const es::EventRecord& event, es::StateWriter& state) {
  v1::InvoiceIssued issued;
  if (event.payload().UnpackTo(&issued)) return ApplyIssued(event, issued.invoice(), state);
  v1::CustomerRecorded customer;
  if (event.payload().UnpackTo(&customer)) {
    return state.PutProto(keys::Customer(customer.request_id()), customer.customer());
  }
  v1::PaymentRecorded payment;
  if (event.payload().UnpackTo(&payment)) return ApplyPayment(payment, state);
  v1::NavReportSent sent;
  if (event.payload().UnpackTo(&sent)) {
    return MoveNavReport(sent.invoice_number(), v1::NAV_REPORT_STATE_TO_SEND, v1::NAV_REPORT_STATE_SENT, "", "",
                         state);
  }
  v1::NavReportAccepted accepted;
  if (event.payload().UnpackTo(&accepted)) {
    return MoveNavReport(accepted.invoice_number(), v1::NAV_REPORT_STATE_SENT, v1::NAV_REPORT_STATE_ACCEPTED,
                         accepted.transaction_id(), "", state);
  }
  v1::NavReportRejected rejected;
  if (event.payload().UnpackTo(&rejected)) {
    return MoveNavReport(rejected.invoice_number(), v1::NAV_REPORT_STATE_SENT, v1::NAV_REPORT_STATE_REJECTED,
                         rejected.transaction_id(), rejected.message(), state);
  }
  return absl::OkStatus();  // not an event this projection keeps
}

}  // namespace rend::billing
