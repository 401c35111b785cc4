// TempDir: a fresh directory for one test, removed with its contents when
// the object is destroyed. Lives under $TEST_TMPDIR when set, else /tmp.
#ifndef REND_LIBS_TESTING_TEMP_DIR_H_
#define REND_LIBS_TESTING_TEMP_DIR_H_

#include <string>

namespace rend::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Returns path() + "/" + name.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace rend::testing

#endif  // REND_LIBS_TESTING_TEMP_DIR_H_
