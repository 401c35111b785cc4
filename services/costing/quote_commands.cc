// The quote commands of CostingServiceImpl: prepare a version, send it once
// approved, record the customer's acceptance.
#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "libs/common/decimal.h"
#include "libs/common/ids.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/common/money.h"
#include "services/costing/costing_projection.h"
#include "services/costing/costing_service.h"
#include "services/costing/pricing.h"

namespace rend::costing {
namespace {

constexpr size_t kMaxQuoteIdLength = 160;
constexpr uint32_t kMaxQuoteVersions = 100;
const Decimal kHundredPercent = Decimal::FromInteger(100);

bool IsSet(const rend::common::v1::Date& date) { return date.year() != 0 || date.month() != 0 || date.day() != 0; }

absl::Status ValidatePrepare(const v1::PrepareQuoteRequest& request) {
  REND_RETURN_IF_ERROR(RequireText("sheet_id", request.sheet_id(), kMaxQuoteIdLength));
  REND_RETURN_IF_ERROR(OptionalText("line_description", request.line_description(), 500));
  if (!request.quantity().empty()) {
    REND_RETURN_IF_ERROR(RequireDecimal("quantity", request.quantity(), /*positive=*/true).status());
  }
  REND_RETURN_IF_ERROR(OptionalText("unit", request.unit(), 16));
  if (!request.vat_rate_percent().empty()) {
    REND_ASSIGN_OR_RETURN(Decimal rate, RequireDecimal("vat_rate_percent", request.vat_rate_percent(), false));
    if (rate > kHundredPercent) return FieldError("vat_rate_percent", "must be at most 100");
  }
  if (IsSet(request.valid_until())) REND_RETURN_IF_ERROR(RequireDate("valid_until", request.valid_until()).status());
  if (IsSet(request.promised_delivery())) {
    REND_RETURN_IF_ERROR(RequireDate("promised_delivery", request.promised_delivery()).status());
  }
  REND_RETURN_IF_ERROR(OptionalText("delivery_terms", request.delivery_terms(), 200));
  if (request.payment_days() > 365) return FieldError("payment_days", "must be at most 365");
  return OptionalText("payment_terms", request.payment_terms(), 500);
}

// Returns the payment days of the request, else the leading number of its
// payment terms ("8 nap átutalás" gives 8), else 8.
uint32_t PaymentDays(const v1::PrepareQuoteRequest& request) {
  if (request.payment_days() != 0) return request.payment_days();
  uint32_t days = 0;
  size_t i = 0;
  const std::string& terms = request.payment_terms();
  for (; i < terms.size() && i < 3 && absl::ascii_isdigit(terms[i]); ++i) days = days * 10 + (terms[i] - '0');
  return i > 0 && days <= 365 ? days : 8;
}

// Rejects a promised delivery before the sheet's earliest delivery date.
absl::Status CheckDeliveryDate(const v1::PrepareQuoteRequest& request, const v1::CostSheet& sheet) {
  if (!sheet.has_earliest_delivery() || !IsSet(request.promised_delivery())) return absl::OkStatus();
  REND_ASSIGN_OR_RETURN(absl::CivilDay earliest, RequireDate("earliest_delivery", sheet.earliest_delivery()));
  REND_ASSIGN_OR_RETURN(absl::CivilDay promised, RequireDate("promised_delivery", request.promised_delivery()));
  if (promised >= earliest) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "promised_delivery ", absl::FormatCivilTime(promised), " is before the earliest possible delivery ",
      absl::FormatCivilTime(earliest), ": material available on ",
      absl::FormatCivilTime(*RequireDate("material_available_on", sheet.material_available_on())), " plus ",
      sheet.production_lead_time_days(), " working days of production"));
}

