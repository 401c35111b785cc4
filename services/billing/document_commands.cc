// The invoice as documents: its PDF, its NAV Online Számla invoice data, and
// the NAV reporting queue a NAV client outside Rend works through.
#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/documents/nav_invoice_xml.h"
#include "libs/documents/pdf_document.h"
#include "libs/es/command.h"
#include "services/billing/billing_keys.h"
#include "services/billing/billing_service.h"
#include "services/billing/invoice_mapping.h"
#include "spdlog/spdlog.h"

namespace rend::billing {
namespace {

constexpr size_t kMaxInvoiceNumberLength = 64;
constexpr size_t kMaxNavTextLength = 4000;

// The document of an issued invoice; FAILED_PRECONDITION when NAV would
// reject its data, so no document is produced.
absl::StatusOr<documents::InvoiceDocument> IssuedDocument(const v1::Invoice& invoice) {
  if (!invoice.nav_blocked_reason().empty()) {
    return absl::FailedPreconditionError(absl::StrCat("invoice ", invoice.invoice_number(),
                                                      " has incomplete data: ", invoice.nav_blocked_reason()));
  }
  return ToDocument(invoice);
}

absl::StatusOr<v1::NavInvoiceData> NavData(const v1::Invoice& invoice) {
  REND_ASSIGN_OR_RETURN(documents::InvoiceDocument document, IssuedDocument(invoice));
  REND_ASSIGN_OR_RETURN(std::string xml, documents::WriteNavInvoiceData(document));
  v1::NavInvoiceData data;
  data.set_invoice_number(invoice.invoice_number());
  data.set_operation(std::string(documents::NavInvoiceOperation(document)));
  data.set_xml(std::move(xml));
  return data;
}

absl::StatusOr<v1::NavReport> FindNavReport(const es::EventStore& store, const std::string& number) {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store.GetState(InvoiceProjection::kName, keys::NavReport(number)));
  if (!value) return absl::NotFoundError(absl::StrCat("invoice ", number, " not found"));
  v1::NavReport report;
  if (!report.ParseFromString(*value)) return absl::DataLossError(absl::StrCat("corrupt NAV report of ", number));
  return report;
}

absl::Status ValidateOutcome(const v1::RecordNavReportOutcomeRequest& request) {
  REND_RETURN_IF_ERROR(RequireText("invoice_number", request.invoice_number(), kMaxInvoiceNumberLength));
  REND_RETURN_IF_ERROR(OptionalText("transaction_id", request.transaction_id(), 128));
  if (request.accepted()) return OptionalText("message", request.message(), kMaxNavTextLength);
  return RequireText("message", request.message(), kMaxNavTextLength);
}

}  // namespace

grpc::Status BillingServiceImpl::GetInvoicePdf(grpc::ServerContext*, const v1::GetInvoicePdfRequest* request,
                                               v1::InvoicePdf* response) {
  if (!v1::DocumentLanguage_IsValid(request->language())) {
    return ToGrpcStatus(FieldError("language", "must be HUNGARIAN or ENGLISH"));
  }
  absl::StatusOr<v1::Invoice> invoice = RequireInvoice(request->invoice_number());
  if (!invoice.ok()) return ToGrpcStatus(invoice.status());
  absl::StatusOr<documents::InvoiceDocument> document = IssuedDocument(*invoice);
  if (!document.ok()) return ToGrpcStatus(document.status());
  documents::Language language = request->language() == v1::DOCUMENT_LANGUAGE_ENGLISH ? documents::Language::kEnglish
                                                                                        : documents::Language::kHungarian;
  absl::StatusOr<std::string> pdf = documents::RenderInvoicePdf(*document, language);
  if (!pdf.ok()) return ToGrpcStatus(pdf.status());
  response->set_content(*std::move(pdf));
  return grpc::Status::OK;
}

grpc::Status BillingServiceImpl::GetNavInvoiceData(grpc::ServerContext*, const v1::GetInvoiceRequest* request,
                                                   v1::NavInvoiceData* response) {
  absl::StatusOr<v1::Invoice> invoice = RequireInvoice(request->invoice_number());
  if (!invoice.ok()) return ToGrpcStatus(invoice.status());
  absl::StatusOr<v1::NavInvoiceData> data = NavData(*invoice);
  if (!data.ok()) return ToGrpcStatus(data.status());
  *response = *std::move(data);
  return grpc::Status::OK;
}

