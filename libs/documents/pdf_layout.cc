#include "libs/documents/pdf_layout.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "cairo-pdf.h"
#include "cairo.h"
#include "pango/pangocairo.h"

namespace rend::documents {
namespace {

constexpr const char* kFontFamily = "DejaVu Sans";

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PdfCanvas>> PdfCanvas::Create(absl::string_view title) {
  std::unique_ptr<PdfCanvas> canvas(new PdfCanvas());
  canvas->surface_ = cairo_pdf_surface_create_for_stream(AppendToString, &canvas->bytes_, kPageWidth, kPageHeight);
  if (cairo_surface_status(canvas->surface_) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("cairo failed to create a PDF surface: ", cairo_status_to_string(cairo_surface_status(canvas->surface_))));
  }
  cairo_pdf_surface_set_metadata(canvas->surface_, CAIRO_PDF_METADATA_TITLE, std::string(title).c_str());
  cairo_pdf_surface_set_metadata(canvas->surface_, CAIRO_PDF_METADATA_CREATOR, "Rend");
  canvas->cairo_ = cairo_create(canvas->surface_);

  // Text sizes are in points and the PDF's user unit is the point, so pango
  // lays out at 72 dpi. Unhinted metrics keep glyph positions exact.
  canvas->pango_ = pango_cairo_create_context(canvas->cairo_);
  if (canvas->pango_ == nullptr) return absl::InternalError("pango failed to create a cairo context");
  pango_cairo_context_set_resolution(canvas->pango_, 72);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(canvas->pango_, options);
  cairo_font_options_destroy(options);
  return canvas;
}

PdfCanvas::~PdfCanvas() {
  if (pango_ != nullptr) g_object_unref(pango_);
  if (cairo_ != nullptr) cairo_destroy(cairo_);
  if (surface_ != nullptr) cairo_surface_destroy(surface_);
}

double PdfCanvas::Layout(double x, double y, double width, absl::string_view text, const TextStyle& style,
                         bool draw) {
  PangoLayout* layout = pango_layout_new(pango_);
  PangoFontDescription* font = pango_font_description_from_string(kFontFamily);
  pango_font_description_set_size(font, static_cast<int>(style.size * PANGO_SCALE));
  pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);

  pango_layout_set_width(layout, static_cast<int>(width * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout, style.align == TextStyle::Align::kRight ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  if (style.bold_prefix > 0) {
    PangoAttrList* attributes = pango_attr_list_new();
    PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
    bold->start_index = 0;
    bold->end_index = static_cast<guint>(std::min(style.bold_prefix, text.size()));
    pango_attr_list_insert(attributes, bold);
    pango_layout_set_attributes(layout, attributes);
    pango_attr_list_unref(attributes);
  }

  if (draw) {
    cairo_move_to(cairo_, x, y);
    pango_cairo_show_layout(cairo_, layout);
  }
  int height = 0;
  pango_layout_get_size(layout, nullptr, &height);
  g_object_unref(layout);
  return static_cast<double>(height) / PANGO_SCALE;
}

double PdfCanvas::DrawText(double x, double y, double width, absl::string_view text, const TextStyle& style) {
  return Layout(x, y, width, text, style, /*draw=*/true);
}

double PdfCanvas::MeasureText(double width, absl::string_view text, const TextStyle& style) {
  return Layout(0, 0, width, text, style, /*draw=*/false);
}

void PdfCanvas::DrawRule(double x1, double x2, double y, double line_width) {
  cairo_set_line_width(cairo_, line_width);
  cairo_move_to(cairo_, x1, y);
  cairo_line_to(cairo_, x2, y);
  cairo_stroke(cairo_);
}

void PdfCanvas::NewPage() { cairo_show_page(cairo_); }

absl::StatusOr<std::string> PdfCanvas::Finish() {
  cairo_surface_finish(surface_);
  cairo_status_t status = cairo_surface_status(surface_);
  if (status != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat("cairo failed to write the PDF: ", cairo_status_to_string(status)));
  }
  return std::move(bytes_);
}

}  // namespace rend::documents
