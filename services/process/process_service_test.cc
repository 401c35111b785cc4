#include "services/process/process_service.h"

#include <fstream>
#include <memory>
#include <sstream>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "libs/common/ids.h"
#include "libs/testing/temp_dir.h"
#include "rend/approval/v1/approval.pb.h"
#include "rend/billing/v1/billing.pb.h"
#include "rend/costing/v1/costing.pb.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/process/instance_projection.h"
#include "services/process/instance_state.h"
#include "services/process/timer_runner.h"

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
    calendar_ = std::make_unique<calendar::BusinessCalendar>(
        calendar::BusinessCalendar::Load(REND_SOURCE_DIR "/deploy/config/calendar").value());
    now_ = Budapest(2025, 1, 10, 15);  // a Friday
    store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "process"}, {&projection_}).value();
    engine_ = std::make_unique<ProcessEngine>(store_.get(), definitions_.get(), people_.get(), calendar_.get(),
                                              [this] { return now_; });
    service_ = std::make_unique<ProcessServiceImpl>(store_.get(), engine_.get());
  }

  absl::Time Budapest(int year, int month, int day, int hour) const {
    return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0), calendar_->time_zone());
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
              const std::string& request_id = kRequest, absl::CivilDay wanted = absl::CivilDay(1970, 1, 1)) {
    intake::v1::RequestSubmitted submitted;
    submitted.mutable_request()->set_request_id(request_id);
    submitted.mutable_request()->set_type(type);
    if (wanted.year() > 1970) {
      submitted.mutable_request()->mutable_wanted_delivery_date()->set_year(static_cast<int32_t>(wanted.year()));
      submitted.mutable_request()->mutable_wanted_delivery_date()->set_month(wanted.month());
      submitted.mutable_request()->mutable_wanted_delivery_date()->set_day(wanted.day());
    }
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

  template <typename Request>
  static Request WithContext(const std::string& actor, const std::string& step) {
    Request request;
    request.mutable_context()->set_request_id(NewUuid());
    request.mutable_context()->set_actor(actor);
    request.set_task_id(TaskId(kRequest, step));
    return request;
  }

  grpc::Status Release(const std::string& step, const std::string& actor, v1::TaskResponse* response = nullptr) {
    v1::TaskResponse ignored;
    auto request = WithContext<v1::ReleaseTaskRequest>(actor, step);
    return service_->ReleaseTask(nullptr, &request, response == nullptr ? &ignored : response);
  }

  grpc::Status Reassign(const std::string& step, const std::string& actor, const std::string& new_holder,
                        v1::TaskResponse* response = nullptr) {
    v1::TaskResponse ignored;
    auto request = WithContext<v1::ReassignTaskRequest>(actor, step);
    request.set_new_holder(new_holder);
    return service_->ReassignTask(nullptr, &request, response == nullptr ? &ignored : response);
  }

  grpc::Status Comment(const std::string& step, const std::string& actor, const std::string& text) {
    v1::TaskResponse ignored;
    auto request = WithContext<v1::CommentTaskRequest>(actor, step);
    request.set_text(text);
    return service_->CommentTask(nullptr, &request, &ignored);
  }

  // Returns the last event of the instance, unpacked as T.
  template <typename T>
  T LastEvent() const {
    std::vector<es::EventRecord> events = store_->ReadStream("instance-REQ-1").value();
    T payload;
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->payload().UnpackTo(&payload)) return payload;
    }
    ADD_FAILURE() << "no " << T::descriptor()->full_name();
    return payload;
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

  static costing::v1::QuotePrepared QuotePrepared(bool standard_terms = true) {
    costing::v1::QuotePrepared event;
    event.mutable_quote()->set_request_id(kRequest);
    event.mutable_quote()->set_quote_id("Q-1");
    event.mutable_quote()->set_standard_terms(standard_terms);
    return event;
  }

  static approval::v1::QuoteRejected QuoteRejected(const std::string& reason) {
    approval::v1::QuoteRejected event;
    event.set_request_id(kRequest);
    event.set_reason(reason);
    return event;
  }

  testing::TempDir dir_;
  InstanceProjection projection_;
  std::unique_ptr<PeopleDirectory> people_;
  std::unique_ptr<DefinitionRegistry> definitions_;
  std::unique_ptr<calendar::BusinessCalendar> calendar_;
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
  EXPECT_EQ(instance.definition_version(), 2u);
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

