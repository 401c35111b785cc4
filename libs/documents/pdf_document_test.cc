#include "libs/documents/pdf_document.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "libs/documents/sample_documents.h"
#include "libs/testing/pdf_text.h"
#include "libs/testing/temp_dir.h"

namespace rend::documents {
namespace {

class PdfDocumentTest : public ::testing::Test {
 protected:
  // Writes `pdf` to a file in the temp dir and returns its extracted text.
  std::string ExtractText(const absl::StatusOr<std::string>& pdf) {
    EXPECT_TRUE(pdf.ok()) << pdf.status();
    if (!pdf.ok()) return "";
    EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  if (pdf->substr(0, 5) != "%PDF-") return "";
    absl::StatusOr<std::string> text =
        rend::testing::ExtractPdfText(*pdf, dir_.path(), "document" + std::to_string(++count_));
    EXPECT_TRUE(text.ok()) << text.status();
    return text.ok() ? *text : "";
  }

  static void ExpectContains(const std::string& text, const std::vector<std::string>& parts) {
    for (const std::string& part : parts) {
      EXPECT_NE(text.find(part), std::string::npos) << "missing \"" << part << "\" in:\n" << text;
    }
  }

  static int CountOf(const std::string& text, const std::string& part) {
    int count = 0;
    for (size_t pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1)) ++count;
    return count;
  }

