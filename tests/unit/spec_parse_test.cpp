#include <sched.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "oci/default_spec.hpp"
#include "oci/parse.hpp"

using nlohmann::json;
using namespace vigil::oci;

namespace {

json minimal() { return json::parse(R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"}})"); }

json with_process() {
  json doc = minimal();
  doc["process"] = json::parse(R"({"args": ["sh"], "cwd": "/"})");
  return doc;
}

// `doc` with linux.namespaces set to new namespaces of the given types.
json with_namespaces(json doc, const std::vector<std::string>& types) {
  doc["linux"]["namespaces"] = json::array();
  for (const auto& t : types) doc["linux"]["namespaces"].push_back({{"type", t}});
  return doc;
}

std::string text_error(const std::string& text) {
  auto r = parse_spec(text);
  return r.ok() ? "(parsed)" : r.error().str();
}
std::string error_of(const json& doc) { return text_error(doc.dump()); }

Spec parsed(const json& doc, std::vector<std::string>* warnings = nullptr) {
  auto r = parse_spec(doc.dump(), "config.json", warnings);
  EXPECT_TRUE(r.ok()) << r.error().str();
  return r.ok() ? std::move(r).value() : Spec{};
}

const char* kFullConfig = R"({
  "ociVersion": "1.2.0",
  "process": {
    "terminal": true,
    "consoleSize": {"height": 25, "width": 80},
    "user": {"uid": 1000, "gid": 1001, "umask": 18, "additionalGids": [5, 6]},
    "args": ["/bin/sh", "-c", "echo hi"],
    "env": ["PATH=/bin", "EMPTY="],
    "cwd": "/home",
    "capabilities": {
      "bounding": ["CAP_KILL", "CAP_CHOWN"],
      "effective": ["CAP_KILL"],
      "inheritable": ["CAP_NET_RAW"],
      "permitted": ["CAP_KILL", "CAP_SYS_ADMIN"],
      "ambient": ["CAP_NET_BIND_SERVICE"]
    },
    "rlimits": [
      {"type": "RLIMIT_NOFILE", "soft": 1024, "hard": 4096},
      {"type": "RLIMIT_CORE", "soft": 0, "hard": 18446744073709551615}
    ],
    "noNewPrivileges": true,
    "apparmorProfile": "vigil-default",
    "oomScoreAdj": -500,
    "selinuxLabel": "system_u:system_r:container_t:s0"
  },
  "root": {"path": "/var/lib/rootfs", "readonly": true},
  "hostname": "box",
  "domainname": "example.org",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/data", "type": "none", "source": "/srv/data", "options": ["rbind", "ro"]}
  ],
  "hooks": {
    "prestart": [{"path": "/bin/pre", "args": ["pre", "1"], "env": ["A=1"], "timeout": 5}],
    "createRuntime": [{"path": "/bin/cr"}],
    "createContainer": [{"path": "/bin/cc"}],
    "startContainer": [{"path": "/bin/sc"}],
    "poststart": [{"path": "/bin/ps"}],
    "poststop": [{"path": "/bin/post", "timeout": 1}]
  },
  "annotations": {"org.example.key": "value", "other": ""},
  "linux": {
    "namespaces": [
      {"type": "pid"}, {"type": "network", "path": "/var/run/netns/n1"}, {"type": "mount"},
      {"type": "ipc"}, {"type": "uts"}, {"type": "user"}, {"type": "cgroup"}, {"type": "time"}
    ],
    "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
    "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 1000}, {"containerID": 1000, "hostID": 5, "size": 1}],
    "timeOffsets": {"monotonic": {"secs": -86400, "nanosecs": 500}, "boottime": {"secs": 3600}},
    "devices": [
      {"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0},
      {"path": "/dev/loop0", "type": "b", "major": 7, "minor": 0},
      {"path": "/dev/fifo", "type": "p"}
    ],
    "cgroupsPath": "/vigil/box",
    "resources": {"memory": {"limit": 1048576}, "pids": {"limit": 64}},
    "rootfsPropagation": "rslave",
    "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []},
    "sysctl": {"net.ipv4.ip_forward": "1", "kernel/shmmax": "4096", "kernel.hostname": "box"},
    "maskedPaths": ["/proc/kcore"],
    "readonlyPaths": ["/proc/sys"],
    "mountLabel": "system_u:object_r:container_file_t:s0",
    "personality": {"domain": "LINUX32", "flags": ["ADDR_NO_RANDOMIZE"]}
  }
})";

}  // namespace

TEST(ParseSpec, MinimalConfig) {
  Spec s = parsed(minimal());
  EXPECT_EQ(s.oci_version, "1.2.0");
  EXPECT_EQ(s.root.path, "rootfs");
  EXPECT_FALSE(s.root.readonly);
  EXPECT_FALSE(s.process.has_value());
  EXPECT_TRUE(s.mounts.empty());
  EXPECT_TRUE(s.linux.namespaces.empty());
  EXPECT_TRUE(s.linux.resources.is_null());
  EXPECT_TRUE(s.linux.seccomp.is_null());
  EXPECT_EQ(s.raw, minimal());
}

