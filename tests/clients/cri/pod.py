#!/usr/bin/python3
"""A pod through containerd's CRI, as kubelet runs one for a RuntimeClass: the sandbox and
its containers get `--handler` as their runtime handler. Prints what it saw as one JSON
object for the test to assert on; exits 1 only when a CRI call fails.

  pod.py --sock SOCK --stubs DIR --handler vigil --image IMG --cgroup-parent /P SCENARIO
  SCENARIO: lifecycle      a container runs, is exec'd into, exits; another is stopped
            created        a container is created and removed without ever starting
            bidirectional  a privileged container mounts a tmpfs in a Bidirectional volume
                           (--volume DIR, a shared mount on the host), as CSI node plugins do
            run            a container runs `sh -c --command` to its end; with --vigil and
                           --vigil-root, what it learnt and a policy suggested from it
"""
import argparse, json, os, subprocess, sys, time, uuid

ap = argparse.ArgumentParser()
ap.add_argument("--sock", required=True)
ap.add_argument("--stubs", required=True)
ap.add_argument("--handler", required=True)
ap.add_argument("--image", required=True)
ap.add_argument("--cgroup-parent", required=True)
ap.add_argument("--logs", required=True)
ap.add_argument("--pod-annotation", action="append", default=[], help="KEY=VALUE on the pod")
ap.add_argument("--volume", help="the host directory of the bidirectional scenario")
ap.add_argument("--command", help="the run scenario's shell command")
ap.add_argument("--vigil", help="the run scenario: vigil, to read the container's audit log with")
ap.add_argument("--vigil-root", help="the run scenario: where the handler keeps vigil's state")
ap.add_argument("scenario", choices=["lifecycle", "created", "bidirectional", "run"])
args = ap.parse_args()
sys.path.insert(0, args.stubs)
import grpc  # noqa: E402
import api_pb2 as pb  # noqa: E402
import api_pb2_grpc as pbg  # noqa: E402

rt = pbg.RuntimeServiceStub(grpc.insecure_channel("unix://" + args.sock))
seen = {}
uid = uuid.uuid4().hex[:12]
# The host's network (no CNI here), a pid namespace per container, the pod's ipc.
ns = pb.NamespaceOption(network=pb.NODE, pid=pb.CONTAINER, ipc=pb.POD)
runtime_default = pb.SecurityProfile(profile_type=pb.SecurityProfile.RuntimeDefault)
privileged = args.scenario == "bidirectional"
pod = pb.PodSandboxConfig(
    metadata=pb.PodSandboxMetadata(name="vigil-pod", uid=uid, namespace="default"),
    annotations=dict(a.split("=", 1) for a in args.pod_annotation),
    log_directory=os.path.join(args.logs, uid),
    linux=pb.LinuxPodSandboxConfig(
        cgroup_parent=args.cgroup_parent,
        security_context=pb.LinuxSandboxSecurityContext(namespace_options=ns, seccomp=runtime_default,
                                                        privileged=privileged)))
os.makedirs(pod.log_directory, exist_ok=True)


def container(name, command):
    return pb.ContainerConfig(
        metadata=pb.ContainerMetadata(name=name), image=pb.ImageSpec(image=args.image), command=command,
        envs=[pb.KeyValue(key="FOO", value="bar")], log_path=name + ".log",
        annotations={"example.org/test": "yes"},
        linux=pb.LinuxContainerConfig(
            resources=pb.LinuxContainerResources(memory_limit_in_bytes=64 << 20, cpu_shares=512, cpu_quota=50000,
                                                 cpu_period=100000, oom_score_adj=100),
            security_context=pb.LinuxContainerSecurityContext(
                namespace_options=ns, seccomp=runtime_default,
                masked_paths=["/proc/timer_list"], readonly_paths=["/proc/sys"])))


def mounted(path):
    with open("/proc/self/mountinfo") as f:
        return any(line.split()[4] == path for line in f)


def wait_exited(cid):
    for _ in range(200):
        st = rt.ContainerStatus(pb.ContainerStatusRequest(container_id=cid)).status
        if st.state == pb.CONTAINER_EXITED:
            return st
        time.sleep(0.05)
    return st


