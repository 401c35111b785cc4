// Durable timers with a real event store in a temp dir and a fake clock.
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "libs/common/ids.h"
#include "libs/es/test_util.h"
#include "libs/testing/temp_dir.h"
#include "rend/intake/v1/intake.pb.h"
#include "services/process/instance_projection.h"
#include "services/process/instance_state.h"
#include "services/process/timer_runner.h"

namespace rend::process {
namespace {

constexpr const char* kRequest = "REQ-1";

// people.yaml with a three-level chain: sales.kovacs -> sales.lead.balogh -> ceo.fekete.
PeopleDirectory ChainPeople() {
  std::ifstream file(REND_SOURCE_DIR "/deploy/config/people.yaml");
  std::stringstream text;
  text << file.rdbuf();
  std::string yaml = absl::StrReplaceAll(
      text.str(), {{"roles: [sales, sales_lead]\n", "roles: [sales, sales_lead]\n    manager: ceo.fekete\n"}});
  yaml += "  - id: ceo.fekete\n    name: Fekete Ákos\n    roles: [executive]\n";
  return PeopleDirectory::Parse(yaml).value();
}

class TimerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    people_ = std::make_unique<PeopleDirectory>(ChainPeople());
    definitions_ = std::make_unique<DefinitionRegistry>(
        DefinitionRegistry::LoadDirectory(REND_SOURCE_DIR "/deploy/config/process", *people_).value());
    calendar_ = std::make_unique<calendar::BusinessCalendar>(
        calendar::BusinessCalendar::Load(REND_SOURCE_DIR "/deploy/config/calendar").value());
    now_ = Local(2025, 1, 13, 9);  // Monday 09:00
    Open();
  }

  void Open() {
    store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "process"}, {&projection_}).value();
    EngineOptions options{.due_soon_lead = absl::Hours(1), .stall_after = absl::Hours(48),
                          .escalation_after = absl::Hours(24)};
    engine_ = std::make_unique<ProcessEngine>(store_.get(), definitions_.get(), people_.get(), calendar_.get(),
                                              [this] { return now_; }, options);
    runner_ = std::make_unique<TimerRunner>(store_.get(), engine_.get(), TimerRunnerOptions{.interval = absl::Milliseconds(5)});
  }

  // Closes the store as a stopped process would, then opens it again.
  void Restart() {
    runner_.reset();
    engine_.reset();
    store_.reset();
    Open();
  }

  absl::Time Local(int year, int month, int day, int hour, int minute = 0) const {
    return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), calendar_->time_zone());
  }

  // Starts a complaint: record_complaint (sales, 4 hours) opens at once.
  void SubmitComplaint() {
    intake::v1::RequestSubmitted submitted;
    submitted.mutable_request()->set_request_id(kRequest);
    submitted.mutable_request()->set_type(intake::v1::REQUEST_TYPE_COMPLAINT);
    es::EventRecord event;
    event.set_event_id(NewUuid());
    event.set_type(submitted.GetDescriptor()->full_name());
    event.mutable_payload()->PackFrom(submitted);
    std::optional<es::AppendRequest> decided = engine_->HandleEvent(event).value();
    ASSERT_TRUE(decided.has_value());
    REND_ASSERT_OK(store_->Append(std::move(*decided)));
  }

  void Claim(const std::string& actor) {
    v1::Task task;
    REND_ASSERT_OK(store_->Append(engine_->DecideClaim(TaskId(kRequest, "record_complaint"), actor, &task).value()));
  }

  int Fire() {
    absl::StatusOr<int> fired = runner_->FireDue();
    EXPECT_TRUE(fired.ok()) << fired.status();
    return fired.value_or(-1);
  }

  // Returns the short type names of the instance's events from `from` on.
  std::vector<std::string> EventTypes(uint64_t from = 1) const {
    std::vector<std::string> types;
    std::vector<es::EventRecord> events = store_->ReadStream(InstanceStreamId(kRequest), from).value();
    for (const es::EventRecord& event : events) {
      types.push_back(event.type().substr(event.type().rfind('.') + 1));
    }
    return types;
  }

  template <typename T>
  T LastEvent() const {
    std::vector<es::EventRecord> events = store_->ReadStream(InstanceStreamId(kRequest)).value();
    T payload;
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->payload().UnpackTo(&payload)) return payload;
    }
    ADD_FAILURE() << "no " << T::descriptor()->full_name();
    return payload;
  }

  std::vector<std::string> TimerKeys() const {
    std::vector<std::string> keys;
    REND_EXPECT_OK(store_->ScanState(InstanceProjection::kName, InstanceProjection::kTimerPrefix,
                                     [&](const std::string& key, const std::string&) {
                                       keys.push_back(key);
                                       return true;
                                     }));
    return keys;
  }

  uint64_t Version() const { return store_->StreamVersion(InstanceStreamId(kRequest)).value(); }

  testing::TempDir dir_;
  InstanceProjection projection_;
  std::unique_ptr<PeopleDirectory> people_;
  std::unique_ptr<DefinitionRegistry> definitions_;
  std::unique_ptr<calendar::BusinessCalendar> calendar_;
  absl::Time now_;
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<ProcessEngine> engine_;
  std::unique_ptr<TimerRunner> runner_;
};