// Returns quote version `quote_version` of the sheet's request, prepared
// now by the command's actor; the stream version is left to the caller.
absl::StatusOr<v1::Quote> DraftQuote(const v1::PrepareQuoteRequest& request, const v1::CostSheet& sheet,
                                     const v1::RequestRecorded& known, uint32_t quote_version) {
  v1::Quote quote;
  quote.set_quote_id(QuoteId(sheet.request_id()));
  quote.set_quote_version(quote_version);
  quote.set_request_id(sheet.request_id());
  quote.set_sheet_id(sheet.sheet_id());
  quote.set_customer_external_id(known.customer_external_id());
  quote.set_customer_name(known.customer_name());
  REND_RETURN_IF_ERROR(PriceQuote(request, sheet, known, quote));
  quote.set_prepared_by(request.context().actor());
  *quote.mutable_prepared_at() = ToProtoTime(absl::Now());
  *quote.mutable_valid_until() = request.valid_until();
  *quote.mutable_promised_delivery() = request.promised_delivery();
  quote.set_payment_terms(request.payment_terms());
  quote.set_delivery_terms(request.delivery_terms());
  quote.set_payment_days(PaymentDays(request));
  *quote.mutable_earliest_delivery() = sheet.earliest_delivery();
  if (!sheet.has_earliest_delivery()) quote.clear_earliest_delivery();
  quote.set_standard_terms(request.standard_terms());
  quote.set_state(v1::QUOTE_STATE_PREPARED);
  return quote;
}

absl::Status ValidateQuoteCommand(const v1::QuoteCommandRequest& request) {
  REND_RETURN_IF_ERROR(RequireText("quote_id", request.quote_id(), kMaxQuoteIdLength));
  if (request.quote_version() == 0) return FieldError("quote_version", "must be at least 1");
  return absl::OkStatus();
}

std::string Describe(const v1::Quote& quote) {
  return absl::StrCat("quote ", quote.quote_id(), " v", quote.quote_version());
}

es::AppendRequest QuoteAppend(const v1::Quote& quote, uint64_t expected_version,
                              const google::protobuf::Message& event) {
  es::AppendRequest append;
  append.stream_id = quote.quote_id();
  append.expected_version = expected_version;
  append.correlation_id = quote.request_id();
  append.events.push_back(es::PackEvent(event));
  return append;
}

}  // namespace

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecidePrepareQuote(const v1::PrepareQuoteRequest& request,
                                                                         v1::Quote& response) {
  REND_RETURN_IF_ERROR(ValidatePrepare(request));
  REND_ASSIGN_OR_RETURN(v1::CostSheet sheet, LoadSheet(request.sheet_id()));
  if (sheet.state() != v1::COST_SHEET_STATE_FINALIZED) {
    return absl::FailedPreconditionError(absl::StrCat("cost sheet ", sheet.sheet_id(), " is not finalized"));
  }
  REND_RETURN_IF_ERROR(FillEarliestDelivery(sheet));
  REND_RETURN_IF_ERROR(CheckDeliveryDate(request, sheet));
  v1::RequestRecorded known;
  REND_ASSIGN_OR_RETURN(bool found, ReadCostingState(*store_, RequestKey(sheet.request_id()), known));
  if (!found) return absl::InternalError(absl::StrCat("request ", sheet.request_id(), " of an open sheet is unknown"));

  // Read the stream version before the state, so a change in between fails
  // the append with ABORTED instead of being overwritten.
  std::string quote_id = QuoteId(sheet.request_id());
  REND_ASSIGN_OR_RETURN(uint64_t stream_version, store_->StreamVersion(quote_id));
  REND_ASSIGN_OR_RETURN(uint32_t latest, LatestQuoteVersion(quote_id));
  if (latest >= kMaxQuoteVersions) {
    return absl::FailedPreconditionError(absl::StrCat("quote ", quote_id, " has ", latest, " versions, the maximum"));
  }
  for (uint32_t version = 1; version <= latest; ++version) {
    REND_ASSIGN_OR_RETURN(v1::Quote earlier, LoadQuote(quote_id, version));
    if (earlier.state() == v1::QUOTE_STATE_ACCEPTED) {
      return absl::FailedPreconditionError(absl::StrCat(Describe(earlier), " is already accepted"));
    }
  }

  v1::QuotePrepared event;
  REND_ASSIGN_OR_RETURN(*event.mutable_quote(), DraftQuote(request, sheet, known, latest + 1));
  event.mutable_quote()->set_version(stream_version + 1);
  response = event.quote();
  return QuoteAppend(event.quote(), stream_version, event);
}

namespace {

// Returns the approval roles as a Hungarian reader knows them.
std::string HungarianRoles(const google::protobuf::RepeatedPtrField<std::string>& roles) {
  static const auto* names = new std::map<std::string, std::string>{
      {"technical", "műszaki"}, {"financial", "pénzügyi"}, {"legal", "jogi"}, {"executive", "vezetői"}};
  std::vector<std::string> out;
  for (const std::string& role : roles) {
    auto it = names->find(role);
    out.push_back(it == names->end() ? role : it->second);
  }
  return absl::StrJoin(out, ", ");
}

}  // namespace