TEST(ParseSpec, FullConfigFillsEveryField) {
  std::vector<std::string> warnings;
  auto r = parse_spec(kFullConfig, "config.json", &warnings);
  ASSERT_TRUE(r.ok()) << r.error().str();
  const Spec& s = *r;
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(s.raw, json::parse(kFullConfig));
  EXPECT_EQ(s.oci_version, "1.2.0");

  ASSERT_TRUE(s.process.has_value());
  const Process& p = *s.process;
  EXPECT_TRUE(p.terminal);
  ASSERT_TRUE(p.console_size.has_value());
  EXPECT_EQ(p.console_size->height, 25u);
  EXPECT_EQ(p.console_size->width, 80u);
  EXPECT_EQ(p.user.uid, 1000u);
  EXPECT_EQ(p.user.gid, 1001u);
  EXPECT_EQ(p.user.umask, 18u);
  EXPECT_EQ(p.user.additional_gids, (std::vector<uint32_t>{5, 6}));
  EXPECT_EQ(p.args, (std::vector<std::string>{"/bin/sh", "-c", "echo hi"}));
  EXPECT_EQ(p.env, (std::vector<std::string>{"PATH=/bin", "EMPTY="}));
  EXPECT_EQ(p.cwd, "/home");
  ASSERT_TRUE(p.capabilities.has_value());
  EXPECT_EQ(p.capabilities->bounding, (std::vector<std::string>{"CAP_KILL", "CAP_CHOWN"}));
  EXPECT_EQ(p.capabilities->effective, (std::vector<std::string>{"CAP_KILL"}));
  EXPECT_EQ(p.capabilities->inheritable, (std::vector<std::string>{"CAP_NET_RAW"}));
  EXPECT_EQ(p.capabilities->permitted, (std::vector<std::string>{"CAP_KILL", "CAP_SYS_ADMIN"}));
  EXPECT_EQ(p.capabilities->ambient, (std::vector<std::string>{"CAP_NET_BIND_SERVICE"}));
  ASSERT_EQ(p.rlimits.size(), 2u);
  EXPECT_EQ(p.rlimits[0].type, "RLIMIT_NOFILE");
  EXPECT_EQ(p.rlimits[0].resource, RLIMIT_NOFILE);
  EXPECT_EQ(p.rlimits[0].soft, 1024u);
  EXPECT_EQ(p.rlimits[0].hard, 4096u);
  EXPECT_EQ(p.rlimits[1].resource, RLIMIT_CORE);
  EXPECT_EQ(p.rlimits[1].hard, UINT64_MAX);
  EXPECT_TRUE(p.no_new_privileges);
  EXPECT_EQ(p.apparmor_profile, "vigil-default");
  EXPECT_EQ(p.oom_score_adj, -500);
  EXPECT_EQ(p.selinux_label, "system_u:system_r:container_t:s0");

  EXPECT_EQ(s.root.path, "/var/lib/rootfs");
  EXPECT_TRUE(s.root.readonly);
  EXPECT_EQ(s.hostname, "box");
  EXPECT_EQ(s.domainname, "example.org");

  ASSERT_EQ(s.mounts.size(), 2u);
  EXPECT_EQ(s.mounts[0].destination, "/proc");
  EXPECT_EQ(s.mounts[0].type, "proc");
  EXPECT_EQ(s.mounts[0].source, "proc");
  EXPECT_TRUE(s.mounts[0].options.empty());
  EXPECT_EQ(s.mounts[1].destination, "/data");
  EXPECT_EQ(s.mounts[1].type, "none");
  EXPECT_EQ(s.mounts[1].source, "/srv/data");
  EXPECT_EQ(s.mounts[1].options, (std::vector<std::string>{"rbind", "ro"}));

  ASSERT_EQ(s.hooks.prestart.size(), 1u);
  EXPECT_EQ(s.hooks.prestart[0].path, "/bin/pre");
  EXPECT_EQ(s.hooks.prestart[0].args, (std::vector<std::string>{"pre", "1"}));
  EXPECT_EQ(s.hooks.prestart[0].env, (std::vector<std::string>{"A=1"}));
  EXPECT_EQ(s.hooks.prestart[0].timeout, 5);
  ASSERT_EQ(s.hooks.create_runtime.size(), 1u);
  EXPECT_EQ(s.hooks.create_runtime[0].path, "/bin/cr");
  EXPECT_FALSE(s.hooks.create_runtime[0].timeout.has_value());
  ASSERT_EQ(s.hooks.create_container.size(), 1u);
  EXPECT_EQ(s.hooks.create_container[0].path, "/bin/cc");
  ASSERT_EQ(s.hooks.start_container.size(), 1u);
  EXPECT_EQ(s.hooks.start_container[0].path, "/bin/sc");
  ASSERT_EQ(s.hooks.poststart.size(), 1u);
  EXPECT_EQ(s.hooks.poststart[0].path, "/bin/ps");
  ASSERT_EQ(s.hooks.poststop.size(), 1u);
  EXPECT_EQ(s.hooks.poststop[0].path, "/bin/post");
  EXPECT_EQ(s.hooks.poststop[0].timeout, 1);

  EXPECT_EQ(s.annotations, (std::map<std::string, std::string>{{"org.example.key", "value"}, {"other", ""}}));

  const Linux& l = s.linux;
  ASSERT_EQ(l.namespaces.size(), 8u);
  EXPECT_EQ(l.namespaces[0].type, NamespaceType::pid);
  EXPECT_EQ(l.namespaces[1].type, NamespaceType::network);
  EXPECT_EQ(l.namespaces[1].path, "/var/run/netns/n1");
  EXPECT_EQ(l.namespaces[7].type, NamespaceType::time);
  EXPECT_TRUE(l.has(NamespaceType::cgroup));
  ASSERT_EQ(l.uid_mappings.size(), 1u);
  EXPECT_EQ(l.uid_mappings[0].container_id, 0u);
  EXPECT_EQ(l.uid_mappings[0].host_id, 100000u);
  EXPECT_EQ(l.uid_mappings[0].size, 65536u);
  ASSERT_EQ(l.gid_mappings.size(), 2u);
  EXPECT_EQ(l.gid_mappings[1].container_id, 1000u);
  EXPECT_EQ(l.gid_mappings[1].host_id, 5u);
  EXPECT_EQ(l.gid_mappings[1].size, 1u);
  ASSERT_EQ(l.time_offsets.size(), 2u);
  EXPECT_EQ(l.time_offsets.at("monotonic").secs, -86400);
  EXPECT_EQ(l.time_offsets.at("monotonic").nanosecs, 500u);
  EXPECT_EQ(l.time_offsets.at("boottime").secs, 3600);
  EXPECT_EQ(l.time_offsets.at("boottime").nanosecs, 0u);
  ASSERT_EQ(l.devices.size(), 3u);
  EXPECT_EQ(l.devices[0].path, "/dev/fuse");
  EXPECT_EQ(l.devices[0].type, 'c');
  EXPECT_EQ(l.devices[0].major, 10);
  EXPECT_EQ(l.devices[0].minor, 229);
  EXPECT_EQ(l.devices[0].file_mode, 0666u);
  EXPECT_EQ(l.devices[0].uid, 0u);
  EXPECT_EQ(l.devices[0].gid, 0u);
  EXPECT_EQ(l.devices[1].type, 'b');
  EXPECT_FALSE(l.devices[1].file_mode.has_value());
  EXPECT_EQ(l.devices[2].type, 'p');
  EXPECT_EQ(l.cgroups_path, "/vigil/box");
  EXPECT_EQ(l.resources, json::parse(R"({"memory": {"limit": 1048576}, "pids": {"limit": 64}})"));
  EXPECT_EQ(l.rootfs_propagation, "rslave");
  EXPECT_EQ(l.seccomp["defaultAction"], "SCMP_ACT_ALLOW");
  EXPECT_EQ(l.sysctl, (std::map<std::string, std::string>{
                          {"net.ipv4.ip_forward", "1"}, {"kernel.shmmax", "4096"}, {"kernel.hostname", "box"}}));
  EXPECT_EQ(l.masked_paths, (std::vector<std::string>{"/proc/kcore"}));
  EXPECT_EQ(l.readonly_paths, (std::vector<std::string>{"/proc/sys"}));
  EXPECT_EQ(l.mount_label, "system_u:object_r:container_file_t:s0");
  ASSERT_TRUE(l.personality.has_value());
  EXPECT_EQ(l.personality->domain, "LINUX32");
  EXPECT_EQ(l.personality->flags, (std::vector<std::string>{"ADDR_NO_RANDOMIZE"}));
  EXPECT_EQ(personality_value(*l.personality), static_cast<unsigned long>(PER_LINUX32) | ADDR_NO_RANDOMIZE);
}

