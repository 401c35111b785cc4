// XmlWriter: a small wrapper over libxml2's xmlTextWriter that writes an
// indented UTF-8 document into memory and latches the first error, so that
// callers check once at the end instead of after every element.
//
// Thread safety: one XmlWriter per thread; distinct writers may run
// concurrently after libxml2 is initialized, which the constructor does once.
#ifndef REND_LIBS_DOCUMENTS_XML_WRITER_H_
#define REND_LIBS_DOCUMENTS_XML_WRITER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct _xmlBuffer;
struct _xmlTextWriter;

namespace rend::documents {

class XmlWriter {
 public:
  XmlWriter();
  ~XmlWriter();
  XmlWriter(const XmlWriter&) = delete;
  XmlWriter& operator=(const XmlWriter&) = delete;

  void StartElement(absl::string_view name);
  void Attribute(absl::string_view name, absl::string_view value);
  void EndElement();
  // Writes <name>text</name>, escaping `text`.
  void Element(absl::string_view name, absl::string_view text);

  // Records an error of the caller; the first error latched wins.
  void Fail(absl::Status status);

  // Closes open elements and returns the document, or the first error:
  // INTERNAL for a libxml2 failure or the status passed to Fail().
  absl::StatusOr<std::string> Finish();

 private:
  void Check(int result, absl::string_view operation);

  _xmlBuffer* buffer_ = nullptr;
  _xmlTextWriter* writer_ = nullptr;
  absl::Status status_;
};

}  // namespace rend::documents

#endif  // REND_LIBS_DOCUMENTS_XML_WRITER_H_
