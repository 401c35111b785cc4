// The formal quote document of CostingServiceImpl: one quote version as a
// PDF through libs/documents, with the company from company.yaml as the
// supplier and the customer as intake recorded it.
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/common/decimal.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/common/money.h"
#include "libs/documents/document_format.h"
#include "libs/documents/intake_customer.h"
#include "libs/documents/pdf_document.h"
#include "services/costing/costing_projection.h"
#include "services/costing/costing_service.h"
#include "spdlog/spdlog.h"

namespace rend::costing {
namespace {

constexpr size_t kMaxQuoteIdLength = 160;
constexpr const char* kTimeZone = "Europe/Budapest";

documents::UnitOfMeasure UnitFor(const std::string& unit, std::string& own) {
  documents::UnitOfMeasure parsed = documents::ParseUnitOfMeasure(unit);
  if (parsed == documents::UnitOfMeasure::kOwn) own = unit;
  return parsed;
}

// Appends the document lines of one quote line: the list line, then its
// discount as a negative line.
absl::Status AddLines(const v1::QuoteLine& line, documents::VatRate vat, documents::Language language,
                      int digits, std::vector<documents::LineItem>& lines) {
  documents::LineItem item{.description = line.description(), .vat_rate = vat};
  item.unit = UnitFor(line.unit(), item.unit_own);
  REND_ASSIGN_OR_RETURN(Decimal quantity, Decimal::Parse(line.quantity()));
  REND_ASSIGN_OR_RETURN(Decimal unit_price, Decimal::Parse(line.unit_price()));
  REND_ASSIGN_OR_RETURN(Decimal list_net, Decimal::Parse(line.list_net().empty() ? line.net() : line.list_net()));
  REND_ASSIGN_OR_RETURN(Decimal product, MultiplyRounded(quantity, unit_price, digits));
  // A unit price derived by division may not multiply back to the line net;
  // the line then carries its net only.
  if (product == list_net) {
    item.quantity = quantity;
    item.unit_price = unit_price;
  }
  item.net_amount = list_net;
  lines.push_back(item);
  if (line.discount().empty() || *Decimal::Parse(line.discount()) == Decimal()) return absl::OkStatus();
  REND_ASSIGN_OR_RETURN(Decimal discount, Decimal::Parse(line.discount()));
  std::string label = language == documents::Language::kHungarian ? "Kedvezmény" : "Discount";
  lines.push_back(documents::LineItem{.description = absl::StrCat(label, " ", line.discount_percent(), "%"),
                                      .net_amount = Decimal().Subtract(discount).value(), .vat_rate = vat});
  return absl::OkStatus();
}

std::string DeliveryTerms(const v1::Quote& quote, documents::Language language) {
  if (!quote.delivery_terms().empty()) return quote.delivery_terms();
  absl::StatusOr<absl::CivilDay> day = RequireDate("promised_delivery", quote.promised_delivery());
  if (!day.ok()) return language == documents::Language::kHungarian ? "megállapodás szerint" : "as agreed";
  std::string date = documents::FormatDate(*day, language);
  return language == documents::Language::kHungarian ? absl::StrCat(date, "-ig") : absl::StrCat("by ", date);
}

absl::StatusOr<documents::QuoteDocument> BuildDocument(const v1::Quote& quote, const v1::RequestRecorded& request,
                                                       const CompanyProfile& company, documents::Language language) {
  documents::QuoteDocument document;
  document.quote_number = absl::StrCat(quote.quote_id(), "-v", quote.quote_version());
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(kTimeZone, &zone)) return absl::InternalError("time zone Europe/Budapest is missing");
  document.issue_date = absl::ToCivilDay(absl::FromUnixSeconds(quote.prepared_at().seconds()), zone);
  absl::StatusOr<absl::CivilDay> valid_until = RequireDate("valid_until", quote.valid_until());
  if (!valid_until.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(quote.quote_id(), " v", quote.quote_version(),
                                                      " has no validity date; prepare a version with valid_until"));
  }
  document.valid_until = *valid_until;
  document.delivery_terms = DeliveryTerms(quote, language);
  document.payment_days = static_cast<int>(quote.payment_days() == 0 ? 8 : quote.payment_days());
  document.currency = quote.currency();
  document.supplier = company.supplier;
  document.customer = documents::ToDocumentCustomer(request.customer());
  if (document.customer.name.empty()) document.customer.name = request.customer_name();

  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(quote.currency()));
  REND_ASSIGN_OR_RETURN(Decimal rate, Decimal::Parse(quote.vat_rate_percent()));
  documents::VatRate vat{.kind = documents::VatRate::Kind::kPercentage, .percentage = rate};
  for (const v1::QuoteLine& line : quote.lines()) {
    REND_RETURN_IF_ERROR(AddLines(line, vat, language, digits, document.lines));
  }
  if (!quote.discount().empty() && *Decimal::Parse(quote.discount()) != Decimal()) {
    REND_ASSIGN_OR_RETURN(Decimal discount, Decimal::Parse(quote.discount()));
    std::string label = language == documents::Language::kHungarian ? "Árajánlat-kedvezmény" : "Quote discount";
    document.lines.push_back(documents::LineItem{.description = absl::StrCat(label, " ", quote.discount_percent(), "%"),
                                                 .net_amount = Decimal().Subtract(discount).value(), .vat_rate = vat});
  }
  return document;
}

}  // namespace

grpc::Status CostingServiceImpl::RenderQuoteDocument(grpc::ServerContext*, const v1::RenderQuoteDocumentRequest* request,
                                                     v1::QuoteDocumentFile* response) {
  absl::StatusOr<std::string> pdf = RenderPdf(*request);
  if (!pdf.ok()) {
    spdlog::debug("RenderQuoteDocument {} rejected: {}", request->quote_id(), pdf.status().ToString());
    return ToGrpcStatus(pdf.status());
  }
  response->set_quote_id(request->quote_id());
  response->set_quote_version(request->quote_version());
  response->set_content_type("application/pdf");
  response->set_content(*std::move(pdf));
  return grpc::Status::OK;
}

absl::StatusOr<std::string> CostingServiceImpl::RenderPdf(const v1::RenderQuoteDocumentRequest& request) const {
  REND_RETURN_IF_ERROR(RequireText("quote_id", request.quote_id(), kMaxQuoteIdLength));
  documents::Language language = documents::Language::kHungarian;
  if (request.language() == "en") {
    language = documents::Language::kEnglish;
  } else if (!request.language().empty() && request.language() != "hu") {
    return FieldError("language", absl::StrCat("'", request.language(), "' is not hu or en"));
  }
  if (company_ == nullptr) return absl::FailedPreconditionError("no company profile is loaded; add company.yaml");
  REND_ASSIGN_OR_RETURN(v1::Quote quote, LoadQuote(request.quote_id(), request.quote_version()));
  v1::RequestRecorded known;
  REND_ASSIGN_OR_RETURN(bool found, ReadCostingState(*store_, RequestKey(quote.request_id()), known));
  if (!found) return absl::InternalError(absl::StrCat("request ", quote.request_id(), " of a quote is unknown"));

  REND_ASSIGN_OR_RETURN(documents::QuoteDocument document, BuildDocument(quote, known, *company_, language));
  absl::StatusOr<std::string> pdf = documents::RenderQuotePdf(document, language);
  if (absl::IsInvalidArgument(pdf.status())) {
    // The stored quote or customer lacks what the document needs.
    return absl::FailedPreconditionError(absl::StrCat("the quote document cannot be made: ", pdf.status().message()));
  }
  return pdf;
}

}  // namespace rend::costing