TEST(ParseSpec, UnknownFieldsAreIgnored) {
  json doc = with_process();
  doc["vendorExtension"] = {{"x", 1}};
  doc["process"]["ioPriority"] = {{"class", "IOPRIO_CLASS_IDLE"}};
  doc["linux"]["intelRdt"] = {{"closID", "x"}};
  doc["windows"] = "anything";
  Spec s = parsed(doc);
  EXPECT_EQ(s.raw["vendorExtension"]["x"], 1);
}

TEST(ParseSpec, NullMeansAbsent) {
  json doc = minimal();
  doc["process"] = nullptr;
  doc["hostname"] = nullptr;
  doc["linux"] = {{"namespaces", nullptr}, {"resources", nullptr}};
  Spec s = parsed(doc);
  EXPECT_FALSE(s.process.has_value());
  EXPECT_TRUE(s.linux.resources.is_null());
}

TEST(ParseSpec, InvalidJsonNamesLineAndColumn) {
  EXPECT_EQ(text_error("{\n  \"ociVersion\": \"1.2.0\",\n    }\n"),
            "config.json: invalid JSON at line 3, column 5: unexpected '}'; expected string literal");
  EXPECT_EQ(text_error(""), "config.json: invalid JSON at line 1, column 1: unexpected end of input; expected '[', "
                          "'{', or a literal");
  EXPECT_EQ(text_error("{\"a\": tru}"), "config.json: invalid JSON at line 1, column 10: invalid literal");
  EXPECT_EQ(text_error("{}\n x"), "config.json: invalid JSON at line 2, column 2: invalid literal; expected end of input");
  // Columns count characters: "é" is two bytes but one column.
  EXPECT_EQ(text_error("{\"é\": x}"), "config.json: invalid JSON at line 1, column 7: invalid literal");
  EXPECT_EQ(text_error("[1e999]"), "config.json: invalid JSON: number overflow parsing '1e999'");
  auto r = parse_spec("{", "/b/config.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().str(),
            "/b/config.json: invalid JSON at line 1, column 2: unexpected end of input; expected string literal");
}

