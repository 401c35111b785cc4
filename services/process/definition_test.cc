#include "services/process/definition.h"

#include <fstream>

#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace rend::process {
namespace {

constexpr const char* kPeople = R"(
people:
  - {id: sales.kovacs, name: Kovács Anna, roles: [sales]}
  - {id: eng.nagy, name: Nagy Gábor, roles: [engineer]}
)";

constexpr const char* kHeader = R"(
id: test_process
version: 1
request_types: [CUSTOM_PRODUCT_QUOTE]
name_hu: Teszt folyamat
name_en: Test process
steps:
)";

// A step in YAML flow style; `extra` adds fields or replaces the defaults.
std::string Step(const std::string& id, const std::string& extra = "") {
  std::string fields = "id: " + id + ", name_hu: Lépés, name_en: Step";
  const char* defaults[][2] = {{"kind:", "user_task"}, {"role:", "sales"}, {"deadline:", "{business_days: 1}"}};
  for (const auto& [key, value] : defaults) {
    if (extra.find(key) == std::string::npos) fields += std::string(", ") + key + " " + value;
  }
  if (!extra.empty()) fields += ", " + extra;
  return "  - {" + fields + "}\n";
}

class DefinitionTest : public ::testing::Test {
 protected:
  absl::StatusOr<ProcessDefinition> Parse(const std::string& steps) {
    return ParseDefinition(std::string(kHeader) + steps, people_);
  }

  // Expects INVALID_ARGUMENT whose message starts with `prefix`.
  void ExpectError(const std::string& steps, const std::string& prefix) {
    absl::StatusOr<ProcessDefinition> definition = Parse(steps);
    ASSERT_FALSE(definition.ok());
    EXPECT_EQ(definition.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(definition.status().message()).rfind(prefix, 0), 0u) << definition.status().message();
  }

  PeopleDirectory people_ = PeopleDirectory::Parse(kPeople).value();
};