TEST_F(ProcessServiceTest, StepDueAfterItemDeadlineIsFlagged) {
  // Wanted on Tuesday 2025-01-14; engineering (3 business days) is due Wednesday.
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE, kRequest, absl::CivilDay(2025, 1, 14)));
  EXPECT_EQ(FromProtoTime(Instance().due_at()), Budapest(2025, 1, 15, 0));
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());

  v1::StatusRequest request;
  request.set_request_id(kRequest);
  v1::StatusResponse status;
  ASSERT_TRUE(service_->GetStatus(nullptr, &request, &status).ok());
  EXPECT_EQ(FromProtoTime(status.item_due_at()), Budapest(2025, 1, 15, 0));
  ASSERT_EQ(status.open_steps_size(), 2);
  EXPECT_EQ(FromProtoTime(status.open_steps(0).task().due_at()), Budapest(2025, 1, 15, 15));
  EXPECT_TRUE(status.open_steps(0).due_after_item_deadline());
  EXPECT_TRUE(status.open_steps(0).task().due_after_item_deadline());
}

TEST_F(ProcessServiceTest, StepWithinItemDeadlineIsNotFlagged) {
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE, kRequest, absl::CivilDay(2025, 3, 7)));
  v1::Instance instance = Instance();
  ASSERT_EQ(instance.tasks_size(), 1);
  EXPECT_FALSE(instance.tasks(0).due_after_item_deadline());
}

TEST_F(ProcessServiceTest, DeadlineUsesHungarianHolidays) {
  now_ = Budapest(2025, 4, 17, 10);  // Thursday before Good Friday and Easter Monday
  ASSERT_TRUE(Submit());
  EXPECT_EQ(FromProtoTime(Instance().tasks(0).due_at()), Budapest(2025, 4, 22, 10));
}

TEST_F(ProcessServiceTest, IrrelevantEventsHaveNoEffect) {
  ASSERT_TRUE(Submit());
  EXPECT_FALSE(Submit());  // the same request again
  EXPECT_FALSE(Submit(intake::v1::REQUEST_TYPE_UNSPECIFIED, "REQ-2"));  // no definition serves it
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

  EXPECT_EQ(instance.data().at("standard_terms"), "true");  // captured while early
  EXPECT_EQ(StateOf("legal_review"), v1::TASK_STATE_SKIPPED);

  std::vector<es::EventRecord> events = store_->ReadStream("instance-REQ-1").value();
  v1::TaskCompleted completed;
  for (const es::EventRecord& event : events) {
    v1::TaskCompleted candidate;
    if (event.payload().UnpackTo(&candidate) && candidate.task_id() == "REQ-1/formal_quote") completed = candidate;
  }
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
  EXPECT_EQ(instance.tasks_size(), 10);
  EXPECT_EQ(instance.early_events_size(), 0);
  EXPECT_EQ(StateOf("legal_review"), v1::TASK_STATE_SKIPPED);  // standard terms

  v1::StatusRequest request;
  request.set_request_id(kRequest);
  v1::TimelineResponse timeline;
  ASSERT_TRUE(service_->GetTimeline(nullptr, &request, &timeline).ok());
  ASSERT_EQ(timeline.entries_size(), 9);  // the skipped legal review has no entry
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
  ASSERT_EQ(timeline.entries_size(), 10);
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
  ASSERT_GE(response.definitions_size(), 4);
  const v1::DefinitionSummary* latest = nullptr;
  for (const v1::DefinitionSummary& summary : response.definitions()) {
    if (summary.definition_id() == "custom_product_quote" && summary.version() == 2) latest = &summary;
  }
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(latest->request_type(), "CUSTOM_PRODUCT_QUOTE");
  EXPECT_EQ(latest->step_ids_size(), 10);
}