TEST(ParseSpec, TypeErrorsNameThePath) {
  EXPECT_EQ(text_error("[]"), "config.json: the top level must be a JSON object");
  auto with = [](const char* pointer, json value) {
    json doc = with_process();
    doc[json::json_pointer(pointer)] = std::move(value);
    return error_of(doc);
  };
  EXPECT_EQ(with("/ociVersion", 1), "config.json: ociVersion must be a string");
  EXPECT_EQ(with("/root", "rootfs"), "config.json: root must be an object");
  EXPECT_EQ(with("/process/args", "sh"), "config.json: process.args must be an array of strings");
  EXPECT_EQ(with("/process/args", {"sh", 1}), "config.json: process.args must be an array of strings");
  EXPECT_EQ(with("/process/terminal", "yes"), "config.json: process.terminal must be a boolean");
  EXPECT_EQ(with("/process/user/uid", -1), "config.json: process.user.uid must be an unsigned 32-bit integer");
  EXPECT_EQ(with("/process/user/uid", 4294967296), "config.json: process.user.uid must be an unsigned 32-bit integer");
  EXPECT_EQ(with("/process/user/uid", 1.0), "config.json: process.user.uid must be an unsigned 32-bit integer");
  EXPECT_EQ(with("/process/user/additionalGids", {1, "2"}),
            "config.json: process.user.additionalGids must be an array of unsigned 32-bit integers");
  EXPECT_EQ(with("/process/oomScoreAdj", 3000000000), "config.json: process.oomScoreAdj must be a 32-bit integer");
  EXPECT_EQ(with("/process/cwd", std::string("/a\0b", 4)), "config.json: process.cwd must not contain a NUL character");
  EXPECT_EQ(with("/process/rlimits", {{{"type", "RLIMIT_CORE"}, {"soft", -1}, {"hard", 0}}}),
            "config.json: process.rlimits[0].soft must be an unsigned 64-bit integer");
  EXPECT_EQ(with("/process/rlimits", {{{"type", "RLIMIT_CORE"}, {"soft", 0}}}),
            "config.json: process.rlimits[0].hard is required");
  EXPECT_EQ(with("/mounts", json::object()), "config.json: mounts must be an array");
  EXPECT_EQ(with("/annotations", {{"org.example", 1}}), R"(config.json: annotations["org.example"] must be a string)");
  EXPECT_EQ(with("/annotations", {{"plain", 1}}), "config.json: annotations.plain must be a string");
  EXPECT_EQ(with("/linux/uidMappings", {{{"containerID", 0}, {"hostID", 0}}}),
            "config.json: linux.uidMappings[0].size is required");
  EXPECT_EQ(with("/linux/devices", {{{"path", "/dev/x"}, {"type", "c"}, {"major", "1"}, {"minor", 1}}}),
            "config.json: linux.devices[0].major must be a 64-bit integer");
  EXPECT_EQ(with("/linux/timeOffsets", {{"monotonic", 5}}), "config.json: linux.timeOffsets.monotonic must be an object");
  EXPECT_EQ(with("/linux/resources", json::array()), "config.json: linux.resources must be an object");
  EXPECT_EQ(with("/linux/seccomp", "x"), "config.json: linux.seccomp must be an object");
}

TEST(ParseSpec, OciVersionMustBe1x) {
  json doc = minimal();
  for (const char* ok : {"1.0.0", "1.0.2-dev", "1.2.0", "1.3.0-rc.1", "1.10.20"}) {
    doc["ociVersion"] = ok;
    EXPECT_EQ(error_of(doc), "(parsed)") << ok;
  }
  doc.erase("ociVersion");
  EXPECT_EQ(error_of(doc), "config.json: ociVersion is required");
  for (const char* bad : {"0.5.0", "2.0.0", "1.0", "v1.0.0", "1.0.0-", "10.0.0"}) {
    doc["ociVersion"] = bad;
    EXPECT_EQ(error_of(doc), std::string("config.json: ociVersion \"") + bad +
                                 "\" is not supported: vigil reads 1.x.y (>= 1.0.0, < 2.0.0)");
  }
}

TEST(ParseSpec, RootAndRootPathAreRequired) {
  json doc = minimal();
  doc.erase("root");
  EXPECT_EQ(error_of(doc), "config.json: root is required");
  doc["root"] = json::object();
  EXPECT_EQ(error_of(doc), "config.json: root.path is required");
  doc["root"]["path"] = "";
  EXPECT_EQ(error_of(doc), "config.json: root.path is required");
}

TEST(ParseSpec, ProcessArgsAndCwd) {
  json doc = with_process();
  doc["process"]["args"] = json::array();
  EXPECT_EQ(error_of(doc), "config.json: process.args must not be empty");
  doc["process"].erase("args");
  EXPECT_EQ(error_of(doc), "config.json: process.args must not be empty");
  doc = with_process();
  doc["process"].erase("cwd");
  EXPECT_EQ(error_of(doc), "config.json: process.cwd is required");
  doc["process"]["cwd"] = "tmp";
  EXPECT_EQ(error_of(doc), R"(config.json: process.cwd must be an absolute path (got "tmp"))");
}

TEST(ParseSpec, ProcessEnvNeedsEquals) {
  json doc = with_process();
  doc["process"]["env"] = {"A=1", "FOO"};
  EXPECT_EQ(error_of(doc), R"(config.json: process.env[1] must be of the form KEY=VALUE (got "FOO"))");
  doc["process"]["env"] = {"=x"};
  EXPECT_EQ(error_of(doc), R"(config.json: process.env[0] must be of the form KEY=VALUE (got "=x"))");
}