TEST_F(DefinitionTest, ParsesParallelSteps) {
  absl::StatusOr<ProcessDefinition> definition =
      Parse(Step("a") + Step("b", "after: [a]") + Step("c", "after: [a], role: engineer") +
            Step("d", "after: [b, c], kind: event, completes_on: rend.costing.v1.CostSheetFinalized, "
                      "deadline: {hours: 4}"));
  ASSERT_TRUE(definition.ok()) << definition.status();
  EXPECT_EQ(definition->id, "test_process");
  EXPECT_EQ(definition->version, 1u);
  ASSERT_EQ(definition->steps.size(), 4u);
  const StepDefinition& join = definition->steps[3];
  EXPECT_EQ(join.after, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(join.kind, v1::STEP_KIND_EVENT);
  EXPECT_EQ(join.completes_on, "rend.costing.v1.CostSheetFinalized");
  EXPECT_EQ(join.deadline.unit, Deadline::Unit::kHours);
  EXPECT_EQ(join.deadline.amount, 4);
  EXPECT_EQ(definition->StepCompletedBy("rend.costing.v1.CostSheetFinalized"), &join);
}

TEST_F(DefinitionTest, UnknownRole) {
  ExpectError(Step("a") + Step("b", "after: [a], role: wizard"), "steps[1].role: unknown role \"wizard\"");
}

TEST_F(DefinitionTest, DuplicateStepId) {
  ExpectError(Step("a") + Step("a", "after: [a]"), "steps[1].id: duplicate step id \"a\"");
}

TEST_F(DefinitionTest, AfterNamesUnknownStep) {
  ExpectError(Step("a") + Step("b", "after: [nope]"), "steps[1].after: unknown step \"nope\"");
}

TEST_F(DefinitionTest, UnreachableStep) {
  ExpectError(Step("a") + Step("b", "after: [c]") + Step("c", "after: [b]"),
              "steps[1]: step \"b\" is unreachable");
}

TEST_F(DefinitionTest, Cycle) {
  ExpectError(Step("a") + Step("b", "after: [a, c]") + Step("c", "after: [b]"),
              "steps[1].after: cycle b after c after b");
}

TEST_F(DefinitionTest, MissingDeadline) {
  std::string step = "  - {id: a, name_hu: Lépés, name_en: Step, kind: user_task, role: sales}\n";
  ExpectError(step, "steps[0].deadline: missing");
}

TEST_F(DefinitionTest, BadDeadline) {
  struct Case {
    const char* deadline;
    const char* prefix;
  } cases[] = {
      {"deadline: {business_days: 0}", "steps[0].deadline.business_days: must be an integer 1..365"},
      {"deadline: {business_days: 1.5}", "steps[0].deadline.business_days: must be an integer 1..365"},
      {"deadline: {hours: soon}", "steps[0].deadline.hours: must be an integer 1..8760"},
      {"deadline: {days: 2}", "steps[0].deadline: must be exactly one of"},
      {"deadline: {hours: 2, business_days: 1}", "steps[0].deadline: must be exactly one of"},
      {"deadline: 2", "steps[0].deadline: must be exactly one of"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.deadline);
    ExpectError(Step("a", c.deadline), c.prefix);
  }
}

TEST_F(DefinitionTest, UnknownEventType) {
  ExpectError(Step("a") + Step("b", "after: [a], kind: event, completes_on: rend.costing.v1.Nope"),
              "steps[1].completes_on: unknown event type \"rend.costing.v1.Nope\"");
}

TEST_F(DefinitionTest, EventStepWithoutCompletingEvent) {
  ExpectError(Step("a", "kind: event"), "steps[0].completes_on: missing");
}

TEST_F(DefinitionTest, TwoStepsOnOneEventType) {
  std::string event = "kind: event, completes_on: rend.costing.v1.QuoteSent";
  ExpectError(Step("a") + Step("b", "after: [a], " + event) + Step("c", "after: [b], " + event),
              "steps[2].completes_on: event type rend.costing.v1.QuoteSent already completes step \"b\"");
}

TEST_F(DefinitionTest, BadHeaderAndSteps) {
  EXPECT_EQ(ParseDefinition("id: [", people_).status().message().substr(0, 13), "invalid YAML:");
  std::string header = kHeader;
  std::string bad_type = header;
  bad_type.replace(bad_type.find("CUSTOM_PRODUCT_QUOTE"), 20, "HAIRCUT");
  absl::Status status = ParseDefinition(bad_type + Step("a"), people_).status();
  EXPECT_EQ(status.message(), "request_types[0]: unknown request type \"HAIRCUT\"");
  status = ParseDefinition(header, people_).status();
  EXPECT_EQ(std::string(status.message()).rfind("steps: must be a list", 0), 0u) << status;
  ExpectError(Step("Bad-Id"), "steps[0].id: \"Bad-Id\" must match");
  ExpectError(Step("a", "kind: manual"), "steps[0].kind: unknown kind \"manual\"");
}

TEST_F(DefinitionTest, ParsesFlowFields) {
  absl::StatusOr<ProcessDefinition> definition = ParseDefinition(
      std::string(kHeader) + Step("a", "deadline: {business_hours: 6}") +
          Step("q", "after: [a], kind: event, completes_on: rend.costing.v1.QuotePrepared, "
                    "capture: {terms: quote.standard_terms}") +
          Step("legal", "after: [q], when: {field: terms, not_equals: \"true\"}") +
          Step("wait", "after: [legal], timeout: {business_days: 5, then: complete}") +
          "loops:\n  - {on: rend.approval.v1.QuoteRejected, reopen: [q, legal], reason_field: reason}\n",
      people_);
  ASSERT_TRUE(definition.ok()) << definition.status();
  EXPECT_EQ(definition->steps[0].deadline.unit, Deadline::Unit::kBusinessHours);
  EXPECT_EQ(definition->steps[0].deadline.amount, 6);
  EXPECT_EQ(definition->steps[1].capture.at("terms"), "quote.standard_terms");
  EXPECT_EQ(definition->steps[2].when.field, "terms");
  EXPECT_TRUE(definition->steps[2].when.negated);
  EXPECT_EQ(definition->steps[2].when.value, "true");
  EXPECT_TRUE(definition->steps[3].timeout.enabled);
  EXPECT_EQ(definition->steps[3].timeout.then, StepTimeout::Then::kComplete);
  ASSERT_EQ(definition->loops.size(), 1u);
  EXPECT_EQ(definition->loops[0].reopen, (std::vector<std::string>{"q", "legal"}));
}

TEST_F(DefinitionTest, FlowFieldErrorsNameTheField) {
  const std::string event = "kind: event, completes_on: rend.costing.v1.QuotePrepared";
  ExpectError(Step("a", "deadline: {minutes: 5}"), "steps[0].deadline: must be exactly one of");
  ExpectError(Step("a", "capture: {terms: quote.standard_terms}"), "steps[0].capture: only event steps");
  ExpectError(Step("a", event + ", capture: {terms: quote.nope}"), "steps[0].capture.terms: \"quote.nope\"");
  ExpectError(Step("a", event + ", capture: {terms: quote}"), "steps[0].capture.terms: \"quote\" is a message");
  ExpectError(Step("a", "when: {field: x}"), "steps[0].when: must be {field: KEY, equals: VALUE}");
  ExpectError(Step("a", "timeout: {business_days: 2}"), "steps[0].timeout.then: missing or unknown");
  ExpectError(Step("a", "timeout: {business_days: 2, then: wait}"), "steps[0].timeout.then: missing or unknown");
  ExpectError(Step("a") + "loops:\n  - {on: rend.approval.v1.QuoteRejected, reopen: [b]}\n",
              "loops[0].reopen[0]: unknown step \"b\"");
  ExpectError(Step("a") + "loops:\n  - {on: rend.nope.v1.Event, reopen: [a]}\n", "loops[0].on: unknown event type");
  ExpectError(Step("a") + "loops:\n  - {on: rend.approval.v1.QuoteRejected, reopen: [a], reason_field: why}\n",
              "loops[0].reason_field: ");
}

TEST_F(DefinitionTest, ShippedDefinitionsLoad) {
  PeopleDirectory people = PeopleDirectory::Load(REND_SOURCE_DIR "/deploy/config/people.yaml").value();
  absl::StatusOr<DefinitionRegistry> registry =
      DefinitionRegistry::LoadDirectory(REND_SOURCE_DIR "/deploy/config/process", people);
  ASSERT_TRUE(registry.ok()) << registry.status();
  const ProcessDefinition* quote = registry->ForRequestType(intake::v1::REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE);
  ASSERT_NE(quote, nullptr);
  std::vector<std::string> ids;
  for (const StepDefinition& step : quote->steps) ids.push_back(step.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"record_need", "engineering_assessment", "procurement_check", "costing",
                                           "formal_quote", "legal_review", "approvals", "send_quote",
                                           "customer_acceptance", "invoicing"}));
  EXPECT_EQ(quote->version, 2u);
  EXPECT_NE(registry->Find("custom_product_quote", 1), nullptr);  // kept for running instances
  ASSERT_NE(quote->LoopOn("rend.approval.v1.QuoteRejected"), nullptr);
  EXPECT_EQ(quote->FindStep("legal_review")->when.field, "standard_terms");
  EXPECT_TRUE(quote->FindStep("customer_acceptance")->timeout.enabled);
  EXPECT_NE(registry->ForRequestType(intake::v1::REQUEST_TYPE_CATALOGUE_QUOTE), nullptr);
  EXPECT_NE(registry->ForRequestType(intake::v1::REQUEST_TYPE_COMPLAINT), nullptr);
  EXPECT_NE(registry->ForRequestType(intake::v1::REQUEST_TYPE_CONTRACT), nullptr);
  EXPECT_NE(registry->ForRequestType(intake::v1::REQUEST_TYPE_NEW_NEED), nullptr);
  for (const ProcessDefinition* definition : registry->All()) {
    SCOPED_TRACE(definition->id);
    EXPECT_FALSE(definition->name_hu.empty());
    for (const StepDefinition& step : definition->steps) EXPECT_NE(step.name_hu, step.name_en) << step.id;
  }
  EXPECT_TRUE(registry->IsCompletingEventType("rend.billing.v1.InvoiceIssued"));
}

