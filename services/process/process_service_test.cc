#include "services/process/process_service.h"

#include <memory>

#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "libs/testing/temp_dir.h"
#include "rend/approval/v1/approval.pb.h"
#include "rend/billing/v1/billing.pb.h"
#include "rend/costing/v1/costing.pb.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/process/instance_projection.h"
#include "services/process/instance_state.h"

namespace rend::process {
namespace {

constexpr const char* kRequest = "REQ-1";

class ProcessServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    people_ = std::make_unique<PeopleDirectory>(
        PeopleDirectory::Load(REND_SOURCE_DIR "/deploy/config/people.yaml").value());
    definitions_ = std::make_unique<DefinitionRegistry>(
        DefinitionRegistry::LoadDirectory(REND_SOURCE_DIR "/deploy/config/process", *people_).value());
    calendar_ = std::make_unique<BusinessCalendar>(BusinessCalendar::Budapest().value());
    now_ = Budapest(2025, 1, 10, 15);  // a Friday
    store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "process"}, {&projection_}).value();
    engine_ = std::make_unique<ProcessEngine>(store_.get(), definitions_.get(), people_.get(), *calendar_,
                                              [this] { return now_; });
    service_ = std::make_unique<ProcessServiceImpl>(store_.get(), engine_.get());
  }

  absl::Time Budapest(int year, int month, int day, int hour) const {
    return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0), calendar_->zone());
  }

  // Hands `payload` to the engine as the consumer would and appends the
  // decision; returns whether anything was appended.
  bool Deliver(const google::protobuf::Message& payload, const std::string& actor = "cost.toth",
               const std::string& request_id = kRequest) {
    es::EventRecord event;
    event.set_event_id(NewUuid());
    event.set_type(payload.GetDescriptor()->full_name());
    event.set_actor(actor);
    event.set_correlation_id(request_id);
    event.mutable_payload()->PackFrom(payload);
    absl::StatusOr<std::optional<es::AppendRequest>> decided = engine_->HandleEvent(event);
    EXPECT_TRUE(decided.ok()) << decided.status();
    if (!decided.ok() || !decided->has_value()) return false;
    last_event_id_ = event.event_id();
    EXPECT_TRUE(store_->Append(std::move(**decided)).ok());
    return true;
  }

  bool Submit(intake::v1::RequestType type = intake::v1::REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE,
              const std::string& request_id = kRequest) {
    intake::v1::RequestSubmitted submitted;
    submitted.mutable_request()->set_request_id(request_id);
    submitted.mutable_request()->set_type(type);
    return Deliver(submitted, "sales.kovacs", request_id);
  }

  grpc::Status Claim(const std::string& step, const std::string& actor, const std::string& command_id = "") {
    v1::ClaimTaskRequest request;
    request.mutable_context()->set_request_id(command_id.empty() ? NewUuid() : command_id);
    request.mutable_context()->set_actor(actor);
    request.set_task_id(TaskId(kRequest, step));
    v1::TaskResponse response;
    return service_->ClaimTask(nullptr, &request, &response);
  }

  grpc::Status Complete(const std::string& step, const std::string& actor, v1::TaskResponse* response = nullptr,
                        const std::string& command_id = "") {
    v1::CompleteTaskRequest request;
    request.mutable_context()->set_request_id(command_id.empty() ? NewUuid() : command_id);
    request.mutable_context()->set_actor(actor);
    request.set_task_id(TaskId(kRequest, step));
    (*request.mutable_output())["note"] = "ok";
    v1::TaskResponse ignored;
    return service_->CompleteTask(nullptr, &request, response == nullptr ? &ignored : response);
  }

  v1::Instance Instance() const { return engine_->LoadInstance(kRequest).value(); }

  // Returns the step's task state, or UNSPECIFIED when it has not opened.
  v1::TaskState StateOf(const std::string& step) const {
    v1::Instance instance = Instance();
    const v1::Task* task = FindTaskByStep(instance, step);
    return task == nullptr ? v1::TASK_STATE_UNSPECIFIED : task->state();
  }

  // Runs the scenario up to the costing step.
  void ReachCosting() {
    ASSERT_TRUE(Submit());
    ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
    ASSERT_TRUE(Complete("engineering_assessment", "eng.nagy").ok());
    ASSERT_TRUE(Complete("procurement_check", "buyer.szabo").ok());
  }

  static costing::v1::CostSheetFinalized CostSheetFinalized() {
    costing::v1::CostSheetFinalized event;
    event.set_sheet_id("CS-1");
    event.set_request_id(kRequest);
    return event;
  }

  static costing::v1::QuotePrepared QuotePrepared() {
    costing::v1::QuotePrepared event;
    event.mutable_quote()->set_request_id(kRequest);
    return event;
  }

  testing::TempDir dir_;
  InstanceProjection projection_;
  std::unique_ptr<PeopleDirectory> people_;
  std::unique_ptr<DefinitionRegistry> definitions_;
  std::unique_ptr<BusinessCalendar> calendar_;
  absl::Time now_;
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<ProcessEngine> engine_;
  std::unique_ptr<ProcessServiceImpl> service_;
  std::string last_event_id_;
};

