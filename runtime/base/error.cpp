#include "runtime/base/error.hpp"

#include <cstring>

namespace vigil {

std::string Error::str() const {
  if (errno_ == 0) return what_;
  const char* name = strerrorname_np(errno_);
  std::string out = what_ + ": ";
  if (name) out += std::string(name) + " (" + strerror(errno_) + ")";
  else out += strerror(errno_);
  return out;
}

}  // namespace vigil
