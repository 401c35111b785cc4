// PdfCanvas: A4 pages drawn with cairo's PDF surface and text laid out by
// pango in the DejaVu Sans font, so that accented Hungarian letters print
// and extract correctly. Units are PDF points (1/72 inch), y grows down.
//
// Thread safety: one PdfCanvas per thread. Pango keeps a font map per
// thread, so distinct canvases may draw concurrently.
// NOTE: concurrent rendering is not covered by a test.
#ifndef REND_LIBS_DOCUMENTS_PDF_LAYOUT_H_
#define REND_LIBS_DOCUMENTS_PDF_LAYOUT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _PangoContext PangoContext;

namespace rend::documents {

struct TextStyle {
  enum class Align { kLeft, kRight };
  double size = 9;  // points
  bool bold = false;
  Align align = Align::kLeft;
  // Bytes at the start of the text drawn in bold, e.g. a "Label:" prefix.
  size_t bold_prefix = 0;
};

class PdfCanvas {
 public:
  static constexpr double kPageWidth = 595.28;   // A4
  static constexpr double kPageHeight = 841.89;
  static constexpr double kMargin = 40;

  // Starts a document with its first page. Returns INTERNAL when cairo or
  // pango cannot be set up.
  static absl::StatusOr<std::unique_ptr<PdfCanvas>> Create(absl::string_view title);
  ~PdfCanvas();
  PdfCanvas(const PdfCanvas&) = delete;
  PdfCanvas& operator=(const PdfCanvas&) = delete;

  // Draws `text` wrapped to `width` with its top at (x, y); returns the
  // height it takes. Text is never interpreted as markup.
  double DrawText(double x, double y, double width, absl::string_view text, const TextStyle& style);
  // Returns the height DrawText would take without drawing.
  double MeasureText(double width, absl::string_view text, const TextStyle& style);
  void DrawRule(double x1, double x2, double y, double line_width = 0.5);
  void NewPage();

  // Completes the document and returns the PDF bytes, or INTERNAL when cairo
  // reports an error. Call once; the canvas is unusable afterwards.
  absl::StatusOr<std::string> Finish();

 private:
  PdfCanvas() = default;
  double Layout(double x, double y, double width, absl::string_view text, const TextStyle& style, bool draw);

  std::string bytes_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cairo_ = nullptr;
  PangoContext* pango_ = nullptr;
};

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_PDF_LAYOUT_H_
