#!/usr/bin/env node
// The `podman run` arguments for one service of deploy/docker/compose.yaml,
// so the container tests run exactly the privileges, namespaces and mounts
// the compose file declares (no podman-compose on the test machines).
//
//   node compose2podman.js COMPOSE SERVICE --prefix P [--volume NAME=PATH]...
//        [--image IMAGE] [--drop-pid] [--env K=V]... [--cap-add CAP]...
//
// Prints the arguments NUL-separated (for bash `mapfile -d ''`): options
// first, then the image, then the service's command if any. Named volumes
// must be given a host path with --volume (the test creates them: its own
// tmpfs dirs and hugetlbfs mounts); `pid: service:X` becomes
// `--pid container:<P>X`; --drop-pid leaves it out (the negative test).
// A compose key this script does not know is an error, so the tests never
// silently run something laxer than the file.
"use strict";

const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

function die(msg) {
  process.stderr.write(`compose2podman: ${msg}\n`);
  process.exit(64);
}

const argv = process.argv.slice(2);
if (argv.length < 2) die("usage: compose2podman.js COMPOSE SERVICE --prefix P [--volume NAME=PATH]...");
const [composeFile, service] = argv;
const opt = { prefix: "", volumes: {}, image: null, dropPid: false, env: [], capAdd: [] };
for (let i = 2; i < argv.length; i++) {
  const a = argv[i];
  const next = () => (i + 1 < argv.length ? argv[++i] : die(`${a} needs a value`));
  if (a === "--prefix") opt.prefix = next();
  else if (a === "--image") opt.image = next();
  else if (a === "--drop-pid") opt.dropPid = true;
  else if (a === "--env") opt.env.push(next());
  else if (a === "--cap-add") opt.capAdd.push(next());
  else if (a === "--volume") {
    const v = next();
    const eq = v.indexOf("=");
    if (eq < 1) die(`--volume ${v}: expected NAME=PATH`);
    opt.volumes[v.slice(0, eq)] = v.slice(eq + 1);
  } else die(`unknown option ${a}`);
}

const doc = YAML.parseDocument(fs.readFileSync(composeFile, "utf8"), { merge: true });
if (doc.errors.length) die(`${composeFile}: ${doc.errors[0].message.split("\n")[0]}`);
const compose = doc.toJS({ maxAliasCount: 100 });
const s = (compose.services || {})[service];
if (!s) die(`${composeFile}: no service "${service}"`);
const base = path.dirname(path.resolve(composeFile));
const out = [];
const seconds = (d) => {
  const m = /^([0-9]+)(s|m)?$/.exec(String(d));
  if (!m) die(`duration "${d}" not understood`);
  return Number(m[1]) * (m[2] === "m" ? 60 : 1);
};

const handlers = {
  image: () => {},
  build: () => {},
  depends_on: () => {},
  init: (v) => { if (v) out.push("--init"); },
  read_only: (v) => { if (v) out.push("--read-only"); },
  cap_drop: (v) => v.forEach((c) => out.push("--cap-drop", c)),
  cap_add: (v) => v.forEach((c) => out.push("--cap-add", c)),
  security_opt: (v) => v.forEach((o) => out.push("--security-opt", o)),
  network_mode: (v) => out.push("--network", v),
  ipc: (v) => out.push("--ipc", v),
  pid: (v) => {
    if (opt.dropPid) return;
    const m = /^service:(.+)$/.exec(v);
    out.push("--pid", m ? `container:${opt.prefix}${m[1]}` : v);
  },
  ulimits: (v) => {
    for (const [k, l] of Object.entries(v)) {
      const soft = typeof l === "object" ? l.soft : l;
      const hard = typeof l === "object" ? l.hard : l;
      out.push("--ulimit", `${k}=${soft}:${hard}`);
    }
  },
  stop_signal: (v) => out.push("--stop-signal", v),
  stop_grace_period: (v) => out.push("--stop-timeout", String(seconds(v))),
  environment: (v) => {
    const list = Array.isArray(v) ? v : Object.entries(v).map(([k, x]) => `${k}=${x}`);
    list.forEach((e) => out.push("--env", e));
  },
  devices: (v) => v.forEach((d) => out.push("--device", d)),
  volumes: (v) => {
    for (const spec of v) {
      const [src, dst, mode] = String(spec).split(":");
      let host;
      if (src.startsWith(".") || src.startsWith("/")) host = path.resolve(base, src);
      else if (opt.volumes[src]) host = opt.volumes[src];
      else die(`service "${service}": named volume "${src}" needs --volume ${src}=PATH`);
      out.push("--volume", [host, dst, mode].filter(Boolean).join(":"));
    }
  },
  command: () => {},
};
for (const [k, v] of Object.entries(s)) {
  if (!handlers[k]) die(`service "${service}": key "${k}" is not supported; extend compose2podman.js`);
  handlers[k](v);
}
opt.env.forEach((e) => out.push("--env", e));
opt.capAdd.forEach((c) => out.push("--cap-add", c));
out.push(opt.image || s.image);
if (s.command) out.push(...(Array.isArray(s.command) ? s.command : String(s.command).split(/\s+/)));
process.stdout.write(out.map((a) => `${a}\0`).join(""));
