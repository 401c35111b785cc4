// CostingServiceImpl: the gRPC API of the costing service: cost sheets,
// pricing and quote versions.
//
// A request has one cost sheet, on the stream "costsheet-<request_id>", and
// one quote with numbered versions, on "quote-<request_id>". Every event
// carries the request id as its correlation id. A quote version goes
// PREPARED -> SENT (only when the approval service reports it approved) ->
// ACCEPTED, or PREPARED -> REJECTED when approval rejects it (learned from
// approval's QuoteRejected events through HandleApprovalEvent). Every command goes through es::ExecuteCommand, so a retry with
// the same context.request_id returns the first result and writes nothing.
//
// Costing learns of requests from intake's RequestSubmitted events
// (HandleIntakeEvent), so a cost sheet can be opened only for a request that
// has arrived through the event consumer.
//
// Thread safety: thread-safe. Concurrent commands on one sheet or quote are
// serialized by the store: the loser gets ABORTED and may retry.
#ifndef REND_SERVICES_COSTING_COSTING_SERVICE_H_
#define REND_SERVICES_COSTING_COSTING_SERVICE_H_

#include <optional>

#include "absl/status/statusor.h"
#include "libs/calendar/business_calendar.h"
#include "libs/directory/company.h"
#include "libs/es/event_store.h"
#include "rend/costing/v1/costing.grpc.pb.h"
#include "services/costing/approval_checker.h"

namespace rend::costing {

class CostingServiceImpl final : public rend::costing::v1::CostingService::Service {
 public:
  // `store` (with a CostingProjection), `approvals`, `calendar` and `company`
  // are not owned and must outlive the service. Without a calendar, no
  // earliest delivery date can be computed, so choosing a supplier answer
  // fails; without a company, RenderQuoteDocument fails.
  CostingServiceImpl(es::EventStore* store, ApprovalChecker* approvals,
                     const calendar::BusinessCalendar* calendar = nullptr, const CompanyProfile* company = nullptr)
      : store_(store), approvals_(approvals), calendar_(calendar), company_(company) {}

  grpc::Status OpenCostSheet(grpc::ServerContext* context, const v1::OpenCostSheetRequest* request,
                             v1::CostSheet* response) override;
  grpc::Status AddCostLine(grpc::ServerContext* context, const v1::AddCostLineRequest* request,
                           v1::CostSheet* response) override;
  grpc::Status SetPricing(grpc::ServerContext* context, const v1::SetPricingRequest* request,
                          v1::CostSheet* response) override;
  grpc::Status FinalizeCostSheet(grpc::ServerContext* context, const v1::FinalizeCostSheetRequest* request,
                                 v1::CostSheet* response) override;
  grpc::Status GetCostSheet(grpc::ServerContext* context, const v1::GetCostSheetRequest* request,
                            v1::CostSheet* response) override;
  grpc::Status SetProductionLeadTime(grpc::ServerContext* context, const v1::SetProductionLeadTimeRequest* request,
                                     v1::CostSheet* response) override;
  grpc::Status OpenSupplierInquiry(grpc::ServerContext* context, const v1::OpenSupplierInquiryRequest* request,
                                   v1::CostSheet* response) override;
  grpc::Status RecordSupplierAnswer(grpc::ServerContext* context, const v1::RecordSupplierAnswerRequest* request,
                                    v1::CostSheet* response) override;
  grpc::Status ChooseSupplierAnswer(grpc::ServerContext* context, const v1::ChooseSupplierAnswerRequest* request,
                                    v1::CostSheet* response) override;
  grpc::Status PrepareQuote(grpc::ServerContext* context, const v1::PrepareQuoteRequest* request,
                            v1::Quote* response) override;
  grpc::Status SendQuote(grpc::ServerContext* context, const v1::QuoteCommandRequest* request,
                         v1::Quote* response) override;
  grpc::Status AcceptQuote(grpc::ServerContext* context, const v1::QuoteCommandRequest* request,
                           v1::Quote* response) override;
  grpc::Status GetQuote(grpc::ServerContext* context, const v1::GetQuoteRequest* request,
                        v1::Quote* response) override;
  grpc::Status RenderQuoteDocument(grpc::ServerContext* context, const v1::RenderQuoteDocumentRequest* request,
                                   v1::QuoteDocumentFile* response) override;

