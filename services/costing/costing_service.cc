#include "services/costing/costing_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/common/decimal.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/es/command.h"
#include "rend/approval/v1/approval.pb.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/costing/costing_projection.h"
#include "spdlog/spdlog.h"

namespace rend::costing {
namespace {

constexpr size_t kMaxRequestIdLength = 128;
constexpr size_t kMaxAggregateIdLength = 160;

// Logs a command's outcome with the aggregate id: changes at info, rejections
// at debug because the caller receives them.
void LogCommand(absl::string_view command, absl::string_view id, const absl::Status& status) {
  if (status.ok()) {
    spdlog::info("{} {} done", std::string(command), std::string(id));
  } else {
    spdlog::debug("{} {} rejected: {}", std::string(command), std::string(id), status.ToString());
  }
}

absl::StatusOr<es::AppendRequest> DecideOpen(const es::EventStore& store, const v1::OpenCostSheetRequest& request,
                                             v1::CostSheet& response) {
  REND_RETURN_IF_ERROR(RequireText("request_id", request.request_id(), kMaxRequestIdLength));
  std::string currency = request.currency().empty() ? "HUF" : request.currency();
  if (!CurrencyDigits(currency).ok()) return FieldError("currency", absl::StrCat(currency, " is not HUF or EUR"));

  v1::RequestRecorded known;
  REND_ASSIGN_OR_RETURN(bool found, ReadCostingState(store, RequestKey(request.request_id()), known));
  if (!found) {
    return absl::NotFoundError(absl::StrCat("request ", request.request_id(),
                                            " not found; a request just submitted to intake arrives within seconds"));
  }
  std::string sheet_id = SheetId(request.request_id());
  REND_ASSIGN_OR_RETURN(uint64_t version, store.StreamVersion(sheet_id));
  if (version != es::kNoStream) {
    return absl::FailedPreconditionError(absl::StrCat("cost sheet ", sheet_id, " is already open"));
  }

  v1::CostSheetOpened event;
  event.set_sheet_id(sheet_id);
  event.set_request_id(request.request_id());
  event.set_currency(currency);
  ApplySheetOpened(event, 1, response);
  REND_ASSIGN_OR_RETURN(*response.mutable_totals(), ComputeTotals(response));
  es::AppendRequest append;
  append.stream_id = sheet_id;
  append.expected_version = es::kNoStream;
  append.correlation_id = request.request_id();
  append.events.push_back(es::PackEvent(event));
  return append;
}

}  // namespace

grpc::Status CostingServiceImpl::OpenCostSheet(grpc::ServerContext*, const v1::OpenCostSheetRequest* request,
                                               v1::CostSheet* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideOpen(*store_, *request, *response); });
  LogCommand("OpenCostSheet", request->request_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::AddCostLine(grpc::ServerContext*, const v1::AddCostLineRequest* request,
                                             v1::CostSheet* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideAddCostLine(*request, *response); });
  LogCommand("AddCostLine", request->sheet_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::SetPricing(grpc::ServerContext*, const v1::SetPricingRequest* request,
                                            v1::CostSheet* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideSetPricing(*request, *response); });
  LogCommand("SetPricing", request->sheet_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::FinalizeCostSheet(grpc::ServerContext*, const v1::FinalizeCostSheetRequest* request,
                                                   v1::CostSheet* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideFinalize(*request, *response); });
  LogCommand("FinalizeCostSheet", request->sheet_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::SetProductionLeadTime(grpc::ServerContext*,
                                                      const v1::SetProductionLeadTimeRequest* request,
                                                      v1::CostSheet* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideSetLeadTime(*request, *response); });
  LogCommand("SetProductionLeadTime", request->sheet_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::OpenSupplierInquiry(grpc::ServerContext*, const v1::OpenSupplierInquiryRequest* request,
                                                    v1::CostSheet* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideOpenInquiry(*request, *response); });
  LogCommand("OpenSupplierInquiry", request->sheet_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::RecordSupplierAnswer(grpc::ServerContext*,
                                                     const v1::RecordSupplierAnswerRequest* request,
                                                     v1::CostSheet* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideRecordAnswer(*request, *response); });
  LogCommand("RecordSupplierAnswer", request->sheet_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::ChooseSupplierAnswer(grpc::ServerContext*,
                                                     const v1::ChooseSupplierAnswerRequest* request,
                                                     v1::CostSheet* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideChooseAnswer(*request, *response); });
  LogCommand("ChooseSupplierAnswer", request->sheet_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::PrepareQuote(grpc::ServerContext*, const v1::PrepareQuoteRequest* request,
                                              v1::Quote* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecidePrepareQuote(*request, *response); });
  LogCommand("PrepareQuote", request->sheet_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::SendQuote(grpc::ServerContext*, const v1::QuoteCommandRequest* request,
                                           v1::Quote* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideSendQuote(*request, *response); });
  LogCommand("SendQuote", request->quote_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::AcceptQuote(grpc::ServerContext*, const v1::QuoteCommandRequest* request,
                                             v1::Quote* response) {
  absl::Status status = es::ExecuteCommand(*store_, request->context(), *request, response,
                                           [&] { return DecideAcceptQuote(*request, *response); });
  LogCommand("AcceptQuote", request->quote_id(), status);
  return ToGrpcStatus(status);
}

grpc::Status CostingServiceImpl::GetCostSheet(grpc::ServerContext*, const v1::GetCostSheetRequest* request,
                                              v1::CostSheet* response) {
  absl::Status valid = RequireText("sheet_id", request->sheet_id(), kMaxAggregateIdLength);
  if (!valid.ok()) return ToGrpcStatus(valid);
  absl::StatusOr<v1::CostSheet> sheet = LoadSheet(request->sheet_id());
  if (!sheet.ok()) return ToGrpcStatus(sheet.status());
  *response = *std::move(sheet);
  return grpc::Status::OK;
}

grpc::Status CostingServiceImpl::GetQuote(grpc::ServerContext*, const v1::GetQuoteRequest* request,
                                          v1::Quote* response) {
  absl::Status valid = RequireText("quote_id", request->quote_id(), kMaxAggregateIdLength);
  if (!valid.ok()) return ToGrpcStatus(valid);
  absl::StatusOr<v1::Quote> quote = LoadQuote(request->quote_id(), request->quote_version());
  if (!quote.ok()) return ToGrpcStatus(quote.status());
  *response = *std::move(quote);
  return grpc::Status::OK;
}

absl::StatusOr<v1::CostSheet> CostingServiceImpl::LoadSheet(const std::string& sheet_id) const {
  v1::CostSheet sheet;
  REND_ASSIGN_OR_RETURN(bool found, ReadCostingState(*store_, SheetKey(sheet_id), sheet));
  if (!found) return absl::NotFoundError(absl::StrCat("cost sheet ", sheet_id, " not found"));
  // A finalized sheet keeps the totals it was finalized with.
  if (sheet.state() == v1::COST_SHEET_STATE_DRAFT) {
    REND_ASSIGN_OR_RETURN(*sheet.mutable_totals(), ComputeTotals(sheet));
  }
  // A read still succeeds when the date cannot be computed; commands that
  // need it call FillEarliestDelivery themselves and fail.
  IgnoreError(FillEarliestDelivery(sheet), "the earliest delivery is left unset on read");
  return sheet;
}

absl::StatusOr<uint32_t> CostingServiceImpl::LatestQuoteVersion(const std::string& quote_id) const {
  REND_ASSIGN_OR_RETURN(std::optional<std::string> value,
                        store_->GetState(CostingProjection::kName, LatestQuoteKey(quote_id)));
  uint32_t version = 0;
  if (value && !absl::SimpleAtoi(*value, &version)) {
    return absl::DataLossError(absl::StrCat("corrupt latest version of quote ", quote_id));
  }
  return version;
}

absl::StatusOr<v1::Quote> CostingServiceImpl::LoadQuote(const std::string& quote_id, uint32_t quote_version) const {
  if (quote_version == 0) {
    REND_ASSIGN_OR_RETURN(quote_version, LatestQuoteVersion(quote_id));
    if (quote_version == 0) return absl::NotFoundError(absl::StrCat("quote ", quote_id, " not found"));
  }
  v1::Quote quote;
  REND_ASSIGN_OR_RETURN(bool found, ReadCostingState(*store_, QuoteKey(quote_id, quote_version), quote));
  if (!found) return absl::NotFoundError(absl::StrCat("quote ", quote_id, " v", quote_version, " not found"));
  return quote;
}

absl::StatusOr<std::optional<es::AppendRequest>> HandleIntakeEvent(const es::EventStore& store,
                                                                   const es::EventRecord& event) {
  rend::intake::v1::RequestSubmitted submitted;
  if (!event.payload().UnpackTo(&submitted)) return std::nullopt;
  const rend::intake::v1::Request& request = submitted.request();
  REND_RETURN_IF_ERROR(RequireText("request.request_id", request.request_id(), kMaxRequestIdLength));
  v1::RequestRecorded known;
  REND_ASSIGN_OR_RETURN(bool found, ReadCostingState(store, RequestKey(request.request_id()), known));
  if (found) return std::nullopt;

  v1::RequestRecorded recorded;
  recorded.set_request_id(request.request_id());
  recorded.set_customer_external_id(request.customer().external_id());
  recorded.set_customer_name(request.customer().name());
  recorded.set_need_description(request.need().description());
  recorded.set_need_quantity(request.need().quantity());
  recorded.set_need_unit(request.need().unit());
  *recorded.mutable_customer() = request.customer();
  es::AppendRequest append;
  append.stream_id = RequestStream(request.request_id());
  append.expected_version = es::kNoStream;
  append.correlation_id = request.request_id();
  append.events.push_back(es::PackEvent(recorded));
  spdlog::debug("recording request {}", request.request_id());
  return append;
}

absl::StatusOr<std::optional<es::AppendRequest>> HandleApprovalEvent(const es::EventStore& store,
                                                                     const es::EventRecord& event) {
  rend::approval::v1::QuoteRejected rejected;
  if (!event.payload().UnpackTo(&rejected)) return std::nullopt;
  REND_RETURN_IF_ERROR(RequireText("quote_id", rejected.quote_id(), kMaxAggregateIdLength));
  v1::Quote quote;
  REND_ASSIGN_OR_RETURN(bool found,
                        ReadCostingState(store, QuoteKey(rejected.quote_id(), rejected.quote_version()), quote));
  if (!found || quote.state() == v1::QUOTE_STATE_REJECTED) {
    spdlog::debug("ignoring rejection of {} v{}", rejected.quote_id(), rejected.quote_version());
    return std::nullopt;
  }

  v1::QuoteVersionRejected marked;
  marked.set_quote_id(rejected.quote_id());
  marked.set_quote_version(rejected.quote_version());
  marked.set_request_id(quote.request_id());
  marked.set_reason(rejected.reason());
  es::AppendRequest append;
  append.stream_id = quote.quote_id();
  append.correlation_id = quote.request_id();
  append.events.push_back(es::PackEvent(marked));
  spdlog::info("quote {} v{} rejected by approval", quote.quote_id(), quote.quote_version());
  return append;
}

}  // namespace rend::costing
