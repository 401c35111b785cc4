// Every shipped process definition driven through the real services: a
// request of its type is submitted to intake, and people holding each
// task's role claim and complete the tasks until the process completes.
// The custom product quote has its own scenario test; the definitions here
// consist of user tasks.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "libs/common/channel.h"
#include "libs/directory/people.h"
#include "rend/intake/v1/intake.grpc.pb.h"
#include "rend/process/v1/process.grpc.pb.h"
#include "tests/e2e/e2e_fixture.h"

namespace rend::tools {
namespace {

namespace intake = rend::intake::v1;
namespace process = rend::process::v1;

class DefinitionsE2eTest : public StackTest {
 protected:
  void SetUp() override {
    StackTest::SetUp();
    if (HasFatalFailure()) return;
    intake_ = intake::IntakeService::NewStub(CreateServiceChannel(stack_->Address("intake")));
    process_ = process::ProcessService::NewStub(CreateServiceChannel(stack_->Address("process")));
    absl::StatusOr<PeopleDirectory> people = PeopleDirectory::Load(REND_SOURCE_DIR "/deploy/config/people.yaml");
    ASSERT_TRUE(people.ok()) << people.status();
    people_ = std::move(*people);
  }

  std::string Submit(intake::RequestType type) {
    intake::SubmitRequestRequest request;
    request.mutable_context()->set_request_id(absl::StrCat("definitions-", intake::RequestType_Name(type)));
    request.mutable_context()->set_actor("sales.kovacs");
    request.set_type(type);
    request.mutable_customer()->set_external_id("crm-10442");
    request.mutable_customer()->set_name("Dunamenti Gépgyártó Zrt.");
    request.mutable_need()->set_description("Konzol, rajz szerint");
    request.mutable_need()->set_quantity("500");
    request.mutable_need()->set_unit("db");
    request.mutable_wanted_delivery_date()->set_year(2027);
    request.mutable_wanted_delivery_date()->set_month(3);
    request.mutable_wanted_delivery_date()->set_day(1);
    grpc::ClientContext context;
    intake::SubmitRequestResponse response;
    grpc::Status status = intake_->SubmitRequest(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.request_id();
  }

  // Claims and completes `task` as the first person holding its role.
  void Complete(const process::Task& task) {
    std::vector<const Person*> eligible = people_.WithRole(task.role());
    ASSERT_FALSE(eligible.empty()) << "nobody has the role " << task.role();
    const std::string& actor = eligible.front()->id;
    process::CompleteTaskRequest request;
    request.mutable_context()->set_request_id(absl::StrCat("complete-", task.task_id()));
    request.mutable_context()->set_actor(actor);
    request.set_task_id(task.task_id());
    (*request.mutable_output())["standard_payment_terms"] = "false";
    (*request.mutable_output())["note"] = "end-to-end test";
    grpc::ClientContext context;
    context.set_wait_for_ready(true);
    process::TaskResponse response;
    grpc::Status status = process_->CompleteTask(&context, request, &response);
    ASSERT_TRUE(status.ok()) << task.step_id() << " as " << actor << ": " << status.error_message();
  }

  // Completes open tasks until the instance completes or 60 s pass; returns
  // the final state.
  process::InstanceState DriveToCompletion(const std::string& request_id) {
    absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      process::StatusRequest status_request;
      status_request.set_request_id(request_id);
      process::StatusResponse status;
      grpc::ClientContext context;
      context.set_wait_for_ready(true);
      grpc::Status got = process_->GetStatus(&context, status_request, &status);
      if (got.ok() && status.state() == process::INSTANCE_STATE_COMPLETED) return status.state();
      if (got.ok()) {
        for (const process::OpenStep& open : status.open_steps()) {
          if (open.task().kind() != process::STEP_KIND_USER_TASK) continue;
          Complete(open.task());
          if (HasFatalFailure()) return process::INSTANCE_STATE_UNSPECIFIED;
        }
      }
      absl::SleepFor(absl::Milliseconds(100));
    }
    return process::INSTANCE_STATE_RUNNING;
  }

  std::set<std::string> FinishedSteps(const std::string& request_id) {
    process::StatusRequest request;
    request.set_request_id(request_id);
    process::TimelineResponse timeline;
    grpc::ClientContext context;
    EXPECT_TRUE(process_->GetTimeline(&context, request, &timeline).ok());
    std::set<std::string> steps;
    for (const auto& entry : timeline.entries()) {
      if (entry.finished_at().seconds() > 0) steps.insert(entry.step_id());
    }
    return steps;
  }

  PeopleDirectory people_;
  std::unique_ptr<intake::IntakeService::Stub> intake_;
  std::unique_ptr<process::ProcessService::Stub> process_;
};

TEST_F(DefinitionsE2eTest, ComplaintRunsToCompletion) {
  std::string request_id = Submit(intake::REQUEST_TYPE_COMPLAINT);
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  EXPECT_EQ(FinishedSteps(request_id).size(), 4u);
}

TEST_F(DefinitionsE2eTest, NewNeedRunsToCompletion) {
  std::string request_id = Submit(intake::REQUEST_TYPE_NEW_NEED);
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  EXPECT_EQ(FinishedSteps(request_id),
            (std::set<std::string>{"record_need", "feasibility", "decision", "customer_agreement"}));
}

TEST_F(DefinitionsE2eTest, ContractWithOwnPaymentTermsGoesThroughLegal) {
  std::string request_id = Submit(intake::REQUEST_TYPE_CONTRACT);
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  std::set<std::string> steps = FinishedSteps(request_id);
  EXPECT_EQ(steps.size(), 6u);
}

TEST_F(DefinitionsE2eTest, FulfilmentRunsThroughItsMilestones) {
  std::string request_id = Submit(intake::REQUEST_TYPE_FULFILMENT);
  ASSERT_FALSE(request_id.empty());
  EXPECT_EQ(DriveToCompletion(request_id), process::INSTANCE_STATE_COMPLETED);
  EXPECT_EQ(FinishedSteps(request_id),
            (std::set<std::string>{"plan_production", "order_material", "advance_invoice", "production",
                                   "quality_check", "delivery", "final_invoice"}));
}

}  // namespace
}  // namespace rend::tools
