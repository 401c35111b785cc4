// Text extraction from PDF documents for tests, through poppler's
// pdftotext (Debian package poppler-utils).
#ifndef REND_LIBS_TESTING_PDF_TEXT_H_
#define REND_LIBS_TESTING_PDF_TEXT_H_

#include <string>

#include "absl/status/statusor.h"

namespace rend::testing {

// Writes `pdf` to `directory`/`name`.pdf, runs `pdftotext -enc UTF-8
// -layout` on it and returns the text. Kills pdftotext after 30 s. Errors:
// INVALID_ARGUMENT when `pdf` does not start with "%PDF-", FAILED_PRECONDITION
// when pdftotext cannot start, DEADLINE_EXCEEDED, INTERNAL when it fails.
absl::StatusOr<std::string> ExtractPdfText(const std::string& pdf, const std::string& directory,
                                           const std::string& name);

}  // namespace rend::testing

#endif  // REND_LIBS_TESTING_PDF_TEXT_H_
