// The examiner's replies as bytes, for the supervisor to read back. The examiner has read a
// hostile file, so a reply is hostile input too: decoding checks every length and value.
//   reply  = kind:u8 body
//   error  = errno:i32 what:str          (kind 0)
//   facts  = flags:u8 type:u16 machine:u16 interp:str [interpreter:str arg:str]   (kind 1)
//   digest = hex:str                     (kind 2)
//   str    = length:u32 bytes (at most 4096)
// Numbers in the host's byte order: both ends are the same machine.
#pragma once

#include <string>
#include <string_view>

#include "runtime/base/error.hpp"
#include "runtime/verify/examiner.hpp"

namespace vigil::verify {

std::string encode_facts_reply(const Result<Facts>& r);
std::string encode_digest_reply(const Result<std::string>& r);
Result<Facts> decode_facts_reply(std::string_view bytes);
Result<std::string> decode_digest_reply(std::string_view bytes);

}  // namespace vigil::verify