TEST_F(ProcessServiceTest, RequestSubmittedStartsInstance) {
  ASSERT_TRUE(Submit());
  v1::Instance instance = Instance();
  EXPECT_EQ(instance.state(), v1::INSTANCE_STATE_RUNNING);
  EXPECT_EQ(instance.definition_id(), "custom_product_quote");
  EXPECT_EQ(instance.definition_version(), 1u);
  EXPECT_EQ(instance.name_hu(), "Egyedi termék árajánlat");
  EXPECT_EQ(instance.version(), 2u);  // InstanceStarted, TaskOpened
  ASSERT_EQ(instance.tasks_size(), 1);
  const v1::Task& task = instance.tasks(0);
  EXPECT_EQ(task.task_id(), "REQ-1/record_need");
  EXPECT_EQ(task.role(), "sales");
  EXPECT_EQ(task.state(), v1::TASK_STATE_OPEN);
  EXPECT_EQ(FromProtoTime(task.opened_at()), now_);
  EXPECT_EQ(FromProtoTime(task.due_at()), Budapest(2025, 1, 13, 15));  // Friday 15:00 + 1 business day
}

TEST_F(ProcessServiceTest, IrrelevantEventsHaveNoEffect) {
  ASSERT_TRUE(Submit());
  EXPECT_FALSE(Submit());  // the same request again
  EXPECT_FALSE(Submit(intake::v1::REQUEST_TYPE_CONTRACT, "REQ-2"));  // no definition serves contracts
  costing::v1::CostLineAdded line;
  EXPECT_FALSE(Deliver(line));
  EXPECT_EQ(store_->LastPosition(), 2u);
}

TEST_F(ProcessServiceTest, ParallelSplitAndJoin) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  EXPECT_EQ(StateOf("engineering_assessment"), v1::TASK_STATE_OPEN);
  EXPECT_EQ(StateOf("procurement_check"), v1::TASK_STATE_OPEN);
  EXPECT_EQ(StateOf("costing"), v1::TASK_STATE_UNSPECIFIED);

  ASSERT_TRUE(Complete("engineering_assessment", "eng.nagy").ok());
  EXPECT_EQ(StateOf("costing"), v1::TASK_STATE_UNSPECIFIED);  // waits for procurement
  ASSERT_TRUE(Complete("procurement_check", "buyer.szabo").ok());
  EXPECT_EQ(StateOf("costing"), v1::TASK_STATE_OPEN);
}

