#include "tools/rendctl/report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "libs/common/ids.h"

namespace rend::tools {
namespace {

absl::TimeZone Budapest() {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/Budapest", &zone)) zone = absl::UTCTimeZone();
  return zone;
}

std::string FormatTime(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", FromProtoTime(time), Budapest());
}

// Pads to `width` display columns; counts UTF-8 characters, not bytes, so
// Hungarian accented letters line up.
std::string Pad(const std::string& text, size_t width) {
  size_t columns = 0;
  for (unsigned char c : text) columns += (c & 0xC0) != 0x80;
  return columns >= width ? text + " " : text + std::string(width - columns, ' ');
}

}  // namespace

std::string FormatTimeline(const rend::process::v1::TimelineResponse& timeline, Language language) {
  bool hu = language == Language::kHungarian;
  std::string out = absl::StrCat(Pad(hu ? "Lépés" : "Step", 34), Pad(hu ? "Felelős" : "Holder", 20),
                                 Pad(hu ? "Kezdete" : "Started", 21), Pad(hu ? "Vége" : "Finished", 21),
                                 hu ? "Határidő" : "Due", "\n");
  for (const auto& entry : timeline.entries()) {
    std::string name = hu ? entry.name_hu() : entry.name_en();
    std::string late;
    if (entry.late()) late = hu ? "  KÉSÉS" : "  LATE";
    absl::StrAppend(&out, Pad(name, 34), Pad(entry.holder().empty() ? "-" : entry.holder(), 20),
                    Pad(FormatTime(entry.started_at()), 21), Pad(FormatTime(entry.finished_at()), 21),
                    FormatTime(entry.due_at()), late, "\n");
  }
  return out;
}

std::string FormatFigures(const ScenarioResult& result, Language language) {
  bool hu = language == Language::kHungarian;
  const auto& totals = result.cost_sheet.totals();
  const std::string& currency = result.quote.currency();
  auto line = [&](const char* hu_label, const char* en_label, const std::string& amount) {
    std::string money = FormatMoney(amount, currency, language);
    // Right-aligned in 16 columns, so the amounts line up.
    std::string padding = money.size() < 16 ? std::string(16 - money.size(), ' ') : "";
    return absl::StrCat(Pad(hu ? hu_label : en_label, 28), padding, money, "\n");
  };
  std::string out;
  absl::StrAppend(&out, hu ? "Költségkalkuláció\n" : "Costing\n");
  absl::StrAppend(&out, line("  Anyag", "  Material", totals.material()), line("  Munkadíj", "  Labour", totals.labour()),
                  line("  Rezsiköltség (18%)", "  Overhead (18%)", totals.overhead()),
                  line("  Szállítás", "  Shipping", totals.shipping()),
                  line("  Önköltség", "  Total cost", totals.total_cost()));
  absl::StrAppend(&out, hu ? "Árajánlat " : "Quote ", result.quote.quote_id(), " v", result.quote.quote_version(),
                  "\n");
  absl::StrAppend(&out, hu ? "Számla " : "Invoice ", result.invoice.invoice_number(), ": ",
                  FormatMoney(result.invoice.gross(), result.invoice.currency(), language),
                  hu ? " bruttó\n" : " gross\n");
  absl::StrAppend(&out, line("Nettó ár", "Net price", result.quote.net()),
                  line("ÁFA (27%)", "VAT (27%)", result.quote.vat()), line("Bruttó ár", "Gross price", result.quote.gross()),
                  Pad(hu ? "Számlaszám" : "Invoice number", 28), result.invoice.invoice_number(), "\n");
  return out;
}

}  // namespace rend::tools
