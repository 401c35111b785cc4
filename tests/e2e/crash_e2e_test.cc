// SIGKILL services in the middle of the quote scenario and restart them:
// every acknowledged command survives, the scenario completes, and no event
// is handled twice into two effects.
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/channel.h"
#include "rend/costing/v1/costing.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace rend::tools {
namespace {

class CrashE2eTest : public StackTest {
 protected:
  absl::Status Restart(const std::string& service) {
    absl::Status killed = stack_->Kill(service);
    if (!killed.ok()) return killed;
    ++restarts_;
    return stack_->StartService(service);
  }

  // Counts the events of `type` in a service's log.
  std::map<std::string, int> CountByStream(const std::string& service, const std::string& type) {
    std::map<std::string, int> counts;
    for (const auto& event : ReadLog(service)) {
      if (event.type() == type) ++counts[event.stream_id()];
    }
    return counts;
  }

  int restarts_ = 0;
};

TEST_F(CrashE2eTest, ScenarioSurvivesKilledServices) {
  ScenarioOptions options = Options();
  uint64_t costing_position_before_kill = 0;
  options.after_step = [&](const std::string& step) -> absl::Status {
    // The process service dies while it consumes the first tasks' events.
    if (step == "record_need") return Restart("process");
    // Costing dies right after acknowledging its cost lines.
    if (step == "cost_lines") {
      costing_position_before_kill = LastPosition("costing");
      return Restart("costing");
    }
    // Billing dies while the acceptance travels to it, approval after deciding.
    if (step == "approvals") return Restart("approval");
    if (step == "customer_acceptance") return Restart("billing");
    return absl::OkStatus();
  };
  absl::StatusOr<ScenarioResult> result = RunQuoteScenario(options);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(restarts_, 4);

  // Acknowledged commands are still there after the kill.
  EXPECT_GE(LastPosition("costing"), costing_position_before_kill);
  EXPECT_EQ(result->cost_sheet.lines_size(), 3);
  EXPECT_EQ(result->quote.gross(), "4708652");
  EXPECT_EQ(result->invoice.gross(), "4708652");

  // Exactly one effect per cause.
  auto invoices = CountByStream("billing", "rend.billing.v1.InvoiceIssued");
  ASSERT_EQ(invoices.size(), 1u);
  EXPECT_EQ(invoices.begin()->second, 1);
  auto instances = CountByStream("process", "rend.process.v1.InstanceStarted");
  ASSERT_EQ(instances.size(), 1u);
  EXPECT_EQ(instances.begin()->second, 1);
  auto approvals = CountByStream("approval", "rend.approval.v1.ApprovalRequested");
  ASSERT_EQ(approvals.size(), 1u);
  EXPECT_EQ(approvals.begin()->second, 1);
  auto completed = CountByStream("process", "rend.process.v1.TaskCompleted");
  ASSERT_EQ(completed.size(), 1u);
  EXPECT_EQ(completed.begin()->second, result->timeline.entries_size());
}

TEST_F(CrashE2eTest, RestartedServiceServesItsState) {
  absl::StatusOr<ScenarioResult> result = RunQuoteScenario(Options());
  ASSERT_TRUE(result.ok()) << result.status();
  uint64_t before = LastPosition("costing");

  ASSERT_TRUE(stack_->Kill("costing").ok());
  ASSERT_TRUE(stack_->StartService("costing").ok());

  EXPECT_EQ(LastPosition("costing"), before);
  auto stub = rend::costing::v1::CostingService::NewStub(
      CreateServiceChannel(stack_->Address("costing")));
  grpc::ClientContext context;
  rend::costing::v1::GetQuoteRequest request;
  request.set_quote_id(result->quote.quote_id());
  rend::costing::v1::Quote quote;
  ASSERT_TRUE(stub->GetQuote(&context, request, &quote).ok());
  EXPECT_EQ(quote.net(), "3707600");
  EXPECT_EQ(quote.state(), rend::costing::v1::QUOTE_STATE_ACCEPTED);
}

}  // namespace
}  // namespace rend::tools
