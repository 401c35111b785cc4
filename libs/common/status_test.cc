#include "libs/common/status.h"

#include "gtest/gtest.h"

namespace rend {
namespace {

TEST(StatusTest, PlainErrorKeepsCodeAndMessage) {
  grpc::Status status = ToGrpcStatus(absl::NotFoundError("quote q-1 not found"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "quote q-1 not found");
  EXPECT_TRUE(status.error_details().empty());
  EXPECT_EQ(LocalizedErrorText(status, "hu"), "quote q-1 not found");
}

TEST(StatusTest, LocalizedTextsTravelInDetails) {
  absl::Status error = Localized(absl::FailedPreconditionError("lacks approvals: technical"),
                                 "Hiányzó jóváhagyás: műszaki", "Missing approval: technical");
  grpc::Status status = ToGrpcStatus(error);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "lacks approvals: technical");
  EXPECT_EQ(LocalizedErrorText(status, "hu"), "Hiányzó jóváhagyás: műszaki");
  EXPECT_EQ(LocalizedErrorText(status, "en"), "Missing approval: technical");
}

TEST(StatusTest, FieldErrorNamesTheFieldInBothLanguages) {
  grpc::Status status = ToGrpcStatus(FieldError("need.quantity", "must be greater than 0"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "need.quantity: must be greater than 0");
  EXPECT_EQ(LocalizedErrorText(status, "hu"), "Hibás vagy hiányzó adat: need.quantity");
  EXPECT_EQ(LocalizedErrorText(status, "en"), "Invalid or missing value: need.quantity");
}

TEST(StatusTest, UnreadableDetailsFallBackToMessage) {
  grpc::Status status(grpc::StatusCode::INTERNAL, "boom", "not a protobuf \xff\xff");
  EXPECT_EQ(LocalizedErrorText(status, "hu"), "boom");
}

}  // namespace
}  // namespace rend
