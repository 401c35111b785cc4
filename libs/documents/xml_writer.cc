#include "libs/documents/xml_writer.h"

#include <mutex>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libxml/parser.h"
#include "libxml/xmlwriter.h"

namespace rend::documents {
namespace {

const xmlChar* ToXml(const std::string& text) { return reinterpret_cast<const xmlChar*>(text.c_str()); }

}  // namespace

XmlWriter::XmlWriter() {
  // libxml2 2.9 requires xmlInitParser before concurrent use.
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });

  buffer_ = xmlBufferCreate();
  writer_ = buffer_ == nullptr ? nullptr : xmlNewTextWriterMemory(buffer_, 0);
  if (writer_ == nullptr) {
    status_ = absl::InternalError("libxml2 failed to create an XML writer");
    return;
  }
  Check(xmlTextWriterSetIndent(writer_, 1), "set indent");
  Check(xmlTextWriterSetIndentString(writer_, reinterpret_cast<const xmlChar*>("  ")), "set indent string");
  Check(xmlTextWriterStartDocument(writer_, nullptr, "UTF-8", nullptr), "start document");
}

XmlWriter::~XmlWriter() {
  if (writer_ != nullptr) xmlFreeTextWriter(writer_);
  if (buffer_ != nullptr) xmlBufferFree(buffer_);
}

void XmlWriter::Check(int result, absl::string_view operation) {
  if (result < 0 && status_.ok()) status_ = absl::InternalError(absl::StrCat("libxml2 failed to ", operation));
}

void XmlWriter::StartElement(absl::string_view name) {
  if (!status_.ok()) return;
  Check(xmlTextWriterStartElement(writer_, ToXml(std::string(name))), absl::StrCat("start element ", name));
}

void XmlWriter::Attribute(absl::string_view name, absl::string_view value) {
  if (!status_.ok()) return;
  Check(xmlTextWriterWriteAttribute(writer_, ToXml(std::string(name)), ToXml(std::string(value))),
        absl::StrCat("write attribute ", name));
}

void XmlWriter::EndElement() {
  if (!status_.ok()) return;
  Check(xmlTextWriterEndElement(writer_), "end element");
}

void XmlWriter::Element(absl::string_view name, absl::string_view text) {
  if (!status_.ok()) return;
  if (text.find('\0') != absl::string_view::npos) {
    status_ = absl::InvalidArgumentError(absl::StrCat("text of element ", name, " contains a NUL character"));
    return;
  }
  Check(xmlTextWriterWriteElement(writer_, ToXml(std::string(name)), ToXml(std::string(text))),
        absl::StrCat("write element ", name));
}

void XmlWriter::Fail(absl::Status status) {
  if (status_.ok()) status_ = std::move(status);
}

absl::StatusOr<std::string> XmlWriter::Finish() {
  if (status_.ok()) Check(xmlTextWriterEndDocument(writer_), "end document");
  if (status_.ok()) Check(xmlTextWriterFlush(writer_), "flush");
  if (!status_.ok()) return status_;
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_)), xmlBufferLength(buffer_));
}

}  // namespace rend::documents
