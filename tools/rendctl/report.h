// Printing of scenario results for people: the timeline table and the
// quote and invoice figures, in Hungarian or English.
#ifndef REND_TOOLS_RENDCTL_REPORT_H_
#define REND_TOOLS_RENDCTL_REPORT_H_

#include <string>

#include "rend/process/v1/process.pb.h"
#include "tools/stack/money_format.h"
#include "tools/stack/scenario.h"

namespace rend::tools {

// Returns the timeline as a text table: step, holder, start, finish, due.
// Times are Europe/Budapest local time.
std::string FormatTimeline(const rend::process::v1::TimelineResponse& timeline, Language language);

// Returns the cost breakdown, the quote and the invoice; the last lines are
// the net, VAT and gross amounts and the invoice number.
std::string FormatFigures(const ScenarioResult& result, Language language);

}  // namespace rend::tools

#endif  // REND_TOOLS_RENDCTL_REPORT_H_