TEST(ParseSpec, Rlimits) {
  json doc = with_process();
  doc["process"]["rlimits"] = {{{"type", "RLIMIT_FOO"}, {"soft", 1}, {"hard", 1}}};
  EXPECT_EQ(error_of(doc), R"(config.json: process.rlimits[0].type must be a known RLIMIT_* name (got "RLIMIT_FOO"))");
  doc["process"]["rlimits"] = {{{"type", "RLIMIT_NPROC"}, {"soft", 1}, {"hard", 1}},
                               {{"type", "RLIMIT_NPROC"}, {"soft", 2}, {"hard", 2}}};
  EXPECT_EQ(error_of(doc),
            R"(config.json: process.rlimits[1].type "RLIMIT_NPROC" is already given in process.rlimits[0])");
  doc["process"]["rlimits"] = {{{"type", "RLIMIT_NOFILE"}, {"soft", 2048}, {"hard", 1024}}};
  EXPECT_EQ(error_of(doc), "config.json: process.rlimits[0]: soft limit 2048 exceeds hard limit 1024");
  doc["process"]["rlimits"] = {{{"type", "RLIMIT_STACK"}, {"soft", 8}, {"hard", 8}}};
  EXPECT_EQ(parsed(doc).process->rlimits[0].resource, RLIMIT_STACK);
}

TEST(ParseSpec, OomScoreAdjRange) {
  json doc = with_process();
  for (int ok : {-1000, 0, 1000}) {
    doc["process"]["oomScoreAdj"] = ok;
    EXPECT_EQ(parsed(doc).process->oom_score_adj, ok);
  }
  doc["process"]["oomScoreAdj"] = 1001;
  EXPECT_EQ(error_of(doc), "config.json: process.oomScoreAdj must be between -1000 and 1000 (got 1001)");
  doc["process"]["oomScoreAdj"] = -1001;
  EXPECT_EQ(error_of(doc), "config.json: process.oomScoreAdj must be between -1000 and 1000 (got -1001)");
}

TEST(ParseSpec, UnknownCapabilitiesAreDroppedWithAWarning) {
  json doc = with_process();
  doc["process"]["capabilities"] = {{"bounding", {"CAP_KILL", "CAP_FOO", "cap_chown"}},
                                    {"effective", {"CAP_FOO"}},
                                    {"ambient", {"5"}}};
  std::vector<std::string> warnings;
  Spec s = parsed(doc, &warnings);
  EXPECT_EQ(s.process->capabilities->bounding, (std::vector<std::string>{"CAP_KILL"}));
  EXPECT_TRUE(s.process->capabilities->effective.empty());
  EXPECT_TRUE(s.process->capabilities->ambient.empty());
  EXPECT_EQ(warnings, (std::vector<std::string>{"ignoring unknown capability CAP_FOO",
                                                "ignoring unknown capability cap_chown",
                                                "ignoring unknown capability 5"}));
  EXPECT_TRUE(parse_spec(doc.dump()).ok());  // no warnings vector: still fine
}

TEST(ParseSpec, NamespaceRules) {
  json doc = with_namespaces(minimal(), {"pid", "bogus"});
  EXPECT_EQ(error_of(doc), "config.json: linux.namespaces[1].type must be one of pid, network, mount, ipc, uts, user, "
                           "cgroup, time (got \"bogus\")");
  doc = with_namespaces(minimal(), {"pid", "mount", "pid"});
  EXPECT_EQ(error_of(doc), R"(config.json: linux.namespaces[2].type "pid" is already given in linux.namespaces[0])");
  doc = with_namespaces(minimal(), {"network"});
  doc["linux"]["namespaces"][0]["path"] = "run/netns/x";
  EXPECT_EQ(error_of(doc), R"(config.json: linux.namespaces[0].path must be an absolute path (got "run/netns/x"))");
  doc["linux"]["namespaces"][0].erase("type");
  EXPECT_EQ(error_of(doc), "config.json: linux.namespaces[0].type is required");
}

TEST(ParseSpec, IdMappingRules) {
  json map = {{{"containerID", 0}, {"hostID", 1000}, {"size", 1}}};
  json doc = with_namespaces(minimal(), {"user"});
  doc["linux"]["uidMappings"] = map;
  doc["linux"]["gidMappings"] = map;
  EXPECT_EQ(error_of(doc), "(parsed)");

  doc["linux"]["uidMappings"][0]["size"] = 0;
  EXPECT_EQ(error_of(doc), "config.json: linux.uidMappings[0].size must be > 0");
  doc["linux"]["uidMappings"] = map;
  doc["linux"]["gidMappings"].push_back({{"containerID", 1}, {"hostID", 2}, {"size", 0}});
  EXPECT_EQ(error_of(doc), "config.json: linux.gidMappings[1].size must be > 0");

  json no_userns = minimal();
  no_userns["linux"]["uidMappings"] = map;
  EXPECT_EQ(error_of(no_userns), "config.json: linux.uidMappings requires a user namespace");
  no_userns["linux"].erase("uidMappings");
  no_userns["linux"]["gidMappings"] = map;
  EXPECT_EQ(error_of(no_userns), "config.json: linux.gidMappings requires a user namespace");

  doc = with_namespaces(minimal(), {"user"});
  doc["linux"]["gidMappings"] = map;
  EXPECT_EQ(error_of(doc), "config.json: a new user namespace requires linux.uidMappings");
  doc["linux"]["uidMappings"] = map;
  doc["linux"].erase("gidMappings");
  EXPECT_EQ(error_of(doc), "config.json: a new user namespace requires linux.gidMappings");

  // Joining a user namespace: it has its mappings already.
  doc = with_namespaces(minimal(), {"user"});
  doc["linux"]["namespaces"][0]["path"] = "/proc/1/ns/user";
  EXPECT_EQ(error_of(doc), "(parsed)");
}

