#!/usr/bin/env node
// Offline checks of tenantrt's deployment manifests, no cluster needed:
//
//   node check-manifests.js DEPLOY_DIR     (DEPLOY_DIR/k8s/*.yaml and
//                                          DEPLOY_DIR/docker/compose.yaml)
//
// 1. Kubernetes schema: kubernetes-models' validators (types, enums,
//    required fields) for every object in deploy/k8s.
// 2. Unknown fields, which those validators let through: each object is
//    validated through a Proxy that records which keys the validator looks
//    up; a key it never looked up in an object it did check is not in the
//    schema (a typo such as "privilegd" would otherwise be silently dropped
//    by the API server).
// 3. What tenantrt relies on, against the ConfigMap's tenants.yaml and
//    compose's tenants.yaml: one PID namespace per group, hugepage limits
//    equal to the tenant's quota, cpu requests == limits, the SR-IOV
//    resource behind each PCIDEVICE_* NIC, the shared volumes, least
//    privilege, the probes.
//
// Prints one line per problem ("FILE: OBJECT: where: what") and exits 1 if
// there is any; else prints a summary and exits 0.
"use strict";

const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

// The compiled validators; the package's "exports" hide _schemas, so load
// them by file name.
const schemaDir = path.join(path.dirname(require.resolve("kubernetes-models/package.json")), "_schemas");
const validators = {
  "v1/ConfigMap": "IoK8sApiCoreV1ConfigMap",
  "v1/Pod": "IoK8sApiCoreV1Pod",
  "apps/v1/Deployment": "IoK8sApiAppsV1Deployment",
};

const problems = [];
let checked = 0;

function problem(file, obj, where, what) {
  const name = obj && obj.metadata && obj.metadata.name ? `${obj.kind} ${obj.metadata.name}` : "";
  problems.push([file, name, where, what].filter(Boolean).join(": "));
}

// --- 1 and 2: schema and unknown fields -------------------------------------

function childPath(parent, p, k) {
  if (Array.isArray(parent)) return `${p}[${k}]`;
  return p === "" ? k : `${p}.${k}`;
}

function tracked(data) {
  const reads = new Map();
  function wrap(o, p) {
    if (o === null || typeof o !== "object") return o;
    if (!reads.has(p)) reads.set(p, new Set());
    return new Proxy(o, {
      get(t, k, r) {
        if (typeof k !== "string") return Reflect.get(t, k, r);
        reads.get(p).add(k);
        return wrap(t[k], childPath(t, p, k));
      },
    });
  }
  return { proxy: wrap(data, ""), reads };
}

function unknownFields(data, reads) {
  const out = [];
  (function walk(o, p) {
    if (o === null || typeof o !== "object") return;
    const r = reads.get(p);
    // Never looked into: free-form (a map the schema does not type).
    if (!r || r.size === 0) return;
    for (const k of Object.keys(o)) {
      const sub = childPath(o, p, k);
      if (!Array.isArray(o) && !r.has(k)) out.push(sub);
      else walk(o[k], sub);
    }
  })(data, "");
  return out;
}

function schemaCheck(file, obj) {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const vname = validators[key];
  if (!vname) {
    problem(file, obj, "", `${key} is not a kind tenantrt deploys (ConfigMap, Pod, Deployment)`);
    return false;
  }
  const validate = require(path.join(schemaDir, `${vname}.js`)).validate;
  const { proxy, reads } = tracked(obj);
  if (!validate(proxy)) {
    for (const e of validate.errors) {
      const where = e.instancePath.replace(/^\//, "").replace(/\//g, ".");
      problem(file, obj, where || "(top)", `${e.message}${e.params && e.params.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`);
    }
    return false;
  }
  for (const f of unknownFields(obj, reads)) problem(file, obj, f, "unknown field (not in the Kubernetes schema)");
  return true;
}

// --- 3: what tenantrt relies on ----------------------------------------------

function mib(q) {
  // Kubernetes quantities as used for hugepages and memory.
  const m = /^([0-9]+)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(q));
  if (!m) return NaN;
  const f = { undefined: 1 / 1048576, Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1048576, k: 1000 / 1048576, M: 1e6 / 1048576, G: 1e9 / 1048576 };
  return Number(m[1]) * f[m[2]];
}