TEST_F(ProcessServiceTest, LegalReviewOnlyWithoutStandardTerms) {
  ReachCosting();
  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  ASSERT_TRUE(Deliver(QuotePrepared(/*standard_terms=*/false), "sales.kovacs"));
  v1::Instance instance = Instance();
  EXPECT_EQ(instance.data().at("standard_terms"), "false");
  EXPECT_EQ(instance.data().at("quote_id"), "Q-1");
  EXPECT_EQ(StateOf("legal_review"), v1::TASK_STATE_OPEN);
  EXPECT_EQ(StateOf("approvals"), v1::TASK_STATE_OPEN);

  approval::v1::QuoteApproved approved;
  approved.set_request_id(kRequest);
  ASSERT_TRUE(Deliver(approved, "eng.lead.horvath"));
  EXPECT_EQ(StateOf("send_quote"), v1::TASK_STATE_UNSPECIFIED);  // joins the legal review
  ASSERT_TRUE(Complete("legal_review", "legal.kiss").ok());
  EXPECT_EQ(StateOf("send_quote"), v1::TASK_STATE_OPEN);
}

TEST_F(ProcessServiceTest, StandardTermsSkipLegalReview) {
  ReachCosting();
  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  ASSERT_TRUE(Deliver(QuotePrepared(/*standard_terms=*/true), "sales.kovacs"));
  v1::Instance instance = Instance();
  const v1::Task* legal = FindTaskByStep(instance, "legal_review");
  ASSERT_NE(legal, nullptr);
  EXPECT_EQ(legal->state(), v1::TASK_STATE_SKIPPED);
  EXPECT_EQ(legal->skip_reason(), "standard_terms = \"true\"");
  EXPECT_FALSE(legal->has_due_at());
  EXPECT_EQ(instance.timers_size(), 3);  // approvals only: due soon, overdue, stalled
}

TEST_F(ProcessServiceTest, RejectedQuoteGoesBackToCosting) {
  ReachCosting();
  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  ASSERT_TRUE(Deliver(QuotePrepared(), "sales.kovacs"));
  now_ = Budapest(2025, 1, 14, 10);
  ASSERT_TRUE(Deliver(QuoteRejected("Az ár túl magas"), "fin.varga"));

  v1::Instance instance = Instance();
  const v1::Task* costing = FindTaskByStep(instance, "costing");
  ASSERT_NE(costing, nullptr);
  EXPECT_EQ(costing->state(), v1::TASK_STATE_OPEN);
  EXPECT_EQ(costing->round(), 2u);
  EXPECT_EQ(costing->reopen_reason(), "Az ár túl magas");
  EXPECT_EQ(FromProtoTime(costing->opened_at()), now_);
  EXPECT_EQ(StateOf("formal_quote"), v1::TASK_STATE_UNSPECIFIED);
  EXPECT_EQ(StateOf("approvals"), v1::TASK_STATE_UNSPECIFIED);
  EXPECT_EQ(instance.history_size(), 4);  // costing, formal_quote, legal_review, approvals
  EXPECT_EQ(instance.reopen_reason(), "Az ár túl magas");

  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  instance = Instance();
  ASSERT_NE(FindTaskByStep(instance, "formal_quote"), nullptr);
  EXPECT_EQ(FindTaskByStep(instance, "formal_quote")->round(), 2u);

  v1::StatusRequest request;
  request.set_request_id(kRequest);
  v1::TimelineResponse timeline;
  ASSERT_TRUE(service_->GetTimeline(nullptr, &request, &timeline).ok());
  EXPECT_EQ(timeline.entries(0).step_id(), "costing");  // the first round comes first
  EXPECT_EQ(timeline.entries(0).round(), 1u);
}

TEST_F(ProcessServiceTest, RejectionBeforeCostingIsIgnored) {
  ASSERT_TRUE(Submit());
  EXPECT_FALSE(Deliver(QuoteRejected("no")));
}