  rend::testing::TempDir dir_;
  int count_ = 0;
};

TEST_F(PdfDocumentTest, QuoteHungarian) {
  std::string text = ExtractText(RenderQuotePdf(testing::ScenarioQuote()));

  ExpectContains(text, {"Árajánlat", "AJ-2026-0042", "Szállító", "Győri Fémmű Kft.", "9027 Győr, Ipari Park út 5.",
                        "Vevő", "Dunamenti Gépgyártó Zrt.", "Adószám: 24681357-2-07",
                        "Kiállítás dátuma: 2026. 10. 05.", "Ajánlat érvényessége: 2026. 11. 04.",
                        "Szállítási határidő: a megrendeléstől számított 8 héten belül", "Fizetési mód: átutalás",
                        "Fizetési feltétel: a számla keltétől számított 8 nap", "Hivatkozás: DGY-BR-220 rev C",
                        "Megnevezés", "Mennyiség", "Egységár", "Nettó", "Bruttó", "500 db", "7 415,2 Ft", "27%",
                        "VTSZ 73269098", "Összesítés ÁFA-kulcsonként", "Nettó összesen: 3 707 600 Ft",
                        "ÁFA összesen: 1 001 052 Ft", "Bruttó végösszeg: 4 708 652 Ft", "1. oldal"});
}

TEST_F(PdfDocumentTest, QuoteEnglish) {
  std::string text = ExtractText(RenderQuotePdf(testing::ScenarioQuote(), Language::kEnglish));

  ExpectContains(text, {"Quote", "Supplier", "Customer", "Győri Fémmű Kft.", "Dunamenti Gépgyártó Zrt.",
                        "Issue date: 2026-10-05", "Valid until: 2026-11-04", "Delivery terms:",
                        "Payment method: bank transfer", "Payment terms: 8 days from the invoice date", "Description",
                        "Unit price", "Gross", "500 pcs", "7,415.2 HUF", "Net total: 3,707,600 HUF",
                        "VAT total: 1,001,052 HUF", "Gross total: 4,708,652 HUF", "Page 1"});
  EXPECT_EQ(text.find("Árajánlat"), std::string::npos);
}

TEST_F(PdfDocumentTest, InvoiceHungarian) {
  std::string text = ExtractText(RenderInvoicePdf(testing::ScenarioInvoice()));

  ExpectContains(text, {"Számla", "RND-2026-000017", "Számla sorszáma: RND-2026-000017",
                        "Kiállítás dátuma: 2026. 12. 04.", "Teljesítés dátuma: 2026. 12. 04.",
                        "Fizetési határidő: 2026. 12. 12.", "Fizetési mód: átutalás",
                        "Bankszámlaszám: 11773016-11111111-00000000", "Adószám: 13579246-2-08", "3 707 600 Ft",
                        "1 001 052 Ft", "4 708 652 Ft", "Fizetendő: 4 708 652 Ft"});
}

TEST_F(PdfDocumentTest, InvoiceEnglish) {
  std::string text = ExtractText(RenderInvoicePdf(testing::ScenarioInvoice(), Language::kEnglish));

  ExpectContains(text, {"Invoice", "Invoice number: RND-2026-000017", "Issue date: 2026-12-04",
                        "Fulfilment date: 2026-12-04", "Payment due date: 2026-12-12",
                        "Payment method: bank transfer", "Bank account: 11773016-11111111-00000000",
                        "Tax number: 24681357-2-07", "3,707,600 HUF", "1,001,052 HUF",
                        "Amount due: 4,708,652 HUF"});
}

TEST_F(PdfDocumentTest, AccentedLettersExtract) {
  InvoiceDocument invoice = testing::ScenarioInvoice();
  invoice.lines[0].item.description = "Árvíztűrő tükörfúrógép";
  invoice.lines.push_back(invoice.lines[0]);
  invoice.lines[1].line_number = 2;
  invoice.lines[1].item.description = "ÁRVÍZTŰRŐ TÜKÖRFÚRÓGÉP";
  invoice.customer.address.street_name = "Őszirózsa Ütközőgyártó";

  std::string text = ExtractText(RenderInvoicePdf(invoice));

  ExpectContains(text, {"Árvíztűrő tükörfúrógép", "ÁRVÍZTŰRŐ TÜKÖRFÚRÓGÉP", "Őszirózsa Ütközőgyártó", "á", "é",
                        "í", "ó", "ö", "ő", "ú", "ü", "ű", "Á", "É", "Í", "Ó", "Ö", "Ő", "Ú", "Ü", "Ű"});
}

TEST_F(PdfDocumentTest, MultiRateTotalsAndExemption) {
  std::string text = ExtractText(RenderInvoicePdf(testing::MultiRateInvoice()));

  ExpectContains(text, {"741 520 Ft", "200 210 Ft", "18%", "13 230 Ft", "5%", "899 Ft", "0%", "TAM", "3 nap",
                        "1 alkalom", "TAM – tárgyi adómentes, Áfa tv. 85. § (1) i)", "Nettó összesen: 968 000 Ft",
                        "ÁFA összesen: 214 339 Ft", "Fizetendő: 1 182 339 Ft"});
}

TEST_F(PdfDocumentTest, EurInvoiceShowsHufVat) {
  std::string text = ExtractText(RenderInvoicePdf(testing::EurInvoice()));

  ExpectContains(text, {"Pénznem: EUR", "Árfolyam: 1 EUR = 392,55 Ft", "18,89 EUR", "9 445,00 EUR", "ÁFA forintban",
                        "1 023 715 Ft", "Fizetendő: 12 266,61 EUR"});
}

TEST_F(PdfDocumentTest, InvoiceKindTitles) {
  struct Case {
    InvoiceDocument invoice;
    std::vector<std::string> parts;
  };
  const std::vector<Case> cases = {
      {testing::AdvanceInvoice(), {"Előlegszámla", "Fizetendő: 1 270 000 Ft"}},
      {testing::FinalInvoice(),
       {"Végszámla", "Levont előleg: E-2026-0003", "-1 000 000 Ft", "Fizetendő: 3 438 652 Ft"}},
      {testing::ModifyingInvoice(),
       {"Módosító számla", "Eredeti számla: RND-2026-000017", "Módosítás sorszáma: 1", "Eredeti sor: 2 (új sor)",
        "Fizetendő: -235 433 Ft"}},
      {testing::StornoInvoice(), {"Sztornó számla", "-500 db", "Fizetendő: -4 708 652 Ft"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.invoice.invoice_number);
    ExpectContains(ExtractText(RenderInvoicePdf(c.invoice)), c.parts);
  }
}

TEST_F(PdfDocumentTest, LongInvoiceRepeatsHeaderOnEachPage) {
  InvoiceDocument invoice = testing::ScenarioInvoice();
  for (int number = 2; number <= kMaxLines; ++number) {
    invoice.lines.push_back({.line_number = number, .item = invoice.lines[0].item});
  }

  std::string text = ExtractText(RenderInvoicePdf(invoice));

  int pages = CountOf(text, ". oldal");
  EXPECT_GT(pages, 10);
  EXPECT_EQ(CountOf(text, "Megnevezés"), pages);
  ExpectContains(text, {"Fizetendő: 4 708 652 000 Ft"});
}

TEST_F(PdfDocumentTest, InvalidQuoteRejected) {
  QuoteDocument quote = testing::ScenarioQuote();
  quote.lines.clear();

  absl::StatusOr<std::string> pdf = RenderQuotePdf(quote);

  EXPECT_EQ(pdf.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rend::documents