function cpuMilli(q) {
  const m = /^([0-9]+)(m)?$/.exec(String(q));
  return m ? (m[2] ? Number(m[1]) : Number(m[1]) * 1000) : NaN;
}

// intel.com/sriov_acme -> PCIDEVICE_INTEL_COM_SRIOV_ACME (the SR-IOV
// device plugin's naming).
function pcideviceEnv(resource) {
  return "PCIDEVICE_" + resource.toUpperCase().replace(/[./-]/g, "_");
}

function pageKey(host) {
  return host && /^1G/i.test(String(host.hugepageSize || "")) ? "1Gi" : "2Mi";
}

function tenantLimitMb(t) {
  const m = t.memory || {};
  if (m.limitMb !== undefined) return m.limitMb;
  if (m.totalMb !== undefined) return m.totalMb;
  return (m.socketMb || []).reduce((a, b) => a + b, 0);
}

function envOf(c) {
  const e = {};
  for (const v of c.env || []) e[v.name] = v.value !== undefined ? v.value : v.valueFrom;
  return e;
}

// Capabilities tenantrt's containers may have: the shim's own (drop the
// bounding set, change ids, give the tenant its dirs and look into them,
// signal the app of another uid)
// and the NICs' (vfio DMA pinning, PCI access; raw sockets for
// af_packet/tap). Never SYS_ADMIN in a pod (hugetlbfs comes from the
// emptyDir) nor a privileged container.
const allowedCaps = new Set(["IPC_LOCK", "SYS_RAWIO", "SETPCAP", "SETUID", "SETGID", "CHOWN", "FOWNER", "DAC_OVERRIDE", "KILL", "NET_RAW", "NET_ADMIN"]);