TEST_F(ProcessServiceTest, CustomerSilenceEscalatesAfterTimeout) {
  ReachCosting();
  ASSERT_TRUE(Deliver(CostSheetFinalized()));
  ASSERT_TRUE(Deliver(QuotePrepared(), "sales.kovacs"));
  approval::v1::QuoteApproved approved;
  approved.set_request_id(kRequest);
  ASSERT_TRUE(Deliver(approved, "eng.lead.horvath"));
  costing::v1::QuoteSent sent;
  sent.set_request_id(kRequest);
  ASSERT_TRUE(Deliver(sent, "sales.kovacs"));
  const v1::Task* waiting = FindTaskByStep(Instance(), "customer_acceptance");
  ASSERT_NE(waiting, nullptr);

  // Opened Friday 2025-01-10 15:00; 20 business days later is 2025-02-07 15:00.
  TimerRunner runner(store_.get(), engine_.get());
  now_ = Budapest(2025, 2, 7, 15);
  ASSERT_TRUE(runner.FireDue().ok());
  std::vector<es::EventRecord> events = store_->ReadStream("instance-REQ-1").value();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[events.size() - 2].type(), "rend.process.v1.StepTimedOut");
  v1::TaskEscalated escalated;
  ASSERT_TRUE(events.back().payload().UnpackTo(&escalated));
  EXPECT_EQ(escalated.reason(), "timeout");
  EXPECT_EQ(escalated.level(), 1);
  EXPECT_EQ(StateOf("customer_acceptance"), v1::TASK_STATE_OPEN);
}

TEST_F(ProcessServiceTest, ReleaseReturnsTaskToRole) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  ASSERT_TRUE(Claim("engineering_assessment", "eng.nagy").ok());
  EXPECT_EQ(Release("engineering_assessment", "eng.lead.horvath").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Release("procurement_check", "buyer.szabo").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Release("nope", "eng.nagy").error_code(), grpc::StatusCode::NOT_FOUND);

  v1::TaskResponse response;
  ASSERT_TRUE(Release("engineering_assessment", "eng.nagy", &response).ok());
  EXPECT_EQ(response.task().state(), v1::TASK_STATE_OPEN);
  EXPECT_EQ(response.task().holder(), "");
  EXPECT_EQ(LastEvent<v1::TaskReleased>().released_by(), "eng.nagy");
  EXPECT_EQ(Release("engineering_assessment", "eng.nagy").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Claim("engineering_assessment", "eng.lead.horvath").ok());
}

