#include "runtime/verify/check.hpp"

#include <elf.h>

namespace vigil::verify {
namespace {

using policy::Action;

std::string octal_mode(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", unsigned(m & 07777));
  return buf;
}

// The first ELF property the policy refuses, as {rule, detail}.
std::optional<std::pair<std::string, std::string>> elf_refusal(const policy::ExecPolicy& p, const ElfInfo& e, Role role) {
  if (role == Role::program) {
    if (p.require_pie && !e.pie()) return {{"exec.require_pie", "not a position-independent executable"}};
    if (p.deny_elf32 && e.elf32) return {{"exec.deny_elf32", "a 32-bit ELF program"}};
    if (p.deny_static && !e.has_interp) return {{"exec.deny_static", "a statically linked program"}};
    if (p.deny_dynamic && e.has_interp) return {{"exec.deny_dynamic", "a dynamically linked program"}};
    // The loader has no PT_INTERP, libc.so.6 has one; both name themselves.
    if (p.deny_ldso && e.type == ET_DYN && e.has_soname)
      return {{"exec.deny_ldso", "a shared object (DT_SONAME) run as a program"}};
  }
  if (p.deny_execstack && e.exec_stack) return {{"exec.deny_execstack", "asks for an executable stack"}};
  if (p.deny_wx && e.wx_segment) return {{"exec.deny_wx", "has a writable and executable segment"}};
  return std::nullopt;
}

}  // namespace

Result<int> OpenFile::readable() const {
  if (!reopen) return fd.get();
  if (!read_fd_) read_fd_ = TRY(reopen(fd.get()));
  return read_fd_.get();
}

Verdict Checker::check(const OpenFile& f, Role role, const UidMap& container_uid, Facts* out) {
  Verdict warned;
  std::optional<Verdict> refusal;
  warnings_.clear();
  // One check's word; true when it refuses, which ends the checks. Learning, nothing
  // refuses: every check runs, each would-be refusal a warning.
  auto word = [&](Action a, std::string rule, std::string detail) {
    if (a == Action::allow) return false;
    if (p_.learn) policy::as_learned(a, detail);
    Verdict v{a, std::move(rule), std::move(detail), f.path};
    if (v.refuses()) return refusal = std::move(v), true;
    if (warned.action == Action::allow) warned = v;
    warnings_.push_back(std::move(v));
    return false;
  };
  auto outcome = [&] { return refusal ? *refusal : warned.action == Action::warn ? warned : Verdict{Action::allow, "", "", f.path}; };

  auto m = f.fileless ? policy::ExecPolicy::Match{Action::allow, ""} : p_.match(f.path);
  if (word(m.action, m.rule, "path rule")) return outcome();

  const FactsCache::Readable readable = [&] { return f.readable(); };
  auto facts = cache_.facts(readable, f.st);
  if (!facts) return word(Action::deny, "exec.elf", "unreadable: " + facts.error().str()), outcome();
  if (out) *out = *facts;
  if (facts->elf.is_elf) {
    if (auto r = elf_refusal(p_, facts->elf, role); r && word(Action::deny, r->first, r->second)) return outcome();
  } else if (role == Role::library || !facts->shebang) {
    if (word(Action::deny, "exec.elf",
             role == Role::library ? "not an ELF file, mapped executable" : "neither an ELF program nor a #! script"))
      return outcome();
  }

  auto c = f.fileless ? p_.checksums.end() : p_.checksums.find(f.path);
  if (c != p_.checksums.end()) {
    auto algo = parse_digest_algo(c->second.algo);
    auto found = algo ? cache_.digest(readable, f.st, *algo) : Result<std::string>(Error(EINVAL, "unknown digest"));
    if (!algo) {
      if (word(Action::deny, "exec.checksums", "unknown digest " + c->second.algo)) return outcome();
    } else if (!found) {
      if (word(Action::deny, "exec.checksums", "unreadable: " + found.error().str())) return outcome();
    } else if (*found != c->second.hex &&
               word(Action::deny, "exec.checksums",
                    "expected " + c->second.algo + ":" + c->second.hex + " found " + c->second.algo + ":" + *found)) {
      return outcome();
    }
  } else if (word(p_.unlisted, "exec.unlisted", "no checksum listed")) {
    return outcome();
  }

  if (p_.tpe && !f.fileless) {
    if (!f.dir) return word(Action::deny, "exec.tpe", "its directory cannot be examined"), outcome();
    auto uid = container_uid(f.dir->st_uid);
    bool trusted = false;
    for (uint32_t t : p_.trusted_uids) trusted |= uid && *uid == t;
    std::string owner = uid ? std::to_string(*uid) : "an unmapped uid";
    if (!trusted && word(Action::deny, "exec.tpe", "directory owned by " + owner + ", not a trusted uid")) return outcome();
    if (f.dir->st_mode & (S_IWGRP | S_IWOTH))
      word(Action::deny, "exec.tpe", "directory writable by group or others (" + octal_mode(f.dir->st_mode) + ")");
  }
  return outcome();
}

Verdict Checker::check_fileless(const std::string& what) const {
  if (p_.allow_memfd) return {Action::allow, "", "", what};
  Verdict v{Action::deny, "exec.allow_memfd", "a program with no path (memfd or deleted file)", what};
  if (p_.learn) policy::as_learned(v.action, v.detail);
  return v;
}

}  // namespace vigil::verify