TEST(ParseSpec, TimeOffsetRules) {
  json doc = with_namespaces(minimal(), {"time"});
  doc["linux"]["timeOffsets"] = {{"monotonic", {{"secs", 10}}}, {"boottime", {{"nanosecs", 999999999}}}};
  EXPECT_EQ(error_of(doc), "(parsed)");
  doc["linux"]["timeOffsets"]["realtime"] = {{"secs", 1}};
  EXPECT_EQ(error_of(doc), R"(config.json: linux.timeOffsets: unknown clock "realtime" (only monotonic and boottime can be offset))");
  doc["linux"]["timeOffsets"].erase("realtime");
  doc["linux"]["timeOffsets"]["boottime"]["nanosecs"] = 1000000000;
  EXPECT_EQ(error_of(doc), "config.json: linux.timeOffsets.boottime.nanosecs must be < 1000000000");
  doc["linux"]["timeOffsets"]["boottime"]["nanosecs"] = 0;

  doc["linux"]["namespaces"] = json::array();
  EXPECT_EQ(error_of(doc), "config.json: linux.timeOffsets requires a new time namespace");
  doc["linux"]["namespaces"] = {{{"type", "time"}, {"path", "/proc/1/ns/time"}}};
  EXPECT_EQ(error_of(doc), "config.json: linux.timeOffsets requires a new time namespace");
}

TEST(ParseSpec, DeviceRules) {
  json doc = minimal();
  auto devices = [&](json d) {
    doc["linux"]["devices"] = std::move(d);
    return error_of(doc);
  };
  EXPECT_EQ(devices({{{"path", "dev/null"}, {"type", "c"}, {"major", 1}, {"minor", 3}}}),
            R"(config.json: linux.devices[0].path must be an absolute path (got "dev/null"))");
  EXPECT_EQ(devices({{{"path", "/dev/x"}, {"type", "x"}}}),
            R"(config.json: linux.devices[0].type must be one of c, b, u, p (got "x"))");
  EXPECT_EQ(devices({{{"path", "/dev/x"}, {"type", "cb"}}}),
            R"(config.json: linux.devices[0].type must be one of c, b, u, p (got "cb"))");
  EXPECT_EQ(devices({{{"path", "/dev/x"}}}), "config.json: linux.devices[0].type is required");
  EXPECT_EQ(devices({{{"type", "c"}}}), "config.json: linux.devices[0].path is required");
  EXPECT_EQ(devices({{{"path", "/dev/x"}, {"type", "c"}, {"minor", 3}}}),
            "config.json: linux.devices[0].major is required for type c");
  EXPECT_EQ(devices({{{"path", "/dev/x"}, {"type", "b"}, {"major", 3}}}),
            "config.json: linux.devices[0].minor is required for type b");
  EXPECT_EQ(devices({{{"path", "/dev/x"}, {"type", "u"}, {"major", 3}}}),
            "config.json: linux.devices[0].minor is required for type u");
  EXPECT_EQ(devices({{{"path", "/dev/fifo"}, {"type", "p"}}}), "(parsed)");
  EXPECT_EQ(devices({{{"path", "/dev/a"}, {"type", "p"}}, {{"path", "/dev/b"}, {"type", "p"}}, {{"path", "/dev/a"}, {"type", "p"}}}),
            R"(config.json: linux.devices[2].path "/dev/a" is already given in linux.devices[0])");
}

TEST(ParseSpec, MountRules) {
  json doc = minimal();
  doc["mounts"] = {{{"destination", "/proc"}, {"type", "proc"}}, {{"type", "tmpfs"}}};
  EXPECT_EQ(error_of(doc), "config.json: mounts[1].destination is required");
  doc["mounts"][1]["destination"] = "";
  EXPECT_EQ(error_of(doc), "config.json: mounts[1].destination is required");

  doc["mounts"][1]["destination"] = "tmp";
  std::vector<std::string> warnings;
  Spec s = parsed(doc, &warnings);
  EXPECT_EQ(s.mounts[1].destination, "/tmp");
  EXPECT_EQ(warnings, (std::vector<std::string>{R"(mounts[1].destination "tmp" is relative; using "/tmp")"}));
}

TEST(ParseSpec, HookRules) {
  json doc = minimal();
  doc["hooks"]["poststart"] = {{{"path", "/bin/true"}}, {{"args", {"x"}}}};
  EXPECT_EQ(error_of(doc), "config.json: hooks.poststart[1].path is required");
  doc["hooks"]["poststart"][1]["path"] = "bin/true";
  EXPECT_EQ(error_of(doc), R"(config.json: hooks.poststart[1].path must be an absolute path (got "bin/true"))");
  doc["hooks"]["poststart"][1]["path"] = "/bin/true";
  doc["hooks"]["poststart"][1]["timeout"] = 0;
  EXPECT_EQ(error_of(doc), "config.json: hooks.poststart[1].timeout must be > 0");
  doc["hooks"]["poststart"][1]["timeout"] = -3;
  EXPECT_EQ(error_of(doc), "config.json: hooks.poststart[1].timeout must be > 0");
  doc["hooks"]["poststart"][1]["timeout"] = 3;
  EXPECT_EQ(error_of(doc), "(parsed)");
  doc["hooks"]["createRuntime"] = "x";
  EXPECT_EQ(error_of(doc), "config.json: hooks.createRuntime must be an array");
}

