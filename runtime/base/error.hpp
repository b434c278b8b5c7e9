// One error type for all of vigil: an errno (0 when none) plus a chain of
// context, outermost first: "create c1: mount /proc: openat2 rootfs/proc: ELOOP".
#pragma once

#include <cerrno>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace vigil {

class Error {
 public:
  Error(int err, std::string what) : errno_(err), what_(std::move(what)) {}
  // An error from the failed call named by `what`, taking the current errno.
  static Error from_errno(std::string what) { return Error(errno, std::move(what)); }
  static Error msg(std::string what) { return Error(0, std::move(what)); }

  int code() const { return errno_; }
  const std::string& what() const { return what_; }
  // Adds an outer layer of context, e.g. err.context("create c1").
  Error&& context(const std::string& ctx) && {
    what_ = ctx + ": " + what_;
    return std::move(*this);
  }
  Error& context(const std::string& ctx) & {
    what_ = ctx + ": " + what_;
    return *this;
  }
  // The full message, ending with the errno's name and text where there is one.
  std::string str() const;

 private:
  int errno_;
  std::string what_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error err) : v_(std::move(err)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }
  T value_or(T fallback) const& { return ok() ? std::get<0>(v_) : std::move(fallback); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error err) : err_(std::move(err)) {}
  bool ok() const { return !err_; }
  explicit operator bool() const { return ok(); }
  void value() const {}
  const Error& error() const& { return *err_; }
  Error&& error() && { return std::move(*err_); }

 private:
  std::optional<Error> err_;
};

using Status = Result<void>;

// The same result, with `ctx` added to its error if it has one.
template <class T>
Result<T> with_context(Result<T> r, const std::string& ctx) {
  if (!r.ok()) return std::move(r).error().context(ctx);
  return r;
}

}  // namespace vigil

// `auto x = TRY(expr);` returns the error from the enclosing function, else yields the value.
#define TRY(expr)                                      \
  ({                                                   \
    auto _try_r = (expr);                              \
    if (!_try_r.ok()) return std::move(_try_r).error(); \
    std::move(_try_r).value();                         \
  })

// Like TRY, but adds context to the error on the way out.
#define TRY_CTX(expr, ctx)                                           \
  ({                                                                 \
    auto _try_r = (expr);                                            \
    if (!_try_r.ok()) return std::move(_try_r).error().context(ctx); \
    std::move(_try_r).value();                                       \
  })