TEST_F(ProcessServiceTest, ReassignByHolderOrRoleManager) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  ASSERT_TRUE(Claim("engineering_assessment", "eng.nagy").ok());
  EXPECT_EQ(Reassign("engineering_assessment", "buyer.szabo", "eng.lead.horvath").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status wrong_role = Reassign("engineering_assessment", "eng.lead.horvath", "sales.kovacs");
  EXPECT_EQ(wrong_role.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wrong_role.error_message().rfind("new_holder:", 0), 0u) << wrong_role.error_message();
  grpc::Status empty = Reassign("engineering_assessment", "eng.nagy", "");
  EXPECT_EQ(empty.error_message().rfind("new_holder:", 0), 0u) << empty.error_message();
  EXPECT_EQ(Reassign("engineering_assessment", "eng.nagy", "eng.nagy").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The holder's manager takes it, then hands it back as its holder.
  v1::TaskResponse response;
  ASSERT_TRUE(Reassign("engineering_assessment", "eng.lead.horvath", "eng.lead.horvath", &response).ok());
  EXPECT_EQ(response.task().holder(), "eng.lead.horvath");
  v1::TaskReassigned reassigned = LastEvent<v1::TaskReassigned>();
  EXPECT_EQ(reassigned.from_holder(), "eng.nagy");
  EXPECT_EQ(reassigned.reassigned_by(), "eng.lead.horvath");
  ASSERT_TRUE(Reassign("engineering_assessment", "eng.lead.horvath", "eng.nagy").ok());
  EXPECT_EQ(StateOf("engineering_assessment"), v1::TASK_STATE_CLAIMED);

  // An open task: a manager of the role assigns it; a completed one cannot move.
  ASSERT_TRUE(Reassign("procurement_check", "fin.varga", "buyer.szabo").ok());
  EXPECT_EQ(Reassign("record_need", "sales.kovacs", "sales.lead.balogh").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ProcessServiceTest, CommentsShowInTimeline) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  grpc::Status empty = Comment("procurement_check", "buyer.szabo", "");
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(empty.error_message().rfind("text:", 0), 0u) << empty.error_message();
  EXPECT_EQ(Comment("procurement_check", "billing.molnar", "x").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Comment("REQ-1/nope", "buyer.szabo", "x").error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Comment("procurement_check", "buyer.szabo", "A beszállító holnap válaszol.").ok());
  ASSERT_TRUE(Comment("procurement_check", "fin.varga", "Rendben.").ok());  // manages the buyers

  v1::StatusRequest request;
  request.set_request_id(kRequest);
  v1::TimelineResponse timeline;
  ASSERT_TRUE(service_->GetTimeline(nullptr, &request, &timeline).ok());
  const v1::TimelineEntry& entry = timeline.entries(2);
  ASSERT_EQ(entry.step_id(), "procurement_check");
  ASSERT_EQ(entry.comments_size(), 2);
  EXPECT_EQ(entry.comments(0).author(), "buyer.szabo");
  EXPECT_EQ(entry.comments(0).text(), "A beszállító holnap válaszol.");
  EXPECT_EQ(FromProtoTime(entry.comments(0).commented_at()), now_);
  EXPECT_EQ(entry.comments(1).author(), "fin.varga");
}

TEST_F(ProcessServiceTest, ListTasksPages) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-2"));
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-3"));

  std::vector<std::string> ids;
  v1::ListTasksRequest request;
  request.set_page_size(2);
  for (int page = 0; page < 5; ++page) {
    v1::ListTasksResponse response;
    ASSERT_TRUE(service_->ListTasks(nullptr, &request, &response).ok());
    for (const v1::Task& task : response.tasks()) ids.push_back(task.task_id());
    if (response.next_page_token().empty()) break;
    EXPECT_EQ(response.tasks_size(), 2);
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"REQ-1/engineering_assessment", "REQ-1/procurement_check",
                                           "REQ-2/record_complaint", "REQ-3/record_complaint"}));

  v1::ListTasksResponse response;
  request.set_page_token("no-slash");
  grpc::Status bad_token = service_->ListTasks(nullptr, &request, &response);
  EXPECT_EQ(bad_token.error_message().rfind("page_token:", 0), 0u) << bad_token.error_message();
  request.set_page_size(1001);
  grpc::Status bad_size = service_->ListTasks(nullptr, &request, &response);
  EXPECT_EQ(bad_size.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad_size.error_message().rfind("page_size:", 0), 0u) << bad_size.error_message();
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// complaint.yaml as version 2, with a wait for the customer's feedback that
// closes the complaint after 5 business days of silence.
std::string ComplaintV2() {
  std::string yaml = ReadFile(REND_SOURCE_DIR "/deploy/config/process/complaint.yaml");
  yaml.replace(yaml.find("version: 1"), 10, "version: 2");
  return yaml + R"(  - id: customer_feedback
    name_hu: Vevői visszajelzés
    name_en: Customer feedback
    kind: user_task
    role: sales
    deadline: {business_days: 5}
    timeout: {business_days: 5, then: complete}
    after: [customer_answer]
)";
}

class DeployTest : public ProcessServiceTest {
 protected:
  grpc::Status Deploy(const std::string& yaml, v1::DeployDefinitionResponse* response,
                      const std::string& actor = "eng.lead.horvath") {
    v1::DeployDefinitionRequest request;
    request.mutable_context()->set_request_id(NewUuid());
    request.mutable_context()->set_actor(actor);
    request.set_yaml_text(yaml);
    return service_->DeployDefinition(nullptr, &request, response);
  }

  grpc::Status Migrate(const std::string& request_id, uint32_t version, v1::Instance* response) {
    v1::MigrateInstanceRequest request;
    request.mutable_context()->set_request_id(NewUuid());
    request.mutable_context()->set_actor("eng.lead.horvath");
    request.set_request_id(request_id);
    request.set_to_version(version);
    return service_->MigrateInstance(nullptr, &request, response);
  }

  // Completes the complaint's steps before customer_feedback.
  void AnswerComplaint(const std::string& request_id) {
    for (auto [step, actor] : std::vector<std::pair<std::string, std::string>>{
             {"record_complaint", "sales.kovacs"}, {"investigation", "eng.nagy"},
             {"remedy_decision", "eng.lead.horvath"}, {"customer_answer", "sales.kovacs"}}) {
      v1::CompleteTaskRequest request;
      request.mutable_context()->set_request_id(NewUuid());
      request.mutable_context()->set_actor(actor);
      request.set_task_id(TaskId(request_id, step));
      v1::TaskResponse response;
      ASSERT_TRUE(service_->CompleteTask(nullptr, &request, &response).ok()) << step;
    }
  }
};

