// The cost sheet commands of CostingServiceImpl: add a line, set pricing,
// finalize.
#include "absl/strings/str_cat.h"
#include "libs/common/decimal.h"
#include "libs/common/status.h"
#include "libs/common/validation.h"
#include "libs/common/money.h"
#include "services/costing/costing_projection.h"
#include "services/costing/command_helpers.h"
#include "services/costing/costing_service.h"

namespace rend::costing {
namespace {

constexpr size_t kMaxSheetIdLength = 160;
constexpr int kMaxLinesPerSheet = 200;
const Decimal kMaxOverheadPercent = Decimal::FromInteger(1000);
const Decimal kHundredPercent = Decimal::FromInteger(100);

// Checks the fields of a cost line; the amount needs the sheet's currency,
// so it is filled in later.
absl::StatusOr<v1::CostLine> ValidateLine(const v1::AddCostLineRequest& request) {
  if (request.kind() == v1::COST_LINE_KIND_UNSPECIFIED || !v1::CostLineKind_IsValid(request.kind())) {
    return FieldError("kind", "must be a known cost line kind, such as COST_LINE_KIND_MATERIAL");
  }
  REND_RETURN_IF_ERROR(RequireText("description", request.description(), 500));
  REND_ASSIGN_OR_RETURN(Decimal quantity, RequireDecimal("quantity", request.quantity(), /*positive=*/true));
  REND_RETURN_IF_ERROR(RequireText("unit", request.unit(), 16));
  REND_ASSIGN_OR_RETURN(Decimal unit_cost, RequireDecimal("unit_cost", request.unit_cost(), /*positive=*/false));
  if (!v1::FigureSource_IsValid(request.source())) return FieldError("source", "must be a known figure source");

  v1::CostLine line;
  line.set_kind(request.kind());
  line.set_description(request.description());
  line.set_quantity(quantity.ToString());
  line.set_unit(request.unit());
  line.set_unit_cost(unit_cost.ToString());
  line.set_source(request.source());
  line.set_entered_by(request.context().actor());
  return line;
}

// Returns `text` normalized when it is an overhead rate in 0..1000; empty
// stays empty unless `required`.
absl::StatusOr<std::string> OverheadRate(absl::string_view field, const std::string& text, bool required) {
  if (text.empty() && !required) return std::string();
  REND_ASSIGN_OR_RETURN(Decimal rate, RequireDecimal(field, text, /*positive=*/false));
  if (rate > kMaxOverheadPercent) return FieldError(field, "must be at most 1000");
  return rate.ToString();
}

// Returns the PricingSet of a valid request, without the sheet id.
absl::StatusOr<v1::PricingSet> ValidatePricing(const v1::SetPricingRequest& request) {
  v1::PricingSet event;
  REND_ASSIGN_OR_RETURN(*event.mutable_overhead_rate_percent(),
                        OverheadRate("overhead_rate_percent", request.overhead_rate_percent(), true));
  REND_ASSIGN_OR_RETURN(*event.mutable_material_overhead_rate_percent(),
                        OverheadRate("material_overhead_rate_percent", request.material_overhead_rate_percent(), false));
  REND_ASSIGN_OR_RETURN(*event.mutable_machine_overhead_rate_percent(),
                        OverheadRate("machine_overhead_rate_percent", request.machine_overhead_rate_percent(), false));
  if (request.margin_percent().empty() == request.markup_percent().empty()) {
    return FieldError("margin_percent", "give exactly one of margin_percent and markup_percent");
  }
  if (!request.markup_percent().empty()) {
    REND_ASSIGN_OR_RETURN(*event.mutable_markup_percent(), OverheadRate("markup_percent", request.markup_percent(), true));
    return event;
  }
  REND_ASSIGN_OR_RETURN(Decimal margin, RequireDecimal("margin_percent", request.margin_percent(), /*positive=*/false));
  if (margin >= kHundredPercent) return FieldError("margin_percent", "must be below 100");
  event.set_margin_percent(margin.ToString());
  return event;
}

}  // namespace

// Returns FAILED_PRECONDITION once the sheet is finalized.
absl::Status RequireDraft(const v1::CostSheet& sheet) {
  if (sheet.state() != v1::COST_SHEET_STATE_DRAFT) {
    return absl::FailedPreconditionError(absl::StrCat("cost sheet ", sheet.sheet_id(), " is finalized and cannot change"));
  }
  return absl::OkStatus();
}

es::AppendRequest SheetAppend(const v1::CostSheet& sheet, uint64_t expected_version,
                              const google::protobuf::Message& event) {
  es::AppendRequest append;
  append.stream_id = sheet.sheet_id();
  append.expected_version = expected_version;
  append.correlation_id = sheet.request_id();
  append.events.push_back(es::PackEvent(event));
  return append;
}

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideAddCostLine(const v1::AddCostLineRequest& request,
                                                                        v1::CostSheet& response) {
  REND_RETURN_IF_ERROR(RequireText("sheet_id", request.sheet_id(), kMaxSheetIdLength));
  REND_ASSIGN_OR_RETURN(v1::CostLine line, ValidateLine(request));
  REND_ASSIGN_OR_RETURN(v1::CostSheet sheet, LoadSheet(request.sheet_id()));
  REND_RETURN_IF_ERROR(RequireDraft(sheet));
  if (sheet.lines_size() >= kMaxLinesPerSheet) {
    return absl::FailedPreconditionError(
        absl::StrCat("cost sheet ", sheet.sheet_id(), " already has ", kMaxLinesPerSheet, " lines, the maximum"));
  }

  // The amount is rounded once, to the currency: HUF 0 digits, EUR 2.
  REND_ASSIGN_OR_RETURN(int digits, CurrencyDigits(sheet.currency()));
  absl::StatusOr<Decimal> amount = MultiplyRounded(*Decimal::Parse(line.quantity()), *Decimal::Parse(line.unit_cost()),
                                                   digits);
  if (!amount.ok()) return FieldError("unit_cost", "quantity times unit_cost is too large");
  line.set_amount(amount->ToString(digits));
  line.set_line_id(absl::StrCat("L", sheet.lines_size() + 1));

  v1::CostLineAdded event;
  event.set_sheet_id(sheet.sheet_id());
  *event.mutable_line() = line;
  response = sheet;
  ApplyLineAdded(event, sheet.version() + 1, response);
  absl::StatusOr<v1::CostTotals> totals = ComputeTotals(response);
  if (!totals.ok()) return FieldError("unit_cost", "makes the cost sheet total too large");
  *response.mutable_totals() = *totals;
  return SheetAppend(sheet, sheet.version(), event);
}

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideSetPricing(const v1::SetPricingRequest& request,
                                                                       v1::CostSheet& response) {
  REND_RETURN_IF_ERROR(RequireText("sheet_id", request.sheet_id(), kMaxSheetIdLength));
  REND_ASSIGN_OR_RETURN(v1::PricingSet event, ValidatePricing(request));
  REND_ASSIGN_OR_RETURN(v1::CostSheet sheet, LoadSheet(request.sheet_id()));
  REND_RETURN_IF_ERROR(RequireDraft(sheet));

  event.set_sheet_id(sheet.sheet_id());
  response = sheet;
  ApplyPricingSet(event, sheet.version() + 1, response);
  absl::StatusOr<v1::CostTotals> totals = ComputeTotals(response);
  if (!totals.ok()) return FieldError("margin_percent", "makes the net price too large");
  *response.mutable_totals() = *totals;
  return SheetAppend(sheet, sheet.version(), event);
}

absl::StatusOr<es::AppendRequest> CostingServiceImpl::DecideFinalize(const v1::FinalizeCostSheetRequest& request,
                                                                     v1::CostSheet& response) {
  REND_RETURN_IF_ERROR(RequireText("sheet_id", request.sheet_id(), kMaxSheetIdLength));
  REND_ASSIGN_OR_RETURN(v1::CostSheet sheet, LoadSheet(request.sheet_id()));
  REND_RETURN_IF_ERROR(RequireDraft(sheet));
  if (sheet.lines_size() == 0) {
    return absl::FailedPreconditionError(absl::StrCat("cost sheet ", sheet.sheet_id(), " has no cost lines"));
  }
  if (sheet.margin_percent().empty() && sheet.markup_percent().empty()) {
    return absl::FailedPreconditionError(absl::StrCat("cost sheet ", sheet.sheet_id(), " has no pricing; call SetPricing"));
  }

  v1::CostSheetFinalized event;
  event.set_sheet_id(sheet.sheet_id());
  event.set_request_id(sheet.request_id());
  *event.mutable_totals() = sheet.totals();  // LoadSheet computed them
  response = sheet;
  ApplySheetFinalized(event, sheet.version() + 1, response);
  // 0 skips the caller's version check; the sheet's own version still guards
  // against a change since it was read.
  uint64_t expected = request.expected_version() == 0 ? sheet.version() : request.expected_version();
  return SheetAppend(sheet, expected, event);
}

}  // namespace rend::costing
