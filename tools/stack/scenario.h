// Scenario: the main quote scenario (500 welded brackets for customer
// crm-10442), driven over gRPC as the people who do each step. Sales records
// the request, engineering and procurement assess in parallel, costing
// prices it, sales prepares the quote, two managers approve, the quote is
// sent and accepted, billing invoices. Used by the demo and by the
// end-to-end tests.
//
// Every command carries its own request id and is retried with the same id
// while a service is unavailable, so a service restart in the middle of the
// scenario neither loses nor repeats a command.
//
// Thread safety: not thread-safe; use from one thread.
#ifndef REND_TOOLS_STACK_SCENARIO_H_
#define REND_TOOLS_STACK_SCENARIO_H_

#include <functional>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rend/approval/v1/approval.pb.h"
#include "rend/billing/v1/billing.pb.h"
#include "rend/costing/v1/costing.pb.h"
#include "rend/process/v1/process.pb.h"

namespace rend::tools {

struct ScenarioOptions {
  // service name -> "host:port"
  std::map<std::string, std::string> addresses;
  // Receives a one-line account of each step, in Hungarian and in English.
  std::function<void(const std::string& hu, const std::string& en)> narrate;
  // Called after each named step; an error aborts the scenario. The crash
  // test kills and restarts services here.
  std::function<absl::Status(const std::string& step)> after_step;
  // Upper bound of every wait for an asynchronous effect.
  absl::Duration wait_timeout = absl::Seconds(60);
};

struct ScenarioResult {
  std::string request_id;
  rend::costing::v1::CostSheet cost_sheet;
  rend::costing::v1::Quote quote;
  rend::approval::v1::Approval approval;
  rend::billing::v1::Invoice invoice;
  rend::process::v1::TimelineResponse timeline;
  // The documents the customer and the tax authority get.
  std::string quote_pdf;        // the quote, in Hungarian
  std::string invoice_pdf;      // the invoice, in Hungarian
  std::string invoice_nav_xml;  // NAV Online Számla 3.0 invoice data
  // Messages of the guards the scenario runs into on purpose.
  std::string send_before_approval_error;
  std::string send_before_approval_text_hu;  // the same refusal as a Hungarian user reads it
  std::string preparer_approval_error;
};

// Runs the whole scenario; returns the first failure with the step's name.
absl::StatusOr<ScenarioResult> RunQuoteScenario(const ScenarioOptions& options);

}  // namespace rend::tools

#endif  // REND_TOOLS_STACK_SCENARIO_H_