def cgroup_limits(pid, cid):
    """Where the container's cgroup is and what limits it holds: on cgroup v2 alone its one
    directory, as /proc/PID/cgroup says (a systemd scope, with SystemdCgroup); on v1 the
    directory named for it under the cgroup parent in each hierarchy."""
    if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
        path = [l[3:] for l in read(f"/proc/{pid}/cgroup").splitlines() if l.startswith("0::")][0]
        d = "/sys/fs/cgroup" + path
        return {"cgroup": path, "memory_limit": read(d + "/memory.max"), "cpu_weight": read(d + "/cpu.weight"),
                "cpu_max": read(d + "/cpu.max")}
    return {"memory_limit": read(f"/sys/fs/cgroup/memory{args.cgroup_parent}/{cid}/memory.limit_in_bytes"),
            "cpu_shares": read(f"/sys/fs/cgroup/cpu{args.cgroup_parent}/{cid}/cpu.shares"),
            "cpu_quota": read(f"/sys/fs/cgroup/cpu{args.cgroup_parent}/{cid}/cpu.cfs_quota_us")}


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError as e:
        return "error: " + e.strerror


pod_id = rt.RunPodSandbox(pb.RunPodSandboxRequest(config=pod, runtime_handler=args.handler), timeout=60).pod_sandbox_id
try:
    if args.scenario == "lifecycle":
        cid = rt.CreateContainer(pb.CreateContainerRequest(
            pod_sandbox_id=pod_id, sandbox_config=pod,
            config=container("main", ["sh", "-c", "trap 'exit 7' TERM; echo hello FOO=$FOO; while :; do sleep 0.1; done"])),
            timeout=60).container_id
        rt.StartContainer(pb.StartContainerRequest(container_id=cid), timeout=60)
        info = json.loads(rt.ContainerStatus(pb.ContainerStatusRequest(container_id=cid, verbose=True)).info["info"])
        pid = info["pid"]
        seen["binary"] = info["runtimeOptions"].get("binary_name")
        seen["oom_score_adj"] = read(f"/proc/{pid}/oom_score_adj")
        seen.update(cgroup_limits(pid, cid))
        seen["seccomp"] = [l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith("Seccomp:")][0]
        # Supervision stacks a filter of its own on the profile's.
        seen["filters"] = [l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith("Seccomp_filters:")][0]
        # The hard limit on data, in bytes (a memory.max annotation sets it).
        seen["data_limit"] = [l.split()[4] for l in open(f"/proc/{pid}/limits") if l.startswith("Max data size")][0]
        seen["host_network"] = os.readlink(f"/proc/{pid}/ns/net") == os.readlink("/proc/self/ns/net")
        seen["own_pid_ns"] = os.readlink(f"/proc/{pid}/ns/pid") != os.readlink("/proc/self/ns/pid")
        r = rt.ExecSync(pb.ExecSyncRequest(container_id=cid, timeout=10, cmd=[
            "sh", "-c", "echo out; echo err >&2; wc -c </proc/timer_list; touch /proc/sys/x 2>/dev/null || echo ro; exit 3"]),
            timeout=30)
        seen["exec"] = {"exit": r.exit_code, "stdout": r.stdout.decode(), "stderr": r.stderr.decode()}
        r = rt.ExecSync(pb.ExecSyncRequest(container_id=cid, timeout=10, cmd=[
            "sh", "-c", "echo x 2>/dev/null >/etc/vigil-written && echo written || echo refused"]), timeout=30)
        seen["write_etc"] = {"exit": r.exit_code, "stdout": r.stdout.decode().strip()}
        # Stopped the kubelet way: SIGTERM, which main traps, and SIGKILL after the grace period
        # for a container that ignores it (sleep as pid 1).
        rt.StopContainer(pb.StopContainerRequest(container_id=cid, timeout=5), timeout=60)
        st = wait_exited(cid)
        seen["main"] = {"state": pb.ContainerState.Name(st.state), "exit": st.exit_code}
        seen["main_log"] = read(os.path.join(pod.log_directory, "main.log"))
        rt.RemoveContainer(pb.RemoveContainerRequest(container_id=cid), timeout=60)
        sid = rt.CreateContainer(pb.CreateContainerRequest(
            pod_sandbox_id=pod_id, sandbox_config=pod, config=container("sleeper", ["sleep", "1000"])),
            timeout=60).container_id
        rt.StartContainer(pb.StartContainerRequest(container_id=sid), timeout=60)
        rt.StopContainer(pb.StopContainerRequest(container_id=sid, timeout=1), timeout=60)
        st = wait_exited(sid)
        seen["sleeper"] = {"state": pb.ContainerState.Name(st.state), "exit": st.exit_code}
        rt.RemoveContainer(pb.RemoveContainerRequest(container_id=sid), timeout=60)
    elif args.scenario == "bidirectional":
        config = container("storage", ["sh", "-c", "mount -t tmpfs ctr /vol/fromctr && echo mounted; sleep 1000"])
        config.linux.security_context.privileged = True
        config.mounts.append(pb.Mount(container_path="/vol", host_path=args.volume,
                                      propagation=pb.PROPAGATION_BIDIRECTIONAL))
        cid = rt.CreateContainer(pb.CreateContainerRequest(pod_sandbox_id=pod_id, sandbox_config=pod, config=config),
                                 timeout=60).container_id
        rt.StartContainer(pb.StartContainerRequest(container_id=cid), timeout=60)
        target = os.path.join(args.volume, "fromctr")
        for _ in range(200):
            if mounted(target):
                break
            time.sleep(0.05)
        seen["host_sees_container_mount"] = mounted(target)
        rt.StopContainer(pb.StopContainerRequest(container_id=cid, timeout=1), timeout=60)
        seen["storage"] = {"exit": wait_exited(cid).exit_code}
        rt.RemoveContainer(pb.RemoveContainerRequest(container_id=cid), timeout=60)
    elif args.scenario == "run":
        cid = rt.CreateContainer(pb.CreateContainerRequest(
            pod_sandbox_id=pod_id, sandbox_config=pod, config=container("work", ["sh", "-c", args.command])),
            timeout=60).container_id
        rt.StartContainer(pb.StartContainerRequest(container_id=cid), timeout=60)
        st = wait_exited(cid)
        # CRI log lines are "TIME STREAM TAG TEXT".
        log = read(os.path.join(pod.log_directory, "work.log")).splitlines()
        seen["work"] = {"exit": st.exit_code, "output": [line.split(" ", 3)[3] for line in log if line.count(" ") >= 3]}
        if args.vigil:
            # containerd deletes the container when it exits; the audit log of one that learned is kept.
            lines = read(os.path.join(args.vigil_root, ":learned", cid + ".log"))
            lines = [json.loads(l) for l in lines.splitlines()] if not lines.startswith("error: ") else []
            seen["learned"] = sum(1 for l in lines if l["action"] == "learn")
            r = subprocess.run([args.vigil, "--root", args.vigil_root, "policy", "suggest", cid],
                               capture_output=True, text=True, timeout=60)
            seen["suggested"] = json.loads(r.stdout) if r.returncode == 0 else r.stderr
        rt.RemoveContainer(pb.RemoveContainerRequest(container_id=cid), timeout=60)
    else:
        cid = rt.CreateContainer(pb.CreateContainerRequest(
            pod_sandbox_id=pod_id, sandbox_config=pod, config=container("never", ["sleep", "1000"])),
            timeout=60).container_id
        seen["created"] = pb.ContainerState.Name(rt.ContainerStatus(pb.ContainerStatusRequest(container_id=cid)).status.state)
        rt.RemoveContainer(pb.RemoveContainerRequest(container_id=cid), timeout=60)
        seen["containers_left"] = len(rt.ListContainers(pb.ListContainersRequest()).containers)
finally:
    rt.StopPodSandbox(pb.StopPodSandboxRequest(pod_sandbox_id=pod_id), timeout=60)
    rt.RemovePodSandbox(pb.RemovePodSandboxRequest(pod_sandbox_id=pod_id), timeout=60)
seen["pods_left"] = len(rt.ListPodSandbox(pb.ListPodSandboxRequest()).items)
print(json.dumps(seen))