TEST_F(DeployTest, InvalidYamlNamesTheField) {
  std::string yaml = ComplaintV2();
  yaml.replace(yaml.find("role: engineer"), 14, "role: wizard");
  v1::DeployDefinitionResponse response;
  uint64_t position = store_->LastPosition();
  grpc::Status status = Deploy(yaml, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("yaml_text: steps[1].role: unknown role \"wizard\"", 0), 0u)
      << status.error_message();
  EXPECT_EQ(Deploy("", &response).error_message().rfind("yaml_text:", 0), 0u);
  EXPECT_EQ(Deploy(ComplaintV2(), &response, "nobody").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(DeployTest, IdenticalRedeployWritesNoVersion) {
  v1::DeployDefinitionResponse response;
  ASSERT_TRUE(Deploy(ReadFile(REND_SOURCE_DIR "/deploy/config/process/complaint.yaml"), &response).ok());
  EXPECT_TRUE(response.unchanged());
  EXPECT_EQ(response.version(), 1u);

  ASSERT_TRUE(Deploy(ComplaintV2(), &(response = {})).ok());
  EXPECT_FALSE(response.unchanged());
  EXPECT_EQ(response.version(), 2u);
  uint64_t position = store_->LastPosition();
  ASSERT_TRUE(Deploy(ComplaintV2(), &(response = {})).ok());
  EXPECT_TRUE(response.unchanged());
  EXPECT_EQ(store_->ReadAll(position + 1, 10)->size(), 0u);

  std::string other = ComplaintV2() + "# another comment\n";
  EXPECT_EQ(Deploy(other, &response).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  std::string older = ReadFile(REND_SOURCE_DIR "/deploy/config/process/catalogue_quote.yaml");
  older.replace(older.find("id: catalogue_quote"), 19, "id: other_quote");
  grpc::Status taken = Deploy(older, &response);
  EXPECT_EQ(taken.error_message().rfind("yaml_text: request_types: REQUEST_TYPE_CATALOGUE_QUOTE", 0), 0u)
      << taken.error_message();
}

TEST_F(DeployTest, RunningInstancesKeepTheirVersion) {
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-OLD"));
  v1::DeployDefinitionResponse response;
  ASSERT_TRUE(Deploy(ComplaintV2(), &response).ok());
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-NEW"));
  EXPECT_EQ(engine_->LoadInstance("REQ-OLD")->definition_version(), 1u);
  EXPECT_EQ(engine_->LoadInstance("REQ-NEW")->definition_version(), 2u);
}

TEST_F(DeployTest, DeploymentSurvivesRestart) {
  v1::DeployDefinitionResponse response;
  ASSERT_TRUE(Deploy(ComplaintV2(), &response).ok());
  service_.reset();
  engine_.reset();
  store_.reset();

  definitions_ = std::make_unique<DefinitionRegistry>(
      DefinitionRegistry::LoadDirectory(REND_SOURCE_DIR "/deploy/config/process", *people_).value());
  store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "process"}, {&projection_}).value();
  engine_ = std::make_unique<ProcessEngine>(store_.get(), definitions_.get(), people_.get(), calendar_.get(),
                                            [this] { return now_; });
  EXPECT_EQ(definitions_->Find("complaint", 2), nullptr);
  EXPECT_EQ(engine_->LoadDeployedDefinitions().value(), 1);
  ASSERT_NE(definitions_->Find("complaint", 2), nullptr);
  EXPECT_EQ(definitions_->ForRequestType(intake::v1::REQUEST_TYPE_COMPLAINT)->version, 2u);
}

TEST_F(DeployTest, MigrationKeepsOpenTaskDeadlines) {
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-2"));
  v1::DeployDefinitionResponse response;
  ASSERT_TRUE(Deploy(ComplaintV2(), &response).ok());
  v1::Instance before = engine_->LoadInstance("REQ-2").value();
  now_ += absl::Hours(1);

  v1::Instance migrated;
  ASSERT_TRUE(Migrate("REQ-2", 2, &migrated).ok());
  EXPECT_EQ(migrated.definition_version(), 2u);
  EXPECT_EQ(migrated.migrated_from_version(), 1u);
  ASSERT_EQ(migrated.tasks_size(), 1);
  EXPECT_EQ(FromProtoTime(migrated.tasks(0).due_at()), FromProtoTime(before.tasks(0).due_at()));
  EXPECT_EQ(migrated.timers_size(), before.timers_size());
  std::vector<es::EventRecord> events = store_->ReadStream("instance-REQ-2", before.version() + 1).value();
  ASSERT_EQ(events.size(), 1u);  // InstanceMigrated only: no TaskOpened, so no new assignment notice
  EXPECT_EQ(events[0].type(), "rend.process.v1.InstanceMigrated");
  EXPECT_EQ(events[0].actor(), "eng.lead.horvath");

  EXPECT_EQ(Migrate("REQ-2", 2, &migrated).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Migrate("REQ-2", 7, &migrated).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Migrate("REQ-9", 2, &migrated).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::Status zero = Migrate("REQ-2", 0, &migrated);
  EXPECT_EQ(zero.error_message().rfind("to_version:", 0), 0u) << zero.error_message();
}

TEST_F(DeployTest, CustomerSilenceCompletesAfterTimeout) {
  v1::DeployDefinitionResponse response;
  ASSERT_TRUE(Deploy(ComplaintV2(), &response).ok());
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-2"));
  AnswerComplaint("REQ-2");

  TimerRunner runner(store_.get(), engine_.get());
  now_ = Budapest(2025, 1, 17, 14);  // 5 business days after Friday 15:00 is the next Friday 15:00
  ASSERT_TRUE(runner.FireDue().ok());
  EXPECT_EQ(engine_->LoadInstance("REQ-2")->state(), v1::INSTANCE_STATE_RUNNING);
  now_ = Budapest(2025, 1, 17, 15);
  ASSERT_TRUE(runner.FireDue().ok());
  v1::Instance instance = engine_->LoadInstance("REQ-2").value();
  EXPECT_EQ(instance.state(), v1::INSTANCE_STATE_COMPLETED);
  const v1::Task* feedback = FindTaskByStep(instance, "customer_feedback");
  ASSERT_NE(feedback, nullptr);
  EXPECT_EQ(feedback->completed_by(), "process.timer");
  EXPECT_EQ(feedback->output().at("timed_out"), "true");
  EXPECT_EQ(instance.timers_size(), 0);
}

TEST_F(ProcessServiceTest, ContractWithStandardTermsSkipsFinanceReview) {
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_CONTRACT));
  EXPECT_EQ(Instance().definition_id(), "contract");
  ASSERT_TRUE(Complete("record_request", "sales.kovacs").ok());
  v1::CompleteTaskRequest draft = WithContext<v1::CompleteTaskRequest>("legal.kiss", "draft_contract");
  (*draft.mutable_output())["standard_payment_terms"] = "true";
  v1::TaskResponse response;
  ASSERT_TRUE(service_->CompleteTask(nullptr, &draft, &response).ok());
  EXPECT_EQ(StateOf("finance_review"), v1::TASK_STATE_SKIPPED);
  EXPECT_EQ(StateOf("commercial_review"), v1::TASK_STATE_OPEN);
  ASSERT_TRUE(Complete("commercial_review", "sales.lead.balogh").ok());
  EXPECT_EQ(StateOf("legal_approval"), v1::TASK_STATE_OPEN);
}