TEST(ParseSpec, RootfsPropagation) {
  json doc = minimal();
  for (const char* ok : {"", "private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable"}) {
    doc["linux"]["rootfsPropagation"] = ok;
    EXPECT_EQ(error_of(doc), "(parsed)") << ok;
  }
  doc["linux"]["rootfsPropagation"] = "bogus";
  EXPECT_EQ(error_of(doc), "config.json: linux.rootfsPropagation must be one of private, rprivate, slave, rslave, "
                           "shared, rshared, unbindable, runbindable (got \"bogus\")");
}

TEST(ParseSpec, MaskedAndReadonlyPathsAreAbsolute) {
  json doc = minimal();
  doc["linux"]["maskedPaths"] = {"/proc/kcore", "proc/keys"};
  EXPECT_EQ(error_of(doc), R"(config.json: linux.maskedPaths[1] must be an absolute path (got "proc/keys"))");
  doc["linux"]["maskedPaths"] = {"/proc/kcore"};
  doc["linux"]["readonlyPaths"] = {"sys"};
  EXPECT_EQ(error_of(doc), R"(config.json: linux.readonlyPaths[0] must be an absolute path (got "sys"))");
}

TEST(ParseSpec, SysctlOnlyNamespacedKeys) {
  json doc = with_namespaces(minimal(), {"ipc", "network", "uts"});
  auto sysctl = [&](json s) {
    doc["linux"]["sysctl"] = std::move(s);
    return error_of(doc);
  };
  EXPECT_EQ(sysctl({{"kernel.msgmax", "1"}, {"kernel.msgmnb", "1"}, {"kernel.msgmni", "1"}, {"kernel.sem", "1 2 3 4"},
                    {"kernel.shmall", "1"}, {"kernel.shmmax", "1"}, {"kernel.shmmni", "1"},
                    {"kernel.shm_rmid_forced", "1"}, {"fs.mqueue.msg_max", "1"}, {"net.core.somaxconn", "1"},
                    {"kernel.hostname", "h"}, {"kernel.domainname", "d"}}),
            "(parsed)");
  EXPECT_EQ(sysctl({{"kernel.foo", "1"}}),
            "config.json: linux.sysctl: kernel.foo is not namespaced; refusing to set it for a container");
  EXPECT_EQ(sysctl({{"vm.overcommit_memory", "1"}}),
            "config.json: linux.sysctl: vm.overcommit_memory is not namespaced; refusing to set it for a container");
  EXPECT_EQ(sysctl({{"fs.mqueue", "1"}}),
            "config.json: linux.sysctl: fs.mqueue is not namespaced; refusing to set it for a container");
  EXPECT_EQ(sysctl({{"kernel/pid_max", "1"}}),
            "config.json: linux.sysctl: kernel.pid_max is not namespaced; refusing to set it for a container");

  doc = minimal();
  EXPECT_EQ(sysctl({{"net.ipv4.ip_forward", "1"}}),
            "config.json: linux.sysctl: net.ipv4.ip_forward requires a network namespace");
  EXPECT_EQ(sysctl({{"kernel.shmmax", "1"}}), "config.json: linux.sysctl: kernel.shmmax requires an ipc namespace");
  EXPECT_EQ(sysctl({{"fs.mqueue.queues_max", "1"}}),
            "config.json: linux.sysctl: fs.mqueue.queues_max requires an ipc namespace");
  EXPECT_EQ(sysctl({{"kernel.hostname", "h"}}), "config.json: linux.sysctl: kernel.hostname requires a uts namespace");

  // A joined namespace is the container's own too.
  doc = minimal();
  doc["linux"]["namespaces"] = {{{"type", "ipc"}, {"path", "/proc/1/ns/ipc"}}};
  EXPECT_EQ(sysctl({{"kernel.shmmax", "1"}}), "(parsed)");
}

TEST(ParseSpec, SysctlSlashesBecomeDots) {
  json doc = with_namespaces(minimal(), {"network"});
  doc["linux"]["sysctl"] = {{"net/ipv4/ip_forward", "1"}};
  EXPECT_EQ(parsed(doc).linux.sysctl, (std::map<std::string, std::string>{{"net.ipv4.ip_forward", "1"}}));
  doc["linux"]["sysctl"]["net.ipv4.ip_forward"] = "0";
  EXPECT_EQ(error_of(doc), "config.json: linux.sysctl: net.ipv4.ip_forward is given twice");
}

TEST(ParseSpec, HostnameAndDomainnameNeedUts) {
  json doc = minimal();
  doc["hostname"] = "box";
  EXPECT_EQ(error_of(doc), "config.json: hostname requires a uts namespace");
  doc["hostname"] = "";
  doc["domainname"] = "example.org";
  EXPECT_EQ(error_of(doc), "config.json: domainname requires a uts namespace");
  doc = with_namespaces(doc, {"uts"});
  doc["hostname"] = "box";
  EXPECT_EQ(error_of(doc), "(parsed)");
}