TEST_F(TimerTest, OpeningSchedulesTimersInIndex) {
  SubmitComplaint();
  std::vector<std::string> keys = TimerKeys();
  ASSERT_EQ(keys.size(), 3u);  // due soon 12:00, overdue 13:00, stalled Wednesday 09:00
  EXPECT_NE(keys[0].find("REQ-1/record_complaint#TIMER_KIND_DUE_SOON"), std::string::npos) << keys[0];
  EXPECT_NE(keys[1].find("#TIMER_KIND_OVERDUE"), std::string::npos) << keys[1];
  EXPECT_NE(keys[2].find("#TIMER_KIND_STALLED"), std::string::npos) << keys[2];
}

TEST_F(TimerTest, DueSoonFiresOnceAtLeadTime) {
  SubmitComplaint();
  now_ = Local(2025, 1, 13, 11, 59);
  EXPECT_EQ(Fire(), 0);
  now_ = Local(2025, 1, 13, 12);
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(EventTypes(3), (std::vector<std::string>{"TaskDueSoon"}));

  v1::TaskDueSoon due_soon = LastEvent<v1::TaskDueSoon>();
  EXPECT_EQ(FromProtoTime(due_soon.due_at()), Local(2025, 1, 13, 13));
  EXPECT_EQ(std::vector<std::string>(due_soon.notification().recipients().begin(),
                                     due_soon.notification().recipients().end()),
            (std::vector<std::string>{"sales.kovacs", "sales.lead.balogh"}));  // open: the whole role
  EXPECT_EQ(due_soon.notification().text_hu(),
            "Hamarosan lejár a(z) „Panasz rögzítése” feladat határideje: 2025-01-13 13:00 (REQ-1).");
  EXPECT_EQ(due_soon.notification().text_en(), "Task \"Record the complaint\" of REQ-1 is due at 2025-01-13 13:00.");
  EXPECT_EQ(TimerKeys().size(), 2u);
}

TEST_F(TimerTest, OverdueEscalatesAlongManagerChain) {
  SubmitComplaint();
  Claim("sales.kovacs");
  now_ = Local(2025, 1, 13, 13);
  EXPECT_EQ(Fire(), 2);  // due soon and overdue
  v1::TaskOverdue overdue = LastEvent<v1::TaskOverdue>();
  ASSERT_EQ(overdue.notification().recipients_size(), 1);
  EXPECT_EQ(overdue.notification().recipients(0), "sales.kovacs");
  EXPECT_EQ(overdue.notification().text_en(),
            "Task \"Record the complaint\" of REQ-1 was due at 2025-01-13 13:00. Holder: sales.kovacs.");

  now_ += absl::Hours(24);
  EXPECT_EQ(Fire(), 1);
  v1::TaskEscalated first = LastEvent<v1::TaskEscalated>();
  EXPECT_EQ(first.level(), 1);
  EXPECT_EQ(first.reason(), "overdue");
  ASSERT_EQ(first.notification().recipients_size(), 1);
  EXPECT_EQ(first.notification().recipients(0), "sales.lead.balogh");
  EXPECT_EQ(first.notification().text_hu(),
            "Eszkaláció (1. szint): a(z) „Panasz rögzítése” feladat (REQ-1) ügyében a határidő lejárt. "
            "Határidő: 2025-01-13 13:00, felelős: sales.kovacs.");

  now_ += absl::Hours(24);
  EXPECT_EQ(Fire(), 2);  // level 2 and the stall reminder, 48 hours after the claim
  v1::TaskEscalated second = LastEvent<v1::TaskEscalated>();
  EXPECT_EQ(second.level(), 2);
  ASSERT_EQ(second.notification().recipients_size(), 1);
  EXPECT_EQ(second.notification().recipients(0), "ceo.fekete");
  EXPECT_EQ(second.firing().next_size(), 0);  // the chain ends at the manager's manager
  EXPECT_EQ(engine_->LoadInstance(kRequest)->tasks(0).escalation_level(), 2);
}

