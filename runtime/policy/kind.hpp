// What values a policy key takes and how they may change. A kind validates a value, reads
// an annotation's text (scalars only) and tightens a value by a profile's or an annotation's,
// all three side by side, so a new key is one line of keys() (policy.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/base/error.hpp"
#include "runtime/policy/policy.hpp"

namespace vigil::policy {

class Kind {
 public:
  virtual ~Kind() = default;
  // Appends the problems of `v`, found at `path` ("exec.rules"), each "PATH: what".
  virtual void check(const nlohmann::json& v, const std::string& path, std::vector<std::string>& problems) const = 0;
  // The values an annotation may give, as features lists them ("true|false"); empty when
  // no annotation may set a key of this kind.
  virtual std::string_view values() const { return {}; }
  // An annotation's text as a value, or why it is not one (EINVAL).
  virtual Result<nlohmann::json> parse(std::string_view) const {
    return Error(EINVAL, "cannot be set by an annotation, only by a policy file or profile");
  }
  // The value of `k` once a profile or an annotation asks for `want` where the policy so
  // far, `before`, has `have`; EPERM when that would loosen it.
  virtual Result<nlohmann::json> tighten(const Key& k, const nlohmann::json& have, const nlohmann::json& want,
                                         const Policy& before) const = 0;
  // A valid value as it is kept and compared.
  virtual nlohmann::json canonical(const nlohmann::json& v) const { return v; }
};

const Kind& boolean(bool stricter);  // true or false; `stricter` is the value that tightens
const Kind& learn();                 // true or false; true only where `allow_learn` already is
const Kind& action();                // allow|warn|deny|kill, tightening towards kill
const Kind& memory_action();         // warn|deny|kill, tightening towards kill
const Kind& size(bool cgroup);       // bytes, "256M"; 0 no limit; `cgroup` also takes "cgroup"
const Kind& exec_rules();            // [{"path": GLOB, "action": ACTION}], a profile's appended
const Kind& path_rules();            // [{"path": GLOB, "access": [ACCESS], "action": ACTION}], likewise
const Kind& checksums();             // {"/path": "sha256:HEX"}, a profile's added
const Kind& trusted_uids();          // [uid], narrowed only while its object's `enabled` is on

// "K=WANT would loosen the host's policy (K is HAVE)".
Error loosens(const Key& k, const nlohmann::json& have, const nlohmann::json& want);

}  // namespace vigil::policy
