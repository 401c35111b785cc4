// The procurement commands of CostingServiceImpl: supplier inquiries, their
// answers, the choice of one answer, and the production lead time, which
// together set the earliest delivery date a quote may promise.
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/common/decimal.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/common/money.h"
#include "services/costing/command_helpers.h"
#include "services/costing/costing_projection.h"
#include "services/costing/costing_service.h"

namespace rend::costing {
namespace {

constexpr size_t kMaxSheetIdLength = 160;
constexpr size_t kMaxNameLength = 200;
constexpr int kMaxInquiriesPerSheet = 50;
constexpr int kMaxSuppliersPerInquiry = 20;
constexpr int kMaxAnswersPerInquiry = 50;
constexpr uint32_t kMaxLeadTimeDays = 365;

bool IsSet(const rend::common::v1::Date& date) { return date.year() != 0 || date.month() != 0 || date.day() != 0; }

absl::StatusOr<v1::SupplierInquiry> ValidateInquiry(const v1::OpenSupplierInquiryRequest& request) {
  REND_RETURN_IF_ERROR(RequireText("item", request.item(), 500));
  REND_ASSIGN_OR_RETURN(Decimal quantity, RequireDecimal("quantity", request.quantity(), /*positive=*/true));
  REND_RETURN_IF_ERROR(RequireText("unit", request.unit(), 16));
  if (request.suppliers().empty() || request.suppliers_size() > kMaxSuppliersPerInquiry) {
    return FieldError("suppliers", "must name 1 to 20 suppliers");
  }
  v1::SupplierInquiry inquiry;
  for (int i = 0; i < request.suppliers_size(); ++i) {
    REND_RETURN_IF_ERROR(RequireText(absl::StrCat("suppliers[", i, "]"), request.suppliers(i), kMaxNameLength));
    inquiry.add_suppliers(request.suppliers(i));
  }
  inquiry.set_item(request.item());
  inquiry.set_quantity(quantity.ToString());
  inquiry.set_unit(request.unit());
  inquiry.set_asked_by(request.context().actor());
  return inquiry;
}

absl::StatusOr<v1::SupplierAnswer> ValidateAnswer(const v1::RecordSupplierAnswerRequest& request) {
  REND_RETURN_IF_ERROR(RequireText("supplier", request.supplier(), kMaxNameLength));
  REND_ASSIGN_OR_RETURN(Decimal price, RequireDecimal("unit_price", request.unit_price(), /*positive=*/false));
  v1::SupplierAnswer answer;
  if (!request.minimum_quantity().empty()) {
    REND_ASSIGN_OR_RETURN(Decimal minimum, RequireDecimal("minimum_quantity", request.minimum_quantity(), false));
    answer.set_minimum_quantity(minimum.ToString());
  }
  REND_RETURN_IF_ERROR(RequireDate("available_on", request.available_on()).status());
  if (request.lead_time_days() > kMaxLeadTimeDays) return FieldError("lead_time_days", "must be at most 365");
  if (IsSet(request.offer_valid_until())) {
    REND_RETURN_IF_ERROR(RequireDate("offer_valid_until", request.offer_valid_until()).status());
    *answer.mutable_offer_valid_until() = request.offer_valid_until();
  }
  answer.set_supplier(request.supplier());
  answer.set_unit_price(price.ToString());
  *answer.mutable_available_on() = request.available_on();
  answer.set_lead_time_days(request.lead_time_days());
  answer.set_recorded_by(request.context().actor());
  return answer;
}

// Returns the inquiry, or NOT_FOUND naming it.
absl::StatusOr<v1::SupplierInquiry> FindInquiry(const v1::CostSheet& sheet, const std::string& inquiry_id) {
  for (const v1::SupplierInquiry& inquiry : sheet.inquiries()) {
    if (inquiry.inquiry_id() == inquiry_id) return inquiry;
  }
  return absl::NotFoundError(absl::StrCat("inquiry ", inquiry_id, " not found on cost sheet ", sheet.sheet_id()));
}

absl::StatusOr<v1::SupplierAnswer> FindAnswer(const v1::SupplierInquiry& inquiry, const std::string& answer_id) {
  for (const v1::SupplierAnswer& answer : inquiry.answers()) {
    if (answer.answer_id() == answer_id) return answer;
  }
  return absl::NotFoundError(absl::StrCat("answer ", answer_id, " not found in inquiry ", inquiry.inquiry_id()));
}

// Rejects an answer whose offer has expired by `today` or whose minimum
// quantity is above the inquiry's quantity.
absl::Status CheckAnswerUsable(const v1::SupplierInquiry& inquiry, const v1::SupplierAnswer& answer,
                               absl::CivilDay today) {
  if (answer.has_offer_valid_until()) {
    REND_ASSIGN_OR_RETURN(absl::CivilDay valid_until, RequireDate("offer_valid_until", answer.offer_valid_until()));
    if (valid_until < today) {
      return absl::FailedPreconditionError(absl::StrCat("the offer of answer ", answer.answer_id(), " expired on ",
                                                        absl::FormatCivilTime(valid_until)));
    }
  }
  if (answer.minimum_quantity().empty()) return absl::OkStatus();
  REND_ASSIGN_OR_RETURN(Decimal minimum, Decimal::Parse(answer.minimum_quantity()));
  REND_ASSIGN_OR_RETURN(Decimal quantity, Decimal::Parse(inquiry.quantity()));
  if (minimum > quantity) {
    return absl::FailedPreconditionError(absl::StrCat("answer ", answer.answer_id(), " needs at least ",
                                                      answer.minimum_quantity(), " ", inquiry.unit(),
                                                      ", more than the ", inquiry.quantity(), " asked"));
  }
  return absl::OkStatus();
}

// Returns the material line for the inquiry's quantity at the answer's price.
absl::StatusOr<v1::CostLine> MaterialLine(const v1::CostSheet& sheet, const v1::SupplierInquiry& inquiry,
                                          const v1::SupplierAnswer& answer, const std::string& actor) {
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(sheet.currency()));
  REND_ASSIGN_OR_RETURN(Decimal quantity, Decimal::Parse(inquiry.quantity()));
  REND_ASSIGN_OR_RETURN(Decimal price, Decimal::Parse(answer.unit_price()));
  REND_ASSIGN_OR_RETURN(Decimal amount, MultiplyRounded(quantity, price, digits));
  v1::CostLine line;
  line.set_line_id(absl::StrCat("L", sheet.lines_size() + 1));
  line.set_kind(v1::COST_LINE_KIND_MATERIAL);
  line.set_description(absl::StrCat(inquiry.item(), " (", answer.supplier(), ")"));
  line.set_quantity(inquiry.quantity());
  line.set_unit(inquiry.unit());
  line.set_unit_cost(answer.unit_price());
  line.set_amount(amount.ToString(digits));
  line.set_source(v1::FIGURE_SOURCE_SUPPLIER_ANSWER);
  line.set_entered_by(actor);
  return line;
}

}  // namespace

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideSetLeadTime(const v1::SetProductionLeadTimeRequest& request,
                                                                        v1::CostSheet& response) {
  REND_RETURN_IF_ERROR(RequireText("sheet_id", request.sheet_id(), kMaxSheetIdLength));
  if (request.production_lead_time_days() > kMaxLeadTimeDays) {
    return FieldError("production_lead_time_days", "must be at most 365");
  }
  REND_ASSIGN_OR_RETURN(v1::CostSheet sheet, LoadSheet(request.sheet_id()));
  REND_RETURN_IF_ERROR(RequireDraft(sheet));

  v1::ProductionLeadTimeSet event;
  event.set_sheet_id(sheet.sheet_id());
  event.set_production_lead_time_days(request.production_lead_time_days());
  response = sheet;
  ApplyLeadTimeSet(event, sheet.version() + 1, response);
  REND_RETURN_IF_ERROR(FillEarliestDelivery(response));
  return SheetAppend(sheet, sheet.version(), event);
}

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideOpenInquiry(const v1::OpenSupplierInquiryRequest& request,
                                                                        v1::CostSheet& response) {
  REND_RETURN_IF_ERROR(RequireText("sheet_id", request.sheet_id(), kMaxSheetIdLength));
  REND_ASSIGN_OR_RETURN(v1::SupplierInquiry inquiry, ValidateInquiry(request));
  REND_ASSIGN_OR_RETURN(v1::CostSheet sheet, LoadSheet(request.sheet_id()));
  REND_RETURN_IF_ERROR(RequireDraft(sheet));
  if (sheet.inquiries_size() >= kMaxInquiriesPerSheet) {
    return absl::FailedPreconditionError(absl::StrCat("cost sheet ", sheet.sheet_id(), " already has ",
                                                      kMaxInquiriesPerSheet, " inquiries, the maximum"));
  }

  inquiry.set_inquiry_id(absl::StrCat("I", sheet.inquiries_size() + 1));
  v1::SupplierInquiryOpened event;
  event.set_sheet_id(sheet.sheet_id());
  *event.mutable_inquiry() = inquiry;
  response = sheet;
  ApplyInquiryOpened(event, sheet.version() + 1, response);
  return SheetAppend(sheet, sheet.version(), event);
}

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideRecordAnswer(const v1::RecordSupplierAnswerRequest& request,
                                                                         v1::CostSheet& response) {
  REND_RETURN_IF_ERROR(RequireText("sheet_id", request.sheet_id(), kMaxSheetIdLength));
  REND_ASSIGN_OR_RETURN(v1::SupplierAnswer answer, ValidateAnswer(request));
  REND_ASSIGN_OR_RETURN(v1::CostSheet sheet, LoadSheet(request.sheet_id()));
  REND_RETURN_IF_ERROR(RequireDraft(sheet));
  REND_ASSIGN_OR_RETURN(v1::SupplierInquiry inquiry, FindInquiry(sheet, request.inquiry_id()));
  if (std::find(inquiry.suppliers().begin(), inquiry.suppliers().end(), answer.supplier()) ==
      inquiry.suppliers().end()) {
    return FieldError("supplier", absl::StrCat("'", answer.supplier(), "' was not asked in inquiry ",
                                               inquiry.inquiry_id()));
  }
  if (inquiry.answers_size() >= kMaxAnswersPerInquiry) {
    return absl::FailedPreconditionError(absl::StrCat("inquiry ", inquiry.inquiry_id(), " has 50 answers, the maximum"));
  }

  answer.set_answer_id(absl::StrCat("A", inquiry.answers_size() + 1));
  v1::SupplierAnswerRecorded event;
  event.set_sheet_id(sheet.sheet_id());
  event.set_inquiry_id(inquiry.inquiry_id());
  *event.mutable_answer() = answer;
  response = sheet;
  ApplyAnswerRecorded(event, sheet.version() + 1, response);
  return SheetAppend(sheet, sheet.version(), event);
}

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideChooseAnswer(const v1::ChooseSupplierAnswerRequest& request,
                                                                         v1::CostSheet& response) {
  REND_RETURN_IF_ERROR(RequireText("sheet_id", request.sheet_id(), kMaxSheetIdLength));
  REND_ASSIGN_OR_RETURN(v1::CostSheet sheet, LoadSheet(request.sheet_id()));
  REND_RETURN_IF_ERROR(RequireDraft(sheet));
  REND_ASSIGN_OR_RETURN(v1::SupplierInquiry inquiry, FindInquiry(sheet, request.inquiry_id()));
  REND_ASSIGN_OR_RETURN(v1::SupplierAnswer answer, FindAnswer(inquiry, request.answer_id()));
  absl::CivilDay today = absl::ToCivilDay(absl::Now(), calendar_ ? calendar_->time_zone() : absl::UTCTimeZone());
  REND_RETURN_IF_ERROR(CheckAnswerUsable(inquiry, answer, today));

  v1::SupplierAnswerChosen event;
  event.set_sheet_id(sheet.sheet_id());
  event.set_inquiry_id(inquiry.inquiry_id());
  event.set_answer_id(answer.answer_id());
  *event.mutable_available_on() = answer.available_on();
  response = sheet;
  ApplyAnswerChosen(event, sheet.version() + 1, response);
  es::AppendRequest append = SheetAppend(sheet, sheet.version(), event);
  if (request.add_material_line()) {
    v1::CostLineAdded line;
    line.set_sheet_id(sheet.sheet_id());
    REND_ASSIGN_OR_RETURN(*line.mutable_line(), MaterialLine(sheet, inquiry, answer, request.context().actor()));
    ApplyLineAdded(line, sheet.version() + 2, response);
    append.events.push_back(es::PackEvent(line));
  }
  REND_ASSIGN_OR_RETURN(*response.mutable_totals(), ComputeTotals(response));
  REND_RETURN_IF_ERROR(FillEarliestDelivery(response));
  return append;
}

absl::Status CostingServiceImpl::FillEarliestDelivery(v1::CostSheet& sheet) const {
  sheet.clear_earliest_delivery();
  if (!sheet.has_material_available_on()) return absl::OkStatus();
  if (calendar_ == nullptr) {
    return absl::FailedPreconditionError("no business calendar is loaded, so no delivery date can be computed");
  }
  REND_ASSIGN_OR_RETURN(absl::CivilDay available, RequireDate("material_available_on", sheet.material_available_on()));
  // Noon local time keeps the day clear of daylight-saving changes.
  absl::Time start = absl::FromCivil(absl::CivilHour(available.year(), available.month(), available.day(), 12),
                                     calendar_->time_zone());
  REND_ASSIGN_OR_RETURN(absl::Time end,
                        calendar_->AddBusinessDays(start, static_cast<int>(sheet.production_lead_time_days())));
  *sheet.mutable_earliest_delivery() = ToProtoDate(calendar_->LocalDay(end));
  return absl::OkStatus();
}

}  // namespace rend::costing