TEST_F(ProcessServiceTest, ListAttentionFindsLateAndStalled) {
  ASSERT_TRUE(Submit());                                           // record_need due Monday 15:00
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-2"));  // record_complaint due Friday 19:00
  now_ = Budapest(2025, 1, 12, 16);  // Sunday: 49 hours without activity, nothing late yet
  auto list = [this](v1::ListAttentionRequest request) {
    v1::ListAttentionResponse response;
    EXPECT_TRUE(service_->ListAttention(nullptr, &request, &response).ok());
    std::vector<std::string> ids;
    for (const v1::AttentionItem& item : response.items()) {
      ids.push_back(absl::StrCat(item.task().task_id(), item.late() ? " late" : "", item.stalled() ? " stalled" : ""));
    }
    return ids;
  };
  v1::ListAttentionRequest request;
  EXPECT_EQ(list(request), (std::vector<std::string>{"REQ-1/record_need stalled", "REQ-2/record_complaint late stalled"}));
  request.set_late(true);
  EXPECT_EQ(list(request), (std::vector<std::string>{"REQ-2/record_complaint late stalled"}));
  request.Clear();
  request.set_page_size(1);
  v1::ListAttentionResponse first;
  ASSERT_TRUE(service_->ListAttention(nullptr, &request, &first).ok());
  EXPECT_EQ(first.next_page_token(), "REQ-1/record_need");
  request.set_page_token(first.next_page_token());
  EXPECT_EQ(list(request), (std::vector<std::string>{"REQ-2/record_complaint late stalled"}));
  request.set_page_size(-1);
  v1::ListAttentionResponse ignored;
  EXPECT_EQ(service_->ListAttention(nullptr, &request, &ignored).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ProcessServiceTest, WorkloadPerPersonAndRole) {
  ASSERT_TRUE(Submit());
  ASSERT_TRUE(Complete("record_need", "sales.kovacs").ok());
  ASSERT_TRUE(Claim("engineering_assessment", "eng.nagy").ok());
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-2"));
  now_ = Budapest(2025, 1, 15, 16);  // engineering is late since 15:00

  v1::WorkloadRequest request;
  v1::WorkloadResponse response;
  ASSERT_TRUE(service_->GetWorkload(nullptr, &request, &response).ok());
  ASSERT_EQ(response.people_size(), 1);
  EXPECT_EQ(response.people(0).key(), "eng.nagy");
  EXPECT_EQ(response.people(0).claimed(), 1);
  EXPECT_EQ(response.people(0).late(), 1);
  ASSERT_EQ(response.roles_size(), 3);  // buyer, engineer, sales
  EXPECT_EQ(response.roles(0).key(), "buyer");
  EXPECT_EQ(response.roles(0).open(), 1);
  EXPECT_EQ(response.roles(1).claimed(), 1);
  EXPECT_EQ(response.roles(2).key(), "sales");
  EXPECT_EQ(response.roles(2).open(), 1);
  EXPECT_EQ(response.roles(2).late(), 1);

  request.set_role("engineer");
  ASSERT_TRUE(service_->GetWorkload(nullptr, &request, &(response = {})).ok());
  EXPECT_EQ(response.roles_size(), 1);
}

TEST_F(ProcessServiceTest, StepTimesOfCompletedSteps) {
  ASSERT_TRUE(Submit(intake::v1::REQUEST_TYPE_COMPLAINT, "REQ-1"));
  now_ += absl::Hours(2);
  ASSERT_TRUE(Complete("record_complaint", "sales.kovacs").ok());
  now_ += absl::Hours(30);
  ASSERT_TRUE(Complete("investigation", "eng.nagy").ok());

  v1::StepTimesRequest request;
  v1::StepTimesResponse response;
  ASSERT_TRUE(service_->GetStepTimes(nullptr, &request, &response).ok());
  EXPECT_EQ(response.steps_size(), 0);  // the instance still runs
  request.set_include_running(true);
  ASSERT_TRUE(service_->GetStepTimes(nullptr, &request, &response).ok());
  ASSERT_EQ(response.steps_size(), 2);
  EXPECT_EQ(response.steps(0).step_id(), "investigation");
  EXPECT_EQ(response.steps(0).count(), 1);
  EXPECT_EQ(response.steps(0).mean().seconds(), 30 * 3600);
  EXPECT_EQ(response.steps(1).step_id(), "record_complaint");
  EXPECT_EQ(response.steps(1).max().seconds(), 2 * 3600);
  EXPECT_EQ(response.steps(1).late(), 0);
  request.set_definition_id("contract");
  ASSERT_TRUE(service_->GetStepTimes(nullptr, &request, &(response = {})).ok());
  EXPECT_EQ(response.steps_size(), 0);
}

TEST_F(ProcessServiceTest, ReplayRebuildsTheSameState) {
  ReachCosting();
  ASSERT_TRUE(Deliver(QuotePrepared()));
  v1::Instance before = Instance();
  ASSERT_TRUE(store_->RebuildProjection(InstanceProjection::kName).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(Instance(), before));
}

}  // namespace
}  // namespace rend::process