absl::Status CostingServiceImpl::CheckApproved(const v1::Quote& quote) {
  absl::StatusOr<rend::approval::v1::Approval> approval =
      approvals_->GetApproval(quote.quote_id(), quote.quote_version());
  if (absl::IsNotFound(approval.status())) {
    return Localized(absl::FailedPreconditionError(absl::StrCat(
                         Describe(quote), " lacks approvals: the approval service has not registered it yet; retry shortly")),
                     "Az árajánlat jóváhagyása még nem indult el; próbálja újra kicsit később.",
                     "The quote's approval has not started yet; try again shortly.");
  }
  if (!approval.ok()) return approval.status();

  switch (approval->state()) {
    case rend::approval::v1::APPROVAL_STATE_APPROVED:
      return absl::OkStatus();
    case rend::approval::v1::APPROVAL_STATE_REJECTED:
      return Localized(
          absl::FailedPreconditionError(absl::StrCat(Describe(quote), " was rejected; prepare a new version")),
          "Az árajánlatot elutasították; készítsen új változatot.", "The quote was rejected; prepare a new version.");
    default:
      return Localized(
          absl::FailedPreconditionError(
              absl::StrCat(Describe(quote), " lacks approvals: ", absl::StrJoin(approval->missing_roles(), ", "))),
          absl::StrCat("Az árajánlat jóváhagyás nélkül nem küldhető ki. Hiányzó jóváhagyás: ",
                       HungarianRoles(approval->missing_roles()), "."),
          absl::StrCat("The quote cannot be sent without approval. Missing: ",
                       absl::StrJoin(approval->missing_roles(), ", "), "."));
  }
}

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideSendQuote(const v1::QuoteCommandRequest& request,
                                                                      v1::Quote& response) {
  REND_RETURN_IF_ERROR(ValidateQuoteCommand(request));
  REND_ASSIGN_OR_RETURN(uint64_t stream_version, store_->StreamVersion(request.quote_id()));
  REND_ASSIGN_OR_RETURN(v1::Quote quote, LoadQuote(request.quote_id(), request.quote_version()));
  REND_ASSIGN_OR_RETURN(uint32_t latest, LatestQuoteVersion(request.quote_id()));
  if (quote.quote_version() != latest) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(quote), " is superseded by v", latest));
  }
  if (quote.state() != v1::QUOTE_STATE_PREPARED) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(quote), " was already sent"));
  }
  REND_RETURN_IF_ERROR(CheckApproved(quote));

  v1::QuoteSent event;
  event.set_quote_id(quote.quote_id());
  event.set_quote_version(quote.quote_version());
  event.set_request_id(quote.request_id());
  response = quote;
  response.set_state(v1::QUOTE_STATE_SENT);
  response.set_version(stream_version + 1);
  return QuoteAppend(quote, stream_version, event);
}

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideAcceptQuote(const v1::QuoteCommandRequest& request,
                                                                        v1::Quote& response) {
  REND_RETURN_IF_ERROR(ValidateQuoteCommand(request));
  REND_ASSIGN_OR_RETURN(uint64_t stream_version, store_->StreamVersion(request.quote_id()));
  REND_ASSIGN_OR_RETURN(v1::Quote quote, LoadQuote(request.quote_id(), request.quote_version()));
  if (quote.state() == v1::QUOTE_STATE_PREPARED) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(quote), " has not been sent; only a sent quote can be accepted"));
  }
  REND_ASSIGN_OR_RETURN(uint32_t latest, LatestQuoteVersion(request.quote_id()));
  for (uint32_t version = 1; version <= latest; ++version) {
    REND_ASSIGN_OR_RETURN(v1::Quote other, LoadQuote(request.quote_id(), version));
    if (other.state() == v1::QUOTE_STATE_ACCEPTED) {
      return absl::FailedPreconditionError(absl::StrCat(Describe(other), " is already accepted"));
    }
  }

  v1::QuoteAccepted event;
  *event.mutable_quote() = quote;
  event.mutable_quote()->set_state(v1::QUOTE_STATE_ACCEPTED);
  event.mutable_quote()->set_version(stream_version + 1);
  response = event.quote();
  return QuoteAppend(quote, stream_version, event);
}

}  // namespace rend::costing
