#include "runtime/base/file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace vigil {

Result<unique_fd> open_fd(const std::string& path, int flags, mode_t mode) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) return Error::from_errno("open " + path);
  return unique_fd(fd);
}

Result<std::string> read_fd(int fd) {
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("read");
    }
    if (n == 0) return out;
    out.append(buf, size_t(n));
  }
}

Result<std::string> read_file(const std::string& path) {
  auto fd = TRY(open_fd(path, O_RDONLY));
  return with_context(read_fd(fd.get()), "read " + path);
}

Status write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(what);
    }
    data.remove_prefix(size_t(n));
  }
  return {};
}

Status read_exact(int fd, void* buf, size_t n, const std::string& what) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(what);
    }
    if (r == 0) return Error::msg(what + ": unexpected EOF");
    p += r;
    n -= size_t(r);
  }
  return {};
}

Result<size_t> pread_full(int fd, void* buf, size_t n, off_t offset) {
  auto* p = static_cast<char*>(buf);
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, p + got, n - got, offset + off_t(got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno("pread");
    }
    if (r == 0) break;
    got += size_t(r);
  }
  return got;
}

Status write_file(const std::string& path, std::string_view data) {
  auto fd = TRY(open_fd(path, O_WRONLY));
  return write_all(fd.get(), data, "write " + path);
}

Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  auto fd = TRY(open_fd(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode));
  if (auto st = write_all(fd.get(), data, "write " + tmp); !st) {
    ::unlink(tmp.c_str());
    return st;
  }
  fd.reset();
  if (::rename(tmp.c_str(), path.c_str()) < 0) {
    auto err = Error::from_errno("rename " + tmp + " to " + path);
    ::unlink(tmp.c_str());
    return err;
  }
  return {};
}

std::vector<std::string> path_components(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace vigil