TEST_F(ProcessServiceTest, EventCompletesEventStep) {
  ReachCosting();
  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  v1::Instance instance = Instance();
  const v1::Task* costing = FindTaskByStep(instance, "costing");
  ASSERT_NE(costing, nullptr);
  EXPECT_EQ(costing->state(), v1::TASK_STATE_COMPLETED);
  EXPECT_EQ(costing->completed_by(), "cost.toth");
  EXPECT_EQ(StateOf("formal_quote"), v1::TASK_STATE_OPEN);
  EXPECT_FALSE(Deliver(CostSheetFinalized()));  // the step is already completed
}

TEST_F(ProcessServiceTest, EarlyEventCompletesStepWhenItOpens) {
  ReachCosting();
  ASSERT_TRUE(Deliver(QuotePrepared(), "sales.kovacs"));
  std::string quote_event_id = last_event_id_;
  EXPECT_EQ(Instance().early_events_size(), 1);
  EXPECT_EQ(StateOf("formal_quote"), v1::TASK_STATE_UNSPECIFIED);

  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  v1::Instance instance = Instance();
  const v1::Task* quote = FindTaskByStep(instance, "formal_quote");
  ASSERT_NE(quote, nullptr);
  EXPECT_EQ(quote->state(), v1::TASK_STATE_COMPLETED);
  EXPECT_EQ(quote->completed_by(), "sales.kovacs");
  EXPECT_EQ(instance.early_events_size(), 0);
  EXPECT_EQ(StateOf("approvals"), v1::TASK_STATE_OPEN);

  std::vector<es::EventRecord> events = store_->ReadStream("instance-REQ-1").value();
  v1::TaskCompleted completed;
  ASSERT_TRUE(events[events.size() - 2].payload().UnpackTo(&completed));
  EXPECT_EQ(completed.completing_event_id(), quote_event_id);
}

TEST_F(ProcessServiceTest, EventBeforeInstanceStartsIsKept) {
  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  EXPECT_EQ(Instance().state(), v1::INSTANCE_STATE_UNSPECIFIED);
  v1::GetInstanceRequest get;
  get.set_request_id(kRequest);
  v1::Instance response;
  EXPECT_EQ(service_->GetInstance(nullptr, &get, &response).error_code(), grpc::StatusCode::NOT_FOUND);

  ReachCosting();
  EXPECT_EQ(StateOf("costing"), v1::TASK_STATE_COMPLETED);
  EXPECT_EQ(StateOf("formal_quote"), v1::TASK_STATE_OPEN);
}

TEST_F(ProcessServiceTest, ScenarioRunsToCompletion) {
  ReachCosting();
  approval::v1::QuoteApproved approved;
  approved.set_request_id(kRequest);
  costing::v1::QuoteSent sent;
  sent.set_request_id(kRequest);
  costing::v1::QuoteAccepted accepted;
  accepted.mutable_quote()->set_request_id(kRequest);
  billing::v1::InvoiceIssued invoiced;
  invoiced.mutable_invoice()->set_request_id(kRequest);
  for (const google::protobuf::Message* event : std::vector<const google::protobuf::Message*>{
           &approved, &sent, &accepted, &invoiced}) {
    ASSERT_TRUE(Deliver(*event));  // early: their steps open later
  }
  EXPECT_EQ(Instance().early_events_size(), 4);
  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  EXPECT_EQ(StateOf("formal_quote"), v1::TASK_STATE_OPEN);
  ASSERT_TRUE(Deliver(QuotePrepared()));

  v1::Instance instance = Instance();
  EXPECT_EQ(instance.state(), v1::INSTANCE_STATE_COMPLETED);
  EXPECT_EQ(instance.tasks_size(), 9);
  EXPECT_EQ(instance.early_events_size(), 0);

  v1::StatusRequest request;
  request.set_request_id(kRequest);
  v1::TimelineResponse timeline;
  ASSERT_TRUE(service_->GetTimeline(nullptr, &request, &timeline).ok());
  ASSERT_EQ(timeline.entries_size(), 9);
  EXPECT_EQ(timeline.entries(8).step_id(), "invoicing");
  EXPECT_EQ(timeline.entries(8).name_hu(), "Számlázás");
  EXPECT_TRUE(timeline.entries(8).has_finished_at());
  EXPECT_FALSE(Deliver(invoiced));  // a completed instance ignores events
}

