#include "libs/testing/pdf_text.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

extern char** environ;

namespace rend::testing {

absl::StatusOr<std::string> ExtractPdfText(const std::string& pdf, const std::string& directory,
                                           const std::string& name) {
  if (pdf.compare(0, 5, "%PDF-") != 0) return absl::InvalidArgumentError("not a PDF: missing %PDF- header");
  std::string input = absl::StrCat(directory, "/", name, ".pdf");
  std::string output = absl::StrCat(directory, "/", name, ".txt");
  std::ofstream(input, std::ios::binary) << pdf;

  std::vector<std::string> args = {"pdftotext", "-enc", "UTF-8", "-layout", input, output};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, "pdftotext", nullptr, nullptr, argv.data(), environ);
  if (spawned != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start pdftotext (Debian package poppler-utils): ", std::strerror(spawned)));
  }

  absl::Time deadline = absl::Now() + absl::Seconds(30);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return absl::DeadlineExceededError(absl::StrCat("pdftotext timed out after 30 s on ", input));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("pdftotext failed on ", input, " with status ", status));
  }
  std::ifstream file(output);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace rend::testing
