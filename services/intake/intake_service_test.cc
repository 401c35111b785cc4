#include "services/intake/intake_service.h"

#include <memory>

#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace rend::intake {
namespace {

class IntakeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = es::EventStore::Open({.path = dir_.Sub("db"), .source = "intake"}, {&projection_}).value();
    service_ = std::make_unique<IntakeServiceImpl>(store_.get());
  }

  static v1::SubmitRequestRequest ScenarioRequest(const std::string& request_id) {
    v1::SubmitRequestRequest request;
    request.mutable_context()->set_request_id(request_id);
    request.mutable_context()->set_actor("sales.kovacs");
    request.set_type(v1::REQUEST_TYPE_CUSTOM_PRODUCT_QUOTE);
    request.mutable_customer()->set_external_id("crm-10442");
    request.mutable_customer()->set_name("Dunamenti Gépgyártó Zrt.");
    request.mutable_need()->set_description("Hegesztett acél konzol rajz szerint");
    request.mutable_need()->set_quantity("500");
    request.mutable_need()->set_unit("pcs");
    auto* drawing = request.mutable_need()->add_drawings();
    drawing->set_number("DGY-BR-220");
    drawing->set_revision("C");
    request.mutable_wanted_delivery_date()->set_year(2027);
    request.mutable_wanted_delivery_date()->set_month(2);
    request.mutable_wanted_delivery_date()->set_day(1);
    return request;
  }

  grpc::Status Submit(const v1::SubmitRequestRequest& request, v1::SubmitRequestResponse* response) {
    return service_->SubmitRequest(nullptr, &request, response);
  }

  testing::TempDir dir_;
  RequestProjection projection_;
  std::unique_ptr<es::EventStore> store_;
  std::unique_ptr<IntakeServiceImpl> service_;
};

TEST_F(IntakeServiceTest, SubmitThenGet) {
  v1::SubmitRequestResponse submitted;
  ASSERT_TRUE(Submit(ScenarioRequest("r-1"), &submitted).ok());

  v1::GetRequestRequest get;
  get.set_request_id(submitted.request_id());
  v1::Request request;
  ASSERT_TRUE(service_->GetRequest(nullptr, &get, &request).ok());
  EXPECT_EQ(request.customer().external_id(), "crm-10442");
  EXPECT_EQ(request.customer().name(), "Dunamenti Gépgyártó Zrt.");
  EXPECT_EQ(request.need().drawings(0).number(), "DGY-BR-220");
  EXPECT_EQ(request.submitted_by(), "sales.kovacs");
  EXPECT_EQ(request.version(), 1u);
  EXPECT_EQ(store_->LastPosition(), 1u);
}

TEST_F(IntakeServiceTest, RetryReturnsFirstResult) {
  v1::SubmitRequestResponse first;
  v1::SubmitRequestResponse second;
  ASSERT_TRUE(Submit(ScenarioRequest("r-1"), &first).ok());
  ASSERT_TRUE(Submit(ScenarioRequest("r-1"), &second).ok());
  EXPECT_EQ(first.request_id(), second.request_id());
  EXPECT_EQ(store_->LastPosition(), 1u);
}

