#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/init/protocol.hpp"
#include "runtime/init/request.hpp"

namespace vigil {
namespace {

TEST(Protocol, MessagesAndFdsRoundTrip) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  unique_fd a(sv[0]), b(sv[1]);
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  unique_fd r(p[0]), w(p[1]);
  int fds[] = {w.get()};
  std::string big(100000, 'x');
  ASSERT_TRUE(send_message(a.get(), MsgType::log, 2, big, fds).ok());
  ASSERT_TRUE(send_message(a.get(), MsgType::ready, 0, "").ok());
  auto m = recv_message(b.get());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, MsgType::log);
  EXPECT_EQ(m->err, 2);
  EXPECT_EQ(m->payload, big);
  ASSERT_EQ(m->fds.size(), 1u);
  ASSERT_EQ(::write(m->fds[0].get(), "!", 1), 1);
  char c;
  ASSERT_EQ(::read(r.get(), &c, 1), 1);
  EXPECT_EQ(c, '!');
  auto ready = recv_message(b.get());
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->type, MsgType::ready);
  a.reset();
  auto eof = recv_message(b.get());
  ASSERT_FALSE(eof.ok());
  EXPECT_EQ(eof.error().code(), 0);
}

TEST(Protocol, RequestRoundTrip) {
  InitRequest r;
  r.id = "c1";
  r.bundle = "/b";
  r.rootfs = "/b/rootfs";
  r.no_pivot = true;
  r.preserve_fds = 2;
  r.cgroups = {{"memory", "/sys/fs/cgroup/memory/x"}};
  r.spec = {{"ociVersion", "1.2.0"}};
  auto back = decode_request(encode_request(r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->id, "c1");
  EXPECT_TRUE(back->no_pivot);
  EXPECT_EQ(back->preserve_fds, 2);
  EXPECT_EQ(back->cgroups[0].host_dir, "/sys/fs/cgroup/memory/x");
  EXPECT_EQ(back->spec, r.spec);
  EXPECT_FALSE(decode_request("{}").ok());
}

}  // namespace
}  // namespace vigil
