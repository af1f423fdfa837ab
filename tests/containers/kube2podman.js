#!/usr/bin/env node
// A test copy of deploy/k8s for `podman kube play` on a machine without
// SR-IOV, the kubelet or a HugePages emptyDir: every field as the real
// manifests have it, except
//   - the ConfigMap's tenants take net_null vdevs where the device plugin
//     would give VFs ({env: PCIDEVICE_*} -> net_null0, net_null1), and may
//     get a health: section (--health 'stall: 2');
//   - the image is the one the test built (--image), and pods and
//     deployments get a name prefix (--prefix) so that runs never clash;
//   - an emptyDir with medium HugePages-* (podman makes an ordinary
//     volume of it) is a hostPath to a hugetlbfs the test mounted
//     (--hugetlbfs TENANT=PATH, matched by the mount path
//     <hugepageDir>/<TENANT>);
//   - an env var from resourceFieldRef limits.hugepages-* (podman 4.3
//     refuses the whole play: "resource limits.hugepages-2Mi is either not
//     valid or not supported") gets the container's limit as its value, in
//     bytes, as the kubelet would give it.
// Podman ignores what it does not know (hugepages and device-plugin
// resources, the CPU manager's exclusivity): those stay, as in the files.
//
//   node kube2podman.js FILE... --image IMAGE --hugetlbfs T=PATH... [--prefix P]
//        [--health YAML]
//
// Prints the documents as one multi-document YAML stream.
"use strict";

const fs = require("fs");
const YAML = require("yaml");

function die(msg) {
  process.stderr.write(`kube2podman: ${msg}\n`);
  process.exit(64);
}

const files = [];
const opt = { image: null, huge: {}, health: null, prefix: "" };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = () => (i + 1 < argv.length ? argv[++i] : die(`${a} needs a value`));
  if (a === "--image") opt.image = next();
  else if (a === "--health") opt.health = next();
  else if (a === "--prefix") opt.prefix = next();
  else if (a === "--hugetlbfs") {
    const [t, p] = next().split("=");
    if (!t || !p) die("--hugetlbfs TENANT=PATH");
    opt.huge[t] = p;
  } else if (a.startsWith("--")) die(`unknown option ${a}`);
  else files.push(a);
}
if (!opt.image || files.length === 0) die("usage: kube2podman.js FILE... --image IMAGE --hugetlbfs T=PATH...");

function tenantsYaml(text) {
  const doc = YAML.parseDocument(text);
  const tenants = doc.get("tenants");
  for (const t of tenants.items) {
    const nics = t.get("nics");
    if (nics && nics.items.some((n) => YAML.isMap(n) && n.has("env")))
      t.set("nics", doc.createNode(["net_null0", "net_null1"]));
    if (opt.health) t.set("health", doc.createNode(YAML.parse(`{${opt.health}}`)));
  }
  return doc.toString();
}

// "256Mi" -> 268435456
function bytes(q) {
  const m = /^([0-9]+)(Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) die(`quantity ${q}: expected N, NKi, NMi or NGi`);
  return Number(m[1]) * { undefined: 1, Ki: 1024, Mi: 1 << 20, Gi: 1 << 30 }[m[2]];
}

function podSpec(spec) {
  const hugeVolumes = {};
  for (const v of spec.volumes || [])
    if (v.emptyDir && /^HugePages/.test(v.emptyDir.medium || "")) hugeVolumes[v.name] = v;
  for (const c of spec.containers) {
    c.image = opt.image;
    for (const e of c.env || []) {
      const ref = e.valueFrom && e.valueFrom.resourceFieldRef;
      if (!ref || !/^limits\.hugepages-/.test(ref.resource)) continue;
      const lim = ((c.resources || {}).limits || {})[ref.resource.slice(7)];
      if (!lim) die(`${c.name}: ${e.name} refers to ${ref.resource}, which it does not set`);
      e.value = String(bytes(lim));
      delete e.valueFrom;
    }
    for (const m of c.volumeMounts || []) {
      const v = hugeVolumes[m.name];
      if (!v) continue;
      const tenant = m.mountPath.split("/").pop();
      const path = opt.huge[tenant];
      if (!path) die(`no --hugetlbfs for tenant ${tenant} (volume ${m.name} at ${m.mountPath})`);
      delete v.emptyDir;
      v.hostPath = { path, type: "Directory" };
    }
  }
}

const out = [];
for (const f of files) {
  for (const d of YAML.parseAllDocuments(fs.readFileSync(f, "utf8"))) {
    const o = d.toJS();
    if (!o) continue;
    if (o.kind === "ConfigMap" && o.data && o.data["tenants.yaml"])
      o.data["tenants.yaml"] = tenantsYaml(o.data["tenants.yaml"]);
    else if (o.kind === "Pod") podSpec(o.spec);
    else if (o.kind === "Deployment") podSpec(o.spec.template.spec);
    if (o.kind === "Pod" || o.kind === "Deployment") o.metadata.name = opt.prefix + o.metadata.name;
    out.push(YAML.stringify(o));
  }
}
process.stdout.write(out.join("---\n"));