TEST(ParseSpec, Personality) {
  json doc = minimal();
  doc["linux"]["personality"] = {{"domain", "LINUX"}};
  EXPECT_EQ(personality_value(*parsed(doc).linux.personality), static_cast<unsigned long>(PER_LINUX));
  doc["linux"]["personality"]["domain"] = "SVR4";
  EXPECT_EQ(error_of(doc), R"(config.json: linux.personality.domain must be LINUX or LINUX32 (got "SVR4"))");
  doc["linux"]["personality"] = {{"domain", "LINUX"}, {"flags", {"ADDR_NO_RANDOMIZE", "NO_SUCH_FLAG"}}};
  EXPECT_EQ(error_of(doc), "config.json: linux.personality.flags[1] must be a personality(2) flag such as "
                           "ADDR_NO_RANDOMIZE (got \"NO_SUCH_FLAG\")");
  doc["linux"]["personality"]["flags"] = {"ADDR_NO_RANDOMIZE", "READ_IMPLIES_EXEC"};
  EXPECT_EQ(personality_value(*parsed(doc).linux.personality), static_cast<unsigned long>(ADDR_NO_RANDOMIZE) | READ_IMPLIES_EXEC);
}

TEST(ParseSpec, AnnotationKeysMustNotBeEmpty) {
  json doc = minimal();
  doc["annotations"] = {{"", "x"}};
  EXPECT_EQ(error_of(doc), "config.json: annotations must not have an empty key");
}

TEST(ParseSpec, DefaultSpecParses) {
  for (bool rootless : {false, true}) {
    std::vector<std::string> warnings;
    auto r = parse_spec(default_spec(rootless).dump(2), "config.json", &warnings);
    ASSERT_TRUE(r.ok()) << r.error().str();
    EXPECT_TRUE(warnings.empty());
    const Spec& s = *r;
    EXPECT_EQ(s.oci_version, "1.2.0");
    EXPECT_TRUE(s.process->terminal);
    EXPECT_EQ(s.process->args, (std::vector<std::string>{"sh"}));
    EXPECT_EQ(s.root.path, "rootfs");
    EXPECT_TRUE(s.root.readonly);
    EXPECT_EQ(s.linux.has(NamespaceType::network), !rootless);
    EXPECT_EQ(s.linux.has(NamespaceType::user), rootless);
    EXPECT_TRUE(s.linux.has(NamespaceType::cgroup));
  }
}

TEST(ParseSpec, RootlessDefaultSpecMapsTheCaller) {
  json spec = default_spec(true);
  EXPECT_EQ(spec["linux"]["uidMappings"], json::parse(R"([{"containerID": 0, "size": 1, "hostID": )" +
                                                      std::to_string(getuid()) + "}]"));
  EXPECT_EQ(spec["linux"]["gidMappings"], json::parse(R"([{"containerID": 0, "size": 1, "hostID": )" +
                                                      std::to_string(getgid()) + "}]"));
  EXPECT_FALSE(spec["linux"].contains("resources"));
  std::vector<std::string> destinations;
  for (const auto& m : spec["mounts"]) {
    destinations.push_back(m["destination"]);
    if (m["destination"] == "/sys") {
      EXPECT_EQ(m["type"], "none");
      EXPECT_EQ(m["source"], "/sys");
      EXPECT_EQ(m["options"][0], "rbind");
    }
    if (m["destination"] == "/dev/pts") {
      EXPECT_EQ(m["options"], json({"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}));
    }
  }
  EXPECT_EQ(destinations, (std::vector<std::string>{"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys"}));
}

TEST(ParseSpec, LoadSpecReadsTheBundle) {
  char dir[] = "/tmp/vigil-spec-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string bundle = dir;
  auto missing = load_spec(bundle);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().str(), "open " + bundle + "/config.json: ENOENT (No such file or directory)");

  std::ofstream(bundle + "/config.json") << R"({"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "hostname": "h"})";
  auto bad = load_spec(bundle + "/");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().str(), bundle + "/config.json: hostname requires a uts namespace");

  std::ofstream(bundle + "/config.json") << minimal().dump();
  auto good = load_spec(bundle);
  ASSERT_TRUE(good.ok()) << good.error().str();
  EXPECT_EQ(good->root.path, "rootfs");
  std::filesystem::remove_all(bundle);
}

TEST(Namespaces, NamesAndFlags) {
  EXPECT_STREQ(namespace_name(NamespaceType::network), "network");
  EXPECT_STREQ(namespace_proc_name(NamespaceType::network), "net");
  EXPECT_STREQ(namespace_proc_name(NamespaceType::mount), "mnt");
  EXPECT_EQ(namespace_clone_flag(NamespaceType::mount), CLONE_NEWNS);
  EXPECT_EQ(namespace_clone_flag(NamespaceType::time), CLONE_NEWTIME);
  EXPECT_EQ(namespace_clone_flag(NamespaceType::cgroup), CLONE_NEWCGROUP);
  for (auto t : {NamespaceType::pid, NamespaceType::network, NamespaceType::mount, NamespaceType::ipc,
                 NamespaceType::uts, NamespaceType::user, NamespaceType::cgroup, NamespaceType::time})
    EXPECT_EQ(namespace_from_name(namespace_name(t)), t);
  EXPECT_FALSE(namespace_from_name("net").has_value());
}