TEST_F(DefinitionTest, RegistryErrors) {
  ProcessDefinition first = Parse(Step("a")).value();
  ProcessDefinition other = first;
  other.id = "other_process";
  EXPECT_EQ(DefinitionRegistry::Create({first, other}).status().message(),
            "request type REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE is served by both test_process and other_process");
  EXPECT_EQ(DefinitionRegistry::Create({first, first}).status().message(),
            "definition test_process version 1 is defined twice");

  ProcessDefinition second = first;
  second.version = 2;
  DefinitionRegistry registry = DefinitionRegistry::Create({first, second}).value();
  EXPECT_EQ(registry.ForRequestType(intake::v1::REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE)->version, 2u);
  EXPECT_NE(registry.Find("test_process", 1), nullptr);
}

TEST_F(DefinitionTest, LoadDirectoryNamesTheFile) {
  testing::TempDir dir;
  EXPECT_EQ(DefinitionRegistry::LoadDirectory(dir.path(), people_).status().code(), absl::StatusCode::kNotFound);
  std::ofstream(dir.Sub("broken.yaml")) << kHeader << Step("a", "role: wizard");
  absl::Status status = DefinitionRegistry::LoadDirectory(dir.path(), people_).status();
  EXPECT_EQ(std::string(status.message()).rfind(dir.Sub("broken.yaml") + ": steps[0].role: unknown role", 0), 0u)
      << status;
}

}  // namespace
}  // namespace rend::process