function checkPodSpec(file, obj, spec, where, cfg, kind) {
  const host = cfg.host || {};
  const runtimeRoot = host.runtimeRoot || "/run/tenantrt";
  const hugeDir = host.hugepageDir || `${runtimeRoot}/hugepages`;
  const pk = pageKey(host);
  const members = {};
  (spec.containers || []).forEach((c, i) => {
    const at = `${where}.containers[${i}]`;
    const env = envOf(c);
    const tenant = env.TENANTRT_TENANT;
    if (!tenant) {
      problem(file, obj, at, "no TENANTRT_TENANT: the shim would not know its tenant");
      return;
    }
    const t = (cfg.tenants || []).find((x) => x.name === tenant);
    if (!t) {
      problem(file, obj, `${at}.env.TENANTRT_TENANT`, `tenant "${tenant}" is not in the ConfigMap's tenants.yaml`);
      return;
    }
    const role = env.TENANTRT_ROLE || "auto";
    if (!["primary", "secondary", "auto"].includes(role)) problem(file, obj, `${at}.env.TENANTRT_ROLE`, `"${role}" is not primary, secondary or auto`);
    (members[tenant] = members[tenant] || { t, list: [] }).list.push({ c, at, role, env });

    if (c.command) problem(file, obj, `${at}.command`, "replaces the image's ENTRYPOINT: tenantrt-shim must be PID 1");

    // Static CPU manager: Guaranteed QoS and integer cpus.
    const req = (c.resources && c.resources.requests) || {};
    const lim = (c.resources && c.resources.limits) || {};
    if (lim.cpu === undefined) problem(file, obj, `${at}.resources.limits.cpu`, "missing: the static CPU manager only pins containers with a cpu limit");
    else {
      if (req.cpu !== undefined && cpuMilli(req.cpu) !== cpuMilli(lim.cpu)) problem(file, obj, `${at}.resources.requests.cpu`, `${req.cpu} != limits.cpu ${lim.cpu}: the static CPU manager needs requests == limits`);
      if (cpuMilli(lim.cpu) % 1000 !== 0) problem(file, obj, `${at}.resources.limits.cpu`, `${lim.cpu} is not a whole number of cpus: no exclusive cpus`);
    }
    if (lim.memory === undefined || (req.memory !== undefined && mib(req.memory) !== mib(lim.memory))) problem(file, obj, `${at}.resources`, "memory requests must equal limits (Guaranteed QoS, else no exclusive cpus)");
    for (const k of Object.keys(lim).filter((k) => k.startsWith("hugepages-")))
      if (req[k] !== undefined && mib(req[k]) !== mib(lim[k])) problem(file, obj, `${at}.resources.requests.${k}`, `${req[k]} != limits ${lim[k]}`);

    // Least privilege.
    const sc = c.securityContext || {};
    if (sc.privileged) problem(file, obj, `${at}.securityContext.privileged`, "tenantrt needs no privileged container");
    if (sc.allowPrivilegeEscalation !== false) problem(file, obj, `${at}.securityContext.allowPrivilegeEscalation`, "must be false (no_new_privs)");
    const caps = sc.capabilities || {};
    if (!(caps.drop || []).includes("ALL")) problem(file, obj, `${at}.securityContext.capabilities.drop`, "must drop ALL and add back only what is needed");
    for (const cap of caps.add || [])
      if (!allowedCaps.has(cap)) problem(file, obj, `${at}.securityContext.capabilities.add`, `${cap} is more than tenantrt needs${cap === "SYS_ADMIN" ? " (hugetlbfs comes from the HugePages emptyDir)" : ""}`);

    // Probes through tenantrt status.
    for (const p of ["startupProbe", "livenessProbe"]) {
      const cmd = c[p] && c[p].exec && c[p].exec.command;
      if (!cmd || !/(^|\/)tenantrt$/.test(cmd[0]) || cmd[1] !== "status" || !cmd.includes(tenant))
        problem(file, obj, `${at}.${p}`, `must exec "tenantrt status --tenant ${tenant} --check"`);
    }

    // Mounts: config, runtime root, the tenant's hugepage dir.
    const mounts = {};
    for (const m of c.volumeMounts || []) mounts[m.mountPath] = m.name;
    const vol = (n) => (spec.volumes || []).find((v) => v.name === n);
    const cfgDir = path.posix.dirname(env.TENANTRT_CONFIG || "/etc/tenantrt/tenants.yaml");
    if (!mounts[cfgDir] || !(vol(mounts[cfgDir]) || {}).configMap) problem(file, obj, `${at}.volumeMounts`, `no ConfigMap mounted at ${cfgDir}`);
    const rv = vol(mounts[runtimeRoot]);
    if (!rv || !rv.emptyDir) problem(file, obj, `${at}.volumeMounts`, `no emptyDir at the runtime root ${runtimeRoot}`);
    const hv = vol(mounts[`${hugeDir}/${tenant}`]);
    if (!hv || !hv.emptyDir || hv.emptyDir.medium !== `HugePages-${pk}`)
      problem(file, obj, `${at}.volumeMounts`, `no emptyDir with medium HugePages-${pk} at ${hugeDir}/${tenant} (the shim cannot mount hugetlbfs without SYS_ADMIN)`);
  });

  for (const [tenant, { t, list }] of Object.entries(members)) {
    const primaries = list.filter((m) => m.role === "primary");
    const group = list.length > 1 || list.some((m) => m.role === "secondary");
    if (primaries.length !== 1) problem(file, obj, where, `tenant "${tenant}" has ${primaries.length} containers with TENANTRT_ROLE=primary; a group needs exactly one`);
    const maxSec = (t.group && t.group.maxSecondaries) || 0;
    if (list.length - 1 > maxSec) problem(file, obj, where, `tenant "${tenant}" has ${list.length - 1} secondaries, its maxSecondaries is ${maxSec}`);
    if (group && spec.shareProcessNamespace !== true)
      problem(file, obj, `${where}.shareProcessNamespace`, `must be true for the group "${tenant}": DPDK names per-process files after the pid, members in separate PID namespaces clash`);
    if (kind === "Deployment" && group) problem(file, obj, where, `a group belongs in one Pod, not a Deployment of "${tenant}" members`);

    // The pod's hugepages = the tenant's quota (the primary faults them in).
    const key = `hugepages-${pageKey(cfg.host)}`;
    const sum = list.reduce((a, m) => a + mib(((m.c.resources || {}).limits || {})[key] || 0), 0);
    const want = tenantLimitMb(t);
    if (sum !== want) problem(file, obj, `${where}.containers[*].resources.limits.${key}`, `${sum}Mi in the pod, tenant "${tenant}" has a quota of ${want} MiB (limitMb): make them equal`);
    if (primaries.length === 1) {
      const p = primaries[0];
      const plim = mib(((p.c.resources || {}).limits || {})[key] || 0);
      if (plim !== want) problem(file, obj, `${p.at}.resources.limits.${key}`, `the primary carries the group's pages: ${plim}Mi, want ${want}Mi`);
      const dapi = p.env.TENANTRT_HUGEPAGES_LIMIT;
      if (!dapi || !dapi.resourceFieldRef || dapi.resourceFieldRef.resource !== `limits.${key}`)
        problem(file, obj, `${p.at}.env.TENANTRT_HUGEPAGES_LIMIT`, `must come from resourceFieldRef limits.${key} (the shim's ceiling)`);
      // Each {env: PCIDEVICE_X} NIC: the primary requests the resource.
      const res = Object.keys(((p.c.resources || {}).limits) || {});
      for (const nic of t.nics || []) {
        if (typeof nic !== "object" || !nic.env) continue;
        const r = res.find((k) => pcideviceEnv(k) === nic.env);
        if (!r) problem(file, obj, `${p.at}.resources.limits`, `tenant "${tenant}" takes its NICs from ${nic.env}: request the device-plugin resource it names (e.g. ${nic.env.replace(/^PCIDEVICE_/, "").toLowerCase().replace("_", ".").replace("_", "/")})`);
        else if (!((p.c.resources.requests || {})[r] === undefined || String(p.c.resources.requests[r]) === String(p.c.resources.limits[r])))
          problem(file, obj, `${p.at}.resources.requests.${r}`, "must equal its limit");
      }
    }
  }
}