TEST_F(IntakeServiceTest, ReusedRequestIdWithOtherContentIsRejected) {
  v1::SubmitRequestResponse response;
  ASSERT_TRUE(Submit(ScenarioRequest("r-1"), &response).ok());
  v1::SubmitRequestRequest changed = ScenarioRequest("r-1");
  changed.mutable_need()->set_quantity("600");
  EXPECT_EQ(Submit(changed, &response).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(store_->LastPosition(), 1u);
}

TEST_F(IntakeServiceTest, BadInputNamesTheFieldAndWritesNothing) {
  struct Case {
    const char* field;
    void (*mutate)(v1::SubmitRequestRequest&);
  } cases[] = {
      {"context.request_id", [](v1::SubmitRequestRequest& r) { r.mutable_context()->clear_request_id(); }},
      {"context.actor", [](v1::SubmitRequestRequest& r) { r.mutable_context()->clear_actor(); }},
      {"type", [](v1::SubmitRequestRequest& r) { r.clear_type(); }},
      {"customer.external_id", [](v1::SubmitRequestRequest& r) { r.mutable_customer()->clear_external_id(); }},
      {"customer.name", [](v1::SubmitRequestRequest& r) { r.mutable_customer()->set_name(std::string(201, 'x')); }},
      {"need.quantity", [](v1::SubmitRequestRequest& r) { r.mutable_need()->set_quantity("-5"); }},
      {"need.quantity", [](v1::SubmitRequestRequest& r) { r.mutable_need()->set_quantity("5e2"); }},
      {"need.drawings[0].number", [](v1::SubmitRequestRequest& r) { r.mutable_need()->mutable_drawings(0)->clear_number(); }},
      {"wanted_delivery_date", [](v1::SubmitRequestRequest& r) { r.mutable_wanted_delivery_date()->set_day(30); r.mutable_wanted_delivery_date()->set_month(2); }},
      {"wanted_delivery_date", [](v1::SubmitRequestRequest& r) { r.clear_wanted_delivery_date(); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::SubmitRequestRequest request = ScenarioRequest("bad");
    c.mutate(request);
    v1::SubmitRequestResponse response;
    grpc::Status status = Submit(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind(std::string(c.field) + ":", 0), 0u) << status.error_message();
  }
  EXPECT_EQ(store_->LastPosition(), 0u);
}

// Fills the invoicing data of the scenario's customer.
void SetInvoicingData(v1::Customer& customer) {
  customer.set_tax_number("24681357-2-07");
  customer.set_vat_status(v1::CUSTOMER_VAT_STATUS_DOMESTIC);
  v1::Address* address = customer.mutable_address();
  address->set_country_code("HU");
  address->set_postal_code("2400");
  address->set_city("Dunaújváros");
  address->set_street_name("Papírgyári");
  address->set_public_place_category("út");
  address->set_number("12.");
}

TEST_F(IntakeServiceTest, CustomerInvoicingDataIsKept) {
  v1::SubmitRequestRequest submission = ScenarioRequest("r-1");
  SetInvoicingData(*submission.mutable_customer());
  v1::SubmitRequestResponse submitted;
  ASSERT_TRUE(Submit(submission, &submitted).ok());

  v1::GetRequestRequest get;
  get.set_request_id(submitted.request_id());
  v1::Request request;
  ASSERT_TRUE(service_->GetRequest(nullptr, &get, &request).ok());
  EXPECT_EQ(request.customer().tax_number(), "24681357-2-07");
  EXPECT_EQ(request.customer().vat_status(), v1::CUSTOMER_VAT_STATUS_DOMESTIC);
  EXPECT_EQ(request.customer().address().city(), "Dunaújváros");
  EXPECT_EQ(request.customer().address().number(), "12.");
}

TEST_F(IntakeServiceTest, BadCustomerInvoicingDataNamesTheField) {
  using Customer = v1::Customer;
  struct Case {
    const char* field;
    void (*mutate)(Customer&);
  } cases[] = {
      {"customer.tax_number", [](Customer& c) { c.set_tax_number("24681357-207"); }},
      {"customer.tax_number", [](Customer& c) { c.set_tax_number("24681357-6-07"); }},
      {"customer.tax_number", [](Customer& c) { c.set_tax_number("2468135A-2-07"); }},
      {"customer.tax_number", [](Customer& c) { c.clear_tax_number(); }},
      {"customer.tax_number", [](Customer& c) { c.set_vat_status(v1::CUSTOMER_VAT_STATUS_PRIVATE_PERSON); }},
      {"customer.vat_status", [](Customer& c) { c.set_vat_status(static_cast<v1::CustomerVatStatus>(9)); }},
      {"customer.address.country_code", [](Customer& c) { c.mutable_address()->set_country_code("hu"); }},
      {"customer.address.postal_code", [](Customer& c) { c.mutable_address()->clear_postal_code(); }},
      {"customer.address.city", [](Customer& c) { c.mutable_address()->set_city(std::string(256, 'x')); }},
      {"customer.address.street_name", [](Customer& c) { c.mutable_address()->set_street_name("  "); }},
      {"customer.address.public_place_category",
       [](Customer& c) { c.mutable_address()->set_public_place_category(std::string(51, 'x')); }},
      {"customer.address.number", [](Customer& c) { c.mutable_address()->set_number("12.\n"); }},
      {"customer.community_vat_number", [](Customer& c) { c.set_community_vat_number("ATU12345678"); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::SubmitRequestRequest request = ScenarioRequest("bad");
    SetInvoicingData(*request.mutable_customer());
    c.mutate(*request.mutable_customer());
    v1::SubmitRequestResponse response;
    grpc::Status status = Submit(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message().rfind(std::string(c.field) + ":", 0), 0u) << status.error_message();
  }
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(IntakeServiceTest, ForeignCustomerTakesCommunityVatNumber) {
  v1::SubmitRequestRequest request = ScenarioRequest("r-1");
  v1::Customer& customer = *request.mutable_customer();
  customer.set_vat_status(v1::CUSTOMER_VAT_STATUS_OTHER);
  customer.set_community_vat_number("ATU12345678");
  v1::SubmitRequestResponse response;
  EXPECT_TRUE(Submit(request, &response).ok());
}

TEST_F(IntakeServiceTest, UnknownRequestIsNotFound) {
  v1::GetRequestRequest get;
  get.set_request_id("REQ-missing");
  v1::Request request;
  EXPECT_EQ(service_->GetRequest(nullptr, &get, &request).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(IntakeServiceTest, ListPagesInArrivalOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    v1::SubmitRequestResponse response;
    ASSERT_TRUE(Submit(ScenarioRequest("r-" + std::to_string(i)), &response).ok());
    ids.push_back(response.request_id());
  }
  v1::ListRequestsRequest list;
  list.set_page_size(3);
  v1::ListRequestsResponse page1;
  ASSERT_TRUE(service_->ListRequests(nullptr, &list, &page1).ok());
  ASSERT_EQ(page1.requests_size(), 3);
  EXPECT_EQ(page1.requests(0).request_id(), ids[0]);
  list.set_page_token(page1.next_page_token());
  v1::ListRequestsResponse page2;
  ASSERT_TRUE(service_->ListRequests(nullptr, &list, &page2).ok());
  ASSERT_EQ(page2.requests_size(), 2);
  EXPECT_EQ(page2.requests(1).request_id(), ids[4]);
  EXPECT_TRUE(page2.next_page_token().empty());
}

}  // namespace
}  // namespace rend::intake