absl::StatusOr<es::AppendRequest> BillingServiceImpl::DecideNavTake(v1::TakeNextNavReportResponse& response) const {
  std::string number;
  REND_RETURN_IF_ERROR(store_->ScanState(InvoiceProjection::kName, std::string(keys::kNavQueuePrefix),
                                         [&](const std::string&, const std::string& value) {
                                           number = value;
                                           return false;
                                         }));
  es::AppendRequest append;
  if (number.empty()) return append;  // nothing to send: records the command only

  REND_ASSIGN_OR_RETURN(v1::Invoice invoice, RequireInvoice(number));
  REND_ASSIGN_OR_RETURN(*response.mutable_data(), NavData(invoice));
  REND_ASSIGN_OR_RETURN(v1::NavReport report, FindNavReport(*store_, number));
  report.set_state(v1::NAV_REPORT_STATE_SENT);
  report.set_attempts(report.attempts() + 1);
  *response.mutable_report() = report;

  v1::NavReportSent sent;
  sent.set_invoice_number(number);
  sent.set_attempt(report.attempts());
  *sent.mutable_sent_at() = ToProtoTime(clock_());
  append.stream_id = keys::NavStream(number);
  REND_ASSIGN_OR_RETURN(append.expected_version, store_->StreamVersion(append.stream_id));
  append.correlation_id = invoice.request_id();
  append.events.push_back(es::PackEvent(sent));
  return append;
}

grpc::Status BillingServiceImpl::TakeNextNavReport(grpc::ServerContext*, const v1::TakeNextNavReportRequest* request,
                                                   v1::TakeNextNavReportResponse* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideNavTake(*response); });
  if (status.ok() && response->has_report()) {
    spdlog::info("invoice {} taken for NAV reporting", response->report().invoice_number());
  }
  return ToGrpcStatus(status);
}

absl::StatusOr<es::AppendRequest> BillingServiceImpl::DecideNavOutcome(
    const v1::RecordNavReportOutcomeRequest& request, v1::NavReport& response) const {
  REND_RETURN_IF_ERROR(ValidateOutcome(request));
  REND_ASSIGN_OR_RETURN(v1::NavReport report, FindNavReport(*store_, request.invoice_number()));
  if (report.state() != v1::NAV_REPORT_STATE_SENT) {
    return absl::FailedPreconditionError(absl::StrCat("NAV report of ", request.invoice_number(), " is ",
                                                      v1::NavReportState_Name(report.state()), ", not SENT"));
  }
  es::AppendRequest append;
  append.stream_id = keys::NavStream(request.invoice_number());
  REND_ASSIGN_OR_RETURN(append.expected_version, store_->StreamVersion(append.stream_id));
  if (request.accepted()) {
    v1::NavReportAccepted accepted;
    accepted.set_invoice_number(request.invoice_number());
    accepted.set_transaction_id(request.transaction_id());
    *accepted.mutable_recorded_at() = ToProtoTime(clock_());
    append.events.push_back(es::PackEvent(accepted));
    report.set_state(v1::NAV_REPORT_STATE_ACCEPTED);
    report.clear_message();
  } else {
    v1::NavReportRejected rejected;
    rejected.set_invoice_number(request.invoice_number());
    rejected.set_transaction_id(request.transaction_id());
    rejected.set_message(request.message());
    *rejected.mutable_recorded_at() = ToProtoTime(clock_());
    append.events.push_back(es::PackEvent(rejected));
    report.set_state(v1::NAV_REPORT_STATE_REJECTED);
    report.set_message(request.message());
  }
  if (!request.transaction_id().empty()) report.set_transaction_id(request.transaction_id());
  response = std::move(report);
  return append;
}

grpc::Status BillingServiceImpl::RecordNavReportOutcome(grpc::ServerContext*,
                                                        const v1::RecordNavReportOutcomeRequest* request,
                                                        v1::NavReport* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideNavOutcome(*request, *response); });
  if (status.ok()) {
    spdlog::info("NAV report of invoice {} recorded as {}", request->invoice_number(),
                 v1::NavReportState_Name(response->state()));
  }
  return ToGrpcStatus(status);
}

grpc::Status BillingServiceImpl::GetNavReport(grpc::ServerContext*, const v1::GetInvoiceRequest* request,
                                              v1::NavReport* response) {
  absl::Status valid = RequireText("invoice_number", request->invoice_number(), kMaxInvoiceNumberLength);
  if (!valid.ok()) return ToGrpcStatus(valid);
  absl::StatusOr<v1::NavReport> report = FindNavReport(*store_, request->invoice_number());
  if (!report.ok()) return ToGrpcStatus(report.status());
  *response = *std::move(report);
  return grpc::Status::OK;
}

}  // namespace rend::billing