function checkK8s(dir) {
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const objs = [];
  for (const f of files) {
    const file = path.join(dir, f);
    for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))) {
      if (doc.errors.length) {
        for (const e of doc.errors) problem(file, null, "", `YAML: ${e.message.split("\n")[0]}`);
        continue;
      }
      const obj = doc.toJS();
      if (obj === null) continue;
      objs.push({ file, obj });
    }
  }
  const valid = objs.filter(({ file, obj }) => { checked++; return schemaCheck(file, obj); });
  const cms = valid.filter(({ obj }) => obj.kind === "ConfigMap" && obj.data && obj.data["tenants.yaml"]);
  if (cms.length !== 1) {
    problem(dir, null, "", `want exactly one ConfigMap with a tenants.yaml key, found ${cms.length}`);
    return;
  }
  const cmName = cms[0].obj.metadata.name;
  let cfg;
  try {
    cfg = YAML.parse(cms[0].obj.data["tenants.yaml"]);
  } catch (e) {
    problem(cms[0].file, cms[0].obj, "data.tenants.yaml", `not YAML: ${e.message.split("\n")[0]}`);
    return;
  }
  for (const { file, obj } of valid) {
    if (obj.kind === "Pod") checkPodSpec(file, obj, obj.spec, "spec", cfg, "Pod");
    if (obj.kind === "Deployment") {
      const s = obj.spec;
      if (s.replicas !== 1) problem(file, obj, "spec.replicas", "must be 1: a second replica would be a second primary");
      if (!s.strategy || s.strategy.type !== "Recreate") problem(file, obj, "spec.strategy.type", "must be Recreate: the old primary must release its NICs and hugepages first");
      checkPodSpec(file, obj, s.template.spec, "spec.template.spec", cfg, "Deployment");
    }
    if (obj.kind === "Pod" || obj.kind === "Deployment") {
      const spec = obj.kind === "Pod" ? obj.spec : obj.spec.template.spec;
      for (const v of spec.volumes || [])
        if (v.configMap && v.configMap.name !== cmName) problem(file, obj, `volumes.${v.name}`, `ConfigMap "${v.configMap.name}" is not ${cmName}`);
    }
  }
  return cfg;
}