TEST_F(ProcessServiceTest, ClaimRequiresTheRole) {
  ReachCosting();
  EXPECT_EQ(Claim("costing", "sales.kovacs").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Claim("costing", "nobody").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Claim("costing", "cost.toth").ok());  // event steps can be claimed
  EXPECT_EQ(Claim("costing", "fin.varga").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Claim("record_need", "sales.kovacs").error_code(), grpc::StatusCode::FAILED_PRECONDITION);  // completed

  uint64_t position = store_->LastPosition();
  EXPECT_TRUE(Claim("costing", "cost.toth").ok());  // the holder again: nothing to write
  EXPECT_EQ(store_->LastPosition(), position);
  v1::Instance instance = Instance();
  const v1::Task* task = FindTaskByStep(instance, "costing");
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->holder(), "cost.toth");
  EXPECT_EQ(task->state(), v1::TASK_STATE_CLAIMED);
  EXPECT_EQ(FromProtoTime(task->claimed_at()), now_);
}

TEST_F(ProcessServiceTest, CompleteByNonHolderIsRejected) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  ASSERT_TRUE(Claim("engineering_assessment", "eng.nagy").ok());
  uint64_t position = store_->LastPosition();
  EXPECT_EQ(Complete("engineering_assessment", "eng.lead.horvath").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Complete("procurement_check", "sales.kovacs").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(store_->LastPosition(), position);

  v1::TaskResponse response;
  ASSERT_TRUE(Complete("engineering_assessment", "eng.nagy", &response).ok());
  EXPECT_EQ(response.task().state(), v1::TASK_STATE_COMPLETED);
  EXPECT_EQ(response.task().completed_by(), "eng.nagy");
  EXPECT_EQ(response.task().output().at("note"), "ok");
  EXPECT_EQ(Complete("engineering_assessment", "eng.nagy").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ProcessServiceTest, CompleteOpenTaskClaimsIt) {
  ASSERT_TRUE(Submit());
  v1::TaskResponse response;
  ASSERT_TRUE(Complete("record_need", "sales.kovacs", &response).ok());
  EXPECT_EQ(response.task().holder(), "sales.kovacs");
  EXPECT_EQ(response.task().state(), v1::TASK_STATE_COMPLETED);
  std::vector<es::EventRecord> events = store_->ReadStream("instance-REQ-1").value();
  ASSERT_EQ(events.size(), 6u);  // started, opened, claimed, completed, two opened
  EXPECT_EQ(events[2].type(), "rend.process.v1.TaskClaimed");
  EXPECT_EQ(events[2].actor(), "sales.kovacs");
  EXPECT_EQ(events[3].type(), "rend.process.v1.TaskCompleted");
}

TEST_F(ProcessServiceTest, EventStepCannotBeCompletedByHand) {
  ReachCosting();
  EXPECT_EQ(Complete("costing", "cost.toth").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ProcessServiceTest, RetryReturnsFirstResult) {
  ASSERT_TRUE(Submit());
  v1::TaskResponse first;
  v1::TaskResponse second;
  ASSERT_TRUE(Complete("record_need", "sales.kovacs", &first, "c-1").ok());
  uint64_t position = store_->LastPosition();
  ASSERT_TRUE(Complete("record_need", "sales.kovacs", &second, "c-1").ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(store_->LastPosition(), position);

  v1::CompleteTaskRequest changed;
  changed.mutable_context()->set_request_id("c-1");
  changed.mutable_context()->set_actor("sales.kovacs");
  changed.set_task_id("REQ-1/record_need");
  v1::TaskResponse response;
  EXPECT_EQ(service_->CompleteTask(nullptr, &changed, &response).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(ProcessServiceTest, BadInputNamesTheFieldAndWritesNothing) {
  ASSERT_TRUE(Submit());
  uint64_t position = store_->LastPosition();
  struct Case {
    const char* field;
    void (*mutate)(v1::CompleteTaskRequest&);
  } cases[] = {
      {"context.request_id", [](v1::CompleteTaskRequest& r) { r.mutable_context()->clear_request_id(); }},
      {"context.actor", [](v1::CompleteTaskRequest& r) { r.mutable_context()->set_actor("two words"); }},
      {"task_id", [](v1::CompleteTaskRequest& r) { r.clear_task_id(); }},
      {"output", [](v1::CompleteTaskRequest& r) {
         for (int i = 0; i < 65; ++i) (*r.mutable_output())["k" + std::to_string(i)] = "v";
       }},
      {"output[\"\"]", [](v1::CompleteTaskRequest& r) { (*r.mutable_output())[""] = "v"; }},
      {"output[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]",
       [](v1::CompleteTaskRequest& r) { (*r.mutable_output())[std::string(65, 'a')] = "v"; }},
      {"output[\"note\"]", [](v1::CompleteTaskRequest& r) { (*r.mutable_output())["note"] = std::string(4097, 'x'); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::CompleteTaskRequest request;
    request.mutable_context()->set_request_id("bad");
    request.mutable_context()->set_actor("sales.kovacs");
    request.set_task_id("REQ-1/record_need");
    c.mutate(request);
    v1::TaskResponse response;
    grpc::Status status = service_->CompleteTask(nullptr, &request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind(std::string(c.field) + ":", 0), 0u) << status.error_message();
  }
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(ProcessServiceTest, UnknownTaskOrRequestIsNotFound) {
  ASSERT_TRUE(Submit());
  for (const char* task_id : {"nope", "REQ-9/record_need", "REQ-1/nope", "REQ-1/costing"}) {
    SCOPED_TRACE(task_id);
    v1::ClaimTaskRequest claim;
    claim.mutable_context()->set_request_id(NewUuid());
    claim.mutable_context()->set_actor("sales.kovacs");
    claim.set_task_id(task_id);
    v1::TaskResponse response;
    EXPECT_EQ(service_->ClaimTask(nullptr, &claim, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  v1::StatusRequest request;
  request.set_request_id("REQ-9");
  v1::StatusResponse status;
  EXPECT_EQ(service_->GetStatus(nullptr, &request, &status).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::TimelineResponse timeline;
  EXPECT_EQ(service_->GetTimeline(nullptr, &request, &timeline).error_code(), grpc::StatusCode::NOT_FOUND);
  request.clear_request_id();
  EXPECT_EQ(service_->GetStatus(nullptr, &request, &status).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ProcessServiceTest, StatusShowsHolderDueAndLate) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  ASSERT_TRUE(Claim("engineering_assessment", "eng.nagy").ok());
  now_ = Budapest(2025, 1, 15, 16);  // Wednesday 16:00, past the 3 business days

  v1::StatusRequest request;
  request.set_request_id(kRequest);
  v1::StatusResponse status;
  ASSERT_TRUE(service_->GetStatus(nullptr, &request, &status).ok());
  EXPECT_EQ(status.state(), v1::INSTANCE_STATE_RUNNING);
  EXPECT_EQ(FromProtoTime(status.as_of()), now_);
  ASSERT_EQ(status.open_steps_size(), 2);
  const v1::OpenStep& engineering = status.open_steps(0);
  EXPECT_EQ(engineering.task().step_id(), "engineering_assessment");
  EXPECT_EQ(engineering.task().holder(), "eng.nagy");
  EXPECT_EQ(FromProtoTime(engineering.task().opened_at()), Budapest(2025, 1, 10, 15));
  EXPECT_EQ(FromProtoTime(engineering.task().due_at()), Budapest(2025, 1, 15, 15));
  EXPECT_TRUE(engineering.late());

  now_ = Budapest(2025, 1, 15, 14);
  ASSERT_TRUE(service_->GetStatus(nullptr, &request, &(status = {})).ok());
  EXPECT_FALSE(status.open_steps(0).late());
}

TEST_F(ProcessServiceTest, TimelineListsEveryStep) {
  ASSERT_TRUE(Submit());
  now_ = Budapest(2025, 1, 14, 16);  // Tuesday: record_need was due Monday 15:00
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  v1::StatusRequest request;
  request.set_request_id(kRequest);
  v1::TimelineResponse timeline;
  ASSERT_TRUE(service_->GetTimeline(nullptr, &request, &timeline).ok());
  ASSERT_EQ(timeline.entries_size(), 9);
  const v1::TimelineEntry& first = timeline.entries(0);
  EXPECT_EQ(first.step_id(), "record_need");
  EXPECT_EQ(first.name_en(), "Record the need");
  EXPECT_EQ(first.holder(), "sales.kovacs");
  EXPECT_EQ(FromProtoTime(first.started_at()), Budapest(2025, 1, 10, 15));
  EXPECT_EQ(FromProtoTime(first.finished_at()), now_);
  EXPECT_TRUE(first.late());
  EXPECT_FALSE(timeline.entries(1).has_finished_at());
  EXPECT_EQ(timeline.entries(3).step_id(), "costing");  // not yet opened
  EXPECT_FALSE(timeline.entries(3).has_started_at());
}

TEST_F(ProcessServiceTest, ListTasksFilters) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-2"));
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  ASSERT_TRUE(Claim("engineering_assessment", "eng.nagy").ok());

  auto list = [this](v1::ListTasksRequest request) {
    v1::ListTasksResponse response;
    EXPECT_TRUE(service_->ListTasks(nullptr, &request, &response).ok());
    std::vector<std::string> ids;
    for (const v1::Task& task : response.tasks()) ids.push_back(task.task_id());
    return ids;
  };
  v1::ListTasksRequest request;
  EXPECT_EQ(list(request), (std::vector<std::string>{"REQ-1/engineering_assessment", "REQ-1/procurement_check",
                                                     "REQ-2/record_complaint"}));
  request.set_role("sales");
  EXPECT_EQ(list(request), (std::vector<std::string>{"REQ-2/record_complaint"}));
  request.set_include_completed(true);
  EXPECT_EQ(list(request), (std::vector<std::string>{"REQ-1/record_need", "REQ-2/record_complaint"}));
  request.set_request_id(kRequest);
  EXPECT_EQ(list(request), (std::vector<std::string>{"REQ-1/record_need"}));
  request.Clear();
  request.set_holder("eng.nagy");
  EXPECT_EQ(list(request), (std::vector<std::string>{"REQ-1/engineering_assessment"}));
  request.Clear();
  request.set_request_id("REQ-9");
  EXPECT_TRUE(list(request).empty());
}

TEST_F(ProcessServiceTest, ListDefinitions) {
  v1::ListDefinitionsRequest request;
  v1::ListDefinitionsResponse response;
  ASSERT_TRUE(service_->ListDefinitions(nullptr, &request, &response).ok());
  ASSERT_EQ(response.definitions_size(), 3);
  EXPECT_EQ(response.definitions(2).definition_id(), "custom_product_quote");
  EXPECT_EQ(response.definitions(2).request_type(), "CUSTOM_PRODUCT_QUOTE");
  EXPECT_EQ(response.definitions(2).step_ids_size(), 9);
}

TEST_F(ProcessServiceTest, ReplayRebuildsTheSameState) {
  ReachCosting();
  ASSERT_TRUE(Deliver(QuotePrepared()));
  std::string before = Instance().SerializeAsString();
  ASSERT_TRUE(store_->RebuildProjection(InstanceProjection::kName).ok());
  EXPECT_EQ(Instance().SerializeAsString(), before);
}

}  // namespace
}  // namespace rend::process