TEST_F(TimerTest, SecondAttemptIsAbortedOrFindsNothing) {
  SubmitComplaint();
  now_ = Local(2025, 1, 13, 12);
  v1::Timer timer = engine_->LoadInstance(kRequest)->timers(0);
  ASSERT_EQ(timer.kind(), v1::TIMER_KIND_DUE_SOON);
  es::AppendRequest first = engine_->DecideTimer(timer).value().value();
  es::AppendRequest second = engine_->DecideTimer(timer).value().value();
  REND_ASSERT_OK(store_->Append(std::move(first)));
  EXPECT_EQ(store_->Append(std::move(second)).status().code(), absl::StatusCode::kAborted);
  EXPECT_FALSE(engine_->DecideTimer(timer).value().has_value());
}

TEST_F(TimerTest, EachDueTimerFiresOnceAfterDowntime) {
  SubmitComplaint();
  store_.reset();
  now_ = Local(2025, 1, 18, 10);  // Saturday: 5 days down, two stall periods missed
  Restart();
  EXPECT_EQ(Fire(), 3);
  EXPECT_EQ(EventTypes(3), (std::vector<std::string>{"TaskDueSoon", "TaskOverdue", "TaskStalled"}));
  EXPECT_EQ(Fire(), 0);

  // The reminder moved one period on from the firing, not from the missed times.
  v1::TaskStalled stalled = LastEvent<v1::TaskStalled>();
  ASSERT_EQ(stalled.firing().next_size(), 1);
  EXPECT_EQ(FromProtoTime(stalled.firing().next(0).fire_at()), Local(2025, 1, 20, 10));

  Restart();
  EXPECT_EQ(Fire(), 0);
  Restart();
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(Version(), 5u);
}

TEST_F(TimerTest, ReplayFiresNothing) {
  SubmitComplaint();
  now_ = Local(2025, 1, 13, 13);
  ASSERT_EQ(Fire(), 2);
  std::vector<std::string> keys = TimerKeys();
  uint64_t position = store_->LastPosition();

  REND_ASSERT_OK(store_->RebuildProjection(InstanceProjection::kName));
  EXPECT_EQ(store_->LastPosition(), position);
  EXPECT_EQ(TimerKeys(), keys);
  EXPECT_EQ(Fire(), 0);
  EXPECT_EQ(store_->LastPosition(), position);
}

TEST_F(TimerTest, ActivityMovesStallTimer) {
  SubmitComplaint();
  now_ = Local(2025, 1, 15, 8);  // 47 hours later
  Claim("sales.kovacs");
  uint64_t version = Version();
  now_ = Local(2025, 1, 15, 9);
  Fire();  // due soon and overdue, but no stall
  EXPECT_EQ(EventTypes(version + 1), (std::vector<std::string>{"TaskDueSoon", "TaskOverdue"}));
  version = Version();
  now_ = Local(2025, 1, 17, 8);
  EXPECT_EQ(Fire(), 2);
  EXPECT_EQ(EventTypes(version + 1), (std::vector<std::string>{"TaskEscalated", "TaskStalled"}));
  EXPECT_EQ(FromProtoTime(LastEvent<v1::TaskStalled>().last_activity_at()), Local(2025, 1, 15, 8));
}

TEST_F(TimerTest, CompletionCancelsTimers) {
  SubmitComplaint();
  v1::Task task;
  TaskOutput output;
  REND_ASSERT_OK(store_->Append(
      engine_->DecideComplete(TaskId(kRequest, "record_complaint"), "sales.kovacs", output, &task).value()));
  for (const std::string& key : TimerKeys()) EXPECT_EQ(key.find("record_complaint"), std::string::npos) << key;
  EXPECT_EQ(TimerKeys().size(), 3u);  // the investigation's timers
}

TEST_F(TimerTest, RunnerThreadFiresDueTimers) {
  SubmitComplaint();
  now_ = Local(2025, 1, 13, 12);
  runner_->Start();
  EXPECT_TRUE(es::WaitUntil([&] { return Version() == 3; }, absl::Seconds(10)));
  runner_->Stop();
  EXPECT_EQ(EventTypes(3), (std::vector<std::string>{"TaskDueSoon"}));
}

}  // namespace
}  // namespace rend::process