// --- compose ---------------------------------------------------------------

function checkCompose(file) {
  const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"), { merge: true });
  if (doc.errors.length) {
    for (const e of doc.errors) problem(file, null, "", `YAML: ${e.message.split("\n")[0]}`);
    return;
  }
  checked++;
  const c = doc.toJS({ maxAliasCount: 100 });
  const known = new Set(["name", "services", "volumes", "networks", "configs", "secrets"]);
  for (const k of Object.keys(c)) if (!known.has(k) && !k.startsWith("x-")) problem(file, null, k, "unknown top-level key");
  const svcKeys = new Set(["image", "build", "init", "read_only", "cap_add", "cap_drop", "security_opt", "network_mode", "ipc", "pid", "ulimits", "stop_signal", "stop_grace_period", "environment", "volumes", "depends_on", "devices", "command", "entrypoint", "restart", "healthcheck", "tmpfs", "shm_size", "cpuset", "mem_limit", "labels", "container_name", "user"]);
  const services = c.services || {};
  const vols = c.volumes || {};
  // The tenants.yaml the services mount.
  let cfg = null;
  const members = {};
  for (const [name, s] of Object.entries(services)) {
    for (const k of Object.keys(s)) if (!svcKeys.has(k)) problem(file, null, `services.${name}.${k}`, "unknown or unexpected service key");
    const env = s.environment || {};
    const tenant = env.TENANTRT_TENANT;
    if (s.entrypoint) problem(file, null, `services.${name}.entrypoint`, "tenantrt-shim must stay the entrypoint (PID 1)");
    if (s.init === true) problem(file, null, `services.${name}.init`, "no init: the shim is PID 1 and reaps");
    if (s.privileged) problem(file, null, `services.${name}.privileged`, "tenantrt needs no privileged container");
    if (!(s.cap_drop || []).includes("ALL")) problem(file, null, `services.${name}.cap_drop`, "must drop ALL");
    for (const cap of s.cap_add || []) if (!allowedCaps.has(cap) && cap !== "SYS_ADMIN") problem(file, null, `services.${name}.cap_add`, `${cap} is more than tenantrt needs`);
    if (!(s.security_opt || []).some((o) => /^no-new-privileges(:true)?$/.test(o))) problem(file, null, `services.${name}.security_opt`, "needs no-new-privileges:true");
    const mounts = {};
    for (const v of s.volumes || []) {
      const [src, dst] = String(v).split(":");
      mounts[dst] = src;
    }
    const cfgSrc = mounts["/etc/tenantrt/tenants.yaml"];
    if (!cfgSrc) {
      problem(file, null, `services.${name}.volumes`, "no tenants.yaml mounted at /etc/tenantrt/tenants.yaml");
      continue;
    }
    if (cfg === null) {
      const p = path.resolve(path.dirname(file), cfgSrc);
      try {
        cfg = YAML.parse(fs.readFileSync(p, "utf8"));
      } catch (e) {
        problem(file, null, `services.${name}.volumes`, `cannot read ${p}: ${e.message.split("\n")[0]}`);
        return;
      }
    }
    const t = ((cfg && cfg.tenants) || []).find((x) => x.name === tenant);
    if (!t) {
      problem(file, null, `services.${name}.environment.TENANTRT_TENANT`, `tenant "${tenant}" is not in ${cfgSrc}`);
      continue;
    }
    (members[tenant] = members[tenant] || { t, list: [] }).list.push({ name, s, role: env.TENANTRT_ROLE || "auto", mounts });
  }
  if (!cfg) return;
  const host = cfg.host || {};
  const runtimeRoot = host.runtimeRoot || "/run/tenantrt";
  const hugeDir = host.hugepageDir || `${runtimeRoot}/hugepages`;
  const seenHuge = {};
  for (const [tenant, { t, list }] of Object.entries(members)) {
    const prim = list.filter((m) => m.role === "primary");
    if (prim.length !== 1) {
      problem(file, null, "services", `tenant "${tenant}" has ${prim.length} services with TENANTRT_ROLE=primary; want exactly one`);
      continue;
    }
    const p = prim[0];
    const maxSec = (t.group && t.group.maxSecondaries) || 0;
    if (list.length - 1 > maxSec) problem(file, null, "services", `tenant "${tenant}" has ${list.length - 1} secondaries, its maxSecondaries is ${maxSec}`);
    const rv = p.mounts[runtimeRoot];
    const hv = p.mounts[`${hugeDir}/${tenant}`];
    if (!rv || !vols[rv]) problem(file, null, `services.${p.name}.volumes`, `no named volume at the runtime root ${runtimeRoot}`);
    if (!hv || !vols[hv]) problem(file, null, `services.${p.name}.volumes`, `no named volume at ${hugeDir}/${tenant}`);
    else {
      const o = (vols[hv].driver_opts || {});
      const size = /(?:^|,)size=([0-9]+)M(?:,|$)/.exec(o.o || "");
      const page = /(?:^|,)pagesize=([0-9]+[MG])(?:,|$)/.exec(o.o || "");
      if (o.type !== "hugetlbfs") problem(file, null, `volumes.${hv}.driver_opts.type`, "must be hugetlbfs");
      else if (!size || Number(size[1]) !== tenantLimitMb(t)) problem(file, null, `volumes.${hv}.driver_opts.o`, `size= must be ${tenantLimitMb(t)}M, tenant "${tenant}"'s limitMb`);
      else if (!page || page[1] !== String(host.hugepageSize || "2M").replace(/B$/, "")) problem(file, null, `volumes.${hv}.driver_opts.o`, `pagesize= must be the host's hugepageSize ${host.hugepageSize || "2M"}`);
      if (seenHuge[hv]) problem(file, null, `volumes.${hv}`, `shared by tenants "${seenHuge[hv]}" and "${tenant}": a primary deletes every unlocked hugepage file in its dir`);
      seenHuge[hv] = tenant;
    }
    for (const m of list) {
      if (m === p) {
        if (m.s.pid) problem(file, null, `services.${m.name}.pid`, "the primary owns the group's PID namespace");
        continue;
      }
      if (m.s.pid !== `service:${p.name}`) problem(file, null, `services.${m.name}.pid`, `must be "service:${p.name}": DPDK names per-process files after the pid, members in separate PID namespaces clash`);
      if (m.mounts[runtimeRoot] !== rv) problem(file, null, `services.${m.name}.volumes`, `must mount ${rv} at ${runtimeRoot} like ${p.name}`);
      if (m.mounts[`${hugeDir}/${tenant}`] !== hv) problem(file, null, `services.${m.name}.volumes`, `must mount ${hv} at ${hugeDir}/${tenant} like ${p.name}`);
      if (m.role === "primary") problem(file, null, `services.${m.name}`, "a second primary");
    }
  }
}

const deploy = process.argv[2] || path.join(__dirname, "..", "..", "deploy");
checkK8s(path.join(deploy, "k8s"));
checkCompose(path.join(deploy, "docker", "compose.yaml"));
for (const p of problems) console.log(p);
if (problems.length) {
  console.log(`manifests: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`manifests: ${checked} checked, no problems`);
