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

Verdict Checker::check(const OpenFile& f, Role role, const UidMap& container_uid, Facts* out) {
  Verdict warned;
  auto verdict = [&](Action a, std::string rule, std::string detail) {
    Verdict v{a, std::move(rule), std::move(detail), f.path};
    if (a == Action::warn && warned.action == Action::allow) warned = v;
    return v;
  };

  auto m = f.fileless ? policy::ExecPolicy::Match{Action::allow, ""} : p_.match(f.path);
  if (m.action != Action::allow) {
    auto v = verdict(m.action, m.rule, "path rule");
    if (v.refuses()) return v;
  }

  auto facts = cache_.facts(f.fd.get(), f.st);
  if (!facts) return verdict(Action::deny, "exec.elf", "unreadable: " + facts.error().str());
  if (out) *out = *facts;
  if (facts->elf.is_elf) {
    if (auto r = elf_refusal(p_, facts->elf, role)) return verdict(Action::deny, r->first, r->second);
  } else if (role == Role::library || !facts->shebang) {
    return verdict(Action::deny, "exec.elf", role == Role::library ? "not an ELF file, mapped executable"
                                                                   : "neither an ELF program nor a #! script");
  }

  auto c = f.fileless ? p_.checksums.end() : p_.checksums.find(f.path);
  if (c != p_.checksums.end()) {
    auto algo = parse_digest_algo(c->second.algo);
    if (!algo) return verdict(Action::deny, "exec.checksums", "unknown digest " + c->second.algo);
    auto found = cache_.digest(f.fd.get(), f.st, *algo);
    if (!found) return verdict(Action::deny, "exec.checksums", "unreadable: " + found.error().str());
    if (*found != c->second.hex)
      return verdict(Action::deny, "exec.checksums",
                     "expected " + c->second.algo + ":" + c->second.hex + " found " + c->second.algo + ":" + *found);
  } else if (p_.unlisted != Action::allow) {
    auto v = verdict(p_.unlisted, "exec.unlisted", "no checksum listed");
    if (v.refuses()) return v;
  }

  if (p_.tpe && !f.fileless) {
    if (!f.dir) return verdict(Action::deny, "exec.tpe", "its directory cannot be examined");
    auto uid = container_uid(f.dir->st_uid);
    bool trusted = false;
    for (uint32_t t : p_.trusted_uids) trusted |= uid && *uid == t;
    std::string owner = uid ? std::to_string(*uid) : "an unmapped uid";
    if (!trusted) return verdict(Action::deny, "exec.tpe", "directory owned by " + owner + ", not a trusted uid");
    if (f.dir->st_mode & (S_IWGRP | S_IWOTH))
      return verdict(Action::deny, "exec.tpe", "directory writable by group or others (" + octal_mode(f.dir->st_mode) + ")");
  }
  return warned.action == Action::warn ? warned : Verdict{Action::allow, "", "", f.path};
}

Verdict Checker::check_fileless(const std::string& what) const {
  if (p_.allow_memfd) return {Action::allow, "", "", what};
  return {Action::deny, "exec.allow_memfd", "a program with no path (memfd or deleted file)", what};
}

}  // namespace vigil::verify
