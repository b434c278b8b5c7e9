#include "runtime/verify/examiner_wire.hpp"

#include <cstdint>
#include <cstring>

namespace vigil::verify {
namespace {

enum Kind : uint8_t { kError = 0, kFacts = 1, kDigest = 2 };
enum FlagBits : uint8_t {
  kIsElf = 1, kElf32 = 2, kHasInterp = 4, kExecStack = 8, kWxSegment = 16, kHasSoname = 32, kHasShebang = 64
};
constexpr uint32_t kMaxString = 4096;

class Writer {
 public:
  explicit Writer(Kind k) { put(uint8_t(k)); }
  template <class T>
  void put(T v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void str(std::string_view s) {
    s = s.substr(0, kMaxString);
    put(uint32_t(s.size()));
    out_.append(s);
  }
  std::string done() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <class T>
  bool get(T& v) {
    if (in_.size() < sizeof v) return false;
    std::memcpy(&v, in_.data(), sizeof v);
    in_.remove_prefix(sizeof v);
    return true;
  }
  bool str(std::string& s) {
    uint32_t n;
    if (!get(n) || n > kMaxString || in_.size() < n) return false;
    s.assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  bool at_end() const { return in_.empty(); }

 private:
  std::string_view in_;
};

std::string encode_error(const Error& e) {
  Writer w(kError);
  w.put(int32_t(e.code()));
  w.str(e.what());
  return w.done();
}

Error bad_reply() { return Error(EPROTO, "examiner: a malformed reply"); }

// The kind byte, and an error reply decoded; nullopt when the reply is of `want`.
std::optional<Error> open_reply(Reader& r, Kind want) {
  uint8_t kind;
  if (!r.get(kind)) return bad_reply();
  if (kind == kError) {
    int32_t err;
    std::string what;
    if (!r.get(err) || !r.str(what) || !r.at_end()) return bad_reply();
    return Error(err, "examiner: " + what);
  }
  if (kind != want) return bad_reply();
  return std::nullopt;
}

}  // namespace

std::string encode_facts_reply(const Result<Facts>& r) {
  if (!r) return encode_error(r.error());
  const Facts& f = r.value();
  Writer w(kFacts);
  w.put(uint8_t((f.elf.is_elf ? kIsElf : 0) | (f.elf.elf32 ? kElf32 : 0) | (f.elf.has_interp ? kHasInterp : 0) |
                (f.elf.exec_stack ? kExecStack : 0) | (f.elf.wx_segment ? kWxSegment : 0) |
                (f.elf.has_soname ? kHasSoname : 0) | (f.shebang ? kHasShebang : 0)));
  w.put(f.elf.type);
  w.put(f.elf.machine);
  w.str(f.elf.interp);
  if (f.shebang) {
    w.str(f.shebang->interpreter);
    w.str(f.shebang->arg);
  }
  return w.done();
}

std::string encode_digest_reply(const Result<std::string>& r) {
  if (!r) return encode_error(r.error());
  Writer w(kDigest);
  w.str(r.value());
  return w.done();
}

Result<Facts> decode_facts_reply(std::string_view bytes) {
  Reader r(bytes);
  if (auto e = open_reply(r, kFacts)) return std::move(*e);
  Facts f;
  uint8_t flags;
  if (!r.get(flags) || !r.get(f.elf.type) || !r.get(f.elf.machine) || !r.str(f.elf.interp)) return bad_reply();
  f.elf.is_elf = flags & kIsElf;
  f.elf.elf32 = flags & kElf32;
  f.elf.has_interp = flags & kHasInterp;
  f.elf.exec_stack = flags & kExecStack;
  f.elf.wx_segment = flags & kWxSegment;
  f.elf.has_soname = flags & kHasSoname;
  if (flags & kHasShebang) {
    Shebang s;
    if (!r.str(s.interpreter) || !r.str(s.arg)) return bad_reply();
    f.shebang = std::move(s);
  }
  // What no examiner would say: a `#!` line read from an ELF file.
  if (!r.at_end() || (f.elf.is_elf && f.shebang)) return bad_reply();
  return f;
}

Result<std::string> decode_digest_reply(std::string_view bytes) {
  Reader r(bytes);
  if (auto e = open_reply(r, kDigest)) return std::move(*e);
  std::string hex;
  if (!r.str(hex) || !r.at_end() || hex.empty()) return bad_reply();
  for (char c : hex)
    if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return bad_reply();
  return hex;
}

}  // namespace vigil::verify