 private:
  // Cost sheet commands, in cost_sheet_commands.cc.
  absl::StatusOr<es::AppendRequest> DecideAddCostLine(const v1::AddCostLineRequest& request, v1::CostSheet& response);
  absl::StatusOr<es::AppendRequest> DecideSetPricing(const v1::SetPricingRequest& request, v1::CostSheet& response);
  absl::StatusOr<es::AppendRequest> DecideFinalize(const v1::FinalizeCostSheetRequest& request,
                                                   v1::CostSheet& response);
  // Procurement commands, in supplier_commands.cc.
  absl::StatusOr<es::AppendRequest> DecideSetLeadTime(const v1::SetProductionLeadTimeRequest& request,
                                                      v1::CostSheet& response);
  absl::StatusOr<es::AppendRequest> DecideOpenInquiry(const v1::OpenSupplierInquiryRequest& request,
                                                      v1::CostSheet& response);
  absl::StatusOr<es::AppendRequest> DecideRecordAnswer(const v1::RecordSupplierAnswerRequest& request,
                                                       v1::CostSheet& response);
  absl::StatusOr<es::AppendRequest> DecideChooseAnswer(const v1::ChooseSupplierAnswerRequest& request,
                                                       v1::CostSheet& response);
  // Sets sheet.earliest_delivery: material_available_on plus the production
  // lead time in working days, or clears it while no answer is chosen.
  // FAILED_PRECONDITION without a calendar or for a year it has no data of.
  absl::Status FillEarliestDelivery(v1::CostSheet& sheet) const;
  // Quote commands, in quote_commands.cc.
  absl::StatusOr<es::AppendRequest> DecidePrepareQuote(const v1::PrepareQuoteRequest& request, v1::Quote& response);
  absl::StatusOr<es::AppendRequest> DecideSendQuote(const v1::QuoteCommandRequest& request, v1::Quote& response);
  absl::StatusOr<es::AppendRequest> DecideAcceptQuote(const v1::QuoteCommandRequest& request, v1::Quote& response);
  absl::Status CheckApproved(const v1::Quote& quote);

  // Returns the sheet with live totals; NOT_FOUND when unknown.
  absl::StatusOr<v1::CostSheet> LoadSheet(const std::string& sheet_id) const;
  // Returns one quote version, the latest for 0; NOT_FOUND when unknown.
  absl::StatusOr<v1::Quote> LoadQuote(const std::string& quote_id, uint32_t quote_version) const;
  absl::StatusOr<uint32_t> LatestQuoteVersion(const std::string& quote_id) const;

  // The PDF of one quote version, in quote_document.cc.
  absl::StatusOr<std::string> RenderPdf(const v1::RenderQuoteDocumentRequest& request) const;

  es::EventStore* store_;
  ApprovalChecker* approvals_;
  const calendar::BusinessCalendar* calendar_;
  const CompanyProfile* company_;
};

// Consumer handler for intake's events: records each submitted request
// (RequestRecorded on "request-<request_id>") once; ignores everything else.
absl::StatusOr<std::optional<es::AppendRequest>> HandleIntakeEvent(const es::EventStore& store,
                                                                   const es::EventRecord& event);

// Consumer handler for approval's events: marks a quote version rejected
// (QuoteVersionRejected) for each QuoteRejected, once; ignores everything
// else, and a rejection of an unknown or already rejected version.
absl::StatusOr<std::optional<es::AppendRequest>> HandleApprovalEvent(const es::EventStore& store,
                                                                     const es::EventRecord& event);

}  // namespace rend::costing

#endif  // REND_SERVICES_COSTING_COSTING_SERVICE_H_
