#include "runtime/policy/glob.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "runtime/base/error.hpp"

namespace vigil::policy {
namespace {

using Token = Glob::Token;

// The class starting at `pattern[at]` == '[', up to its `]`; `at` moves past it.
Result<Token> parse_set(std::string_view pattern, size_t& at) {
  size_t start = at++;
  Token t{Token::set};
  if (at < pattern.size() && (pattern[at] == '!' || pattern[at] == '^')) t.negated = true, at++;
  auto unterminated = [&] { return Error(EINVAL, std::string(pattern.substr(start)) + ": unterminated class"); };
  // One member character, escaped or not; nullopt at the end of the pattern.
  auto member = [&]() -> std::optional<unsigned char> {
    if (at < pattern.size() && pattern[at] == '\\') at++;
    if (at >= pattern.size()) return std::nullopt;
    return static_cast<unsigned char>(pattern[at++]);
  };
  bool first = true;  // a `]` first is a member, not the end
  while (at >= pattern.size() || pattern[at] != ']' || first) {
    first = false;
    auto lo = member();
    if (!lo) return unterminated();
    auto hi = lo;
    if (at + 1 < pattern.size() && pattern[at] == '-' && pattern[at + 1] != ']') {
      at++;
      hi = member();
      if (!hi) return unterminated();
      if (*hi < *lo) return Error(EINVAL, std::string{char(*lo), '-', char(*hi)} + ": reversed range in a class");
    }
    t.ranges.emplace_back(*lo, *hi);
  }
  at++;
  return t;
}

Result<std::vector<Token>> compile(std::string_view pattern) {
  std::vector<Token> out;
  for (size_t at = 0; at < pattern.size();) {
    char c = pattern[at];
    if (c == '[') {
      out.push_back(TRY(parse_set(pattern, at)));
      continue;
    }
    at++;
    if (c == '?') {
      out.push_back({Token::one});
    } else if (c == '*' && at < pattern.size() && pattern[at] == '*') {
      while (at < pattern.size() && pattern[at] == '*') at++;
      bool segment = !out.empty() && out.back().kind == Token::literal && out.back().c == '/';
      if (segment && at < pattern.size() && pattern[at] == '/') {
        at++;
        out.push_back({Token::skippable});
        out.push_back({Token::globstar});
        out.push_back({Token::literal, '/'});
      } else {
        out.push_back({Token::globstar});
      }
    } else if (c == '*') {
      out.push_back({Token::star});
    } else if (c == '\\') {
      if (at == pattern.size()) return Error(EINVAL, "a trailing \\ escapes nothing");
      out.push_back({Token::literal, pattern[at++]});
    } else {
      out.push_back({Token::literal, c});
    }
  }
  return out;
}

bool in_set(const Token& t, char c) {
  auto u = static_cast<unsigned char>(c);
  bool in = false;
  for (auto [lo, hi] : t.ranges) in |= lo <= u && u <= hi;
  return in != t.negated;
}

// Adds the states reachable without consuming a character. Every such step goes forward,
// so one pass in order suffices.
void close(const std::vector<Token>& t, std::vector<char>& on) {
  for (size_t i = 0; i < t.size(); i++) {
    if (!on[i]) continue;
    if (t[i].kind == Token::star || t[i].kind == Token::globstar) on[i + 1] = 1;
    if (t[i].kind == Token::skippable) on[i + 1] = on[i + 3] = 1;
  }
}

}  // namespace

Glob::Glob(std::string_view pattern) {
  if (auto compiled = compile(pattern)) tokens_ = std::move(*compiled);
}

// A simulation of the pattern's automaton, one set of states per character: time
// pattern × path at worst, whatever the pattern, as the path comes from the container.
bool Glob::matches(std::string_view path) const {
  if (!tokens_) return false;
  const auto& t = *tokens_;
  std::vector<char> on(t.size() + 1), next(t.size() + 1);
  on[0] = 1;
  close(t, on);
  for (char c : path) {
    std::fill(next.begin(), next.end(), 0);
    for (size_t i = 0; i < t.size(); i++) {
      if (!on[i]) continue;
      switch (t[i].kind) {
        case Token::literal: next[i + 1] |= c == t[i].c; break;
        case Token::one: next[i + 1] |= c != '/'; break;
        case Token::set: next[i + 1] |= c != '/' && in_set(t[i], c); break;
        case Token::star: next[i] |= c != '/'; break;
        case Token::globstar: next[i] = 1; break;
        case Token::skippable: break;
      }
    }
    close(t, next);
    on.swap(next);
  }
  return on[t.size()];
}

bool glob_match(std::string_view pattern, std::string_view path) { return Glob(pattern).matches(path); }

std::optional<std::string> glob_error(std::string_view pattern) {
  auto compiled = compile(pattern);
  if (!compiled) return compiled.error().what();
  if (pattern.empty() || pattern[0] != '/') return "must be an absolute path";
  return std::nullopt;
}

}  // namespace vigil::policy
